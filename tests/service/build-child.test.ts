/**
 * A build child never outlives the service (sync/service/targets/build-child.ts), with real processes: an abort
 * ends its whole process group; an uncaught error in the service ends it; kill -9 of `npm run serve:sync`'s node
 * ends the real Astro build within 5 s, and the unfinished build folder it leaves does not push an older good build
 * out of the ones kept.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startDemoEmulators } from '../../dev/demo/emulators.ts';
import { runInGroup } from '../../sync/service/targets/build-child.ts';
import { groupMembers, processTree } from './processes.ts';
import { configFile, ROOT, scratch, spawnService, waitFor } from './helpers.ts';

const cleanup: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A shell and two sleeps in the background: a group of three that lives 30 s unless it is ended. */
const SLEEPERS = ['-c', 'sleep 30 & sleep 30 & wait'];

/** The group of the shell `parent` started, once its sleeps run. */
async function sleepersOf(parent: number): Promise<number> {
  const shell = await waitFor(
    () => processTree(parent).find((p) => p.command.startsWith('sh -c sleep 30') && processTree(p.pid).length === 3),
    'the shell and its two sleeps',
    5_000,
  );
  cleanup.push(() => {
    for (const p of groupMembers(shell.pgid)) process.kill(p.pid, 'SIGKILL');
  });
  return shell.pgid;
}

test('an abort ends the whole group (the shell and what it started), not just the child', { timeout: 15_000 }, async () => {
  const stop = new AbortController();
  const run = runInGroup('sh', SLEEPERS, { cwd: ROOT, env: process.env }, stop.signal);
  const pgid = await sleepersOf(process.pid);
  assert.notEqual(pgid, process.pid, 'its own process group');
  stop.abort(new Error('service stopping'));
  await assert.rejects(run, /^Error: service stopping$/);
  await waitFor(() => groupMembers(pgid).length === 0, 'the group to end', 5_000);
});

test('an uncaught error in the service ends the group on its way out', { timeout: 15_000 }, async () => {
  const script = `
    const { runInGroup } = await import(${JSON.stringify(path.join(ROOT, 'sync/service/targets/build-child.ts'))});
    process.on('SIGUSR2', () => { throw new Error('a bug'); });
    void runInGroup('sh', ${JSON.stringify(SLEEPERS)}, { cwd: process.cwd(), env: process.env }, new AbortController().signal);`;
  const service = spawn(process.execPath, ['--input-type=module', '--eval', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  cleanup.push(() => void service.kill('SIGKILL'));
  let stderr = '';
  service.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => service.once('exit', resolve));
  const pgid = await sleepersOf(service.pid!);
  service.kill('SIGUSR2');
  assert.equal(await exited, 1);
  assert.match(stderr, /Error: a bug/);
  await waitFor(() => groupMembers(pgid).length === 0, 'the group to end', 5_000);
});

test(
  'kill -9 of the service mid-build: the Astro build ends within 5 s; its unfinished folder displaces no kept build',
  { timeout: 60_000 },
  async (t) => {
    const demo = await startDemoEmulators({ airtable: { rateLimit: false } });
    cleanup.push(() => demo.close());
    const where = scratch();
    cleanup.push(() => where.remove());
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'build-child-site-')), 'site');
    cleanup.push(() => rmSync(path.dirname(siteDir), { recursive: true, force: true }));
    // A state folder outside the project builds with a one-off scratch folder in .scratch/: a killed build leaves it.
    const scratchDirs = () => new Set(existsSync(path.join(ROOT, '.scratch')) ? readdirSync(path.join(ROOT, '.scratch')) : []);
    const scratchBefore = scratchDirs();
    cleanup.push(() => {
      for (const name of scratchDirs()) {
        if (name.startsWith('sync-build-') && !scratchBefore.has(name))
          rmSync(path.join(ROOT, '.scratch', name), { recursive: true, force: true });
      }
    });
    // The site served now: a good build made earlier (nothing tells its content, so the start run builds again).
    const builds = path.join(where.state, 'builds');
    const good = path.join(builds, '2024-01-01T00-00-00.000Z-1');
    mkdirSync(good, { recursive: true });
    writeFileSync(path.join(good, 'index.html'), '<!doctype html><title>The good build</title>');
    symlinkSync(good, siteDir);
    const file = configFile(where, { target: { kind: 'local', siteDir, keep: 2 } });
    const env = { ...demo.env, CONTENT_DIR: where.content };

    const first = spawnService(file, env);
    cleanup.push(() => void first.child.kill('SIGKILL'));
    const build = await waitFor(
      () => processTree(first.child.pid!).find((p) => p.command.includes('--eval')),
      `the build child; log:\n${first.stderr.join('\n')}`,
      15_000,
    );
    assert.equal(build.pgid, build.pid, 'the build leads its own process group');
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = Date.now();
    await waitFor(() => groupMembers(build.pgid).length === 0, 'the orphaned build group to end', 5_000);
    const endedMs = Date.now() - killed;
    t.diagnostic(`the orphaned build ended ${endedMs} ms after the kill -9`);
    const left = readdirSync(builds).filter((name) => name.endsWith('.partial'));
    assert.equal(left.length, 1, 'the killed build left its unfinished folder');

    const second = spawnService(file, env);
    cleanup.push(() => void second.child.kill('SIGKILL'));
    const run = await waitFor(() => second.runs()[0], `the start run; log:\n${second.stderr.join('\n')}`, 25_000);
    second.child.kill('SIGTERM');
    await second.exited;
    assert.equal(run.result, 'published', run.error);
    assert.match(run.published ?? '', /; removed 1 unfinished build folder$/);
    const kept = readdirSync(builds).sort();
    assert.equal(kept.length, 2, kept.join(', '));
    assert.equal(kept[0], path.basename(good), 'the older good build is still kept');
    assert.match(kept[1]!, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-1$/);
  },
);
