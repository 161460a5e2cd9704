/**
 * `npm run serve:sync` (node sync/service/main.ts) as its own process, against the demo emulators running in this
 * test process: a second service on the same state folder stops at once, a stale lock is recovered, SIGTERM mid-run exits 0 with no lock
 * and content/ untouched, and a bad SYNC_CRON stops the start with exit code 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import type { ServiceStatus } from '../../sync/service/types.ts';
import {
  configFile,
  EDITION,
  readJson,
  ROOT,
  scratch,
  snapshot,
  spawnService,
  waitFor,
  type Scratch,
  type ServiceProcess,
} from './helpers.ts';

let demo: DemoEmulators;
const cleanup: (() => void)[] = [];
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());
afterEach(() => {
  demo.airtable.faults.clear();
  demo.airtable.faults.releaseStalled();
  for (const step of cleanup.splice(0)) step();
});

function setup(options: { empty?: boolean } = {}): { where: Scratch; lockFile: string; env: Record<string, string> } {
  const where = scratch(options);
  cleanup.push(() => where.remove());
  return { where, lockFile: path.join(where.state, 'sync.lock'), env: { ...demo.env, CONTENT_DIR: where.content } };
}

function start(file: string, env: Record<string, string>): ServiceProcess {
  const service = spawnService(file, env);
  cleanup.push(() => service.child.kill('SIGKILL'));
  return service;
}

test('a second service on the same state folder exits 1 at once, naming the first one: its pid and port', { timeout: 30_000 }, async () => {
  const { where, lockFile, env } = setup();
  const file = configFile(where);
  const first = start(file, { ...env, SYNC_PORT: '0' });
  const port = /:(\d+)\.$/.exec(await first.waitForLog(/^Sync service started/))![1];
  await waitFor(() => first.runs().length === 1, 'the first service to finish its start run');

  const second = start(file, { ...env, SYNC_PORT: '0' });
  assert.deepEqual(await second.exited, { code: 1, signal: null });
  const pid = first.child.pid;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(
    second.stderr.join('\n'),
    new RegExp(
      `^The sync service could not start: another sync service is running on the state folder ${escape(where.state)}: ` +
        `pid ${pid} on ${escape(hostname())}, port ${port}, since \\S+\\. Stop it first \\(kill -TERM ${pid} on ${escape(hostname())}\\), ` +
        `or give this one its own stateDir\\.$`,
    ),
  );
  assert.equal(second.runs().length, 0, 'the second service ran nothing');
  assert.ok(existsSync(path.join(where.state, 'service.lock')), "the first one's lock is left to it");

  first.child.kill('SIGTERM');
  assert.deepEqual(await first.exited, { code: 0, signal: null });
  assert.equal(existsSync(lockFile), false);
  assert.equal(existsSync(path.join(where.state, 'service.lock')), false);
});

test('a stale lock whose process is gone is taken over; the start line says where it listens; SIGINT stops it', async () => {
  const { where, lockFile, env } = setup();
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  mkdirSync(where.state);
  writeFileSync(lockFile, JSON.stringify({ pid: dead, hostname: hostname(), startedAt: new Date().toISOString(), token: 'gone' }));
  const service = start(configFile(where), { ...env, SYNC_PORT: '0', SYNC_TRIGGER_SECRET: 'a-long-enough-test-secret-0123456789' });

  const started = await service.waitForLog(/^Sync service started/);
  assert.match(
    started,
    new RegExp(
      `^Sync service started \\(pid ${service.child.pid}, target none\\): cron "0 0 1 1 \\*" in [\\w/]+, next run \\d{4}-01-01T[\\d:.]+Z; POST /trigger, GET /status and GET /healthz on http://127\\.0\\.0\\.1:\\d+\\.$`,
    ),
  );
  const url = /on (http:\/\/\S+)\.$/.exec(started)![1]!;
  assert.match(
    await service.waitForLog(/^Taking over the stale lock/),
    new RegExp(`\\(pid ${dead} on .*\\): process ${dead} is not running\\.$`),
  );
  await waitFor(() => service.runs().length === 1, 'the start run');
  assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true, stale: false, running: false });

  service.child.kill('SIGINT');
  assert.deepEqual(await service.exited, { code: 0, signal: null });
  assert.equal(existsSync(lockFile), false);
});

test('SIGTERM in the middle of a run, its requests stalled: exit 0 at once, no lock, content/ untouched, status.json valid', async () => {
  const { where, lockFile, env } = setup({ empty: true });
  const before = snapshot(path.join(where.content, EDITION));
  // Airtable sends headers, then nothing: only the abort ends the run before the 30 s request deadline.
  demo.airtable.inject({ kind: 'stall', times: Infinity });
  const seen = demo.airtable.faults.log.length;
  const service = start(configFile(where), env);
  await waitFor(() => demo.airtable.faults.log.length > seen, 'a request of the run to be in flight');
  assert.equal(existsSync(lockFile), true, 'the run holds the lock');

  const sent = Date.now();
  service.child.kill('SIGTERM');
  assert.deepEqual(await service.exited, { code: 0, signal: null });
  assert.ok(Date.now() - sent < 5_000, 'stopped without waiting for the stalled answers');
  assert.equal(existsSync(lockFile), false);
  assert.deepEqual(snapshot(path.join(where.content, EDITION)), before, 'content/ is as it was');
  const status = readJson<ServiceStatus>(path.join(where.state, 'status.json'));
  assert.equal(status.running, false);
  assert.equal(status.nextRun, null);
  assert.equal(status.lastRun?.result, 'aborted');
  assert.equal(status.consecutiveFailures, 0);
  assert.deepEqual(
    service.runs().map((r) => [r.reason, r.result]),
    [['start', 'aborted']],
  );
  assert.ok(service.stderr.includes('SIGTERM: stopping (the current run is aborted; a write in progress completes).'));
});

test('a bad SYNC_CRON or SYNC_TZ, or a target missing its setting: exit 2 with the variable to set, nothing started', async () => {
  const { where, env } = setup();
  const file = configFile(where);
  const cron = start(file, { ...env, SYNC_CRON: '*/10 * * *' });
  assert.deepEqual(await cron.exited, { code: 2, signal: null });
  assert.match(
    cron.stderr.join('\n'),
    /^Configuration: SYNC_CRON \(or service\.cron in workshop\.config\.ts\) is not a cron expression: "\*\/10 \* \* \*" \(expected 5 or 6 fields but got 4\)\. .* e\.g\. SYNC_CRON="\*\/10 \* \* \* \*"/,
  );
  const tz = start(file, { ...env, SYNC_TZ: 'Berlin' });
  assert.deepEqual(await tz.exited, { code: 2, signal: null });
  assert.match(tz.stderr.join('\n'), /^Configuration: SYNC_TZ .* "Berlin"\. Use an IANA name, e\.g\. SYNC_TZ=Europe\/Berlin/);
  const hook = start(file, { ...env, SYNC_TARGET: 'deploy-hook' });
  assert.deepEqual(await hook.exited, { code: 2, signal: null });
  assert.match(hook.stderr.join('\n'), /^Configuration: deploy-hook: DEPLOY_HOOK_URL is not set\./);
  assert.equal(existsSync(path.join(where.state, 'status.json')), false);
});

test('npm run serve:sync with a wrong option exits 2 naming it, before anything starts; --help prints the options', () => {
  const run = (arg: string) =>
    spawnSync('npm', ['run', '--silent', 'serve:sync', '--', arg], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  const wrong = run('--bogus');
  assert.equal(wrong.status, 2, wrong.stderr);
  assert.equal(wrong.stderr.trim(), "Unknown option '--bogus': run npm run serve:sync -- --help for the options.");
  const help = run('--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: npm run serve:sync \[-- OPTIONS\]\n/);
  assert.match(help.stdout, /--config FILE/);
});
