/**
 * One run of the service: lock → runSync → (content changed, or a publish still owed) target.publish → record →
 * alarm. Runs never overlap:
 * - in this process, a run asked for while one is running becomes ONE follow-up run after it (however many were
 *   asked for), so an edit made during a run is never missed;
 * - across processes, the lock file (lock.ts) decides: when another process holds it, the run is skipped with a
 *   log line (not failed: the other process is syncing the same content).
 * A sync that writes nothing triggers no rebuild — except the run at start, when the target says its site is missing
 * or was built from other content (target.buildAtStart, local builds). `abort()` stops the service's runs: the
 * current sync is aborted (the pipeline stops at its next request; its write step, atomic per file, always
 * completes), no follow-up runs.
 */
import path from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { SyncFailed } from '../errors.ts';
import { runSync } from '../pipeline.ts';
import type { SyncEvent, SyncReport } from '../report.ts';
import { alarmMessage, sendAlarm, type AlarmSettings } from './alarm.ts';
import { errorLine } from './error-line.ts';
import { acquireLock, describeHolder, syncLockFile } from '../lock.ts';
import { pendingPublish, withOwed } from './pending.ts';
import type { StatusStore } from './status.ts';
import type { RebuildTarget, RunReason, RunRecord } from './types.ts';

export interface RunnerOptions {
  config: ResolvedConfig;
  target: RebuildTarget;
  status: StatusStore;
  /** Human log lines (skips, stale locks, alarms). */
  log: (line: string) => void;
  /** The sources' retry policy (default: the pipeline's). */
  policy?: RetryPolicy;
  /** A lock older than this is stale (default: lock.ts's 2 hours). */
  lockMaxAgeMs?: number;
  /** Timeouts and tries of the alarm's command and webhook. */
  alarm?: Pick<AlarmSettings, 'webhookTries' | 'webhookTimeoutMs' | 'commandTimeoutMs'>;
}

type RunStep = Extract<SyncEvent, { type: 'step' }>['step'] | 'publish';

export interface Runner {
  /** Runs now, or once after the current run. Resolves with the record, or undefined when skipped or stopped. */
  run(reason: RunReason): Promise<RunRecord | undefined>;
  readonly running: boolean;
  /** A follow-up run is waiting for the current one. */
  readonly queued: boolean;
  /** Where the current run is (undefined between runs). */
  readonly step: RunStep | undefined;
  /** Resolves when no run is running or queued. */
  idle(): Promise<void>;
  /** No more runs; aborts the current one. Resolves when it has settled. */
  abort(): Promise<void>;
}

type Counts = RunRecord['counts'];

function countsOf(report: SyncReport | undefined): Counts {
  if (!report) return {};
  return Object.fromEntries(
    Object.entries(report.collections).map(([name, d]) => [
      name,
      { added: d.added.length, changed: d.changed.length, removed: d.removed.length },
    ]),
  );
}

