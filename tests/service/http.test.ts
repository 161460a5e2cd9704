/**
 * The service's HTTP endpoint (sync/service/http.ts, started by service.ts): the trigger's shared secret (none,
 * wrong, right, another length; 401 runs nothing), debounced triggers, /status and /healthz, and the answers for
 * wrong paths, methods and bodies. The service runs in-process against the demo emulators.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { createDebouncer } from '../../sync/service/debounce.ts';
import { startService, type Service } from '../../sync/service/service.ts';
import type { ServiceStatus } from '../../sync/service/types.ts';
import { FAST, lines, readJson, scratch, serviceConfig, testTarget, waitFor, type Scratch } from './helpers.ts';

const SECRET = 'correct-horse-battery-staple-0123456789';

let demo: DemoEmulators;
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());

interface Started {
  service: Service;
  where: Scratch;
  out: ReturnType<typeof lines>;
  url: string;
}
const started: Started[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.service.stop(5_000);
    s.where.remove();
  }
});

async function start(
  options: { secret?: string; env?: Record<string, string>; debounceMs?: number; afterFailures?: number } = {},
): Promise<Started> {
  const where = scratch();
  const env = { ...demo.env, SYNC_PORT: '0', ...(options.secret ? { SYNC_TRIGGER_SECRET: options.secret } : {}), ...options.env };
  const config = serviceConfig(env, where, {
    trigger: { debounceMs: options.debounceMs ?? 100 },
    alarm: { afterFailures: options.afterFailures ?? 3 },
  });
  const out = lines();
  const service = await startService({ config, target: testTarget(), log: out.onLog, print: out.onPrint, runAtStart: false, policy: FAST });
  const s = { service, where, out, url: service.server!.url };
  started.push(s);
  return s;
}

const post = (url: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${url}/trigger`, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });

/** Waits until the triggers have run and nothing more is waiting or running. */
async function settled(s: Started): Promise<void> {
  await waitFor(() => !s.service.triggers.pending && !s.service.runner.running && !s.service.runner.queued, 'the triggers to settle');
}

describe('POST /trigger', () => {
  test('a missing, wrong or different-length secret gets 401 and runs nothing; the right one, in either header, 202', async () => {
    const s = await start({ secret: SECRET });
    const wrongSameLength = SECRET.replace(/.$/, 'X');
    for (const headers of [
      {},
      { authorization: `Bearer ${wrongSameLength}` },
      { authorization: 'Bearer short' },
      { 'x-sync-secret': `${SECRET}-longer` },
      { authorization: SECRET },
    ]) {
      const response = await post(s.url, headers);
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="workshop-sync"');
      const text = await response.text();
      assert.deepEqual(JSON.parse(text), {
        error:
          'missing or wrong secret: send it as "Authorization: Bearer <SYNC_TRIGGER_SECRET>" or "X-Sync-Secret: <SYNC_TRIGGER_SECRET>".',
      });
      assert.ok(!text.includes(SECRET) && !text.includes(wrongSameLength));
      assert.equal(s.service.triggers.pending, false, 'a rejected trigger schedules nothing');
    }
    assert.equal(s.service.runner.running, false);
    assert.equal(s.out.runs.length, 0);

    const ok = await post(s.url, { authorization: `bearer ${SECRET}` }, '{"from":"airtable automation"}');
    assert.equal(ok.status, 202);
    assert.deepEqual(await ok.json(), { accepted: true, message: 'a sync runs once the triggers stop for a moment.' });
    assert.equal(s.service.triggers.pending, true);
    assert.equal((await post(s.url, { 'x-sync-secret': SECRET })).status, 202);
    await settled(s);
    assert.deepEqual(
      s.out.runs.map((r) => [r.reason, r.result]),
      [['trigger', 'unchanged']],
    );
  });

  test('a burst of 10 triggers makes one run, after the burst', async () => {
    const s = await start({ secret: SECRET, debounceMs: 200 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(s.url, { authorization: `Bearer ${SECRET}` })));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(10).fill(202),
    );
    const lastAnswer = Date.now();
    await settled(s);
    assert.equal(s.out.runs.length, 1);
    assert.equal(s.out.runs[0]!.reason, 'trigger');
    assert.ok(Date.parse(s.out.runs[0]!.startedAt) >= lastAnswer + 150, 'the run waited for the burst to go quiet');
  });

  test('without SYNC_TRIGGER_SECRET: 503 saying to set it, and the service says so at start', async () => {
    const s = await start();
    const response = await post(s.url, { authorization: 'Bearer anything' });
    assert.equal(response.status, 503);
    assert.match(
      ((await response.json()) as { error: string }).error,
      /^the trigger is off: set SYNC_TRIGGER_SECRET in the service environment/,
    );
    assert.equal(s.service.triggers.pending, false);
    assert.deepEqual(s.out.log, [
      'POST /trigger is off: set SYNC_TRIGGER_SECRET to let an automation ask for a sync (GET /status and /healthz work without it).',
    ]);
  });

  test('a body over 16 KiB: 413, nothing runs', async () => {
    const s = await start({ secret: SECRET });
    const response = await post(s.url, { authorization: `Bearer ${SECRET}` }, 'x'.repeat(17 * 1024));
    assert.equal(response.status, 413);
    assert.equal(s.service.triggers.pending, false);
  });
});

