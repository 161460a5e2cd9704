/**
 * The write journal: an edition's files change all together or not at all, even when the sync is killed (SIGKILL,
 * power loss) halfway through its write.
 *
 * Renaming one file over another is atomic, but a sync changes several files (people.json, papers.json,
 * schedule.json, photos) and renames them one after another. So the write goes:
 *   1. stage: every new file is written to a hidden temporary file next to its final place and flushed;
 *   2. commit: `<edition>/.sync-journal.json` lists the renames (temporary → final, relative to the edition folder)
 *      and the photos to delete; it is written atomically and the folder flushed. From here on the new set is the
 *      edition's content;
 *   3. apply: the renames, then the deletions;
 *   4. the journal is deleted.
 * A crash before 2 leaves the old files (and stray temporary files, which the next sync deletes: `removeStaleTemps`);
 * a crash after 2 leaves a journal that is rolled forward (`finishInterruptedWrites`) before anything reads
 * content/: at the start of every sync, by the site's content loader (`npm run build`, `astro dev`) and by
 * `npm run check:content`. Rolling forward is idempotent (a rename whose temporary file is gone but whose target
 * holds the staged bytes — the journal keeps their SHA-256 — was done), so a reader and the writer may both apply the
 * same journal. A staged file that is gone while its target does not hold its bytes (deleted by hand, a cleanup)
 * stops the roll-forward before any rename, with a JournalError: finishing the rest would mix two syncs' files.
 *
 * Not covered: a reader that opens content/ files without going through one of those (e.g. `cat`) during the few
 * milliseconds of step 3 sees files of both syncs until the next roll-forward.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic, type WriteHooks } from './atomic.ts';
import { JournalError } from './errors.ts';

/** The journal's file name inside an edition folder (hidden: nothing else reads it). */
export const JOURNAL = '.sync-journal.json';

export interface Journal {
  version: 1;
  /** Random; a journal is deleted only by whoever finds it still the same one. */
  id: string;
  /** Who wrote it, for the message after a crash. */
  pid: number;
  createdAt: string;
  /** Staged file → final file, both relative to the edition folder, and the staged bytes' SHA-256 (hex). */
  renames: JournalRename[];
  /** Files to delete after the renames (photos nothing refers to any more), relative to the edition folder. */
  removals: string[];
}

export interface JournalRename {
  from: string;
  to: string;
  /** Tells a finished rename (the target holds these bytes) from a staged file lost before its rename. */
  sha256?: string;
}

/** A path inside `dir`, or undefined for one that would leave it (`..`, absolute). */
function inside(dir: string, relative: unknown): string | undefined {
  if (typeof relative !== 'string' || relative === '' || path.isAbsolute(relative)) return undefined;
  const full = path.resolve(dir, relative);
  return full.startsWith(dir + path.sep) ? full : undefined;
}

/** `path` relative to `dir` with forward slashes, as the journal stores it. */
export const journalPath = (dir: string, file: string): string => path.relative(dir, file).split(path.sep).join('/');

/** Flushes a folder's entries (new names, renames) to disk. Best effort: not every platform can open a folder. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EPERM on some platforms: the renames are still atomic, only their durability is up to the OS.
  }
}

/** A file's SHA-256, read as a stream (a staged papers.json can be tens of megabytes). */
async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The journal's entry for renaming the staged `temp` over `file` (both inside `dir`), with the staged bytes' digest. */
export async function stagedRename(dir: string, temp: string, file: string): Promise<JournalRename> {
  return { from: journalPath(dir, temp), to: journalPath(dir, file), sha256: await sha256Of(temp) };
}

/** Whether a rename of the journal already happened: its staged file is gone and its target holds the staged bytes. */
async function renamed(target: string, entry: JournalRename): Promise<boolean> {
  if (!existsSync(target)) return false;
  if (entry.sha256 === undefined) return true;
  return (await sha256Of(target).catch(() => undefined)) === entry.sha256;
}

export function newJournal(renames: Journal['renames'], removals: string[]): Journal {
  return { version: 1, id: randomBytes(8).toString('hex'), pid: process.pid, createdAt: new Date().toISOString(), renames, removals };
}