export function createRunner(options: RunnerOptions): Runner {
  const { config, target, status, log } = options;
  const stateDir = path.resolve(config.root, config.service.stateDir);
  const lockFile = syncLockFile(config);
  const owed = pendingPublish(stateDir);
  let current: Promise<RunRecord | undefined> | undefined;
  let next: Promise<RunRecord | undefined> | undefined;
  let nextReason: RunReason | undefined;
  let controller: AbortController | undefined;
  let step: RunStep | undefined;
  let stopped = false;

  async function execute(reason: RunReason): Promise<RunRecord | undefined> {
    const startedAt = new Date();
    const t0 = performance.now();
    controller = new AbortController();
    const { signal } = controller;
    let report: SyncReport | undefined;
    let result: RunRecord['result'];
    let summary: string;
    let published: string | undefined;
    let error: string | undefined;
    /** The summary of content written to content/ whose publish has not succeeded. */
    let unpublished: string | undefined;

    let release = (): Promise<void> => Promise.resolve();
    try {
      const attempt = await acquireLock(lockFile, {
        log,
        ...(options.lockMaxAgeMs === undefined ? {} : { maxAgeMs: options.lockMaxAgeMs }),
      });
      if (!attempt.acquired) {
        const who = attempt.holder ? describeHolder(attempt.holder) : 'a process that is starting';
        log(`Skipped a ${reason} run: another sync holds the lock ${lockFile} (${who}). The next run tries again.`);
        return undefined;
      }
      release = () => attempt.lock.release();
      await status.setRunning(true);
      report = await runSync(config, {
        signal,
        onEvent: (event) => {
          if (event.type === 'step') step = event.step;
        },
        ...(options.policy ? { policy: options.policy } : {}),
      });
      const debt = await owed.read();
      // At start, a site that is missing or was built from other content is built even when nothing changed.
      const stale = reason === 'start' && !report.changed && !debt ? await target.buildAtStart?.() : undefined;
      // The local target builds the site itself; the others hand content/ on (a commit and push, a deploy hook).
      const atStart = target.kind === 'local' ? 'built at start' : 'published at start';
      if (stale) log(`${target.kind === 'local' ? 'Building the site' : `Publishing (${target.kind})`} at start: ${stale}.`);
      if (report.changed || debt || stale) {
        const toPublish = withOwed(report, debt);
        await owed.write(toPublish);
        signal.throwIfAborted();
        step = 'publish';
        unpublished = toPublish.summary;
        published = await target.publish(toPublish, signal);
        await owed.clear();
        result = 'published';
        summary = stale
          ? `no changes; ${atStart}: ${stale}`
          : !report.changed
            ? `no changes; published the earlier sync whose publish had not succeeded (${toPublish.summary})`
            : `${report.summary}${debt ? '; also published an earlier sync whose publish had not succeeded' : ''}`;
      } else {
        result = 'unchanged';
        summary = report.summary;
      }
    } catch (caught) {
      report = caught instanceof SyncFailed ? caught.report : report;
      result = signal.aborted ? 'aborted' : 'failed';
      error = signal.aborted ? 'the service was stopping' : errorLine(caught, config.secrets);
      if (unpublished === undefined && report?.ok === true && report.changed) unpublished = report.summary;
      summary =
        unpublished !== undefined
          ? `${unpublished}; content/ is written but not published (the next run publishes it)`
          : `${result === 'aborted' ? 'stopped' : 'sync failed'}; content/ unchanged`;
    } finally {
      step = undefined;
      controller = undefined;
      await release();
    }

    const record: RunRecord = {
      reason,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - t0),
      result,
      summary,
      counts: countsOf(report),
      warnings: report?.warnings.length ?? 0,
      ...(published === undefined ? {} : { published }),
      ...(error === undefined ? {} : { error }),
    };
    const before = status.current().consecutiveFailures;
    const after = await status.record(record);
    const { afterFailures, command } = config.service.alarm;
    // Once per streak: exactly when the streak reaches the threshold (a restart keeps the streak, see status.ts).
    if (record.result === 'failed' && after.consecutiveFailures === afterFailures) {
      const lastError = record.error ?? '';
      await sendAlarm(
        {
          message: alarmMessage(afterFailures, lastError, after.lastSuccess),
          consecutiveFailures: afterFailures,
          lastError,
          lastSuccess: after.lastSuccess,
        },
        { command, webhook: config.secrets.alarmWebhook, log, ...options.alarm },
      );
    }
    if (after.consecutiveFailures === 0 && before >= afterFailures) log(`Syncing works again after ${before} failed runs.`);
    return record;
  }

  function start(reason: RunReason): Promise<RunRecord | undefined> {
    const run = execute(reason)
      .catch((error: unknown) => {
        // Only a bug gets here (every failure of a run is recorded): say it, keep the service alive.
        log(`A ${reason} run crashed: ${errorLine(error, config.secrets)}`);
        return undefined;
      })
      .finally(() => {
        current = undefined;
      });
    current = run;
    return run;
  }

  return {
    run(reason) {
      if (stopped) return Promise.resolve(undefined);
      if (!current) return start(reason);
      if (!next) {
        nextReason = reason;
        next = current.then(() => {
          const queuedReason = nextReason!;
          next = undefined;
          nextReason = undefined;
          return stopped ? undefined : start(queuedReason);
        });
      }
      return next;
    },
    get running() {
      return current !== undefined;
    },
    get queued() {
      return next !== undefined;
    },
    get step() {
      return step;
    },
    async idle() {
      while (current || next) await (next ?? current);
    },
    async abort() {
      stopped = true;
      controller?.abort(new Error('the service is stopping'));
      while (current || next) await (next ?? current);
    },
  };
}
