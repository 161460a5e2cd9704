/**
 * The sync, top to bottom: fetch → map → validate → resolve references → mirror photos → diff → write. The Papers
 * table, the one that can be large, is mapped and validated page by page while it is fetched, its text kept in a
 * temporary file (steps/papers-stream.ts), so memory does not grow with it.
 * Everything is checked before anything is written; on any error content/ stays exactly as it was. The write is
 * all-or-nothing across files (steps/write.ts): a write a killed sync left halfway is completed first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from './config.ts';
import type { RetryPolicy } from './http/retry.ts';
import { runChecks } from './checks/index.ts';
import { checkMojibake } from './checks/mojibake.ts';
import { mapEdition } from './map/map-edition.ts';
import { formatProblem, type Problem } from './map/types.ts';
import { sourceFactory } from './sources/index.ts';
import { diffEntries, fileChange, readEntries, readFingerprints, relative, summarize, type CollectionDiff } from './steps/diff.ts';
import { fetchRows, type TableKey } from './steps/fetch.ts';
import { createPapersStream } from './steps/papers-stream.ts';
import { createPhotoDownloads } from './steps/photo-downloads.ts';
import { discardStaged, mirrorPhotos } from './steps/mirror.ts';
import { describeWriteError, WriteError, writePlan } from './steps/write.ts';
import { tempPathFor } from './write/atomic.ts';
import { EntryStore } from './write/entry-store.ts';
import { finishInterruptedWrites, JournalError, removeStaleTemps } from './write/journal.ts';
import { checkScheduleReferences, editionFolders, type ContentEntry } from '../src/lib/content-files.ts';
import { FILES } from '../src/model/index.ts';

export type SyncEvent =
  | { type: 'table'; source: string; table: string; pages: number; records: number; waitedMs: number; retries: number }
  | { type: 'photos'; done: number; total: number }
  | { type: 'step'; step: 'fetch' | 'map' | 'mirror' | 'diff' | 'write' };

export interface SyncOptions {
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** Write even when more than `maxRemovalShare` of a collection would go. */
  force?: boolean;
  signal?: AbortSignal;
  policy?: RetryPolicy;
  onEvent?: (event: SyncEvent) => void;
}

const COLLECTIONS = ['people', 'papers', 'schedule'] as const;
type Collection = (typeof COLLECTIONS)[number];

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
  /** Files written or removed (in a dry run: that would be), relative to the project root. */
  files: string[];
  errors: string[];
  warnings: string[];
  durationMs: number;
}

/** The sync stopped before writing: bad rows, an unreachable source, or a removal too large to trust. */
export class SyncFailed extends Error {
  override name = 'SyncFailed';
  readonly report: SyncReport;
  constructor(message: string, report: SyncReport) {
    super(message);
    this.report = report;
  }
}

const emptyDiff = (): CollectionDiff => ({ added: [], changed: [], removed: [], before: 0, after: 0 });

/** The edition the sync fills: the configured one, or the newest folder by its dates. */
export function pickEdition(config: ResolvedConfig): string {
  const editions = editionFolders(config.contentDir);
  if (config.edition) {
    if (!editions.includes(config.edition)) {
      throw new SyncFailed(`${relative(config.root, config.contentDir)}/${config.edition}/edition.json does not exist: create the edition's settings first (copy another edition's edition.json).`, blankReport(config.edition));
    }
    return config.edition;
  }
  const start = (id: string) => {
    try {
      return String((JSON.parse(readFileSync(path.join(config.contentDir, id, FILES.editions), 'utf8')) as { dates?: { start?: string } }).dates?.start ?? '');
    } catch {
      return '';
    }
  };
  const newest = [...editions].sort((a, b) => start(b).localeCompare(start(a)) || b.localeCompare(a))[0];
  if (!newest) {
    throw new SyncFailed(`no edition under ${relative(config.root, config.contentDir)}/: create <edition>/edition.json (see content/2024_2/edition.json) before syncing.`, blankReport(''));
  }
  return newest;
}

function blankReport(edition: string): SyncReport {
  return {
    edition,
    ok: false,
    dryRun: false,
    changed: false,
    summary: 'no changes',
    collections: { people: emptyDiff(), papers: emptyDiff(), schedule: emptyDiff() },
    photos: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
    files: [],
    errors: [],
    warnings: [],
    durationMs: 0,
  };
}

