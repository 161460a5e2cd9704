/**
 * Step 7, write: all of the edition's changes or none, even if the process is killed halfway (see
 * ../write/journal.ts): every changed JSON file is staged next to the new photos (staged by the mirror step), the
 * journal of renames is committed, then the renames are made (photos first, so every photo a file names exists),
 * then the photos nothing refers to any more are deleted, then the journal.
 *
 * A failure before the commit (a full disk while staging) deletes what was staged: content/ keeps its files. A
 * failure after it leaves the journal, which the next sync or build completes.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stage, type WriteHooks } from './atomic.ts';
import { applyJournal, commitJournal, JOURNAL, journalPath, newJournal, stagedRename } from './journal.ts';
import type { FileChange } from './diff.ts';
import { WriteError } from './errors.ts';

export interface WritePlan {
  /** The edition folder: every file below is inside it; the journal goes there. */
  dir: string;
  files: FileChange[];
  /** Final path → staged temporary file (already on the same disk). The write owns them: used or deleted. */
  stagedPhotos: Map<string, string>;
  removedPhotos: string[];
}

/** Applies the plan; returns the paths written or removed. Rejects with a WriteError. */
export async function writePlan(plan: WritePlan, hooks: WriteHooks = {}): Promise<string[]> {
  const reached = hooks.reached ?? (() => Promise.resolve());
  const staged = new Map(plan.stagedPhotos);
  const discard = () => Promise.all([...staged.values()].map((temp) => rm(temp, { force: true })));
  let current = plan.dir;
  try {
    for (const { file, chunks } of plan.files) {
      current = file;
      staged.set(file, await stage(file, chunks(), hooks));
    }
    await reached('staged');
    current = path.join(plan.dir, JOURNAL);
    // One at a time: each hashes its staged file through a read stream, and 300 photos at once are 300 buffers.
    const renames = [];
    for (const [file, temp] of staged) renames.push(await stagedRename(plan.dir, temp, file));
    const journal = newJournal(
      renames,
      plan.removedPhotos.map((file) => journalPath(plan.dir, file)),
    );
    await commitJournal(plan.dir, journal, hooks);
    await reached('committed');
    try {
      await applyJournal(plan.dir, journal, (done) => reached(`renamed-${done}`));
    } catch (error) {
      throw new WriteError(plan.dir, error, true);
    }
  } catch (error) {
    if (error instanceof WriteError) throw error;
    await discard();
    throw new WriteError(current, error, false);
  }
  return [...staged.keys(), ...plan.removedPhotos].map((file) => path.resolve(file));
}
