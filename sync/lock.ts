/**
 * The lock file that keeps two sync services (on this machine, or sharing the state folder) from running a sync at
 * the same time: `<stateDir>/sync.lock`, created with O_EXCL (`wx`), holding who has it (pid, hostname, startedAt)
 * and a random token so that only its owner removes it.
 *
 * A lock left behind by a process that died (kill -9, power loss) is taken over, with a log line, when
 * - its pid is not running on this host (process.kill(pid, 0) → ESRCH), or it is our own pid but not held by this
 *   process (a restarted container often gets the same pid), or
 * - it is older than `maxAgeMs` (the only test that works for a lock written on another host), or
 * - it is unreadable and more than a few seconds old (a writer that died between creating and filling it).
 * While held, a process 'exit' hook removes it, so even an unexpected exit leaves no lock behind. A long-lived holder
 * (the service's `service.lock`, sync/service/instance.ts) calls refresh() now and then: the age counts from then.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { LockError } from './errors.ts';

/** Who holds the lock, as the file says. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  /** The holder's HTTP port, when it has one (the service's trigger endpoint). */
  port?: number;
}

export interface HeldLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
  /** Writes the lock again with the time of now (its age counts from then) and `port`; nothing if it is not ours. */
  refresh(port?: number): Promise<void>;
}

export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockHolder | undefined };

export interface LockOptions {
  /** A lock older than this is stale whoever holds it (default 2 hours: longer than any sync and build). */
  maxAgeMs?: number;
  /** Where the take-over of a stale lock is said. */
  log?: (line: string) => void;
}

/** The one lock of a project's syncs: the service's runs and `npm run sync`. */
export const syncLockFile = (config: { root: string; service: { stateDir: string } }): string =>
  path.join(path.resolve(config.root, config.service.stateDir), 'sync.lock');

const DEFAULT_LOCK_MAX_AGE_MS = 2 * 60 * 60 * 1000;
/** An unreadable lock younger than this is being written by its owner: held, not stale. */
const UNREADABLE_GRACE_MS = 10_000;

/** Lock files this process holds, so a second runner in the same process never mistakes one for a stale lock. */
const heldHere = new Set<string>();

interface LockContent extends LockHolder {
  token: string;
  /** The last refresh(): the age counts from it. */
  refreshedAt?: string;
}

function parse(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    if (
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.token === 'string' &&
      (value.port === undefined || typeof value.port === 'number') &&
      (value.refreshedAt === undefined || typeof value.refreshedAt === 'string')
    ) {
      return value as LockContent;
    }
  } catch {
    // Not JSON: being written, or damaged.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Why the lock in `file` is stale, or undefined when its holder may still be working. */
async function staleReason(file: string, content: LockContent | undefined, maxAgeMs: number): Promise<string | undefined> {
  if (!content) {
    const age = Date.now() - (await stat(file)).mtimeMs;
    return age > UNREADABLE_GRACE_MS ? 'the lock file is unreadable' : undefined;
  }
  const age = Date.now() - Date.parse(content.refreshedAt ?? content.startedAt);
  if (content.hostname === hostname()) {
    if (content.pid === process.pid && !heldHere.has(file))
      return 'it names this process, which does not hold it (an earlier process had the same pid)';
    if (content.pid !== process.pid && !isAlive(content.pid)) return `process ${content.pid} is not running`;
  }
  const minutes = Math.round(maxAgeMs / 60_000);
  if (!(age <= maxAgeMs)) return `it is older than ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return undefined;
}

/** `pid 123 on host, since 2025-…`, for log lines. */
export const describeHolder = (h: LockHolder): string =>
  `pid ${h.pid} on ${h.hostname}${h.port === undefined ? '' : `, port ${h.port}`}, since ${h.startedAt}`;

function fsError(file: string, error: unknown): LockError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new LockError(
    `cannot use the lock file ${file} (${code}): make the service's stateDir (${path.dirname(file)}) a folder this user can write.`,
    { cause: error },
  );
}

async function create(file: string): Promise<HeldLock | undefined> {
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw fsError(file, error);
  }
  try {
    await handle.writeFile(`${JSON.stringify(content)}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(file).catch(() => undefined);
    throw fsError(file, error);
  }
  await handle.close();
  heldHere.add(file);
  const ours = (text: string) => parse(text)?.token === content.token;
  const onExit = () => {
    try {
      if (ours(readFileSync(file, 'utf8'))) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  let released = false;
  const { token: _token, ...holder } = content;
  return {
    file,
    holder,
    async refresh(port?: number) {
      if (released || !ours(await readFile(file, 'utf8').catch(() => ''))) return;
      const next: LockContent = { ...content, ...(port === undefined ? {} : { port }), refreshedAt: new Date().toISOString() };
      Object.assign(content, next);
      if (port !== undefined) holder.port = port;
      // A new file renamed over the lock: a reader sees the old content or the new one, never half of it.
      const temp = `${file}.refresh-${process.pid}`;
      try {
        await writeFile(temp, `${JSON.stringify(next)}\n`);
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw fsError(file, error);
      }
    },
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      heldHere.delete(file);
      const text = await readFile(file, 'utf8').catch(() => '');
      if (ours(text)) await unlink(file).catch(() => undefined);
    },
  };
}

/** Moves a stale lock aside and deletes it; false when it changed meanwhile (someone else took it over). */
async function removeStale(file: string, seen: string): Promise<boolean> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw fsError(file, error);
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== seen) {
    // Another process replaced the stale lock with its own between our read and our rename: put it back.
    await link(aside, file).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/** Takes the lock, or says who holds it. Rejects with a LockError when the state folder is not usable. */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<LockAttempt> {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_LOCK_MAX_AGE_MS;
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw fsError(file, error);
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = await create(file);
    if (lock) return { acquired: true, lock };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again
      throw fsError(file, error);
    }
    const content = parse(text);
    const reason = await staleReason(file, content, maxAgeMs).catch(() => undefined);
    if (!reason)
      return {
        acquired: false,
        holder: content && {
          pid: content.pid,
          hostname: content.hostname,
          startedAt: content.startedAt,
          ...(content.port === undefined ? {} : { port: content.port }),
        },
      };
    if (!(await removeStale(file, text))) return { acquired: false, holder: undefined };
    options.log?.(`Taking over the stale lock ${file}${content ? ` (${describeHolder(content)})` : ''}: ${reason}.`);
  }
  return { acquired: false, holder: undefined };
}
