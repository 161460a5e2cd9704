/** What a sync reports: to the CLI (human or --json), the service's status and log, and `npm start`. */
import type { CollectionDiff } from '../content-store/diff.ts';

export const COLLECTIONS = ['people', 'papers', 'schedule'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface SyncReport {
  edition: string;
  ok: boolean;
  dryRun: boolean;
  /** Whether content changed (or, in a dry run, would change). */
  changed: boolean;
  /** `papers: +2 ~1 -0; schedule: +0 ~3 -0`, or `no changes`. */
  summary: string;
  collections: Record<Collection, CollectionDiff>;
  photos: { downloaded: number; reused: number; failed: number; removed: number; bytes: number };
  /** Files attached in papers' link columns (a PDF in the PDF column), mirrored into content/<edition>/files/. */
  paperFiles: { downloaded: number; reused: number; failed: number; removed: number; bytes: number };
  /** Files written or removed (in a dry run: that would be), relative to the project root. */
  files: string[];
  errors: string[];
  warnings: string[];
  durationMs: number;
}

/** Progress while a sync runs (see progress.ts). */
export type SyncEvent =
  | { type: 'table'; source: string; table: string; pages: number; records: number; waitedMs: number; retries: number }
  | { type: 'photos'; done: number; total: number }
  | { type: 'step'; step: 'fetch' | 'map' | 'mirror' | 'diff' | 'write' };

const emptyDiff = (): CollectionDiff => ({ added: [], changed: [], removed: [], before: 0, after: 0 });

/** The report of a sync that has not done anything yet. */
export function blankReport(edition: string, dryRun = false): SyncReport {
  return {
    edition,
    ok: false,
    dryRun,
    changed: false,
    summary: 'no changes',
    collections: { people: emptyDiff(), papers: emptyDiff(), schedule: emptyDiff() },
    photos: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
    paperFiles: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
    files: [],
    errors: [],
    warnings: [],
    durationMs: 0,
  };
}