/** The edition's own settings (edition.json, kept by hand) get the same garbled-text check as the spreadsheets. */
function checkEditionSettings(config: ResolvedConfig, edition: string): Problem[] {
  const file = path.join(config.contentDir, edition, FILES.editions);
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const fields: Record<string, unknown> = { ...settings, ...(settings['callForPapers'] as Record<string, unknown> | undefined) };
  const row = { source: 'content', table: relative(config.root, file), where: { row: 0 }, fields };
  return checkMojibake([row], ['title', 'shortTitle', 'description', 'overview', 'topics', 'text']);
}

/** A file-system error (it names a system call), as opposed to a source's or a bug's. */
const isFsError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string';

/** The one line for a write that failed: which file, why, what to do, and what state content/ is in. */
function writeFailure(config: ResolvedConfig, error: WriteError | NodeJS.ErrnoException, where: string): string {
  const file = relative(config.root, error instanceof WriteError ? error.file : where);
  const why = describeWriteError(error.code);
  return error instanceof WriteError && error.committed
    ? `could not finish writing ${file}: ${why}, then sync again; the next sync or build completes this write from its journal.`
    : `could not write ${file}: ${why}, then sync again. Nothing was written and the site keeps its current content.`;
}

const asEntries = (edition: string, entries: readonly { id: string }[], file: string): ContentEntry[] =>
  entries.map((data) => ({ id: `${edition}/${data.id}`, edition, file, absolutePath: file, data: data as Record<string, unknown> }));

