/**
 * The sync, top to bottom, as named steps over one context:
 *   recover → fetch and map (page by page) → resolve → check → mirror photos and papers' files → diff → guard removals
 *   → write.
 * Everything is checked before anything is written; on any error content/ stays exactly as it was. The write is
 * all-or-nothing across files (content-store/write.ts): a write a killed sync left halfway is completed first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempPathFor, type WriteHooks } from '../content-store/atomic.ts';
import { diffEntries, fileChange, readEntries, readFingerprints, summarize, type FileChange } from '../content-store/diff.ts';
import { EntryStore } from '../content-store/entry-store.ts';
import { describeWriteError, JournalError, WriteError } from '../content-store/errors.ts';
import { finishInterruptedWrites, removeStaleTemps } from '../content-store/journal.ts';
import { checkReferences, editionFolders } from '../content-store/read.ts';
import { writePlan } from '../content-store/write.ts';
import { FILES } from '../src/model/index.ts';
import { checkDuplicateIds } from './checks/duplicates.ts';
import { runChecks } from './checks/index.ts';
import { checkMojibake } from './checks/mojibake.ts';
import type { ResolvedConfig } from './config.ts';
import { SyncFailed } from './errors.ts';
import type { RetryPolicy } from './http/retry.ts';
import { createEditionMapper, type MappedEdition } from './map/edition.ts';
import type { LeftOutRow } from './map/keep.ts';
import { reportedProblem, withUrl, type Links } from './problem-links.ts';
import { formatProblem, type Problem } from './problems.ts';
import { blankReport, COLLECTIONS, type Collection, type SyncEvent, type SyncReport } from './report.ts';
import { sourceFactory } from './sources/index.ts';
import { formatWhere, type Origin, type Source } from './sources/types.ts';
import { fetchTables, planTables } from './steps/fetch.ts';
import { discardStaged, mirrorPhotos, type MirrorResult } from './steps/mirror.ts';
import { applyPaperFiles, mirrorPaperFiles, readPublishedFiles } from './steps/paper-files.ts';
import { createPhotoDownloads, type PhotoDownloads } from './steps/photo-downloads.ts';
import { publishedEntries } from './steps/published.ts';
import {
  changedSources,
  collectionsFrom,
  currentSources,
  firstSyncLine,
  readSourceRecord,
  sourceRecordJson,
  SOURCES_FILE,
  type SourceRecord,
} from './steps/sources-record.ts';
import { TABLE_KEYS, type TableKey } from './template.ts';

export interface SyncOptions {
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** Write even when more than `maxRemovalShare` of a collection would go. */
  force?: boolean;
  signal?: AbortSignal;
  policy?: RetryPolicy;
  onEvent?: (event: SyncEvent) => void;
  /** Where tests step into the write (a full disk, a kill at a given point); product code passes none. */
  hooks?: WriteHooks;
}

/** What every step reads and fills in. */
interface Context {
  config: ResolvedConfig;
  options: SyncOptions;
  edition: string;
  /** content/<edition> */
  dir: string;
  report: SyncReport;
  emit: (event: SyncEvent) => void;
  /** The report as it stands, with the time taken so far. */
  finish: () => SyncReport;
  /** Where the tables come from now, and the collections whose tables come from other sources than recorded. */
  sources: { current: SourceRecord; firstSyncOf: Collection[] };
}

/** `path` relative to the project root, with forward slashes, for messages and the report. */
const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** The edition the sync fills: the configured one, or the newest folder by its dates. */
function pickEdition(config: ResolvedConfig): string {
  const editions = editionFolders(config.contentDir);
  if (config.edition) {
    if (!editions.includes(config.edition)) {
      throw new SyncFailed(
        `${relative(config.root, config.contentDir)}/${config.edition}/edition.json does not exist: create the edition's settings first (copy another edition's edition.json).`,
        blankReport(config.edition),
      );
    }
    return config.edition;
  }
  const start = (id: string) => {
    try {
      return String(
        (JSON.parse(readFileSync(path.join(config.contentDir, id, FILES.editions), 'utf8')) as { dates?: { start?: string } }).dates
          ?.start ?? '',
      );
    } catch {
      return '';
    }
  };
  const newest = [...editions].sort((a, b) => start(b).localeCompare(start(a)) || b.localeCompare(a))[0];
  if (!newest) {
    throw new SyncFailed(
      `no edition under ${relative(config.root, config.contentDir)}/: create <edition>/edition.json (see content/2024_2/edition.json) before syncing.`,
      blankReport(''),
    );
  }
  return newest;
}