describe('GET /status, GET /healthz, other requests', () => {
  test('/status with the secret is the ServiceStatus, equal to status.json after a run', async () => {
    const s = await start({ secret: SECRET });
    const full = async () =>
      (await (await fetch(`${s.url}/status`, { headers: { authorization: `Bearer ${SECRET}` } })).json()) as ServiceStatus;
    const before = await full();
    assert.equal(before.service, 'workshop-sync');
    assert.equal(before.pid, process.pid);
    assert.equal(before.cron, '0 0 1 1 *');
    assert.equal(before.target, 'test');
    assert.equal(before.lastRun, null);
    assert.equal(new Date(before.nextRun!).getUTCMonth(), 0, 'the next 1 January');
    assert.deepEqual(readJson<ServiceStatus>(s.service.status.file), before, 'status.json is written at start');

    const record = await s.service.runner.run('manual');
    const after = await full();
    assert.deepEqual(after.lastRun, record);
    assert.equal(after.lastSuccess, record?.finishedAt);
    assert.equal(after.running, false);
    assert.deepEqual(readJson<ServiceStatus>(s.service.status.file), after);
    assert.ok(!JSON.stringify(after).includes(SECRET));
  });

  test('/healthz: 200 ok while the service works; stale once the failure streak reaches afterFailures', async () => {
    const s = await start({ env: { AIRTABLE_TOKEN: 'patWRONGtoken12345.0123456789abcdef0123' }, afterFailures: 2 });
    const health = async () => {
      const response = await fetch(`${s.url}/healthz`);
      assert.equal(response.status, 200);
      return (await response.json()) as { ok: boolean; stale: boolean; running: boolean };
    };
    assert.deepEqual(await health(), { ok: true, stale: false, running: false });
    await s.service.runner.run('manual');
    assert.deepEqual(await health(), { ok: true, stale: false, running: false });
    await s.service.runner.run('manual');
    assert.deepEqual(await health(), { ok: true, stale: true, running: false });
  });

  test('unknown paths: 404; wrong methods: 405 with Allow', async () => {
    const s = await start({ secret: SECRET });
    const missing = await fetch(`${s.url}/admin`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /^no such endpoint: \/admin\./);
    const getTrigger = await fetch(`${s.url}/trigger`, { headers: { authorization: `Bearer ${SECRET}` } });
    assert.equal(getTrigger.status, 405);
    assert.equal(getTrigger.headers.get('allow'), 'POST');
    const postStatus = await fetch(`${s.url}/status`, { method: 'POST' });
    assert.equal(postStatus.status, 405);
    assert.equal(postStatus.headers.get('allow'), 'GET, HEAD');
    assert.equal(s.service.triggers.pending, false);
  });
});

describe('createDebouncer', () => {
  test('a stream of calls that never goes quiet still fires, at most maxWaitMs after its first call', async () => {
    const fired: number[] = [];
    const debouncer = createDebouncer(() => fired.push(Date.now()), { waitMs: 200, maxWaitMs: 400 });
    const start = Date.now();
    const pushing = setInterval(() => debouncer.push(), 20);
    debouncer.push();
    try {
      await waitFor(() => fired.length >= 2, 'two calls during the stream', 5_000);
    } finally {
      clearInterval(pushing);
      debouncer.cancel();
    }
    assert.ok(fired[0]! - start >= 380, 'not before the cap');
    assert.ok(fired[0]! - start < 1_500, 'at the cap, not after the stream');
  });
});