export async function runSync(config: ResolvedConfig, options: SyncOptions = {}): Promise<SyncReport> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const edition = pickEdition(config);
  const report = { ...blankReport(edition), dryRun: Boolean(options.dryRun) };
  const finish = () => ({ ...report, durationMs: Math.round(performance.now() - started) });
  const dir = path.join(config.contentDir, edition);
  const fileOf = (c: Collection) => path.join(dir, FILES[c]);

  // 0. A sync killed while writing left a journal: complete that write before reading anything.
  let recovered: string[];
  try {
    recovered = await finishInterruptedWrites(config.contentDir, (d) => relative(config.root, d));
    await removeStaleTemps(dir);
  } catch (error) {
    if (error instanceof JournalError) throw new SyncFailed(error.message, finish());
    if (isFsError(error)) throw new SyncFailed(writeFailure(config, error, dir), finish());
    throw error;
  }

  // 1. Fetch every table, the sources concurrently. The people's photos start downloading as soon as their table
  //    is in, while the other tables are still being read (step 5 takes them).
  emit({ type: 'step', step: 'fetch' });
  const downloads = createPhotoDownloads({
    photosDir: path.join(dir, 'photos'),
    maxBytes: config.photos.maxBytes,
    types: config.photos.types,
    timeoutMs: config.requestTimeoutMs,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const photoColumns: Partial<Record<TableKey, string>> = {
    organizers: config.template.airtable.organizers.columns.photo,
    speakers: config.template.airtable.speakers.columns.photo,
  };
  // The Papers table is mapped page by page as it arrives (steps 2–4 for it), so its raw rows are never all held.
  const papers = createPapersStream(config.template, tempPathFor(fileOf('papers')));
  try {
    const fetched = await fetchRows(config, sourceFactory(config, options.policy), {
      ...(options.signal ? { signal: options.signal } : {}),
      sinks: { papers: papers.sink },
      onProgress: (p) => emit({ type: 'table', ...p, source: p.source ?? '' }),
      onTable: (key, rows) => {
        const column = photoColumns[key];
        if (column) downloads.prefetch(rows, column);
      },
    });

    // 2–4. Map the template's columns to the model, validate each row with it, resolve schedule references; then
    // the checks that only warn (overlaps, near-miss names, mojibake…).
    emit({ type: 'step', step: 'map' });
    const mapped = mapEdition(fetched.rows, config.template, papers.mapped());
    const problems: Problem[] = [
      ...fetched.problems,
      ...mapped.problems,
      ...runChecks(mapped, fetched.rows, config.template),
      ...papers.garbled(),
      ...checkEditionSettings(config, edition),
    ];
    fetched.rows = {}; // the raw rows are done with: their memory goes before photos, diff and write
    const skip = config.onInvalidRow === 'skip';
    report.errors = problems.filter((p) => p.severity === 'error' && !skip).map(formatProblem);
    report.warnings = [
      ...recovered,
      ...problems.filter((p) => p.severity === 'warning' || skip).map((p) => (p.severity === 'error' ? `skipped: ${formatProblem(p)}` : formatProblem(p))),
    ];

    // 5. Mirror photos (staged next to their final place; nothing is replaced yet). With rows to fix, photos are
    //    still checked, so that one failed sync lists everything to fix; what was staged then goes.
    emit({ type: 'step', step: 'mirror' });
    const previous = new Map(
      readEntries(fileOf('people')).flatMap((p) => {
        const photo: unknown = (p as { photo?: unknown }).photo;
        return typeof photo === 'string' ? [[p.id, photo] as const] : [];
      }),
    );
    const mirrored = mirrorPhotos(mapped.people, {
      photosDir: path.join(dir, 'photos'),
      previous,
      sources: fetched.sources,
      downloads,
      maxBytes: config.photos.maxBytes,
      types: config.photos.types,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (done, total) => emit({ type: 'photos', done, total }),
    });
    if (report.errors.length > 0) {
      const checked = await mirrored.catch(() => undefined);
      if (checked) {
        report.warnings.push(...checked.problems.map(formatProblem));
        await discardStaged(checked);
      }
      throw new SyncFailed(`${report.errors.length} ${report.errors.length === 1 ? 'row needs' : 'rows need'} fixing; nothing was written and the site keeps its current content.`, finish());
    }
    const mirror = await mirrored.catch((error: unknown) => {
      // Staging a downloaded photo failed (a full disk): nothing is replaced yet.
      throw isFsError(error) ? new SyncFailed(writeFailure(config, error, path.join(dir, 'photos')), finish()) : error;
    });
    report.warnings.push(...mirror.problems.map(formatProblem));
    report.photos = { ...mirror.stats, removed: mirror.removed.length };

    try {
      // 6. Diff against what is on disk.
      emit({ type: 'step', step: 'diff' });
      const people = mapped.people.map(({ data }) => {
        const photo = mirror.photos.get(data.id);
        return photo ? { ...data, photo } : data;
      });
      const schedule = mapped.schedule.map(({ data }) => data);
      checkScheduleReferences(
        asEntries(edition, schedule, relative(config.root, fileOf('schedule'))),
        asEntries(edition, people, fileOf('people')),
        asEntries(edition, mapped.papers.map(({ data }) => data), fileOf('papers')),
      );
      const next: Record<Collection, EntryStore> = { people: EntryStore.of(people), papers: papers.store(), schedule: EntryStore.of(schedule) };
      for (const c of COLLECTIONS) report.collections[c] = diffEntries(readFingerprints(fileOf(c)), next[c].fingerprints());
      report.summary = summarize(report.collections);
      const files = COLLECTIONS.flatMap((c) => fileChange(fileOf(c), next[c]) ?? []);
      report.files = [...mirror.staged.keys(), ...files.map((f) => f.file), ...mirror.removed].map((f) => relative(config.root, f));
      report.changed = report.files.length > 0;

      const tooMany = COLLECTIONS.filter((c) => {
        const d = report.collections[c];
        return d.removed.length > 0 && d.removed.length > config.maxRemovalShare * d.before;
      });
      if (tooMany.length > 0 && !options.force) {
        const what = tooMany.map((c) => `${c} (${report.collections[c].removed.length} of ${report.collections[c].before})`).join(', ');
        throw new SyncFailed(
          `this sync would remove more than ${Math.round(config.maxRemovalShare * 100)}% of ${what}. If a table or view was emptied or renamed by mistake, fix it; if the removal is intended, run the sync with --force. Nothing was written.`,
          finish(),
        );
      }
      if (options.dryRun || !report.changed) return { ...finish(), ok: true };

      // A stop asked for before the write leaves content/ as it was; once the write has begun, it completes.
      options.signal?.throwIfAborted();
      // 7. Write: new photos, changed files, then photos nothing uses — all of them or none.
      emit({ type: 'step', step: 'write' });
      const stagedPhotos = new Map(mirror.staged);
      mirror.staged.clear(); // the write owns them now: it uses or deletes them
      await writePlan({ dir, files, stagedPhotos, removedPhotos: mirror.removed }).catch((error: unknown) => {
        throw error instanceof WriteError ? new SyncFailed(writeFailure(config, error, dir), finish()) : error;
      });
      return { ...finish(), ok: true };
    } finally {
      await discardStaged(mirror);
    }
  } finally {
    papers.close();
    await downloads.discard(); // photos downloaded for rows that were not published, or for a sync that stopped
  }
}

