/**
 * `npm run setup` as a process: without a terminal (or with --yes) a missing answer is exit 2 listing the flags to
 * give, and nothing is written; on a terminal (a pseudo-terminal from `script`) it asks, says what is wrong and asks
 * again, reads the token with hidden input, and writes the files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { contentCopy, ROOT, runProcess } from './helpers.ts';

const BASE = 'appTerminalBase01';
const TOKEN = 'patTypedAtTheTerminal.secret42';

let work = '';
let content = '';
let airtable: AirtableEmulator;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'setup-cli-'));
  content = contentCopy();
  airtable = await startAirtableEmulator({
    bases: {
      [BASE]: {
        Organizers: { records: [{ fields: { Name: 'Ada Lovelace' } }] },
        Speakers: { records: [{ fields: { Name: 'Alan Kay', Kind: 'Keynote' } }] },
        Papers: { records: [{ fields: { 'Paper ID': 1, Title: 'A Paper', Authors: 'Ada Lovelace', Status: 'Accepted' } }] },
        Schedule: { records: [{ fields: { Date: '2026-03-02', Start: '09:00', End: '10:00', Title: 'Opening' } }] },
      },
    },
    tokens: { [TOKEN]: [BASE] },
    // Several setups in a row read this base: its rate limit is tested elsewhere (tests/emulators/airtable.test.ts).
    rateLimit: false,
  });
});
after(async () => {
  await airtable.close();
  for (const dir of [work, content]) rmSync(dir, { recursive: true, force: true });
});

const files = (name: string) => ({ config: path.join(work, `${name}.config.ts`), env: path.join(work, `${name}.env`) });

describe('without a terminal', () => {
  test('a missing answer is exit 2, listing every flag to give; nothing is written', async () => {
    const { config, env } = files('missing');
    const before = readdirSync(content);
    const run = await runProcess(
      'npm',
      ['run', '--silent', 'setup', '--', '--title', 'Only a Title', '--config', config, '--dotenv', env],
      {
        CONTENT_DIR: content,
      },
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /nothing was written/);
    assert.match(run.stderr, /Missing: give --start, --city, --time-zone, --host-name, --host-url, --airtable or --sheet \(or both\)\./);
    assert.ok(!existsSync(config) && !existsSync(env));
    assert.deepEqual(readdirSync(content), before);
  });

  test('a missing token is exit 2, naming the variable (not a flag); a token flag is refused', async () => {
    const { config, env } = files('token');
    const args = ['--yes', '--title', 'T', '--start', '2026-03-02', '--city', 'Oslo', '--time-zone', 'Europe/Oslo'];
    const more = ['--host-name', 'H', '--host-url', 'https://h.example/', '--airtable', BASE, '--config', config, '--dotenv', env];
    const run = await runProcess('npm', ['run', '--silent', 'setup', '--', ...args, ...more], { CONTENT_DIR: content });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Missing: give AIRTABLE_TOKEN \(an environment variable: tokens are never flags\)\./);
    assert.ok(!existsSync(config) && !existsSync(env));
    const flag = await runProcess('npm', ['run', '--silent', 'setup', '--', '--token', TOKEN], {});
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--token is not an option: credentials never go on the command line/);
  });
});

/** Runs setup on a pseudo-terminal; each step waits for its prompt, then types the answer and Enter. */
function onTerminal(
  args: string[],
  env: Record<string, string>,
  steps: readonly [RegExp, string][],
): Promise<{ code: number | null; screen: string }> {
  const command = ['node', '--import=./sync/ts-cache.mjs', 'sync/setup/cli.ts', ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AIRTABLE|GOOGLE)_/.test(k))),
      NO_PROXY: '127.0.0.1',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let seen = 0;
  child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
  child.stderr.on('data', (c: Buffer) => (screen += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const typeAnswers = async () => {
    for (const [prompt, answer] of steps) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const match = prompt.exec(screen.slice(seen));
        if (match) {
          seen += match.index + match[0].length;
          break;
        }
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no prompt ${prompt} on the screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.stdin.write(`${answer}\r`);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`setup did not end:\n${screen}`)), 15_000)));
    try {
      return { code: await Promise.race([closed, late]), screen };
    } finally {
      clearTimeout(timer);
    }
  };
  // A failed step must not leave the terminal's process (and this test) waiting for input.
  return typeAnswers().finally(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
}

