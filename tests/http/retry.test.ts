/**
 * sync/http/retry.ts + errors.ts with the real clients (airtable.js, @googleapis/sheets/gaxios, fetch) against a
 * local server on 127.0.0.1 that answers from a script: what is retried, what is not, and how long it waits.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import Airtable from 'airtable';
import { sheets } from '@googleapis/sheets';
import { classify, HttpStatusError, parseRetryAfter } from '../../sync/http/errors.ts';
import { RequestError, withRetry, type RetryInfo, type RetryPolicy } from '../../sync/http/retry.ts';
import { createThrottle } from '../../sync/http/throttle.ts';

process.env['NO_PROXY'] = '127.0.0.1,localhost';
const FAST: RetryPolicy = { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20, rateLimitPenaltyMs: 300 };

type Step = (req: IncomingMessage, res: ServerResponse) => void;
let script: Step[] = [];
let hits = 0;
let url = '';
const server = createServer((req, res) => {
  const step = script[Math.min(hits, script.length - 1)]!;
  hits++;
  step(req, res);
});
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const records = json(200, { records: [{ id: 'rec00000000000001', createdTime: '2024-01-01T00:00:00.000Z', fields: { Name: 'Ada' } }] });
const drop: Step = (req) => req.socket.destroy();

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  hits = 0;
});

const airtable = () =>
  new Airtable({ apiKey: 'patTEST', endpointUrl: url, noRetryIfRateLimited: true }).base('appAAAAAAAAAAAAAA').table('Speakers');
const readSheet = () =>
  sheets({ version: 'v4', auth: 'KEY', rootUrl: `${url}/`, retryConfig: { retry: 0 } }).spreadsheets.values.get({
    spreadsheetId: 'sheet1',
    range: 'Schedule',
  });

test('airtable.js: two 503s, then the records (three requests, two retries reported)', async () => {
  script = [json(503, { error: { type: 'RETRIABLE_ERROR' } }), json(503, { error: { type: 'RETRIABLE_ERROR' } }), records];
  const retries: RetryInfo[] = [];
  const page = await withRetry(() => airtable().select().firstPage(), { policy: FAST, onRetry: (r) => retries.push(r) });
  assert.equal(page[0]?.get('Name'), 'Ada');
  assert.equal(hits, 3);
  // airtable.js names a 503 SERVICE_UNAVAILABLE whatever the body says.
  assert.deepEqual(
    retries.map((r) => [r.attempt, r.failure.status, r.failure.code, r.failure.retryable]),
    [
      [1, 503, 'SERVICE_UNAVAILABLE', true],
      [2, 503, 'SERVICE_UNAVAILABLE', true],
    ],
  );
});

for (const [status, type] of [
  [401, 'AUTHENTICATION_REQUIRED'],
  [403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND'],
  [404, 'TABLE_NOT_FOUND'],
  [422, 'INVALID_FILTER_BY_FORMULA'],
] as const) {
  test(`airtable.js: ${status} ${type} is not retried`, async () => {
    script = [json(status, { error: { type, message: 'no' } }), records];
    const error = await withRetry(() => airtable().select().firstPage(), { policy: FAST }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RequestError);
    assert.deepEqual([error.failure.status, error.failure.retryable, error.attempts], [status, false, 1]);
    assert.equal(hits, 1);
  });
}

test('airtable.js: a 429 without Retry-After waits the penalty, and pauses the base for everyone', async () => {
  script = [json(429, { errors: [{ error: 'RATE_LIMIT_REACHED' }] }), records];
  const throttle = createThrottle({ limit: 5, intervalMs: 100 });
  const t0 = performance.now();
  const retries: RetryInfo[] = [];
  const retried = withRetry(() => airtable().select().firstPage(), { policy: FAST, throttle, onRetry: (r) => retries.push(r) });
  // Another request of the same base, sent while the penalty runs, waits for its end too.
  await new Promise((r) => setTimeout(r, 60));
  const other = throttle.run(() => Promise.resolve(performance.now() - t0));
  await retried;
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 295, `retried after ${elapsed.toFixed(0)} ms, before the 300 ms penalty ended`);
  assert.deepEqual([retries[0]?.failure.status, (retries[0]?.waitMs ?? 0) >= 300], [429, true]);
  const otherStart = await other;
  assert.ok(otherStart >= 295, `the other request started at ${otherStart.toFixed(0)} ms, inside the penalty`);
});

test('a request waiting in the throttle when its sync is stopped is never sent', async () => {
  script = [records, records];
  const throttle = createThrottle({ limit: 1, intervalMs: 200 });
  const stop = new AbortController();
  const first = withRetry(() => airtable().select().firstPage(), { policy: FAST, throttle });
  const queued = withRetry(() => airtable().select().firstPage(), { policy: FAST, throttle, signal: stop.signal });
  stop.abort(new Error('stopped'));
  await first;
  await assert.rejects(queued);
  await new Promise((r) => setTimeout(r, 250)); // past the window the queued request waited for
  assert.equal(hits, 1, 'only the first request reached the server');
});

test('gaxios: a 429 with Retry-After: 1 waits a second, then succeeds', async () => {
  script = [
    json(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } }, { 'retry-after': '1' }),
    json(200, { range: 'Schedule!A1:B1', majorDimension: 'ROWS', values: [['Date', 'Start']] }),
  ];
  const t0 = performance.now();
  const retries: RetryInfo[] = [];
  const response = await withRetry(readSheet, { policy: FAST, onRetry: (r) => retries.push(r) });
  assert.deepEqual(response.data.values, [['Date', 'Start']]);
  assert.ok(performance.now() - t0 >= 990, 'honours Retry-After');
  assert.deepEqual(
    [retries[0]?.failure.status, retries[0]?.failure.code, retries[0]?.failure.retryAfterMs],
    [429, 'RESOURCE_EXHAUSTED', 1000],
  );
});

test('gaxios: 403 PERMISSION_DENIED is final', async () => {
  script = [json(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission' } })];
  const error = await withRetry(readSheet, { policy: FAST }).catch((e: unknown) => e);
  assert.ok(error instanceof RequestError);
  assert.deepEqual([error.failure.status, error.failure.code, error.failure.retryable, hits], [403, 'PERMISSION_DENIED', false, 1]);
});

test('gaxios: a dropped connection is retried', async () => {
  script = [drop, json(200, { range: 'Schedule!A1', majorDimension: 'ROWS', values: [['x']] })];
  const response = await withRetry(readSheet, { policy: FAST });
  assert.deepEqual(response.data.values, [['x']]);
  assert.equal(hits, 2);
});

test('fetch: a dropped connection and a cut-off JSON body are retried; a 404 is not', async () => {
  script = [
    drop,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"records": [{"id": "rec');
    },
    json(200, { ok: true }),
  ];
  const getJson = async () => {
    const response = await fetch(`${url}/data`);
    if (!response.ok) throw new HttpStatusError(`${url}/data`, response);
    return (await response.json()) as unknown;
  };
  const failures: string[] = [];
  assert.deepEqual(await withRetry(getJson, { policy: FAST, onRetry: (r) => failures.push(r.failure.kind) }), { ok: true });
  assert.deepEqual(failures, ['network', 'invalid-response']);

  hits = 0;
  script = [json(404, { error: 'NOT_FOUND' })];
  const error = await withRetry(getJson, { policy: FAST }).catch((e: unknown) => e);
  assert.ok(error instanceof RequestError);
  assert.deepEqual([error.failure.status, error.failure.retryable, hits], [404, false, 1]);
  assert.match(error.message, /\[GET\] "http:\/\/127\.0\.0\.1:\d+\/data": 404 Not Found/);
});

test('airtable.js makeRequest: a dropped connection and a cut-off body are retried', async () => {
  script = [
    drop,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"records": [');
    },
    records,
  ];
  const base = new Airtable({ apiKey: 'patTEST', endpointUrl: url, noRetryIfRateLimited: true }).base('appAAAAAAAAAAAAAA');
  const kinds: string[] = [];
  const response = await withRetry(() => base.makeRequest({ path: '/Speakers', qs: { pageSize: 100 } }), {
    policy: FAST,
    onRetry: (r) => kinds.push(`${r.failure.kind}:${r.failure.code}`),
  });
  assert.equal((response.body as { records: unknown[] }).records.length, 1);
  assert.deepEqual(kinds, ['network:CONNECTION_ERROR', 'invalid-response:UNEXPECTED_ERROR']);
});

test('a body that stalls after the headers hits the per-try deadline and is retried', async () => {
  script = [
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"records": [');
    },
    records,
  ];
  const base = new Airtable({ apiKey: 'patTEST', endpointUrl: url, noRetryIfRateLimited: true }).base('appAAAAAAAAAAAAAA');
  const kinds: string[] = [];
  const t0 = performance.now();
  const response = await withRetry(() => base.makeRequest({ path: '/Speakers' }), {
    policy: FAST,
    timeoutMs: 200,
    onRetry: (r) => kinds.push(r.failure.kind),
  });
  assert.equal((response.body as { records: unknown[] }).records.length, 1);
  assert.deepEqual(kinds, ['timeout']);
  assert.ok(performance.now() - t0 >= 195);
});

test('an abort stops a try in flight at once, even one the client cannot cancel', async () => {
  script = [(_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' })];
  const base = new Airtable({ apiKey: 'patTEST', endpointUrl: url, noRetryIfRateLimited: true }).base('appAAAAAAAAAAAAAA');
  const controller = new AbortController();
  const reason = new Error('stopping');
  const t0 = performance.now();
  const pending = withRetry(() => base.makeRequest({ path: '/Speakers' }), { policy: FAST, timeoutMs: 10_000, signal: controller.signal });
  setTimeout(() => controller.abort(reason), 100);
  await assert.rejects(pending, (error) => error === reason);
  assert.ok(performance.now() - t0 < 2_000, 'did not wait for the 10 s deadline');
  assert.equal(hits, 1, 'no retry after the abort');
});

test('gives up after the last retry with the last failure', async () => {
  script = [json(502, {})];
  const error = await withRetry(() => airtable().select().firstPage(), { policy: FAST }).catch((e: unknown) => e);
  assert.ok(error instanceof RequestError);
  assert.deepEqual([error.failure.status, error.failure.retryable, error.attempts, hits], [502, true, 4, 4]);
});

test('parseRetryAfter: seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('30'), 30_000);
  assert.equal(parseRetryAfter('1.5'), 1500);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z')), 10_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('classify: unknown errors are not retried', () => {
  assert.deepEqual(classify(new Error('bug')), { kind: 'other', retryable: false });
  assert.equal(classify(new TypeError('x is not a function')).retryable, false);
});