/** A file-system error (it names a system call), as opposed to a source's or a bug's. */
const isFsError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error &&
  typeof (error as NodeJS.ErrnoException).syscall === 'string' &&
  typeof (error as NodeJS.ErrnoException).code === 'string';

/** The one line for a write that failed: which file, why, what to do, and what state content/ is in. */
function writeFailure(ctx: Context, error: WriteError | NodeJS.ErrnoException, where: string): SyncFailed {
  const file = relative(ctx.config.root, error instanceof WriteError ? error.file : where);
  const why = describeWriteError(error.code);
  const message =
    error instanceof WriteError && error.committed
      ? `could not finish writing ${file}: ${why}, then sync again; the next sync or build completes this write from its journal.`
      : `could not write ${file}: ${why}, then sync again. Nothing was written and the site keeps its current content.`;
  return new SyncFailed(message, ctx.finish());
}

const collectionFile = (ctx: Context, collection: Collection) => path.join(ctx.dir, FILES[collection]);

/** Step 0: a sync killed while writing left a journal; complete that write before reading anything. */
async function recover(ctx: Context): Promise<string[]> {
  try {
    const recovered = await finishInterruptedWrites(ctx.config.contentDir, (d) => relative(ctx.config.root, d));
    await removeStaleTemps(ctx.dir);
    return recovered;
  } catch (error) {
    if (error instanceof JournalError) throw new SyncFailed(error.message, ctx.finish());
    if (isFsError(error)) throw writeFailure(ctx, error, ctx.dir);
    throw error;
  }
}

interface FetchedEdition {
  mapped: MappedEdition;
  sources: Map<string, Source>;
  /** Warnings of the fetch (optional tables that do not exist). */
  problems: Problem[];
  /** Link builders to the tables' records and cells. */
  links: Links;
  /** Garbled text in the published rows, by table. */
  garbled: Record<TableKey, Problem[]>;
}

/**
 * Steps 1–4: every table read page by page, each page mapped and validated as it arrives and checked for garbled
 * text, then ids and references resolved. The people's photos start downloading as their pages come in, while
 * the other tables are still being read (step 5 takes them).
 */
async function fetchAndMap(ctx: Context, downloads: PhotoDownloads): Promise<FetchedEdition> {
  const { config, options } = ctx;
  const { template } = config;
  const timeZone = readEditionSettings(ctx)?.['timeZone'];
  const mapper = createEditionMapper(template, {
    paperStore: () => new EntryStore({ spillFile: tempPathFor(collectionFile(ctx, 'papers')) }),
    // Date-times with an offset (Airtable's) are read on the clocks of the edition's zone.
    timeZone: typeof timeZone === 'string' ? timeZone : undefined,
    // By default a refused row keeps its last published entry; strict syncs stop at the row instead.
    ...(config.onInvalidRow === 'skip' ? { published: publishedEntries(ctx.dir) } : {}),
  });
  const garbled: Record<TableKey, Problem[]> = { speakers: [], organizers: [], programCommittee: [], papers: [], schedule: [] };
  try {
    const fetched = await fetchTables(planTables(config), await sourceFactory(config, options.policy), {
      ...(options.signal ? { signal: options.signal } : {}),
      onPage: (key, { rows, locale }) => {
        const published = mapper.add(key, rows, locale);
        garbled[key].push(...checkMojibake(published, Object.values<string>(template[key].columns)));
        const photo = (template[key].columns as { photo?: string }).photo;
        if (photo) downloads.prefetch(rows, photo);
      },
      onRestart: (key) => {
        mapper.restart(key);
        garbled[key] = [];
      },
      onProgress: (progress) => ctx.emit({ type: 'table', ...progress }),
    });
    ctx.emit({ type: 'step', step: 'map' });
    return { mapped: mapper.finish(), sources: fetched.sources, problems: fetched.problems, links: fetched.links, garbled };
  } catch (error) {
    mapper.close();
    throw error;
  }
}

