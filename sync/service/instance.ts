/**
 * One service per folder: `<stateDir>/service.lock` (sync/lock.ts) is held for the service's whole life, with its
 * pid, host and trigger port. A second `npm run serve:sync` on the same state folder finds it held and stops at once,
 * naming the first one; without this both would run, one skipping its runs and both writing status.json.
 * The lock is written again every minute, so that a service on another host sharing the folder (where the pid cannot
 * be checked) counts as gone 10 minutes after its last sign of life. A dead holder on this host is found by its pid.
 */
import path from 'node:path';
import { LockError } from '../errors.ts';
import { acquireLock, describeHolder, type HeldLock } from '../lock.ts';

const REFRESH_MS = 60_000;
const MAX_AGE_MS = 10 * 60_000;

export interface FolderClaim {
  /** Notes the trigger endpoint's port in the lock, for a second service's message. */
  setPort(port: number): Promise<void>;
  release(): Promise<void>;
}

/** Takes `<stateDir>/service.lock`, or rejects with a LockError naming the service that holds it. */
export async function claimFolder(
  config: { root: string; service: { stateDir: string } },
  log: (line: string) => void,
): Promise<FolderClaim> {
  const stateDir = path.resolve(config.root, config.service.stateDir);
  const attempt = await acquireLock(path.join(stateDir, 'service.lock'), { maxAgeMs: MAX_AGE_MS, log });
  if (!attempt.acquired) {
    const who = attempt.holder ? describeHolder(attempt.holder) : 'a process that is starting';
    const stop = attempt.holder ? ` (kill -TERM ${attempt.holder.pid} on ${attempt.holder.hostname})` : '';
    throw new LockError(
      `another sync service is running on the state folder ${stateDir}: ${who}. Stop it first${stop}, or give this one its own stateDir.`,
    );
  }
  const lock: HeldLock = attempt.lock;
  let port: number | undefined;
  const refresh = () => lock.refresh(port).catch((error: unknown) => log(`Could not refresh ${lock.file}: ${(error as Error).message}`));
  const timer = setInterval(() => void refresh(), REFRESH_MS).unref();
  return {
    async setPort(value) {
      port = value;
      await refresh();
    },
    async release() {
      clearInterval(timer);
      await lock.release();
    },
  };
}
