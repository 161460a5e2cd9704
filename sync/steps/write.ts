/**
 * Step 7, write: new photos first, then the changed JSON files, each atomically (temp file + rename), then the
 * photos nothing refers to any more. At every moment every photo a file names exists.
 */
import { rename, rm } from 'node:fs/promises';
import { writeAtomic } from '../write/atomic.ts';
import type { FileChange } from './diff.ts';

export interface WritePlan {
  files: FileChange[];
  /** Final path → staged temporary file (already on the same disk). */
  stagedPhotos: Map<string, string>;
  removedPhotos: string[];
}

/** Applies the plan; returns the paths written or removed. */
export async function writePlan(plan: WritePlan): Promise<string[]> {
  const touched: string[] = [];
  for (const [file, temp] of plan.stagedPhotos) {
    await rename(temp, file);
    touched.push(file);
  }
  for (const { file, content } of plan.files) {
    await writeAtomic(file, content);
    touched.push(file);
  }
  for (const file of plan.removedPhotos) {
    await rm(file, { force: true });
    touched.push(file);
  }
  return touched;
}
