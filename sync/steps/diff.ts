/**
 * Step 6, diff: the new collections against the files on disk, entry by entry (by id), and the files whose bytes
 * change. A no-op sync finds nothing to write.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { byId, stableJson, stableJsonArray } from '../write/json.ts';

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
  content: string;
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

/** The file's new bytes, when they differ from what is on disk. */
export function fileChange(file: string, entries: readonly { id: string }[]): FileChange | undefined {
  const content = stableJsonArray(byId(entries));
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return current === content ? undefined : { file, content };
}

/** `papers: +2 ~1 -0` style summary parts, only for collections that changed. */
export function summarize(diffs: Record<string, CollectionDiff>): string {
  const parts = Object.entries(diffs)
    .filter(([, d]) => d.added.length + d.changed.length + d.removed.length > 0)
    .map(([name, d]) => `${name}: +${d.added.length} ~${d.changed.length} -${d.removed.length}`);
  return parts.length ? parts.join('; ') : 'no changes';
}

export const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');
