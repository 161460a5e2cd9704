/**
 * The cron schedule (sync/service/schedule.ts through service.ts): a per-second schedule fires run after run, and
 * runs slower than the interval never overlap; bad SYNC_CRON or SYNC_TZ values stop with the variable to fix.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { checkSchedule } from '../../sync/service/schedule.ts';
import { startService } from '../../sync/service/service.ts';
import { ConfigError } from '../../sync/errors.ts';
import { disjoint, FAST, lines, scratch, serviceConfig, testTarget, waitFor } from './helpers.ts';

let demo: DemoEmulators;
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());

test('a per-second cron fires runs one after another; a run slower than the interval never overlaps the next', async () => {
  const where = scratch({ empty: true });
  // Each Airtable request takes 600 ms: one sync (two rounds of requests) is slower than the 1 s interval.
  demo.airtable.inject({ kind: 'latency', ms: 600, times: Infinity });
  const out = lines();
  const target = testTarget();
  const service = await startService({
    config: serviceConfig(demo.env, where, { cron: '*/1 * * * * *' }),
    target,
    log: out.onLog,
    print: out.onPrint,
    runAtStart: false,
    policy: FAST,
  });
  try {
    const next = Date.parse(service.status.current().nextRun!);
    assert.ok(next > Date.now() - 50 && next <= Date.now() + 1_050, 'the next run is within a second');
    await waitFor(() => out.runs.length >= 3, 'three cron runs', 30_000);
    assert.ok(out.runs.every((r) => r.reason === 'cron'));
    assert.ok(
      out.runs.every((r) => r.durationMs >= 1_000),
      'each run outlasted the interval',
    );
    assert.ok(disjoint(out.runs), `runs overlapped: ${JSON.stringify(out.runs.map((r) => [r.startedAt, r.finishedAt]))}`);
    assert.deepEqual(
      out.runs.slice(0, 3).map((r) => r.result),
      ['published', 'unchanged', 'unchanged'],
    );
    assert.equal(target.maxActive, 1);
  } finally {
    demo.airtable.faults.clear();
    assert.equal(await service.stop(10_000), true);
    where.remove();
  }
  assert.equal(service.status.current().nextRun, null, 'no next run once stopped');
});

test('a bad cron expression or time zone: a ConfigError naming the variable, with an example', () => {
  assert.throws(
    () => checkSchedule({ cron: 'every 5 minutes', timeZone: undefined }),
    new ConfigError(
      'SYNC_CRON (or service.cron in workshop.config.ts) is not a cron expression: "every 5 minutes" (expected 5 or 6 fields but got 3). ' +
        'Use 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. SYNC_CRON="*/10 * * * *" for every 10 minutes.',
    ),
  );
  assert.throws(
    () => checkSchedule({ cron: '*/10 * * *', timeZone: undefined }),
    /^ConfigError: SYNC_CRON .* "\*\/10 \* \* \*" \(expected 5 or 6 fields but got 4\)/,
  );
  assert.throws(() => checkSchedule({ cron: '61 * * * *', timeZone: undefined }), /^ConfigError: SYNC_CRON .*"61 \* \* \* \*"/);
  assert.throws(
    () => checkSchedule({ cron: '*/10 * * * *', timeZone: 'Mars/Olympus' }),
    new ConfigError(
      'SYNC_TZ (or service.timeZone in workshop.config.ts) is not a time zone: "Mars/Olympus". Use an IANA name, e.g. SYNC_TZ=Europe/Berlin, or leave it unset for the machine\'s zone.',
    ),
  );
  assert.doesNotThrow(() => checkSchedule({ cron: '*/10 * * * *', timeZone: 'Europe/Berlin' }));
});