test('on a terminal: asks each question, says what is wrong and asks again, hides the token, writes the files', async () => {
  const { config, env } = files('terminal');
  const { code, screen } = await onTerminal(
    ['--config', config, '--dotenv', env, '--no-sync'],
    { CONTENT_DIR: content, AIRTABLE_ENDPOINT_URL: airtable.url },
    [
      [/Full title of the workshop: /, 'Workshop on Terminals'],
      [/Short title .*\[Workshop on Terminals\]: /, 'Terminals'],
      [/First day \(YYYY-MM-DD\): /, '2026-03-02'],
      [/Last day .*\[2026-03-02\]: /, '2026-03-01'],
      [/is before the first.*\n.*Last day .*: /s, ''],
      [/Venue name \(optional\): /, ''],
      [/City: /, 'Oslo'],
      [/Country \(optional\): /, 'Norway'],
      [/Time zone .*: /, 'Europe/Olso'],
      [/Did you mean .*"Europe\/Oslo"\?.*Time zone .*: /s, 'Europe/Oslo'],
      [/Host conference \(.*\): /, 'CHI 2026'],
      [/address \(https:\/\/…\): /, 'https://chi2026.example.org/'],
      [/Edition id .*\[2026-terminals\]: /, ''],
      [/Airtable base: .*: /, 'https://airtable.com/shrSharedView0001'],
      [/cannot be read by the API.*Airtable base: .*: /s, `https://airtable.com/${BASE}/tblAnything0000001`],
      [/Google Sheet: .*: /, ''],
      [/program committee table\? \[Y\/n\] /, 'n'],
      [/Airtable personal access token \(hidden.*\): /, TOKEN],
      [/Keep the demo edition \(2024_2\) as an example\? \[Y\/n\] /, ''],
    ],
  );
  assert.equal(code, 0, screen);
  assert.ok(!screen.includes(TOKEN), 'the token is not echoed');
  assert.equal(statSync(env).mode & 0o777, 0o600);
  assert.deepEqual(parseEnv(readFileSync(env, 'utf8')), { AIRTABLE_TOKEN: TOKEN, AIRTABLE_ENDPOINT_URL: airtable.url });
  const edition = JSON.parse(readFileSync(path.join(content, '2026-terminals', 'edition.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(
    [edition['shortTitle'], edition['dates'], edition['timeZone']],
    ['Terminals', { start: '2026-03-02', end: '2026-03-02' }, 'Europe/Oslo'],
  );
  const written = readFileSync(config, 'utf8');
  assert.match(written, new RegExp(`baseId: '${BASE}'`));
  assert.match(written, /programCommittee: 'none'/);
  assert.match(written, /schedule: 'airtable'/);
  assert.match(screen, /Skipped the first sync \(--no-sync\)/);
  assert.ok(existsSync(path.join(content, '2024_2', 'edition.json')), 'the demo stays');
});

test('flags only: an existing config is kept as .bak, .env keeps its other lines, --remove-demo removes the demo', async () => {
  const { config, env } = files('existing');
  const own = contentCopy();
  try {
    writeFileSync(config, 'export default {};\n');
    writeFileSync(env, 'SYNC_PORT=8080\nAIRTABLE_BASE_ID=appOldBase0000001\n', { mode: 0o644 });
    const args = ['--title', 'Flags Only', '--start', '2026-03-02', '--city', 'Oslo', '--time-zone', 'Europe/Oslo', '--host-name', 'H'];
    const more = ['--host-url', 'https://h.example/', '--airtable', BASE, '--no-program-committee', '--remove-demo', '--no-sync'];
    const run = await runProcess('npm', ['run', '--silent', 'setup', '--', ...args, ...more, '--config', config, '--dotenv', env], {
      CONTENT_DIR: own,
      AIRTABLE_TOKEN: TOKEN,
      AIRTABLE_ENDPOINT_URL: airtable.url,
    });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(readFileSync(`${config}.bak`, 'utf8'), 'export default {};\n');
    assert.match(readFileSync(config, 'utf8'), new RegExp(`baseId: '${BASE}'`));
    assert.deepEqual(parseEnv(readFileSync(env, 'utf8')), {
      SYNC_PORT: '8080',
      AIRTABLE_TOKEN: TOKEN,
      AIRTABLE_ENDPOINT_URL: airtable.url,
    });
    assert.equal(statSync(env).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(own), ['2026-flags-only']);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN));
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});

test('on a terminal, Ctrl-C while asked stops setup with 130, nothing written', async () => {
  const { config, env } = files('stopped');
  const { code, screen } = await onTerminal(['--config', config, '--dotenv', env], { CONTENT_DIR: content }, [
    [/Full title of the workshop: /, 'Half a Title'],
    [/Short title .*: /, '\x03'],
  ]);
  assert.equal(code, 130, screen);
  assert.match(screen, /Setup stopped: nothing was written\./);
  assert.ok(!existsSync(config) && !existsSync(env));
});
