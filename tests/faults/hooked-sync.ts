/**
 * `npm run sync` (sync/cli.ts's runCli) with the write hooks the fault tests need, set from this process's
 * environment — test code reads it, product code never does:
 * - SYNC_TEST_PAUSE_WRITE=staged|committed|renamed-1 pauses the write at that point for 60 s after saying so on
 *   stderr, so that a test can SIGKILL the process exactly there;
 * - SYNC_TEST_DISK_FULL_AFTER=<bytes> gives the process a disk with that many bytes free for what the sync stages
 *   (photos, collection files, the journal), counted over every write: the write that crosses the limit writes what
 *   still fits, then fails with ENOSPC as write(2) does on a full disk.
 */
import type { FileHandle } from 'node:fs/promises';
import type { WriteHooks } from '../../content-store/atomic.ts';
import { runCli } from '../../sync/cli.ts';

const hooks: WriteHooks = {};

const pauseAt = process.env['SYNC_TEST_PAUSE_WRITE'];
if (pauseAt) {
  hooks.reached = async (point) => {
    if (point !== pauseAt) return;
    process.stderr.write(`SYNC_TEST_PAUSE_WRITE: the write is paused at "${point}" (pid ${process.pid}).\n`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  };
}

const space = process.env['SYNC_TEST_DISK_FULL_AFTER'];
if (space !== undefined && space.trim() !== '') {
  const free = Number(space);
  if (!Number.isInteger(free) || free < 0)
    throw new RangeError(`SYNC_TEST_DISK_FULL_AFTER must be a whole number of bytes, not "${space}".`);
  let written = 0;
  hooks.writeBytes = async (handle: FileHandle, bytes: Uint8Array) => {
    const fits = bytes.subarray(0, Math.max(0, free - written));
    await handle.writeFile(fits);
    written += fits.byteLength;
    if (fits.byteLength < bytes.byteLength) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
    }
  };
}

process.exitCode = await runCli(process.argv.slice(2), hooks);
