/**
 * Shared set-up of the fault suite (tests/faults/): the demo emulators, private copies of content/, what "intact"
 * means (the same bytes, file for file, hidden temporary files included), the operator's line, and the sync as a
 * real process (`npm run sync`, `npm run check:content`).
 *
 * Every scenario reports itself through `scenario(t, fault)`: the fault injected, then the outcome (what the sync
 * did and the one line the operator got) and whether the content was intact, as `t.diagnostic` lines
 * (`fault: …`, `outcome: …`, `intact: ✓|✗ …`) that `npm run test:faults` (report.ts) turns into its table. The
 * diagnostics are given before the assertions, so a failing scenario still shows what happened.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, type TestContext } from 'node:test';
import { DEMO_SPREADSHEET_ID, startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncEvent } from '../../sync/report.ts';
import { createProgress } from '../../sync/progress.ts';
import { configFor, contentCopy, FAST, ROOT, snapshot } from '../integration/helpers.ts';

export { configFor, EDITION, FAST } from '../integration/helpers.ts';

export type EmulatorOptions = NonNullable<Parameters<typeof startDemoEmulators>[0]>;
/** Relative path → bytes (base64) of every file under a folder. */
export type Files = Map<string, string>;

const running: DemoEmulators[] = [];
const folders: string[] = [];
const children = new Set<ChildProcessWithoutNullStreams>();

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((demo) => demo.close()));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The demo emulators, closed after the file's tests. A short rate-limit penalty unless said otherwise. */
export async function emulators(options: EmulatorOptions = {}): Promise<DemoEmulators> {
  const demo = await startDemoEmulators({ ...options, airtable: { rateLimit: { penaltyMs: 100 }, ...options.airtable } });
  running.push(demo);
  return demo;
}

/** A private copy of the committed content/ (`empty`: only edition.json), removed after the file's tests. */
export function content(options: { empty?: boolean } = {}): string {
  const dir = contentCopy(options);
  folders.push(dir);
  return dir;
}

/** An empty temporary folder, removed after the file's tests. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

export const files = (dir: string): Files => new Map([...snapshot(dir)].map(([file, { bytes }]) => [file, bytes]));

/** The files whose bytes differ between the two (or that exist on one side only), sorted. */
function differences(actual: Files, expected: Files): string[] {
  const names = new Set([...actual.keys(), ...expected.keys()]);
  return [...names].filter((name) => actual.get(name) !== expected.get(name)).sort();
}

export const baseId = (demo: DemoEmulators): string => demo.env['AIRTABLE_BASE_ID']!;
export const tablePath = (demo: DemoEmulators, table: string): string => `/v0/${baseId(demo)}/${encodeURIComponent(table)}`;
export const batchGetPath = (demo: DemoEmulators): string => `/v4/spreadsheets/${demo.env['GOOGLE_SHEETS_ID']}/values:batchGet`;

/** Asserts that the operator's line is one non-empty line. */
export function assertOneLine(line: string | undefined): asserts line is string {
  assert.ok(line !== undefined && line.trim() !== '', 'the operator got no line');
  assert.ok(!/[\r\n]/.test(line), `more than one line: ${line}`);
}

export interface Scenario {
  /** What the sync did (`synced`, `stopped`, `refused`…) and the operator's one line. */
  outcome(did: string, line: string): void;
  /** Compares the files with what they must be, reports ✓ or ✗ with the files that differ, then asserts. */
  intact(actual: Files, expected: Files, what?: string): void;
}

/** Reports a scenario's fault now, and its outcome and content check when the test gives them. */
export function scenario(t: TestContext, fault: string): Scenario {
  t.diagnostic(`fault: ${fault}`);
  return {
    outcome(did, line) {
      t.diagnostic(`outcome: ${did}; "${line.replace(/\s*\n\s*/g, ' ⏎ ')}"`);
    },
    intact(actual, expected, what = 'content/') {
      const diff = differences(actual, expected);
      t.diagnostic(
        diff.length === 0 ? `intact: ✓ ${what}` : `intact: ✗ ${what}: ${diff.length} files differ (${diff.slice(0, 4).join(', ')})`,
      );
      assert.deepEqual(diff, [], `${what}: files differ`);
    },
  };
}

/** Progress lines as `npm run sync` prints them when not on a terminal, collected. */
export function progressLines(): { lines: string[]; onEvent: (event: SyncEvent) => void; retries: () => number } {
  const lines: string[] = [];
  const stream = {
    isTTY: false,
    write: (text: string) => lines.push(...text.split('\n').filter(Boolean)),
  } as unknown as NodeJS.WriteStream;
  const progress = createProgress(stream, false);
  const last = new Map<string, number>();
  return {
    lines,
    onEvent(event) {
      progress.onEvent(event);
      if (event.type === 'table') last.set(`${event.source}/${event.table}`, event.retries);
    },
    retries: () => [...last.values()].reduce((sum, n) => sum + n, 0),
  };
}

// ── Edits between syncs ───────────────────────────────────────────────────────────────────────────────────────────

export interface Edits {
  /** An accepted paper's title (papers.json). */
  paper?: boolean;
  /** The first session's room (schedule.json). */
  schedule?: boolean;
  /** A new photo for Alex Example (people.json, a new file in photos/, the old one removed). */
  photo?: boolean;
}