/** The edition's own settings (edition.json, kept by hand), or undefined when they cannot be read. */
function readEditionSettings(ctx: Context): Record<string, unknown> | undefined {
  try {
    const settings: unknown = JSON.parse(readFileSync(path.join(ctx.dir, FILES.editions), 'utf8'));
    return typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The edition's own settings get the same garbled-text check as the spreadsheets. */
function checkEditionSettings(ctx: Context): Problem[] {
  const file = path.join(ctx.dir, FILES.editions);
  const settings = readEditionSettings(ctx);
  if (!settings) return [];
  const fields: Record<string, unknown> = { ...settings, ...(settings['callForPapers'] as Record<string, unknown> | undefined) };
  const row = { source: 'content', table: relative(ctx.config.root, file), where: { row: 0 }, fields };
  return checkMojibake([row], ['title', 'shortTitle', 'description', 'overview', 'topics', 'text']);
}

/** Every problem in the order a person fixes them: table by table, then the checks across tables. */
function collectProblems(ctx: Context, fetched: FetchedEdition): Problem[] {
  const { mapped, garbled } = fetched;
  const { template } = ctx.config;
  const mapping = (keys: readonly TableKey[]) => keys.flatMap((key) => mapped.problems[key]);
  return [
    ...fetched.problems,
    ...mapping(['speakers', 'organizers', 'programCommittee', 'papers']),
    ...checkDuplicateIds(mapped.papers, template.papers.columns.id),
    ...mapping(['schedule']),
    ...TABLE_KEYS.filter((key) => key !== 'papers').flatMap((key) => garbled[key]),
    ...runChecks(mapped, template),
    ...garbled.papers,
    ...checkEditionSettings(ctx),
  ];
}

/** A row's place, as a key. */
const placeKey = (origin: Origin) => `${origin.source}\u0000${origin.table}\u0000${formatWhere(origin.where)}`;

/**
 * Errors stop the sync; warnings are said. With `onInvalidRow: 'skip'` (the default) the errors of a row that was
 * left out are warnings instead, the last of them followed by what became of the row (its last published version
 * kept, or not); errors that are not a row's (a required column missing) still stop the sync.
 */
function triage(ctx: Context, problems: readonly Problem[], recovered: readonly string[], leftOut: readonly LeftOutRow[]): void {
  const outcomes = new Map(ctx.config.onInvalidRow === 'skip' ? leftOut.map((row) => [placeKey(row.origin), row.outcome] as const) : []);
  const isLeftOut = (p: Problem) => p.severity === 'error' && outcomes.has(placeKey(p));
  const last = new Map(problems.filter(isLeftOut).map((p) => [placeKey(p), p] as const));
  const told = (p: Problem) => (last.get(placeKey(p)) === p ? { ...p, message: `${p.message} ${outcomes.get(placeKey(p))}` } : p);
  const say = (p: Problem) => formatProblem(told(p));
  ctx.report.errors = problems.filter((p) => p.severity === 'error' && !isLeftOut(p)).map(formatProblem);
  ctx.report.warnings = [...recovered, ...problems.filter((p) => p.severity === 'warning' || isLeftOut(p)).map(say)];
  ctx.report.problems = problems.map((p) => (isLeftOut(p) ? reportedProblem(told(p), 'warning') : reportedProblem(p)));
}

/** Problems of a later step (mirroring), said as warnings and listed with their links. */
function warnLater(ctx: Context, problems: readonly Problem[], links: Links): void {
  const linked = problems.map((p) => withUrl(p, links));
  ctx.report.warnings.push(...linked.map(formatProblem));
  ctx.report.problems.push(...linked.map((p) => reportedProblem(p)));
}

/**
 * Step 5: mirror photos (staged next to their final place; nothing is replaced yet). With rows to fix, photos are
 * still checked, so that one failed sync lists everything to fix; what was staged then goes.
 */
async function mirror(ctx: Context, fetched: FetchedEdition, downloads: PhotoDownloads): Promise<MirrorResult> {
  ctx.emit({ type: 'step', step: 'mirror' });
  const previous = new Map(
    readEntries(collectionFile(ctx, 'people')).flatMap((p) => {
      const photo: unknown = (p as { photo?: unknown }).photo;
      return typeof photo === 'string' ? [[p.id, photo] as const] : [];
    }),
  );
  const { config, options } = ctx;
  const mirrored = mirrorPhotos(fetched.mapped.people, {
    photosDir: path.join(ctx.dir, 'photos'),
    previous,
    sources: fetched.sources,
    downloads,
    maxBytes: config.photos.maxBytes,
    types: config.photos.types,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => ctx.emit({ type: 'photos', done, total }),
  });
  const { report } = ctx;
  if (report.errors.length > 0) {
    const checked = await mirrored.catch(() => undefined);
    if (checked) {
      warnLater(ctx, checked.problems, fetched.links);
      await discardStaged(checked);
    }
    throw new SyncFailed(
      `${report.errors.length} ${report.errors.length === 1 ? 'row needs' : 'rows need'} fixing; nothing was written and the site keeps its current content.`,
      ctx.finish(),
    );
  }
  const result = await mirrored.catch((error: unknown) => {
    // Staging a downloaded photo failed (a full disk): nothing is replaced yet.
    throw isFsError(error) ? writeFailure(ctx, error, path.join(ctx.dir, 'photos')) : error;
  });
  // A person kept from the last sync (map/keep.ts) has no attachment but its published photo: that file stays.
  const kept = new Set(fetched.mapped.people.flatMap((p) => (!p.photo && p.data.photo ? [path.basename(p.data.photo)] : [])));
  result.removed = result.removed.filter((file) => !kept.has(path.basename(file)));
  warnLater(ctx, result.problems, fetched.links);
  report.photos = { ...result.stats, removed: result.removed.length };
  return result;
}

/**
 * Step 5, papers: the files attached in papers' link columns (a PDF in the PDF column) are mirrored into
 * content/<edition>/files/ and each paper's entry gets them. They are staged, written and discarded with the photos;
 * the files nothing refers to any more are removed with them. An edition that never had such files skips this.
 */
async function mirrorFiles(ctx: Context, fetched: FetchedEdition, photos: MirrorResult): Promise<void> {
  const { config, options, report } = ctx;
  const filesDir = path.join(ctx.dir, 'files');
  const { paperFiles, paperStore } = fetched.mapped;
  if (paperFiles.length === 0 && !(existsSync(filesDir) && readdirSync(filesDir).length > 0)) return;
  const previous = readPublishedFiles(collectionFile(ctx, 'papers'));
  const result = await mirrorPaperFiles(paperFiles, {
    filesDir,
    previous,
    sources: fetched.sources,
    maxBytes: config.files.maxBytes,
    timeoutMs: config.requestTimeoutMs,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  }).catch((error: unknown) => {
    throw isFsError(error) ? writeFailure(ctx, error, filesDir) : error;
  });
  for (const [file, temp] of result.staged) photos.staged.set(file, temp); // written or discarded with the photos
  const removed = applyPaperFiles(paperStore, result, previous, filesDir);
  photos.removed.push(...removed);
  warnLater(ctx, result.problems, fetched.links);
  report.paperFiles = { ...result.stats, removed: removed.length };
}

/** Step 6: the new collections against the files on disk; returns the files whose bytes change. */
function diff(ctx: Context, mapped: MappedEdition, photos: MirrorResult): FileChange[] {
  ctx.emit({ type: 'step', step: 'diff' });
  const people = mapped.people.map(({ data }) => {
    const photo = photos.photos.get(data.id);
    return photo ? { ...data, photo } : data;
  });
  const schedule = mapped.schedule.map(({ data }) => data);
  // The content store checks references again when it reads the files: fail here, before writing, not at the build.
  checkReferences(
    relative(ctx.config.root, collectionFile(ctx, 'schedule')),
    schedule,
    new Set(people.map((p) => p.id)),
    mapped.paperStore,
  );
  const next: Record<Collection, EntryStore> = {
    people: EntryStore.of(people),
    papers: mapped.paperStore,
    schedule: EntryStore.of(schedule),
  };
  const { report } = ctx;
  for (const c of COLLECTIONS) report.collections[c] = diffEntries(readFingerprints(collectionFile(ctx, c)), next[c].fingerprints());
  report.summary = summarize(report.collections);
  const files = [...COLLECTIONS.flatMap((c) => fileChange(collectionFile(ctx, c), next[c]) ?? []), ...sourceRecordChange(ctx)];
  report.files = [...photos.staged.keys(), ...files.map((f) => f.file), ...photos.removed].map((f) => relative(ctx.config.root, f));
  report.changed = report.files.length > 0;
  return files;
}

/** The record of the sources (steps/sources-record.ts), when it is not on disk as it should be. */
function sourceRecordChange(ctx: Context): FileChange[] {
  const file = path.join(ctx.dir, SOURCES_FILE);
  const json = sourceRecordJson(ctx.sources.current);
  const onDisk = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return onDisk === json ? [] : [{ file, chunks: () => [json] }];
}

/**
 * Step 7: refuse a sync that would remove more than `maxRemovalShare` of a collection, unless forced. A collection
 * whose tables come from other sources than recorded is replaced, not emptied: its first sync from them is not guarded.
 */
function guardRemovals(ctx: Context): void {
  const { report, config } = ctx;
  const tooMany = COLLECTIONS.filter((c) => {
    if (ctx.sources.firstSyncOf.includes(c)) return false;
    const d = report.collections[c];
    return d.removed.length > 0 && d.removed.length > config.maxRemovalShare * d.before;
  });
  if (tooMany.length === 0 || ctx.options.force) return;
  const what = tooMany.map((c) => `${c} (${report.collections[c].removed.length} of ${report.collections[c].before})`).join(', ');
  throw new SyncFailed(
    `this sync would remove more than ${Math.round(config.maxRemovalShare * 100)}% of ${what}. If a table or view was emptied or renamed by mistake, fix it; if the removal is intended, run the sync with --force. Nothing was written.`,
    ctx.finish(),
  );
}

/** Step 8: new photos, changed files, then photos nothing uses — all of them or none. */
async function write(ctx: Context, files: FileChange[], photos: MirrorResult): Promise<void> {
  // A stop asked for before the write leaves content/ as it was; once the write has begun, it completes.
  ctx.options.signal?.throwIfAborted();
  ctx.emit({ type: 'step', step: 'write' });
  const stagedPhotos = new Map(photos.staged);
  photos.staged.clear(); // the write owns them now: it uses or deletes them
  await writePlan({ dir: ctx.dir, files, stagedPhotos, removedPhotos: photos.removed }, ctx.options.hooks).catch((error: unknown) => {
    throw error instanceof WriteError ? writeFailure(ctx, error, ctx.dir) : error;
  });
}

export async function runSync(config: ResolvedConfig, options: SyncOptions = {}): Promise<SyncReport> {
  const started = performance.now();
  const edition = pickEdition(config);
  const report = blankReport(edition, Boolean(options.dryRun));
  const dir = path.join(config.contentDir, edition);
  const current = currentSources(config);
  const recorded = readSourceRecord(dir);
  const moved = changedSources(recorded, current);
  if (recorded && moved.length > 0) report.firstSync = firstSyncLine(edition, recorded, current, moved);
  const ctx: Context = {
    config,
    options,
    edition,
    dir,
    report,
    emit: options.onEvent ?? (() => undefined),
    finish: () => ({ ...report, durationMs: Math.round(performance.now() - started) }),
    sources: { current, firstSyncOf: collectionsFrom(moved) },
  };

  const recovered = await recover(ctx);
  ctx.emit({ type: 'step', step: 'fetch' });
  const downloads = createPhotoDownloads({
    photosDir: path.join(ctx.dir, 'photos'),
    maxBytes: config.photos.maxBytes,
    types: config.photos.types,
    timeoutMs: config.requestTimeoutMs,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
  try {
    const fetched = await fetchAndMap(ctx, downloads);
    try {
      triage(
        ctx,
        collectProblems(ctx, fetched).map((p) => withUrl(p, fetched.links)),
        recovered,
        fetched.mapped.leftOut,
      );
      const photos = await mirror(ctx, fetched, downloads);
      try {
        await mirrorFiles(ctx, fetched, photos);
        const files = diff(ctx, fetched.mapped, photos);
        guardRemovals(ctx);
        if (!options.dryRun && report.changed) await write(ctx, files, photos);
        return { ...ctx.finish(), ok: true };
      } finally {
        await discardStaged(photos);
      }
    } finally {
      fetched.mapped.paperStore.close();
    }
  } finally {
    await downloads.discard(); // photos downloaded for rows that were not published, or for a sync that stopped
  }
}
