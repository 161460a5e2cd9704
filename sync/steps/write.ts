/**
 * Step 7, write: all of the edition's changes or none, even if the process is killed halfway (see
 * ../write/journal.ts): every changed JSON file is staged next to the new photos (staged by the mirror step), the
 * journal of renames is committed, then the renames are made (photos first, so every photo a file names exists),
 * then the photos nothing refers to any more are deleted, then the journal.
 *
 * A failure before the commit (a full disk while staging) deletes what was staged: content/ keeps its files. A
 * failure after it leaves the journal, which the next sync or build completes.
 *
 * Tests only: SYNC_TEST_PAUSE_WRITE=staged|committed|renamed-1 pauses the write at that point for 60 s after
 * saying so on stderr, so that a test can SIGKILL the process exactly there.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stage } from '../write/atomic.ts';
import { applyJournal, commitJournal, JOURNAL, journalPath, newJournal, stagedRename } from '../write/journal.ts';
import type { FileChange } from './diff.ts';

export interface WritePlan {
  /** The edition folder: every file below is inside it; the journal goes there. */
  dir: string;
  files: FileChange[];
  /** Final path → staged temporary file (already on the same disk). The write owns them: used or deleted. */
  stagedPhotos: Map<string, string>;
  removedPhotos: string[];
}

/** A file of the plan could not be written. `committed`: the journal was written, the next sync completes it. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly file: string;
  readonly code: string | undefined;
  readonly committed: boolean;
  constructor(file: string, cause: unknown, committed: boolean) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`${file}: ${code ?? String(cause)}`, { cause });
    this.file = file;
    this.code = code;
    this.committed = committed;
  }
}

/** What an errno means for the person who has to free the disk or fix the permissions. */
export function describeWriteError(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (ENOSPC). Free space on the disk that holds content/';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT). Free space or raise the quota';
    case 'EFBIG':
      return 'a file is larger than this process may write (EFBIG). Raise the file-size limit of the sync (ulimit -f)';
    case 'EROFS':
      return 'the disk is read-only (EROFS). Mount it writable';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}). Let the user that runs the sync write to content/`;
    default:
      return `${code ?? 'an unexpected error'}. Check the disk that holds content/`;
  }
}

async function pausePoint(point: 'staged' | 'committed' | 'renamed-1'): Promise<void> {
  if (process.env['SYNC_TEST_PAUSE_WRITE'] !== point) return;
  process.stderr.write(`SYNC_TEST_PAUSE_WRITE: the write is paused at "${point}" (pid ${process.pid}).\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

/** Applies the plan; returns the paths written or removed. Rejects with a WriteError. */
export async function writePlan(plan: WritePlan): Promise<string[]> {
  const staged = new Map(plan.stagedPhotos);
  const discard = () => Promise.all([...staged.values()].map((temp) => rm(temp, { force: true })));
  let current = plan.dir;
  try {
    for (const { file, chunks } of plan.files) {
      current = file;
      staged.set(file, await stage(file, chunks()));
    }
    await pausePoint('staged');
    current = path.join(plan.dir, JOURNAL);
    // One at a time: each hashes its staged file through a read stream, and 300 photos at once are 300 buffers.
    const renames = [];
    for (const [file, temp] of staged) renames.push(await stagedRename(plan.dir, temp, file));
    const journal = newJournal(renames, plan.removedPhotos.map((file) => journalPath(plan.dir, file)));
    await commitJournal(plan.dir, journal);
    await pausePoint('committed');
    try {
      await applyJournal(plan.dir, journal, (done) => (done === 1 ? pausePoint('renamed-1') : Promise.resolve()));
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