/** Changes the emulators' data so that the next sync has files to write. */
export function edit(demo: DemoEmulators, edits: Edits): void {
  const base = baseId(demo);
  if (edits.paper) {
    const paper = demo.airtable.records(base, 'Papers').find((r) => r.fields['Status'] === 'Accepted')!;
    demo.airtable.updateRecord(base, 'Papers', paper.id, { Title: `${String(paper.fields['Title'])} (revised)` });
  }
  if (edits.schedule) demo.sheets.store.setCell(DEMO_SPREADSHEET_ID, 'Schedule', 'H2', 'Ballroom A');
  if (edits.photo) {
    const alex = demo.airtable.records(base, 'Organizers').find((r) => r.fields['Name'] === 'Alex Example')!;
    const data = readFileSync(path.join(ROOT, 'dev/demo/photos/sam-sample.jpg'));
    demo.airtable.updateRecord(base, 'Organizers', alex.id, { Photo: [{ filename: 'alex-new.jpg', type: 'image/jpeg', data }] });
  }
}

/** The files of the committed content/ and of what a clean sync of the edited emulators writes over them. */
export async function beforeAndAfter(demo: DemoEmulators): Promise<{ old: Files; next: Files }> {
  const old = files(content());
  const dir = content();
  await runSync(configFor(demo.env, dir), { policy: FAST });
  return { old, next: files(dir) };
}

/** The files a reader sees without rolling a journal forward: hidden files (staged temps, the journal) left out. */
export const visible = (all: Files): Files => new Map([...all].filter(([name]) => !path.basename(name).startsWith('.')));

/** Hidden files left in the edition: staged temporary files and the journal. */
export const hidden = (all: Files): string[] => [...all.keys()].filter((name) => path.basename(name).startsWith('.')).sort();

// ── The sync as its own process ──────────────────────────────────────────────────────────────────────────────────

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  pid: number;
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first stderr line matching `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<Exit>;
}

/** Runs `node <script> …args` from the project root with only the given credentials (none of this process's). */
function spawnNode(script: string, args: string[], env: Record<string, string>, options: { shell?: string } = {}): Child {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(AIRTABLE|GOOGLE|SYNC|DEPLOY)_/.test(k) && k !== 'NODE_TEST_CONTEXT' && k !== 'CONTENT_DIR',
    ),
  );
  const command = [process.execPath, path.join(ROOT, script), ...args];
  // `options.shell`: a shell prefix (e.g. `ulimit -f 1`), then exec, so the pid is the sync's own.
  const child = options.shell
    ? spawn('bash', ['-c', `${options.shell}; exec "$@"`, 'bash', ...command], {
        cwd: ROOT,
        env: { ...clean, NO_PROXY: '127.0.0.1,localhost', ...env },
      })
    : spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...clean, NO_PROXY: '127.0.0.1,localhost', ...env } });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) {
      const line = stderr.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    pid: child.pid!,
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStderr(pattern, timeoutMs = 15_000) {
      const found = stderr.split('\n').find((l) => pattern.test(l));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no stderr line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() => reject(new Error(`the process exited without a stderr line matching ${pattern}; stderr:\n${stderr}`)));
      });
    },
    exited,
  };
}

/** A config file for `npm run sync --config`: its own state folder, so its lock is this test's alone. */
export function cliConfig(): { file: string; stateDir: string; lockFile: string } {
  const home = tempDir('faults-cli-');
  const stateDir = path.join(home, 'state');
  const file = path.join(home, 'workshop.config.mjs');
  writeFileSync(file, `export default ${JSON.stringify({ service: { stateDir } })};\n`);
  return { file, stateDir, lockFile: path.join(stateDir, 'sync.lock') };
}

/** `npm run sync` (node sync/cli.ts) against the emulators, on a content copy, with its own lock. */
export function syncProcess(
  demo: DemoEmulators,
  contentDir: string,
  config: string,
  env: Record<string, string> = {},
  options: { shell?: string } = {},
): Child {
  // The write hooks (a paused write, a full disk) are the tests' own: then the CLI runs through tests/faults/hooked-sync.ts.
  const hooked = Object.keys(env).some((name) => name.startsWith('SYNC_TEST_'));
  return spawnNode(
    hooked ? 'tests/faults/hooked-sync.ts' : 'sync/cli.ts',
    ['--config', config],
    { ...demo.env, CONTENT_DIR: contentDir, ...env },
    options,
  );
}

/** `npm run check:content` (node content-store/check.ts) on a content copy. */
export function checkContentProcess(contentDir: string): Child {
  return spawnNode('content-store/check.ts', [], { CONTENT_DIR: contentDir });
}

/** The `Sync failed: …` (or `Sync not started: …`) line of a CLI run's stderr. */
export const failedLine = (exit: Exit): string | undefined => exit.stderr.split('\n').find((l) => /^Sync (failed|not started): /.test(l));

/** The summary line of a CLI run's stdout (`✓ 2024_2: …`). */
export const summaryLine = (exit: Exit): string | undefined => exit.stdout.split('\n').find((l) => /^[✓✗] /.test(l));
