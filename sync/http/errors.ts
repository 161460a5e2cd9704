/**
 * What went wrong in a request, whichever client made it (airtable.js, gaxios, fetch), reduced to what the retry
 * policy needs: the HTTP status, whether another try can succeed, and how long the server asked us to wait.
 * Retry only what can succeed later: 408, 429, 5xx, network errors, timeouts and cut-off bodies; never 401, 403,
 * 404, 422 or other 4xx, which need a person to fix something.
 */

type FailureKind = 'http' | 'network' | 'timeout' | 'invalid-response' | 'other';

export interface Failure {
  kind: FailureKind;
  /** HTTP status, when the server answered. */
  status?: number;
  /** The API's own error type or the system error code (`RATE_LIMIT_REACHED`, `ECONNRESET`, …). */
  code?: string;
  retryable: boolean;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
}

/** A non-2xx answer to one of our own fetch() calls (published CSV, attachment downloads). */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  readonly status: number;
  readonly headers: Headers;
  constructor(url: string, response: Response) {
    super(`[GET] "${url}": ${response.status} ${response.statusText}`);
    this.status = response.status;
    this.headers = response.headers;
  }
}

/** Statuses worth another try, each for its reason. */
const RETRYABLE_STATUS = new Set([
  408, // request timeout
  425, // too early
  429, // rate limited: wait (Retry-After, or Airtable's 30 s penalty) and try again
  500, // internal error
  502, // bad gateway
  503, // unavailable (Airtable: RETRIABLE_ERROR)
  504, // gateway timeout
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Retry-After as seconds or an HTTP date → ms from now. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  // Any Headers implementation (the global one, or the one a client brings): duck-typed.
  const get = record(headers)?.['get'];
  if (typeof get === 'function') return (get.call(headers, name) as string | null) ?? undefined;
  const value = record(headers)?.[name] ?? record(headers)?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

function fromStatus(status: number, code: string | undefined, retryAfter: string | undefined): Failure {
  const retryAfterMs = parseRetryAfter(retryAfter);
  return {
    kind: 'http',
    status,
    ...(code ? { code } : {}),
    retryable: RETRYABLE_STATUS.has(status) || status >= 500,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Classifies an error thrown by airtable.js, gaxios (@googleapis/sheets) or fetch. */
export function classify(error: unknown): Failure {
  const e = record(error) ?? {};
  const name = typeof e['name'] === 'string' ? e['name'] : '';
  // airtable.js: AirtableError { error: 'TYPE', message, statusCode } — statusCode null for CONNECTION_ERROR
  // (refused, reset, timed out), and the answer's own status for a body that is not JSON (UNEXPECTED_ERROR).
  if (e['error'] === 'CONNECTION_ERROR') return { kind: 'network', code: 'CONNECTION_ERROR', retryable: true };
  if (typeof e['statusCode'] === 'number') {
    if (e['statusCode'] < 400) return { kind: 'invalid-response', code: String(e['error']), retryable: true };
    return fromStatus(e['statusCode'], typeof e['error'] === 'string' ? e['error'] : undefined, undefined);
  }
  // gaxios: GaxiosError { status, code, response: { status, headers } }
  const response = record(e['response']);
  const status = typeof e['status'] === 'number' ? e['status'] : typeof response?.['status'] === 'number' ? response['status'] : undefined;
  if (status !== undefined) {
    const apiCode = record(record(response?.['data'])?.['error'])?.['status'];
    return fromStatus(
      status,
      typeof apiCode === 'string' ? apiCode : undefined,
      headerOf(response?.['headers'] ?? e['headers'], 'retry-after'),
    );
  }
  // A cut-off or non-JSON body.
  if (error instanceof SyntaxError || name === 'SyntaxError' || /invalid json|unexpected end of json/i.test(String(e['message']))) {
    return { kind: 'invalid-response', retryable: true };
  }
  if (name === 'AbortError' || name === 'TimeoutError' || e['type'] === 'request-timeout') {
    return { kind: 'timeout', code: name, retryable: true };
  }
  // Network errors: node-fetch FetchError { code }, undici TypeError('fetch failed', { cause: { code } }), gaxios.
  const cause = record(e['cause']);
  const code = [e['code'], e['errno'], cause?.['code']].find((c): c is string => typeof c === 'string');
  if (code && NETWORK_CODES.has(code)) return { kind: 'network', code, retryable: true };
  if (e['type'] === 'system' || (name === 'TypeError' && e['message'] === 'fetch failed') || name === 'FetchError') {
    return { kind: 'network', ...(code ? { code } : {}), retryable: true };
  }
  return { kind: 'other', retryable: false };
}
