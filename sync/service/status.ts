/**
 * What the service tells about itself: `<stateDir>/status.json` (written atomically at start, when a run starts and
 * after every run), the same object for `GET /status`, and one JSON line per run on stdout:
 *
 *   {"event":"sync-run","reason":"cron","result":"published","summary":"papers: +1 ~0 -0",…}
 *
 * The failure streak and the last success survive a restart: they are read back from the previous status.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import { writeAtomic } from '../../content-store/atomic.ts';
import type { RunRecord, ServiceStatus } from './types.ts';

export interface StatusOptions {
  config: ResolvedConfig;
  /** The rebuild target's kind, for the status. */
  target: string;
  /** Where the per-run JSON line goes (default: stdout). */
  print?: (line: string) => void;
  /** Where a failed status.json write is said (it never stops the service). */
  log?: (line: string) => void;
}

export interface StatusStore {
  /** `<stateDir>/status.json`. */
  readonly file: string;
  /** The current status, as GET /status answers it. */
  current(): ServiceStatus;
  /** Where the next scheduled run comes from (the cron task); without it, `nextRun` is null. */
  setNextRun(next: () => Date | null): void;
  setRunning(running: boolean): Promise<void>;
  /** A finished run: prints its JSON line, updates the streak and the last success, writes status.json. */
  record(run: RunRecord): Promise<ServiceStatus>;
  /** Writes status.json now; writes never overlap, the last one wins. */
  write(): Promise<void>;
}

/**
 * What `GET /status` tells a request without the secret: state, results, times, counts and the failure streak. Error
 * texts (paths, stack lines), the publish line (paths), the summary, the ids in links, the pid, the schedule and the
 * target are only for a request with the secret, status.json and the log.
 */
type PublicStatus = Pick<ServiceStatus, 'service' | 'startedAt' | 'running' | 'nextRun' | 'lastSuccess' | 'consecutiveFailures'> & {
  lastRun: Pick<RunRecord, 'reason' | 'result' | 'startedAt' | 'finishedAt' | 'durationMs' | 'counts' | 'warnings'> | null;
};

/** `status` without what a stranger must not read (a new object: fields added to ServiceStatus later stay out). */
export function publicStatus(status: ServiceStatus): PublicStatus {
  const run = status.lastRun;
  return {
    service: status.service,
    startedAt: status.startedAt,
    running: status.running,
    nextRun: status.nextRun,
    lastRun:
      run === null
        ? null
        : {
            reason: run.reason,
            result: run.result,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            durationMs: run.durationMs,
            counts: run.counts,
            warnings: run.warnings,
          },
    lastSuccess: status.lastSuccess,
    consecutiveFailures: status.consecutiveFailures,
  };
}

const statusFile = (config: ResolvedConfig): string => path.join(path.resolve(config.root, config.service.stateDir), 'status.json');

/** What a previous service left in status.json, when it is readable. */
function previous(file: string): Pick<ServiceStatus, 'lastRun' | 'lastSuccess' | 'consecutiveFailures'> {
  try {
    const old = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServiceStatus>;
    return {
      lastRun: typeof old.lastRun === 'object' && old.lastRun !== null ? old.lastRun : null,
      lastSuccess: typeof old.lastSuccess === 'string' ? old.lastSuccess : null,
      consecutiveFailures: typeof old.consecutiveFailures === 'number' ? old.consecutiveFailures : 0,
    };
  } catch {
    return { lastRun: null, lastSuccess: null, consecutiveFailures: 0 };
  }
}

export function createStatus(options: StatusOptions): StatusStore {
  const { config } = options;
  const file = statusFile(config);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let nextRun: () => Date | null = () => null;
  const state: ServiceStatus = {
    service: 'workshop-sync',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    cron: config.service.cron,
    timeZone: config.service.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    target: options.target,
    running: false,
    nextRun: null,
    ...previous(file),
  };
  const current = (): ServiceStatus => ({ ...state, nextRun: nextRun()?.toISOString() ?? null });

  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    writing = writing.then(() =>
      writeAtomic(file, `${JSON.stringify(current(), null, 2)}\n`).catch((error: unknown) => {
        options.log?.(
          `Could not write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the service goes on; check that its stateDir is writable.`,
        );
      }),
    );
    return writing;
  };

  return {
    file,
    current,
    setNextRun(next) {
      nextRun = next;
    },
    async setRunning(running) {
      state.running = running;
      await write();
    },
    async record(run) {
      print(JSON.stringify({ event: 'sync-run', ...run }));
      state.lastRun = run;
      state.running = false;
      if (run.result === 'failed') state.consecutiveFailures++;
      // An aborted run (the service stopping) neither breaks nor extends a streak.
      if (run.result === 'published' || run.result === 'unchanged') {
        state.consecutiveFailures = 0;
        state.lastSuccess = run.finishedAt;
      }
      await write();
      return current();
    },
    write,
  };
}
