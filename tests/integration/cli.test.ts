/**
 * `npm run sync` as a person or a cron job runs it (node sync/cli.ts, in its own process) against the demo
 * emulators: exit codes, --dry-run, --json, and no token anywhere in its output or in what it writes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { acquireLock } from '../../sync/lock.ts';
import { contentCopy, EDITION, ROOT, runProcess, snapshot, type Finished } from './helpers.ts';

let demo: DemoEmulators;
let dir = '';

before(async () => {
  demo = await startDemoEmulators();
  dir = contentCopy({ empty: true });
});
after(async () => {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (command: string, args: string[], env: Record<string, string>): Promise<Finished> =>
  runProcess(command, args, { CONTENT_DIR: dir, ...env });

const cli = (args: string[], env: Record<string, string>) => run(process.execPath, [path.join(ROOT, 'sync/cli.ts'), ...args], env);

function allFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? allFiles(path.join(d, n)) : [path.join(d, n)]));
}

test('--dry-run --json: exit 0, a parseable report of what would change, nothing written', async () => {
  const before = snapshot(dir);
  const { code, stdout, stderr } = await cli(['--dry-run', '--json'], demo.env);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { ok: boolean; dryRun: boolean; changed: boolean; collections: { papers: { added: string[] } } };
  assert.deepEqual([report.ok, report.dryRun, report.changed], [true, true, true]);
  assert.deepEqual(report.collections.papers.added, ['2', '3']);
  assert.deepEqual(snapshot(dir), before);
  assert.match(stderr, /^Airtable › Papers: 2 records, 1 page$/m, 'plain progress lines when not on a terminal');
  assert.ok(!stderr.includes('\x1b['), 'no terminal escapes in a log');
});

test('a real run exits 0, writes the edition, and no token or key appears in the output or the files', async () => {
  const { code, stdout, stderr } = await cli([], demo.env);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^✓ 2024_2: people: \+10 ~0 -0; papers: \+2 ~0 -0; schedule: \+18 ~0 -0/);
  const secrets = [demo.env['AIRTABLE_TOKEN']!, demo.env['GOOGLE_API_KEY']!];
  const written = allFiles(path.join(dir, EDITION))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
  for (const secret of secrets) {
    assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'a secret was printed');
    assert.ok(!written.includes(secret), 'a secret was written');
  }
});

test('a rejected token: exit 1, one actionable line, and the token is not in it', async () => {
  const token = 'patWRONGtoken12345.0123456789abcdef0123';
  const { code, stdout, stderr } = await cli(['--json'], { ...demo.env, AIRTABLE_TOKEN: token });
  assert.equal(code, 1);
  assert.match(stderr, /Sync failed: Airtable › \w[\w ]*: Airtable rejected the token \(401\)\. Set AIRTABLE_TOKEN/);
  assert.equal((JSON.parse(stdout) as { ok: boolean }).ok, false);
  assert.ok(!stdout.includes(token) && !stderr.includes(token));
});

test('a missing token: exit 2 with the variable to set', async () => {
  const { AIRTABLE_TOKEN: _omitted, ...env } = demo.env;
  const { code, stderr } = await cli([], env);
  assert.equal(code, 2);
  assert.match(stderr, /^Configuration: Missing Airtable token\. Set AIRTABLE_TOKEN/);
});

test('on a terminal, the progress lines are redrawn in place, one per table', async () => {
  // util-linux `script` runs the CLI on a pseudo-terminal, as a person at a shell would (stdout and stderr merged).
  const command = `'${process.execPath}' sync/cli.ts --dry-run`;
  const { code, stdout: terminal } = await run('script', ['-qefc', command, '/dev/null'], { ...demo.env, TERM: 'xterm' });
  assert.equal(code, 0, terminal);
  assert.match(terminal, /\x1b\[\d+A/, 'the cursor moves up to redraw');
  assert.match(terminal, /\x1b\[2KAirtable › Papers: 2 records, 1 page/);
  assert.match(terminal, /\x1b\[2KGoogle Sheets › Schedule: \d+ records, 1 page/);
  assert.match(terminal, /✓ 2024_2: .* — dry run, nothing written/);
});

test('a sync while another holds the project lock does not start: exit 1, who holds it, nothing written', async () => {
  const state = mkdtempSync(path.join(tmpdir(), 'cli-state-'));
  const configFile = path.join(state, 'workshop.config.ts');
  writeFileSync(configFile, `export default { service: { stateDir: ${JSON.stringify(state)} } };\n`);
  const attempt = await acquireLock(path.join(state, 'sync.lock'));
  assert.ok(attempt.acquired);
  try {
    const before = snapshot(dir);
    const { code, stderr } = await cli(['--config', configFile], demo.env);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`^Sync not started: another sync is running \\(pid ${process.pid} on .*\\)\\. Wait for it to finish`));
    assert.deepEqual(snapshot(dir), before);
  } finally {
    await attempt.lock.release();
  }
  const { code } = await cli(['--config', configFile], demo.env);
  assert.equal(code, 0, 'runs once the lock is free');
  assert.ok(!existsSync(path.join(state, 'sync.lock')), 'and releases it');
  rmSync(state, { recursive: true, force: true });
});

test('--help and -h: exit 0, every option on its own line and where the environment variables are documented', async () => {
  for (const flag of ['--help', '-h']) {
    const before = snapshot(dir);
    const { code, stdout, stderr } = await cli([flag], {});
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    for (const option of [
      /^ {2}--dry-run {2,}\S/m,
      /^ {2}--json {2,}\S/m,
      /^ {2}--force {2,}\S/m,
      /^ {2}--config FILE {2,}\S/m,
      /^ {2}-h, --help {2,}\S/m,
    ]) {
      assert.match(stdout, option);
    }
    assert.match(stdout, /^Usage: npm run sync/);
    assert.match(stdout, /docs\/configuration\.md/);
    assert.deepEqual(snapshot(dir), before, 'help runs no sync');
  }
});

test('an unknown option or a stray argument: exit 2, one line naming it and pointing at --help, no stack trace', async () => {
  const before = snapshot(dir);
  const cases: [string[], RegExp][] = [
    [['--dryrun'], /^Unknown option --dryrun \(did you mean --dry-run\?\): run npm run sync -- --help for the options\.\n$/],
    [['--verbose'], /^Unknown option --verbose: run npm run sync -- --help/],
    [['--dry-run', 'now'], /^Unexpected argument "now": npm run sync takes options only; run npm run sync -- --help/],
    [['--config'], /^Option '--config <value>' argument missing: run npm run sync -- --help/],
    [['--force=yes'], /^Option '--force' does not take an argument: run npm run sync -- --help/],
  ];
  for (const [args, line] of cases) {
    const { code, stdout, stderr } = await cli(args, demo.env);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, line);
    assert.equal(stderr.split('\n').filter(Boolean).length, 1, `one line: ${stderr}`);
    assert.ok(!/ERR_PARSE_ARGS|\n\s+at /.test(stderr), `no stack trace: ${stderr}`);
    assert.equal(stdout, '');
  }
  const { code, stdout } = await cli(['--json', '--bogus'], demo.env);
  assert.equal(code, 2);
  assert.deepEqual(JSON.parse(stdout), { ok: false, error: 'Unknown option --bogus: run npm run sync -- --help for the options.' });
  assert.deepEqual(snapshot(dir), before, 'nothing synced');
});

test('many warnings of one kind: the first 3 and "… and N more like this" on the terminal, every one in --json', async () => {
  const base = demo.env['AIRTABLE_BASE_ID']!;
  // 131 organizers with numbered names (never "spelled" like one another) and 8 garbled affiliations.
  const added = [
    ...Array.from({ length: 131 }, (_, n) =>
      demo.airtable.addRecord(base, 'Organizers', { Name: `Holdout Organizer ${n}`, Affiliation: 'Holdout University' }),
    ),
    ...Array.from({ length: 8 }, (_, n) => demo.airtable.addRecord(base, 'Organizers', { Name: `Garbled ${n}`, Affiliation: 'CafÃ© Lab' })),
  ];
  try {
    const human = await cli(['--dry-run'], demo.env);
    assert.equal(human.code, 0, human.stderr);
    const garbled = human.stdout.split('\n').filter((l) => l.includes('looks garbled: "CafÃ©"'));
    assert.equal(garbled.length, 3, human.stdout);
    assert.match(human.stdout, /looks garbled: "CafÃ©".*\n {2}- … and 5 more like this\n/);
    assert.match(human.stdout, /edition\.json › "overview": looks garbled/, 'garbled text elsewhere is its own group');
    assert.match(human.stdout, /^Warnings \(\d+; --json lists every one\):$/m);
    assert.doesNotMatch(human.stdout, /Holdout Organizer/);
    const json = await cli(['--dry-run', '--json'], demo.env);
    const report = JSON.parse(json.stdout) as { warnings: string[]; problems: { kind: string; text: string }[] };
    assert.equal(report.warnings.filter((w) => w.includes('looks garbled: "CafÃ©"')).length, 8);
    assert.equal(report.problems.filter((p) => p.kind === 'mojibake' && p.text.includes('CafÃ©')).length, 8);
  } finally {
    for (const id of added) demo.airtable.deleteRecord(base, 'Organizers', id);
  }
});
