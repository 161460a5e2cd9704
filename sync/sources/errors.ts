/**
 * Errors of the sources, each one actionable line: what happened, where, and what to do. Secrets never appear
 * in them (messages are built from our own words, statuses and names, not from request URLs or headers).
 */
import type { Failure } from '../http/errors.ts';
import { redactSecrets } from '../http/retry.ts';

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
  constructor(source: string, table: string | undefined, message: string, failure?: Failure, cause?: unknown) {
    super(`${source}${table ? ` › ${table}` : ''}: ${message}`, cause === undefined ? undefined : { cause: redactedCause(cause) });
    this.source = source;
    this.table = table;
    this.failure = failure;
  }
}

/** A setting is missing or malformed: found when the source is created, before any request. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
