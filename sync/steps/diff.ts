/**
 * Step 6, diff: the new collections against the files on disk, entry by entry (by id), and the files whose bytes
 * change. A no-op sync finds nothing to write.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { byId, stableJson, stableJsonChunks } from '../write/json.ts';

/** An entry's fingerprint: entries are compared by it, so a diff holds no copy of 50,000 entries' JSON. */
const fingerprint = (entry: unknown): string => createHash('sha256').update(stableJson(entry)).digest('base64');

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
  chunks: () => Iterable<string>;
}

/** The entries of a collection file on disk; a missing or unreadable file counts as empty. */
export function readEntries(file: string): { id: string }[] {
  if (!existsSync(file)) return [];
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(value) ? value.filter((e): e is { id: string } => typeof e?.id === 'string') : [];
  } catch {
    return [];
  }
}

export function diffEntries(before: readonly { id: string }[], after: readonly { id: string }[]): CollectionDiff {
  const old = new Map(before.map((e) => [e.id, fingerprint(e)]));
  const now = new Map(after.map((e) => [e.id, fingerprint(e)]));
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

/** The file's new content, when its bytes differ from what is on disk (compared by digest, never held whole). */
export function fileChange(file: string, entries: readonly { id: string }[]): FileChange | undefined {
  const sorted = byId(entries);
  const chunks = () => stableJsonChunks(sorted);
  const hash = createHash('sha256');
  for (const chunk of chunks()) hash.update(chunk, 'utf8');
  return hash.digest('base64') === fileDigest(file) ? undefined : { file, chunks };
}

/** `papers: +2 ~1 -0` style summary parts, only for collections that changed. */
export function summarize(diffs: Record<string, CollectionDiff>): string {
  const parts = Object.entries(diffs)
    .filter(([, d]) => d.added.length + d.changed.length + d.removed.length > 0)
    .map(([name, d]) => `${name}: +${d.added.length} ~${d.changed.length} -${d.removed.length}`);
  return parts.length ? parts.join('; ') : 'no changes';
}

export const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');
