/**
 * The `deploy-hook` target against a local server on 127.0.0.1 that answers from a script: what is retried (5xx,
 * 429 with its Retry-After, dropped connections, timeouts), what is not (other 4xx), and that the hook's secret
 * path never shows in a message, a log line or an error's cause.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, before, beforeEach, test } from 'node:test';
import { resolveConfig } from '../../sync/config.ts';
import type { RetryPolicy } from '../../sync/http/retry.ts';
import type { SyncReport } from '../../sync/report.ts';
import { createDeployHookTarget } from '../../sync/service/targets/deploy-hook.ts';
import { createTarget } from '../../sync/service/targets/index.ts';
import { TargetError } from '../../sync/errors.ts';
import { ROOT } from '../integration/helpers.ts';

process.env['NO_PROXY'] = '127.0.0.1,localhost';
const FAST: RetryPolicy = { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20, rateLimitPenaltyMs: 50 };
const SECRET = 'hookTOKEN0123456789abcdef';
const report = { edition: '2024_2', summary: 'papers: +1 ~0 -0' } as SyncReport;

type Step = (req: IncomingMessage, res: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
  at: number;
}
let script: Step[] = [];
let seen: Seen[] = [];
let origin = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const step = script[Math.min(seen.length, script.length - 1)]!;
    seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body, at: performance.now() });
    step(req, res);
  });
});
const answer =
  (status: number, headers: Record<string, string> = {}, body = ''): Step =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
const drop: Step = (req) => req.socket.destroy();
const silent: Step = () => undefined;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  seen = [];
});

const hookUrl = () => `${origin}/build_hooks/${SECRET}?trigger_title=sync`;
/** The service's state and content in a scratch folder: a deploy that succeeded is noted in `<stateDir>/deployed-from.json`. */
const scratchDir = mkdtempSync(path.join(tmpdir(), 'deploy-hook-'));
const stateDir = path.join(scratchDir, 'state');
const contentDir = path.join(scratchDir, 'content');
mkdirSync(path.join(contentDir, '2024_2'), { recursive: true });
writeFileSync(path.join(contentDir, '2024_2', 'papers.json'), '[]\n');
after(() => rmSync(scratchDir, { recursive: true, force: true }));
const config = (env: Record<string, string>) =>
  resolveConfig({ contentDir, service: { target: { kind: 'deploy-hook' }, stateDir } }, ROOT, env);
const hook = (options: { timeoutMs?: number; maxRetryAfterMs?: number } = {}) =>
  createDeployHookTarget(config({ DEPLOY_HOOK_URL: hookUrl() }), { policy: FAST, ...options });

/** The error a publish rejects with, after checking it is a TargetError that holds no secret anywhere. */
async function targetError(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => assert.fail('expected the publish to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TargetError, `not a TargetError: ${String(error)}`);
  assert.doesNotMatch(inspect(error, { depth: 10 }), new RegExp(SECRET));
  assert.doesNotMatch(error.message, /build_hooks/);
  return error;
}

test('503, 503, 200: three POSTs of {} to the hook, then success, named by origin only', async () => {
  script = [answer(503), answer(503), answer(200, { 'content-type': 'application/json' }, '{"id":"b1"}')];
  const line = await hook().publish(report);
  assert.equal(line, `deploy hook at ${origin} accepted the build (200, after 3 tries)`);
  assert.equal(seen.length, 3);
  for (const request of seen) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `/build_hooks/${SECRET}?trigger_title=sync`);
    assert.equal(request.contentType, 'application/json');
    assert.equal(request.body, '{}');
  }
});

test('at start: a deploy is owed until the hook accepted one of the content held now, and again when content/ changes', async () => {
  rmSync(stateDir, { recursive: true, force: true });
  const target = hook();
  assert.equal(await target.buildAtStart?.(), 'no deploy of the content held now is recorded');
  script = [answer(500), answer(200)];
  await target.publish(report);
  assert.equal(await target.buildAtStart?.(), undefined, 'the content just deployed is current');
  script = [answer(404)];
  writeFileSync(path.join(contentDir, '2024_2', 'papers.json'), '[{"id":"p1"}]\n');
  await targetError(target.publish(report));
  assert.equal(
    await target.buildAtStart?.(),
    `the last deploy was of other content than ${contentDir}/ holds now`,
    'a rejected deploy notes nothing',
  );
});

