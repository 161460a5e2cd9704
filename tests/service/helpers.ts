/**
 * Shared set-up of the service tests: a private content copy and state folder per test, the service's config
 * against the demo emulators, polling (no fixed sleeps), and `node sync/service/main.ts` as its own process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResolvedConfig, WorkshopConfig } from '../../sync/config.ts';
import type { SyncReport } from '../../sync/report.ts';
import type { RebuildTarget, RunRecord } from '../../sync/service/types.ts';
import { configFor, contentCopy, ROOT } from '../integration/helpers.ts';

export { EDITION, FAST, ROOT, readJson, snapshot } from '../integration/helpers.ts';

type ServiceInput = NonNullable<WorkshopConfig['service']>;

export interface Scratch {
  content: string;
  state: string;
  /** Removes both folders. */
  remove(): void;
}

/** A content copy (empty: only edition.json, so a sync writes) and a state folder (not created yet) in its own temp folder. */
export function scratch(options: { empty?: boolean } = {}): Scratch {
  const content = contentCopy(options);
  const home = mkdtempSync(path.join(tmpdir(), 'sync-service-'));
  return {
    content,
    state: path.join(home, 'state'),
    remove() {
      rmSync(content, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The config the service gets: the emulators' env, the scratch folders, the `none` target unless said otherwise. */
export function serviceConfig(env: Record<string, string>, where: Scratch, service: ServiceInput = {}): ResolvedConfig {
  return configFor(env, where.content, { service: { target: { kind: 'none' }, cron: '0 0 1 1 *', ...service, stateDir: where.state } });
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A rebuild target for tests: counts publishes and concurrent calls, and can be made slow or failing. */
export interface TestTarget extends RebuildTarget {
  published: SyncReport[];
  active: number;
  maxActive: number;
  /** While set, publish waits for it. */
  gate: Promise<void> | undefined;
  /** Errors to throw, one per publish, in order. */
  failures: Error[];
}

export function testTarget(): TestTarget {
  const target: TestTarget = {
    kind: 'test',
    published: [],
    active: 0,
    maxActive: 0,
    gate: undefined,
    failures: [],
    async publish(report) {
      target.active++;
      target.maxActive = Math.max(target.maxActive, target.active);
      try {
        if (target.gate) await target.gate;
        const failure = target.failures.shift();
        if (failure) throw failure;
        target.published.push(report);
        return `published ${report.summary}`;
      } finally {
        target.active--;
      }
    },
  };
  return target;
}

/** Collects log and JSON lines for an in-process service. */
export function lines(): { log: string[]; runs: RunRecord[]; onLog: (line: string) => void; onPrint: (line: string) => void } {
  const log: string[] = [];
  const runs: RunRecord[] = [];
  return {
    log,
    runs,
    onLog: (line) => log.push(line),
    onPrint: (line) => {
      const { event, ...run } = JSON.parse(line) as { event: string } & RunRecord;
      if (event === 'sync-run') runs.push(run);
    },
  };
}

/** The runs' [start, end] intervals never overlap. */
export function disjoint(runs: RunRecord[]): boolean {
  const spans = runs.map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt)] as const).sort((a, b) => a[0] - b[0]);
  return spans.every((span, i) => i === 0 || span[0] >= spans[i - 1]![1]);
}

export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  /** The first stderr line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The per-run records printed so far. */
  runs(): RunRecord[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A config file for `main.ts --config`: the scratch state folder, the `none` target, and `service` settings. */
export function configFile(where: Scratch, service: ServiceInput = {}): string {
  const file = path.join(path.dirname(where.state), 'workshop.config.mjs');
  writeFileSync(
    file,
    `export default ${JSON.stringify({ service: { target: { kind: 'none' }, cron: '0 0 1 1 *', ...service, stateDir: where.state } })};\n`,
  );
  return file;
}

/**
 * `node sync/service/main.ts --config <file>` with only the given credentials (none of this process's); with `npm`,
 * `npm run serve:sync -- --config <file>`, as a user, Docker or systemd starts it.
 */
export function spawnService(file: string, env: Record<string, string>, via: 'node' | 'npm' = 'node'): ServiceProcess {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(AIRTABLE|GOOGLE|SYNC|DEPLOY)_/.test(k) && k !== 'NODE_TEST_CONTEXT' && k !== 'CONTENT_DIR',
    ),
  );
  const [command, args] =
    via === 'npm'
      ? ['npm', ['run', '--silent', 'serve:sync', '--', '--config', file]]
      : [process.execPath, [path.join(ROOT, 'sync/service/main.ts'), '--config', file]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...clean, NO_PROXY: '127.0.0.1,localhost', npm_config_update_notifier: 'false', ...env },
    // npm in its own process group, as a terminal's job: a signal to the group reaches npm and node.
    detached: via === 'npm',
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const split = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      into.push(...parts);
    };
  };
  child.stdout.on('data', split(stdout));
  child.stderr.on('data', split(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout,
    stderr,
    waitForLog: (pattern, timeoutMs) =>
      waitFor(() => stderr.find((l) => pattern.test(l)), `a log line matching ${pattern}; got:\n${stderr.join('\n')}`, timeoutMs),
    runs: () => stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunRecord & { event: string }),
    exited,
  };
}
