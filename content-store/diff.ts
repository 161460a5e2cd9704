/**
 * Step 6, diff: the new collections against the files on disk, entry by entry (by id), and the files whose bytes
 * change. A no-op sync finds nothing to write.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { EntryStore } from './entry-store.ts';
import { entryJson, fingerprintOf } from './json.ts';
import { readJsonArray } from './json-read.ts';

/** An entry's fingerprint: entries are compared by it, so a diff holds no copy of 50,000 entries' JSON. */
const fingerprint = (entry: unknown): string => fingerprintOf(entryJson(entry));

export interface CollectionDiff {
  added: string[];
  changed: string[];
  removed: string[];
  before: number;
  after: number;
}

export interface FileChange {
  file: string;
  /** The new content, made again chunk by chunk each time it is called (never held whole). */
  chunks: () => Iterable<string | Uint8Array>;
}

const isEntry = (value: unknown): value is { id: string } => typeof (value as { id?: unknown } | null)?.id === 'string';

/** The entries of a collection file on disk; a missing or unreadable file counts as empty. */
export function readEntries(file: string): { id: string }[] {
  if (!existsSync(file)) return [];
  try {
    return [...readJsonArray(file)].filter(isEntry);
  } catch {
    return [];
  }
}

/**
 * Each entry's fingerprint, by id, of a collection file on disk, read one entry at a time (the file is never held
 * whole, nor its entries); a missing or unreadable file counts as empty.
 */
export function readFingerprints(file: string): Map<string, string> {
  const fingerprints = new Map<string, string>();
  if (!existsSync(file)) return fingerprints;
  try {
    for (const value of readJsonArray(file)) if (isEntry(value)) fingerprints.set(value.id, fingerprint(value));
  } catch {
    fingerprints.clear(); // a damaged file: as if there were none
  }
  return fingerprints;
}

/** The new entries' fingerprints against those of the entries on disk (see readFingerprints), by id. */
export function diffEntries(old: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): CollectionDiff {
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    changed: [...now.keys()].filter((id) => old.has(id) && old.get(id) !== now.get(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    before: old.size,
    after: now.size,
  };
}

/** The SHA-256 of a file on disk, read a megabyte at a time; undefined when there is no such file. */
function fileDigest(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('base64');
}

/**
 * The file's new content, when its bytes differ from what is on disk (compared by digest, never held whole). A file
 * not on disk yet changes without a digest: the new content is then made once, by the write, not twice.
 */
export function fileChange(file: string, entries: EntryStore): FileChange | undefined {
  const chunks = () => entries.chunks();
  if (!existsSync(file)) return { file, chunks };
  const hash = createHash('sha256');
  for (const chunk of chunks()) hash.update(chunk);
  return hash.digest('base64') === fileDigest(file) ? undefined : { file, chunks };
}

/** `papers: +2 ~1 -0` style summary parts, only for collections that changed. */
export function summarize(diffs: Record<string, CollectionDiff>): string {
  const parts = Object.entries(diffs)
    .filter(([, d]) => d.added.length + d.changed.length + d.removed.length > 0)
    .map(([name, d]) => `${name}: +${d.added.length} ~${d.changed.length} -${d.removed.length}`);
  return parts.length ? parts.join('; ') : 'no changes';
}
