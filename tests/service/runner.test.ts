/**
 * sync/service/runner.ts against the demo emulators: publish only when content changed, runs coalesced into one
 * follow-up, a failed publish owed to the next run, the stale-data alarm (command and webhook) once per failure
 * streak, and abort. The rebuild target is a test object implementing RebuildTarget.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { createRunner } from '../../sync/service/runner.ts';
import { createStatus } from '../../sync/service/status.ts';
import { TargetError } from '../../sync/errors.ts';
import type { RebuildTarget, ServiceStatus } from '../../sync/service/types.ts';
import type { ResolvedConfig } from '../../sync/config.ts';
import {
  disjoint,
  EDITION,
  FAST,
  lines,
  readJson,
  scratch,
  serviceConfig,
  snapshot,
  testTarget,
  waitFor,
  type Scratch,
} from './helpers.ts';

let demo: DemoEmulators;
let where: Scratch;
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());
afterEach(() => {
  demo.airtable.faults.clear();
  where?.remove();
});

function setup(config: ResolvedConfig, target: RebuildTarget) {
  const out = lines();
  const status = createStatus({ config, target: target.kind, print: out.onPrint, log: out.onLog });
  const runner = createRunner({ config, target, status, log: out.onLog, policy: FAST });
  return { ...out, status, runner };
}

test('a sync that changes content publishes it; the same sync again is unchanged and publishes nothing', async () => {
  where = scratch({ empty: true });
  const target = testTarget();
  const { runner, runs, status } = setup(serviceConfig(demo.env, where), target);

  const first = await runner.run('manual');
  assert.equal(first?.result, 'published');
  assert.deepEqual(first.counts['papers'], { added: 2, changed: 0, removed: 0 });
  assert.equal(first.published, `published ${first.summary}`);
  assert.equal(target.published.length, 1);
  assert.equal(target.published[0]!.changed, true);

  const second = await runner.run('cron');
  assert.equal(second?.result, 'unchanged');
  assert.equal(second.summary, 'no changes');
  assert.equal(second.published, undefined);
  assert.equal(target.published.length, 1, 'a no-op sync triggers no rebuild');

  assert.deepEqual(runs, [first, second], 'one JSON line per run');
  const file = readJson<ServiceStatus>(status.file);
  assert.deepEqual(file.lastRun, second);
  assert.equal(file.lastSuccess, second.finishedAt);
  assert.equal(file.consecutiveFailures, 0);
  assert.equal(existsSync(path.join(where.state, 'sync.lock')), false, 'the lock is released');
});

test('runs asked for during a run make exactly one follow-up run, after it', async () => {
  where = scratch({ empty: true });
  const target = testTarget();
  let open!: () => void;
  target.gate = new Promise((resolve) => (open = resolve));
  const { runner, runs } = setup(serviceConfig(demo.env, where), target);

  const first = runner.run('start');
  await waitFor(() => target.active === 1, 'the first run to be publishing');
  const followUps = [runner.run('trigger'), runner.run('cron'), runner.run('trigger')];
  assert.equal(runner.queued, true);
  assert.equal(followUps[0], followUps[1], 'coalesced into one run');
  assert.equal(followUps[1], followUps[2]);
  open();
  const [a, b] = await Promise.all([first, followUps[0]]);
  await runner.idle();

  assert.equal(runs.length, 2);
  assert.deepEqual([a?.reason, a?.result, b?.reason, b?.result], ['start', 'published', 'trigger', 'unchanged']);
  assert.ok(disjoint(runs), 'the follow-up starts after the first run finished');
  assert.equal(target.maxActive, 1);
});

test('a failed publish is owed: the next run publishes though nothing changed, then runs are unchanged again', async () => {
  where = scratch({ empty: true });
  const target = testTarget();
  target.failures.push(new TargetError('test', 'the build failed: see the build log; the previous site stays live.'));
  const { runner, log } = setup(serviceConfig(demo.env, where), target);
  const owed = path.join(where.state, 'publish-pending.json');

  const failed = await runner.run('manual');
  assert.equal(failed?.result, 'failed');
  assert.equal(failed.error, 'test: the build failed: see the build log; the previous site stays live.');
  assert.match(
    failed.summary,
    /^people: \+10 ~0 -0; papers: \+2 ~0 -0; schedule: \+\d+ ~0 -0; content\/ is written but not published \(the next run publishes it\)$/,
  );
  assert.equal(existsSync(owed), true);

  const retried = await runner.run('cron');
  assert.equal(retried?.result, 'published');
  assert.match(retried.summary, /^no changes; published the earlier sync whose publish had not succeeded \(people: \+10/);
  assert.equal(target.published.length, 1);
  assert.deepEqual(
    target.published[0]!.files.filter((f) => f.endsWith('.json')).length,
    4,
    'the owed report, with its files (and synced-from.json)',
  );
  assert.equal(existsSync(owed), false);

  assert.equal((await runner.run('cron'))?.result, 'unchanged');
  assert.equal(target.published.length, 1);
  assert.deepEqual(log, []);
});

test('after N failed runs the alarm command runs and the webhook is posted, once per streak; no secret anywhere', async () => {
  where = scratch();
  const alarmFile = path.join(where.state, 'alarm.txt');
  const badToken = 'patWRONGtoken12345.0123456789abcdef0123';
  const hookSecret = 'T000-B000-hooksecretpart';
  const posts: unknown[] = [];
  let answers = [500, 204];
  const hook: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      assert.equal(req.url, `/services/${hookSecret}`);
      posts.push(JSON.parse(body));
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/services/${hookSecret}`;
  try {
    const env = { ...demo.env, AIRTABLE_TOKEN: badToken, SYNC_ALARM_WEBHOOK: webhook };
    const command = `printf '%s|%s|%s\\n' "$SYNC_ALARM_FAILURES" "$SYNC_ALARM_LAST_SUCCESS" "$SYNC_ALARM_MESSAGE" >> '${alarmFile}'`;
    const config = serviceConfig(env, where, { alarm: { afterFailures: 2, command } });
    const { runner, log, runs, status } = setup(config, testTarget());

    const first = await runner.run('cron');
    assert.equal(first?.result, 'failed');
    assert.match(first.error!, /^Airtable › \w[\w ]*: Airtable rejected the token \(401\)\. Set AIRTABLE_TOKEN/);
    assert.equal(first.summary, 'sync failed; content/ unchanged');
    assert.equal(existsSync(alarmFile), false, 'no alarm after one failure');
    assert.equal(posts.length, 0);

    await runner.run('cron');
    const alarms = readFileSync(alarmFile, 'utf8').trim().split('\n');
    assert.equal(alarms.length, 1);
    assert.match(
      alarms[0]!,
      /^2\|\|workshop-sync: 2 syncs in a row failed; the published site may show stale content \(last successful sync: never since this state folder exists\)\. Last error: Airtable › /,
    );
    assert.equal(posts.length, 2, 'the webhook was retried after its 500');
    assert.deepEqual(Object.keys(posts[1] as object).sort(), [
      'consecutiveFailures',
      'host',
      'lastError',
      'lastSuccess',
      'service',
      'text',
    ]);
    assert.equal((posts[1] as { consecutiveFailures: number }).consecutiveFailures, 2);

    await runner.run('cron');
    assert.equal(readFileSync(alarmFile, 'utf8').trim().split('\n').length, 1, 'once per streak');
    assert.equal(posts.length, 2);
    assert.equal(status.current().consecutiveFailures, 3);

    const written = [
      readFileSync(status.file, 'utf8'),
      ...log,
      ...runs.map((r) => JSON.stringify(r)),
      readFileSync(alarmFile, 'utf8'),
    ].join('\n');
    for (const secret of [badToken, hookSecret, demo.env['GOOGLE_API_KEY']!])
      assert.ok(!written.includes(secret), 'a secret was logged or written');
    assert.ok(log.includes('Alarm sent: the alarm command (SYNC_ALARM_COMMAND) ran.'));
    assert.ok(log.includes('Alarm sent: the alarm webhook (SYNC_ALARM_WEBHOOK) accepted it.'));

    // A new service on the same state folder keeps the streak; a good sync ends it, and says so.
    const good = setup(serviceConfig(demo.env, where, { alarm: { afterFailures: 2, command } }), testTarget());
    assert.equal(good.status.current().consecutiveFailures, 3);
    assert.equal((await good.runner.run('start'))?.result, 'unchanged');
    assert.equal(good.status.current().consecutiveFailures, 0);
    assert.deepEqual(good.log, ['Syncing works again after 3 failed runs.']);
  } finally {
    answers = [];
    await new Promise((resolve) => hook.close(resolve));
  }
});

test('a failing alarm command or an unreachable webhook is one log line; the service goes on', async () => {
  where = scratch();
  // A port nothing listens on: taken, then freed.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const env = {
    ...demo.env,
    AIRTABLE_TOKEN: 'patWRONGtoken12345.0123456789abcdef0123',
    SYNC_ALARM_WEBHOOK: `http://127.0.0.1:${port}/hooks/secret-path`,
  };
  const config = serviceConfig(env, where, { alarm: { afterFailures: 1, command: 'echo "no mail server" >&2; exit 3' } });
  const { runner, log } = setup(config, testTarget());
  assert.equal((await runner.run('cron'))?.result, 'failed');
  assert.ok(
    log.includes('The alarm command (SYNC_ALARM_COMMAND) failed (exit code 3): no mail server. Fix the command; the service goes on.'),
    log.join('\n'),
  );
  assert.ok(
    log.includes('The alarm webhook (SYNC_ALARM_WEBHOOK) could not be reached (ECONNREFUSED). Check the URL; the service goes on.'),
    log.join('\n'),
  );
  assert.ok(!log.join('\n').includes('secret-path'));
  assert.equal((await runner.run('cron'))?.result, 'failed', 'the runner still runs');
});

test('abort(): the run in progress ends as aborted, content/ is unchanged, the lock is released, no more runs', async () => {
  where = scratch({ empty: true });
  const before = snapshot(path.join(where.content, EDITION));
  demo.airtable.inject({ kind: 'latency', ms: 1_500, times: Infinity });
  const target = testTarget();
  const { runner, status } = setup(serviceConfig(demo.env, where), target);

  const run = runner.run('cron');
  await waitFor(() => demo.airtable.faults.log.length > 0, 'a request to be in flight');
  assert.equal(status.current().running, true);
  await runner.abort();
  const record = await run;
  assert.equal(record?.result, 'aborted');
  assert.equal(record.error, 'the service was stopping');
  assert.equal(record.summary, 'stopped; content/ unchanged');
  assert.deepEqual(snapshot(path.join(where.content, EDITION)), before);
  assert.equal(existsSync(path.join(where.state, 'sync.lock')), false);
  assert.equal(target.published.length, 0);
  assert.equal(await runner.run('trigger'), undefined, 'a stopped runner runs nothing');
  assert.equal(status.current().consecutiveFailures, 0, 'an aborted run is not a failure');
});
