/**
 * sync/lock.ts: one holder at a time, stale locks (dead pid, too old, unreadable, our own pid from an
 * earlier process) taken over with a log line, a lock never removed by anyone but its owner, and no lock left
 * behind when the process exits without releasing it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { LockError } from '../../sync/errors.ts';
import { acquireLock, describeHolder, type HeldLock } from '../../sync/lock.ts';
import { ROOT } from './helpers.ts';

let dir = '';
let file = '';
const dirs: string[] = [];
const held: HeldLock[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sync-lock-'));
  dirs.push(dir);
  file = path.join(dir, 'sync.lock');
});
after(async () => {
  for (const lock of held) await lock.release();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function take(options: Parameters<typeof acquireLock>[1] = {}): Promise<HeldLock> {
  const attempt = await acquireLock(file, options);
  assert.ok(attempt.acquired, 'the lock should have been acquired');
  held.push(attempt.lock);
  return attempt.lock;
}

const writeLock = (content: object) => writeFileSync(file, JSON.stringify({ hostname: hostname(), token: 'other', ...content }));
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

test('one holder at a time: the file names it; a second attempt says who holds it; release frees it', async () => {
  const lock = await take();
  const content = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.equal(content['pid'], process.pid);
  assert.equal(content['hostname'], hostname());
  assert.ok(Math.abs(Date.parse(String(content['startedAt'])) - Date.now()) < 60_000);

  const second = await acquireLock(file);
  assert.equal(second.acquired, false);
  assert.deepEqual(!second.acquired && second.holder, lock.holder);

  await lock.release();
  assert.equal(existsSync(file), false);
  await lock.release(); // twice is harmless
  await take();
});

test('a lock whose pid is not running on this host is taken over, with a log line', async () => {
  const pid = deadPid();
  writeLock({ pid, startedAt: new Date().toISOString() });
  const log: string[] = [];
  const lock = await take({ log: (line) => log.push(line) });
  assert.equal(lock.holder.pid, process.pid);
  assert.equal(log.length, 1);
  assert.match(log[0]!, new RegExp(`^Taking over the stale lock .*sync\\.lock \\(pid ${pid} on .*\\): process ${pid} is not running\\.$`));
});

test('a live holder keeps its lock until it is older than the maximum age', async () => {
  // pid 1 runs (init); another host's lock is judged by its age alone.
  writeLock({ pid: 1, hostname: 'elsewhere', startedAt: new Date().toISOString() });
  assert.equal((await acquireLock(file, { maxAgeMs: 60_000 })).acquired, false);
  writeLock({ pid: process.ppid, startedAt: new Date(Date.now() - 3 * 60_000).toISOString() });
  assert.equal((await acquireLock(file, { maxAgeMs: 10 * 60_000 })).acquired, false, 'a live local holder within the maximum age');
  const log: string[] = [];
  await take({ maxAgeMs: 60_000, log: (line) => log.push(line) });
  assert.match(log[0]!, /: it is older than 1 minute\.$/);
});

test('refresh() notes the port and the time: the age counts from the last refresh; a lock not ours is left alone', async () => {
  const lock = await take();
  await lock.refresh(8787);
  const attempt = await acquireLock(file);
  assert.ok(!attempt.acquired);
  assert.equal(attempt.holder?.port, 8787);
  assert.match(describeHolder(attempt.holder), new RegExp(`^pid ${process.pid} on .+, port 8787, since \\S+$`));
  await lock.release();
  // Another host's service, started hours ago: alive while it refreshes, stale once it stopped refreshing.
  const hoursAgo = new Date(Date.now() - 3 * 60 * 60_000).toISOString();
  writeLock({ pid: 1, hostname: 'elsewhere', startedAt: hoursAgo, refreshedAt: new Date().toISOString() });
  assert.equal((await acquireLock(file, { maxAgeMs: 10 * 60_000 })).acquired, false);
  writeLock({ pid: 1, hostname: 'elsewhere', startedAt: hoursAgo, refreshedAt: new Date(Date.now() - 20 * 60_000).toISOString() });
  const taken = await take({ maxAgeMs: 10 * 60_000 });
  writeLock({ pid: 1, startedAt: new Date().toISOString() });
  await taken.refresh(1);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { token: string }).token, 'other', 'the other holder keeps its lock');
});

test('a lock naming this very pid but not held here (an earlier process with the same pid) is stale', async () => {
  writeLock({ pid: process.pid, startedAt: new Date().toISOString() });
  const log: string[] = [];
  await take({ log: (line) => log.push(line) });
  assert.match(log[0]!, /it names this process, which does not hold it/);
});

test('an unreadable lock is being written while fresh, and stale once old', async () => {
  writeFileSync(file, '');
  const fresh = await acquireLock(file);
  assert.deepEqual(fresh, { acquired: false, holder: undefined });
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
  const log: string[] = [];
  await take({ log: (line) => log.push(line) });
  assert.match(log[0]!, /^Taking over the stale lock .*: the lock file is unreadable\.$/);
});

test('release leaves alone a lock that someone else has since taken over', async () => {
  const lock = await take();
  writeLock({ pid: 1, startedAt: new Date().toISOString() });
  await lock.release();
  assert.equal(existsSync(file), true);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid, 1);
});

test('a state folder that cannot hold the lock: a LockError saying what to fix', async () => {
  const notADir = path.join(dir, 'state');
  writeFileSync(notADir, 'a file, not a folder');
  await assert.rejects(acquireLock(path.join(notADir, 'sync.lock')), (error: unknown) => {
    assert.ok(error instanceof LockError);
    assert.match(
      error.message,
      /^cannot use the lock file .*state\/sync\.lock \((EEXIST|ENOTDIR)\): make the service's stateDir \(.*state\) a folder this user can write\.$/,
    );
    return true;
  });
});

test('a process that exits without releasing (process.exit, an uncaught error) leaves no lock behind', async () => {
  const lockModule = path.join(ROOT, 'sync/lock.ts');
  for (const ending of ['process.exit(0)', "throw new Error('boom')"]) {
    const script = `import { acquireLock } from ${JSON.stringify(lockModule)};
const a = await acquireLock(${JSON.stringify(file)});
if (!a.acquired) process.exit(9);
process.stdout.write('held\\n');
${ending};`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(out, 'held\n', `the child took the lock (${ending})`);
    assert.notEqual(code, 9);
    assert.equal(existsSync(file), false, `no lock left after ${ending}`);
  }
});
