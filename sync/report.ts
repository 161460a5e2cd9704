/** What a sync reports: to the CLI (human or --json), the service's status and log, and `npm start`. */
import type { CollectionDiff } from '../content-store/diff.ts';
import type { ProblemKind } from './problems.ts';

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
  /**
   * Set when the edition's recorded sources (content/<edition>/synced-from.json) differ from this sync's: the one line
   * that says this is its first sync from them, without the removal guard for the collections they fill.
   */
  firstSync?: string;
  errors: string[];
  warnings: string[];
  /**
   * The errors and warnings that are about a place in a source, structured, each with the link to its record or cell
   * when known; `text` is the line as it is in `errors` or `warnings`. (Warnings that are not about a row, such as a
   * write recovered from an interrupted sync, are only in `warnings`.)
   */
  problems: ReportedProblem[];
  durationMs: number;
}

/** A problem as the report gives it (see problems.ts): `where` is `rec…`, `row 7`, or '' for the table as a whole. */
export interface ReportedProblem {
  severity: 'error' | 'warning';
  source: string;
  table: string;
  where: string;
  field?: string;
  message: string;
  url?: string;
  /** What sort of problem it is (problems.ts ProblemKind): the human output groups many alike (warning-groups.ts). */
  kind: ProblemKind;
  text: string;
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
    problems: [],
    durationMs: 0,
  };
}