/** Step 2: writes the journal atomically and flushes the folder; from now on the write completes, even after a crash. */
export async function commitJournal(dir: string, journal: Journal, hooks: WriteHooks = {}): Promise<void> {
  await writeAtomic(path.join(dir, JOURNAL), `${JSON.stringify(journal, null, 2)}\n`, hooks);
  await syncDir(dir);
}

/**
 * Steps 3 and 4: the renames (calling `afterRename` after each, for tests), the deletions, then the journal itself.
 * Safe to run twice, or by two processes at once.
 */
export async function applyJournal(folder: string, journal: Journal, afterRename?: (done: number) => Promise<void>): Promise<void> {
  const dir = path.resolve(folder);
  let done = 0;
  const folders = new Set([dir]);
  const paths = journal.renames.map((entry) => {
    const source = inside(dir, entry.from);
    const target = inside(dir, entry.to);
    if (!source || !target)
      throw new JournalError(
        `${JOURNAL} in ${dir} names a file outside the edition (${entry.from} → ${entry.to}); restore the edition from git and delete the journal.`,
      );
    return { entry, source, target };
  });
  const lost = (from: string) =>
    new JournalError(
      `the interrupted write of ${dir} cannot be finished: its staged file ${from} is gone. Restore the edition from git, delete ${JOURNAL}, and sync again.`,
    );
  // Every rename must still be possible (or done) before the first one: a lost staged file stops it all.
  for (const { entry, source, target } of paths) {
    if (!existsSync(source) && !(await renamed(target, entry))) throw lost(entry.from);
  }
  for (const { entry, source, target } of paths) {
    try {
      await rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Gone but the target holds its bytes: renamed meanwhile (by another roll-forward, or by the writer).
      if (!(await renamed(target, entry))) throw lost(entry.from);
    }
    folders.add(path.dirname(target));
    done++;
    await afterRename?.(done);
  }
  for (const removal of journal.removals) {
    const file = inside(dir, removal);
    if (file) await rm(file, { force: true });
  }
  for (const touched of folders) await syncDir(touched);
  const file = path.join(dir, JOURNAL);
  const current = await readJournal(dir).catch(() => undefined);
  if (current?.id === journal.id) await unlink(file).catch(() => undefined);
  await syncDir(dir);
}

/** The journal of an edition folder, or undefined when there is none. */
async function readJournal(dir: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, JOURNAL), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = (() => {
    try {
      return JSON.parse(text) as Partial<Journal>;
    } catch {
      return undefined;
    }
  })();
  if (
    value?.version !== 1 ||
    typeof value.id !== 'string' ||
    !Array.isArray(value.renames) ||
    !value.renames.every(
      (r) => typeof r?.from === 'string' && typeof r.to === 'string' && (r.sha256 === undefined || typeof r.sha256 === 'string'),
    ) ||
    !Array.isArray(value.removals)
  ) {
    throw new JournalError(
      `${path.join(dir, JOURNAL)} is damaged, so an interrupted write cannot be finished. Restore the edition from git (git checkout -- ${dir}), delete the journal, and sync again.`,
    );
  }
  return value as Journal;
}

/**
 * Rolls forward every edition's leftover journal under `contentDir`. Returns one line per finished write, e.g.
 * `content/2024_2: finished the write of a sync that stopped halfway (pid 123, 2025-…): 3 files.`
 */
export async function finishInterruptedWrites(contentDir: string, shown: (dir: string) => string = (d) => d): Promise<string[]> {
  const lines: string[] = [];
  const entries = await readdir(contentDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(contentDir, entry.name);
    const journal = await readJournal(dir);
    if (!journal) continue;
    await applyJournal(dir, journal);
    const count = journal.renames.length + journal.removals.length;
    lines.push(
      `${shown(dir)}: finished the write of a sync that stopped halfway (pid ${journal.pid}, ${journal.createdAt}): ${count} file${count === 1 ? '' : 's'}.`,
    );
  }
  return lines;
}

/** A staged file's name: `.<name>.<pid>.<8 hex>.tmp` (see atomic.ts). */
const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the staged files of processes that are gone (a sync killed before its commit), in an edition folder, its
 * photos and its files. Run after `finishInterruptedWrites`, which still needs the staged files a journal names.
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const folder of [dir, path.join(dir, 'photos'), path.join(dir, 'files')]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const pid = Number(TEMP.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
      await rm(path.join(folder, name), { force: true });
      removed++;
    }
  }
  return removed;
}
