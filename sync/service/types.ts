/**
 * The scheduled service's contract: a run (sync, then publish when content changed) and where its result goes.
 *
 *   cron tick / POST /trigger ─► runner (one run at a time, lock file) ─► runSync ─► changed? ─► target.publish
 *                                                                   └─► status.json, one log line, alarm
 */
import type { SyncReport } from '../report.ts';

/** Where a sync that changed content goes: a local build, a deploy hook, a git push. */
export interface RebuildTarget {
  /** `local`, `deploy-hook`, `git` or `none`: for logs and status. */
  readonly kind: string;
  /**
   * Publishes the content the sync just wrote. Resolves with one line for the log (no secrets); rejects with a
   * TargetError when publishing failed (the previous site stays live). Honours `signal` where it can.
   */
  publish(report: SyncReport, signal?: AbortSignal): Promise<string>;
  /**
   * Why the site must be built at start although the sync changed nothing — it is missing, or was built from other
   * content than content/ holds now (local: the served build's note; deploy-hook: the last accepted deploy's note;
   * git: changes in content/ not committed, or commits not pushed) — or undefined when it is current.
   */
  buildAtStart?(): Promise<string | undefined>;
}

/** Why a run started. */
export type RunReason = 'cron' | 'trigger' | 'start' | 'manual';

/** The outcome of one run, as status.json, /status and the log line give it. */
export interface RunRecord {
  reason: RunReason;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** `unchanged`: synced, nothing new, nothing rebuilt. `published`: synced and published. `failed`: see `error`. */
  result: 'unchanged' | 'published' | 'failed' | 'aborted';
  summary: string;
  /** Entries added/changed/removed per collection. */
  counts: Record<string, { added: number; changed: number; removed: number }>;
  warnings: number;
  /** What the target said (e.g. `built in 3.2 s; site → .sync/builds/…`). */
  published?: string;
  /** One line, without secrets. */
  error?: string;
}

/** What GET /status answers and status.json holds. */
export interface ServiceStatus {
  service: 'workshop-sync';
  pid: number;
  startedAt: string;
  cron: string;
  timeZone: string;
  target: string;
  running: boolean;
  nextRun: string | null;
  lastRun: RunRecord | null;
  lastSuccess: string | null;
  consecutiveFailures: number;
}