test('404: exactly one request; a TargetError says the hook was rejected and to check DEPLOY_HOOK_URL', async () => {
  script = [answer(404, {}, 'Not found')];
  const error = await targetError(hook().publish(report));
  assert.equal(seen.length, 1);
  assert.equal(
    error.message,
    `deploy-hook: ${origin} rejected the hook (404): the hook was deleted or its URL is wrong. Check DEPLOY_HOOK_URL, or create a new build hook and set DEPLOY_HOOK_URL to it. Nothing was deployed.`,
  );
  assert.equal(error.target, 'deploy-hook');
});

test('401 and 403 are not retried either', async () => {
  for (const status of [401, 403]) {
    seen = [];
    script = [answer(status), answer(200)];
    const error = await targetError(hook().publish(report));
    assert.equal(seen.length, 1);
    assert.match(error.message, new RegExp(`rejected the hook \\(${status}\\)`));
  }
});

test('429 with Retry-After: 1 waits a second (far above the 5 ms backoff), then succeeds', async () => {
  script = [answer(429, { 'retry-after': '1' }), answer(201, {}, '{"job":{"id":"x"}}')];
  const line = await hook().publish(report);
  assert.equal(seen.length, 2);
  const waited = seen[1]!.at - seen[0]!.at;
  assert.ok(waited >= 950, `waited only ${waited.toFixed(0)} ms`);
  assert.ok(waited < 2_000, `waited ${waited.toFixed(0)} ms`);
  assert.equal(line, `deploy hook at ${origin} accepted the build (201, after 2 tries)`);
});

test('a Retry-After longer than the target waits fails at once, saying so', async () => {
  script = [answer(503, { 'retry-after': '600' }), answer(200)];
  const error = await targetError(hook({ maxRetryAfterMs: 60_000 }).publish(report));
  assert.equal(seen.length, 1);
  assert.match(
    error.message,
    /^deploy-hook: http:\/\/127\.0\.0\.1:\d+ answered 503 and asked to wait 600 s, longer than the 60 s this target waits\./,
  );
});

test('dropped connections and a request past its deadline are retried', async () => {
  script = [drop, silent, answer(200)];
  const line = await hook({ timeoutMs: 300 }).publish(report);
  assert.equal(seen.length, 3);
  assert.match(line, /\(200, after 3 tries\)$/);
});

test('a hook that keeps failing: retries + 1 requests, then a TargetError with the last status', async () => {
  script = [answer(502)];
  const error = await targetError(hook().publish(report));
  assert.equal(seen.length, FAST.retries + 1);
  assert.match(
    error.message,
    /^deploy-hook: http:\/\/127\.0\.0\.1:\d+ did not accept the build after 4 tries \(502\)\. Nothing was deployed/,
  );
});

test('an abort during the backoff stops the retries', async () => {
  script = [answer(429, { 'retry-after': '5' })];
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('service stopping')), 200);
  const started = performance.now();
  const error = await targetError(hook().publish(report, controller.signal));
  assert.ok(performance.now() - started < 2_000);
  assert.equal(seen.length, 1);
  assert.match(error.message, /^deploy-hook: aborted before http:\/\/127\.0\.0\.1:\d+ accepted the build; nothing was deployed\.$/);
});

test('no DEPLOY_HOOK_URL: createTarget fails up front, naming the variable', () => {
  assert.throws(
    () => createTarget(config({})),
    (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, /^deploy-hook: DEPLOY_HOOK_URL is not set\. Create a build hook in your host/);
      return true;
    },
  );
});

test('a malformed DEPLOY_HOOK_URL is refused without echoing it', () => {
  for (const value of [`not a url ${SECRET}`, `ftp://example.org/${SECRET}`]) {
    assert.throws(
      () => createTarget(config({ DEPLOY_HOOK_URL: value })),
      (error: unknown) => {
        assert.ok(error instanceof TargetError);
        assert.match(error.message, /DEPLOY_HOOK_URL (is not a valid URL|must be an https:\/\/ \(or http:\/\/\) URL, not ftp:)/);
        assert.doesNotMatch(error.message, new RegExp(SECRET));
        return true;
      },
    );
  }
});
