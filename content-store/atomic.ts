/**
 * Atomic file writes: the new content goes to a temporary file in the same folder, is flushed to disk, then
 * renamed over the old file, so a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name next to `file`, hidden, and unique per call. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Where a caller may step into a write: tests simulate a full disk (`writeBytes`) or stop the process at a point of
 * an edition's write (`reached`, see write.ts). Product code passes none.
 */
export interface WriteHooks {
  /** Writes the bytes of a staged file; by default `handle.writeFile(bytes)`. */
  writeBytes?: (handle: FileHandle, bytes: Uint8Array) => Promise<void>;
  /** Called when an edition's write reaches `point`; the write goes on when it resolves. */
  reached?: (point: WritePoint) => Promise<void>;
}

/** The points of an edition's write: every file staged, the journal committed, the n-th rename made. */
type WritePoint = 'staged' | 'committed' | `renamed-${number}`;

const BATCH_BYTES = 1 << 20;

/** Writes `data` (or a series of strings, in order) to a flushed temporary file next to `file`; returns its path. */
export async function stage(
  file: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
  hooks: WriteHooks = {},
): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx');
  const writeData = (bytes: Uint8Array) => (hooks.writeBytes ? hooks.writeBytes(handle, bytes) : handle.writeFile(bytes));
  try {
    if (typeof data === 'string') await writeData(Buffer.from(data));
    else if (data instanceof Uint8Array) await writeData(data);
    else {
      // The pieces are copied into one buffer of about a megabyte, reused, so that a large file is written in a few
      // calls and leaves no trail of megabyte strings or buffers for the GC to find.
      let buffer = Buffer.allocUnsafe(BATCH_BYTES);
      let used = 0;
      for (const piece of data) {
        const size = typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
        if (used > 0 && used + size > buffer.length) {
          await writeData(buffer.subarray(0, used));
          used = 0;
        }
        if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
        if (typeof piece === 'string') used += buffer.write(piece, used);
        else {
          buffer.set(piece, used);
          used += size;
        }
      }
      if (used > 0) await writeData(buffer.subarray(0, used));
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
export async function writeAtomic(file: string, data: string | Uint8Array, hooks: WriteHooks = {}): Promise<void> {
  const temp = await stage(file, data, hooks);
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
