/**
 * The one retry policy of every source (p-retry): retries 408/429/5xx, network errors, timeouts and cut-off bodies
 * with exponential backoff; honours Retry-After and, after a 429 without one, the rate-limit penalty (Airtable:
 * 30 s), pausing the shared throttle so that no other request of the same base runs into it; never retries
 * 401/403/404/422 or other 4xx.
 */
import pRetry, { AbortError } from 'p-retry';
import { classify, type Failure } from './errors.ts';
import type { Throttle } from './throttle.ts';

export interface RetryPolicy {
  /** Retries after the first try. */
  retries: number;
  /** Backoff of the first retry, doubled each time (with jitter), capped at maxTimeoutMs. */
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Wait after a 429 that carries no Retry-After. */
  rateLimitPenaltyMs: number;
}

/** Airtable's documented penalty: after a 429, requests keep failing for 30 s. */
const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  minTimeoutMs: 1000,
  maxTimeoutMs: 30_000,
  rateLimitPenaltyMs: 30_000,
};

/** Masks credentials a client may have put in an error message (`?key=…`, `access_token=…`, `Bearer …`). */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&](?:key|api_key|access_token|token)=)[^&\s"']+/gi, '$1***')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***')
    .replace(/\bpat[A-Za-z0-9]{10,}\.[A-Za-z0-9]+/g, 'pat***');
}

/** A request that failed for good: after the last retry, or at once when retrying cannot help. */
export class RequestError extends Error {
  override name = 'RequestError';
  readonly failure: Failure;
  /** Tries made, the failed one included. */
  readonly attempts: number;
  constructor(failure: Failure, cause: unknown, attempts: number) {
    const text =
      cause instanceof Error || (typeof cause === 'object' && cause && 'message' in cause) ? String(cause.message) : String(cause);
    super(redactSecrets(text), { cause });
    this.failure = failure;
    this.attempts = attempts;
  }
}

export interface RetryInfo {
  attempt: number;
  failure: Failure;
  /** How long until the next try. */
  waitMs: number;
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /**
   * Deadline of one try, body included: a connection that stalls after the headers would otherwise hang the
   * sync (airtable.js's own timeout stops at the headers). A try past it counts as a timeout and is retried.
   */
  timeoutMs?: number;
  /** The throttle of the service or base: paused on a 429 so that its other requests wait too. */
  throttle?: Throttle;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** Rejects with a TimeoutError when `promise` has not settled within `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DOMException(`no complete answer within ${ms} ms`, 'TimeoutError')), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Rejects with the signal's reason as soon as it aborts. A client that cannot cancel its request (airtable.js) is
 * left to finish on its own, its answer unused: a stopping service does not wait for a slow or stalled answer.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Runs `task` (through the throttle when one is given) under the retry policy. Rejects with a RequestError. */
export function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { policy = DEFAULT_RETRY_POLICY, throttle, signal, onRetry, timeoutMs } = options;
  const attemptOnce = (attempt: number): Promise<T> => {
    // A request that waited in the throttle's queue while its sync was stopped is never sent.
    if (signal?.aborted) return Promise.reject(signal.reason);
    return untilAborted(timeoutMs ? withDeadline(task(attempt), timeoutMs) : task(attempt), signal);
  };
  return pRetry(
    async (attempt) => {
      try {
        return await (throttle ? throttle.run(() => attemptOnce(attempt)) : attemptOnce(attempt));
      } catch (error) {
        const failure = classify(error);
        const failed = new RequestError(failure, error, attempt);
        throw failure.retryable ? failed : new AbortError(failed);
      }
    },
    {
      retries: policy.retries,
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      factor: 2,
      randomize: true,
      ...(signal ? { signal } : {}),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
        if (!(error instanceof RequestError) || retriesLeft === 0) return;
        const { failure } = error;
        const asked = failure.retryAfterMs ?? (failure.status === 429 ? policy.rateLimitPenaltyMs : 0);
        if (failure.status === 429) throttle?.pause(asked);
        const extra = Math.max(0, asked - retryDelay);
        onRetry?.({ attempt: attemptNumber, failure, waitMs: retryDelay + extra });
        if (extra > 0) await sleep(extra, signal);
      },
    },
  );
}
