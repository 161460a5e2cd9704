/**
 * Atomic file writes: the new content goes to a temporary file in the same folder, is flushed to disk, then
 * renamed over the old file, so a reader (or a crash) sees the old file or the new one, never half of one.
 *
 * Tests only: SYNC_TEST_DISK_FULL_AFTER=<bytes> gives this process a disk with that many bytes free for what
 * `stage` (and so `writeAtomic`) writes, counted over every call: the write that crosses the limit writes what
 * still fits, then fails with ENOSPC as write(2) does on a full disk. Inert unless set.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name next to `file`, hidden, and unique per call. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Bytes staged so far by this process, against SYNC_TEST_DISK_FULL_AFTER. */
let testBytesWritten = 0;

/** The free space SYNC_TEST_DISK_FULL_AFTER simulates, or undefined when it is not set. */
function testDiskSpace(): number | undefined {
  const value = process.env['SYNC_TEST_DISK_FULL_AFTER'];
  if (value === undefined || value.trim() === '') return undefined;
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`SYNC_TEST_DISK_FULL_AFTER must be a whole number of bytes, not "${value}".`);
  return bytes;
}

/** Writes `data` to the open file, or (SYNC_TEST_DISK_FULL_AFTER) what fits and then fails like a full disk. */
async function writeData(handle: FileHandle, data: string | Uint8Array): Promise<void> {
  const space = testDiskSpace();
  if (space === undefined) return handle.writeFile(data);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const room = Math.max(0, space - testBytesWritten);
  const fits = bytes.subarray(0, room);
  await handle.writeFile(fits);
  testBytesWritten += fits.byteLength;
  if (fits.byteLength < bytes.byteLength) {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
  }
}

/** Strings joined into pieces of about a megabyte, so that a large file is written in a few calls. */
function* batches(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

/** Writes `data` (or a series of strings, in order) to a flushed temporary file next to `file`; returns its path. */
export async function stage(file: string, data: string | Uint8Array | Iterable<string>): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await writeData(handle, data);
    else {
      // One buffer, reused for every piece: a large file leaves no trail of megabyte buffers for the GC to find.
      let buffer = Buffer.alloc(0);
      for (const piece of batches(data)) {
        const size = Buffer.byteLength(piece);
        if (buffer.length < size) buffer = Buffer.allocUnsafe(size);
        buffer.write(piece);
        await writeData(handle, buffer.subarray(0, size));
      }
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/** Writes `file` atomically. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = await stage(file, data);
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
