/**
 * Every error the sync and its service raise on purpose, each one actionable line: what happened, where, and what
 * to do. Secrets never appear in them (messages are built from our own words, statuses and names, not from request
 * URLs or headers). `exitCodeOf` is how every entry point (npm run sync, npm start, npm run serve:sync) ends on them.
 */
import type { Failure } from './http/errors.ts';
import { redactSecrets } from './http/retry.ts';
import type { SyncReport } from './report.ts';

/** A setting is missing or malformed: found when the config is read or a source is created, before any request. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The cause, reduced to its name and message: an HTTP client's error carries the request it made, headers and API
 * keys included, and a logger or Node's uncaught-error printer shows causes in full.
 */
function redactedCause(cause: unknown): Error {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new Error(redactSecrets(text));
}

/** A source could not be read: a rejected token, a missing table, a service that kept failing. */
export class SourceError extends Error {
  override name = 'SourceError';
  readonly source: string;
  readonly table: string | undefined;
  readonly failure: Failure | undefined;
  /** The listing must begin again (a stale page cursor): the pages read so far are void. */
  readonly restart: boolean;
  constructor(source: string, table: string | undefined, message: string, failure?: Failure, cause?: unknown, restart = false) {
    super(`${source}${table ? ` › ${table}` : ''}: ${message}`, cause === undefined ? undefined : { cause: redactedCause(cause) });
    this.source = source;
    this.table = table;
    this.failure = failure;
    this.restart = restart;
  }
}

/** `503 SERVICE_UNAVAILABLE`, `network error ECONNRESET`, … for messages. */
export function describeFailure(failure: Failure): string {
  if (failure.status !== undefined) return `${failure.status}${failure.code ? ` ${failure.code}` : ''}`;
  if (failure.kind === 'network') return `network error${failure.code ? ` ${failure.code}` : ''}`;
  if (failure.kind === 'timeout') return 'timed out';
  if (failure.kind === 'invalid-response') return 'answer was cut off or not JSON';
  return 'unexpected error';
}

/** The message for failures that retrying could have fixed but did not, in time. */
export function gaveUp(failure: Failure, attempts: number): string {
  return (
    `no answer after ${attempts} ${attempts === 1 ? 'try' : 'tries'} (${describeFailure(failure)}). ` +
    'The published site keeps its current content; the next sync tries again. If this persists, check the service status.'
  );
}

/** The sync stopped before writing: bad rows, an unreachable source, or a removal too large to trust. */
export class SyncFailed extends Error {
  override name = 'SyncFailed';
  readonly report: SyncReport;
  constructor(message: string, report: SyncReport) {
    super(message);
    this.report = report;
  }
}

/** The lock file cannot be created or read for another reason than being held: a folder or permission problem. */
export class LockError extends Error {
  override name = 'LockError';
}

/** Publishing failed: the message says what happened and what to do; it never holds a secret. */
export class TargetError extends Error {
  override name = 'TargetError';
  readonly target: string;
  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super(`${target}: ${message}`, options);
    this.target = target;
  }
}

/** Whether `error` is one of ours, whose message is safe and actionable as it is. */
export function isOwnError(error: unknown): boolean {
  return (
    error instanceof ConfigError ||
    error instanceof SourceError ||
    error instanceof SyncFailed ||
    error instanceof LockError ||
    error instanceof TargetError
  );
}

/**
 * How an entry point ends on `error`: 2 for a configuration error (a target's missing setting is one too), 1 for a
 * sync that failed (content/ untouched); undefined for anything else, a bug, which the entry point rethrows.
 */
export function exitCodeOf(error: unknown): 1 | 2 | undefined {
  if (error instanceof ConfigError || error instanceof TargetError) return 2;
  if (isOwnError(error)) return 1;
  return undefined;
}
