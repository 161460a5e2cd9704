/**
 * One GET for doctor's checks, with the sync's retry policy made short (doctor is run by a person, waiting): a
 * rate limit, a 5xx or a dropped connection is tried again twice; any other answer, 4xx included, is handed back
 * as it is, for the check to read. A request that kept failing is a RequestError.
 */
import { HttpStatusError } from '../http/errors.ts';
import { withRetry, type RetryPolicy } from '../http/retry.ts';
import type { Throttle } from '../http/throttle.ts';

/** Two more tries, soon: a person is waiting for the answer. */
export const DOCTOR_POLICY: RetryPolicy = { retries: 2, minTimeoutMs: 300, maxTimeoutMs: 2_000, rateLimitPenaltyMs: 30_000 };

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export interface GetOptions {
  headers?: Record<string, string>;
  throttle?: Throttle;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  policy?: RetryPolicy;
}

/** Statuses that are worth another try (as in sync/http/errors.ts). */
const RETRY = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/** GETs `url`; `label` names it in an error (never the URL, which may carry a key). */
export function get(url: string, label: string, options: GetOptions = {}): Promise<Answer> {
  const { throttle, signal, timeoutMs = 30_000, policy = DOCTOR_POLICY } = options;
  return withRetry(
    async () => {
      const response = await fetch(url, { headers: options.headers ?? {}, redirect: 'follow', ...(signal ? { signal } : {}) });
      if (RETRY(response.status)) {
        await response.body?.cancel();
        throw new HttpStatusError(label, response);
      }
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    },
    { policy, timeoutMs, ...(throttle ? { throttle } : {}), ...(signal ? { signal } : {}) },
  );
}

/** The JSON of an answer, or undefined when it is not JSON. */
export function json(answer: Answer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}
