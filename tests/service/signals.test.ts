/**
 * Signals sent to npm, as Docker and systemd send them to the main process: `npm run serve:sync` and `npm run sync`
 * (package.json runs node with `exec`, so npm's signal reaches node, not just `sh -c`). Every process of it ends, the
 * port is free again, no lock is left; a Ctrl-C, which a terminal sends to npm and node at once, is one stop.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { processTree, running } from './processes.ts';
import { configFile, ROOT, scratch, snapshot, spawnService, waitFor, type ServiceProcess } from './helpers.ts';

let demo: DemoEmulators;
const cleanup: (() => void)[] = [];
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());
afterEach(() => {
  demo.airtable.faults.clear();
  demo.airtable.faults.releaseStalled();
  for (const step of cleanup.splice(0).reverse()) step();
});

/** `npm run serve:sync` on a fresh state folder, with the endpoint on a free port; resolves once it is up. */
async function serve(service: Parameters<typeof configFile>[1] = {}): Promise<{ npm: ServiceProcess; port: number; state: string }> {
  const where = scratch();
  cleanup.push(() => where.remove());
  const npm = spawnService(configFile(where, service), { ...demo.env, CONTENT_DIR: where.content, SYNC_PORT: '0' }, 'npm');
  const pids = [npm.child.pid!];
  // Node and its build too, even when npm is gone (a node left behind is re-parented, out of npm's tree).
  cleanup.push(() => killAll(pids.flatMap((pid) => processTree(pid).map((p) => p.pid))));
  const started = await npm.waitForLog(/^Sync service started/);
  pids.push(Number(/\(pid (\d+),/.exec(started)![1]));
  return { npm, port: Number(/:(\d+)\.$/.exec(started)![1]), state: where.state };
}

function killAll(pids: readonly number[]): void {
  for (const pid of running(pids)) process.kill(pid, 'SIGKILL');
}

/** Whether `port` on 127.0.0.1 can be listened on again. */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Sends `signal` to npm's pid alone; resolves with how npm ended and how long every process of it took to end. */
async function stopWith(npm: ServiceProcess, signal: NodeJS.Signals, target: 'npm' | 'group' = 'npm') {
  const tree = processTree(npm.child.pid!).map((p) => p.pid);
  const sent = Date.now();
  process.kill(target === 'group' ? -npm.child.pid! : npm.child.pid!, signal);
  const exit = await npm.exited;
  await waitFor(() => running(tree).length === 0, 'every process of the service to end', 5_000);
  return { tree, exit, tookMs: Date.now() - sent };
}

/** `npm run serve:sync` with the local target, once its start run builds the site. */
async function building(): Promise<Awaited<ReturnType<typeof serve>>> {
  const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'signals-site-')), 'site');
  cleanup.push(() => rmSync(path.dirname(siteDir), { recursive: true, force: true }));
  const served = await serve({ target: { kind: 'local', siteDir, keep: 2 } });
  const { pid } = served.npm.child;
  await waitFor(() => processTree(pid!).some((p) => p.command.includes('--eval')), 'the build to start', 15_000);
  return served;
}

test(
  'SIGTERM to npm while the local target builds: node stops gracefully, the build ends, the port is free',
  { timeout: 30_000 },
  async (t) => {
    const { npm, port, state } = await building();
    // npm → node (no shell between them), and the build → its own group under node.
    const [, node, ...build] = processTree(npm.child.pid!);
    assert.match(node!.command, /sync\/service\/main\.ts/, 'npm runs node itself, not a shell');
    assert.ok(build.length > 0);

    const { tree, exit, tookMs } = await stopWith(npm, 'SIGTERM');
    t.diagnostic(`${tree.length} processes ended ${tookMs} ms after SIGTERM to npm`);
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(npm.stderr.includes('SIGTERM: stopping (the current run is aborted; a write in progress completes).'), npm.stderr.join('\n'));
    assert.equal(npm.stderr.at(-1), 'Stopped.');
    assert.equal(npm.runs()[0]?.result, 'aborted');
    assert.equal(await isFree(port), true, 'the port is free');
    assert.equal(existsSync(path.join(state, 'sync.lock')), false);
    assert.equal(existsSync(path.join(state, 'service.lock')), false);
  },
);

test('SIGINT to npm: the same graceful stop', { timeout: 30_000 }, async () => {
  const { npm, port, state } = await serve();
  await waitFor(() => npm.runs().length === 1, 'the start run');
  const { exit } = await stopWith(npm, 'SIGINT');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.deepEqual(npm.stderr.slice(-2), ['SIGINT: stopping (the current run is aborted; a write in progress completes).', 'Stopped.']);
  assert.equal(await isFree(port), true);
  assert.equal(existsSync(path.join(state, 'service.lock')), false);
});

test(
  'Ctrl-C mid-build (SIGINT to npm and node at once, and npm passes its own on): one graceful stop, not an exit at once',
  { timeout: 30_000 },
  async () => {
    // Mid-build the stop takes a moment (the build's group is ended first): npm's copy of the signal arrives meanwhile.
    const { npm } = await building();
    // Its own process group, as a terminal's foreground job: the signal reaches npm and node.
    const { exit } = await stopWith(npm, 'SIGINT', 'group');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(npm.stderr.filter((l) => l.startsWith('SIGINT')).length, 1, npm.stderr.join('\n'));
    assert.equal(npm.stderr.at(-1), 'Stopped.');
  },
);

/** `npm run sync` (its own process group, as a terminal's job) stopped by `signal` to npm, or to the group, mid-run. */
async function stopSync(signal: NodeJS.Signals, to: 'npm' | 'group') {
  const where = scratch({ empty: true });
  cleanup.push(() => where.remove());
  const before = snapshot(where.content);
  demo.airtable.inject({ kind: 'stall', times: Infinity });
  const seen = demo.airtable.faults.log.length;
  const npm = spawn('npm', ['run', '--silent', 'sync', '--', '--config', configFile(where)], {
    cwd: ROOT,
    env: { ...process.env, ...demo.env, CONTENT_DIR: where.content, NO_PROXY: '127.0.0.1,localhost', npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const pids = [npm.pid!];
  cleanup.push(() => killAll(pids));
  let stderr = '';
  npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
  await waitFor(() => demo.airtable.faults.log.length > seen, 'a request of the sync to be in flight');
  const tree = processTree(npm.pid!).map((p) => p.pid);
  pids.push(...tree);
  assert.equal(tree.length, 2, 'npm and node');

  process.kill(to === 'group' ? -npm.pid! : npm.pid!, signal);
  const code = await exited;
  await waitFor(() => running(tree).length === 0, 'node to end', 5_000);
  assert.deepEqual(snapshot(where.content), before, 'content/ is as it was');
  assert.equal(existsSync(path.join(where.state, 'sync.lock')), false, 'no lock left');
  return { code, stderr };
}

test('`npm run sync`, SIGTERM to npm mid-run: exit 143, nothing written, no lock, no process left', { timeout: 30_000 }, async () => {
  const { code, stderr } = await stopSync('SIGTERM', 'npm');
  assert.equal(code, 143);
  assert.match(stderr, /^Sync stopped \(SIGTERM\): nothing was written and content\/ is unchanged; run npm run sync again\.$/m);
});

test('`npm run sync`, Ctrl-C mid-run (SIGINT to npm and node at once): exit 130, one stop, no lock', { timeout: 30_000 }, async () => {
  const { code, stderr } = await stopSync('SIGINT', 'group');
  assert.equal(code, 130);
  assert.match(stderr, /^Sync stopped \(SIGINT\): nothing was written and content\/ is unchanged; run npm run sync again\.$/m);
});
