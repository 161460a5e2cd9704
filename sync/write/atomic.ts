/**
 * Atomic file writes: the new content goes to a temporary file in the same folder, is flushed to disk, then
 * renamed over the old file, so a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name next to `file`, hidden, and unique per call. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to a flushed temporary file next to `file`; returns its path. */
export async function stage(file: string, data: string | Uint8Array): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
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
