/**
 * Step 5, mirror attachments (papers): a file attached in a paper's link column (a PDF in the PDF column) is
 * downloaded into content/<edition>/files/ while its URL is fresh and the paper links to that copy, which the site
 * serves from its own address. A file is named `<paper id>-<kind>-<digest of the attachment id>.<ext>`, so an
 * unchanged file is never downloaded again (whatever type Airtable claims for it), a new upload gets a new name (no
 * stale copy in a browser's cache), and a file nothing refers to any more is deleted.
 *
 * The bytes must be a whole file of a type the column accepts, told by its content (file-types.ts): never HTML, SVG
 * or a program, whatever the file's name says; at most `maxBytes` (the download stops there). An expired URL is
 * refreshed by reading the record again. A file refused or not downloadable keeps the paper's previous file of that
 * kind, if it had one, else the paper is published without that link; both with a warning.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { readJsonArray } from '../../content-store/json-read.ts';
import type { EntryStore } from '../../content-store/entry-store.ts';
import { stage, type WriteHooks } from '../../content-store/atomic.ts';
import { paperSchema, type LinkKind } from '../../src/model/index.ts';
import { HttpStatusError } from '../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import { excerpt } from '../map/parse.ts';
import type { PaperFile } from '../map/paper-files.ts';
import { problemAt, type Problem } from '../problems.ts';
import type { Source } from '../sources/types.ts';
import { ACCEPTED, acceptedLabel, extensionOf, isWholeFile, sniffFileType } from './file-types.ts';

/** A paper's mirrored files by kind: `{ pdf: "./files/12-pdf-1a2b3c4d5e.pdf" }`. */
export type PaperFileLinks = Partial<Record<LinkKind, string>>;

/** The file is not one the site takes (too large, not of an accepted type, cut short). Its message ends a sentence. */
class FileRejected extends Error {
  override name = 'FileRejected';
}

export interface PaperFilesOptions {
  /** content/<edition>/files */
  filesDir: string;
  /** Each paper's files as published (papers.json on disk; see `readPublishedFiles`). */
  previous: ReadonlyMap<string, PaperFileLinks>;
  /** Sources by label, to read a record again for a fresh URL. */
  sources: ReadonlyMap<string, Source>;
  maxBytes: number;
  timeoutMs: number;
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Where tests step into the staging of a file (a full disk). */
  hooks?: WriteHooks;
  /** Downloads at once (each holds its file in memory until it is staged). Default 4. */
  concurrency?: number;
}

export interface PaperFilesResult {
  /** Paper id → its files. */
  files: Map<string, PaperFileLinks>;
  /** New files: final path → staged temporary file. */
  staged: Map<string, string>;
  stats: { downloaded: number; reused: number; failed: number; bytes: number };
  problems: Problem[];
}

const DOWNLOADABLE = new Set(['http:', 'https:']);

/** `102 KB`, `25.3 MB`: a size for messages. */
const megabytes = (bytes: number) => (bytes >= 1e6 ? `${Number((bytes / 1e6).toFixed(1))} MB` : `${Math.ceil(bytes / 1e3)} KB`);

/** `12-pdf-1a2b3c4d5e`: the name, without extension, of paper `paperId`'s file of `kind` whose attachment id (or content) is `key`. */
function baseName(paperId: string, kind: LinkKind, key: string | Uint8Array): string {
  return `${paperId}-${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** `12-pdf-1a2b3c4d5e.pdf`: the name a paper's file of `kind` is stored under, from its attachment id and extension. */
export function paperFileName(paperId: string, kind: LinkKind, attachmentId: string, ext: string): string {
  return `${baseName(paperId, kind, attachmentId)}.${ext}`;
}

/** Each paper's files as papers.json on disk has them (when valid); empty when there is no such file. */
export function readPublishedFiles(papersFile: string): Map<string, PaperFileLinks> {
  const previous = new Map<string, PaperFileLinks>();
  if (!existsSync(papersFile)) return previous;
  try {
    for (const entry of readJsonArray(papersFile)) {
      const { id, files } = (entry ?? {}) as { id?: unknown; files?: unknown };
      const valid = paperSchema.shape.files.safeParse(files);
      if (typeof id === 'string' && valid.success && valid.data !== undefined) previous.set(id, valid.data);
    }
  } catch {
    previous.clear(); // a damaged file: as if nothing had been published
  }
  return previous;
}

/** The bytes at `url`, at most `maxBytes` of them (the download stops past that), under the retry policy. */
function download(url: string, options: PaperFilesOptions): Promise<Uint8Array> {
  const scheme = URL.parse(url)?.protocol;
  if (!scheme || !DOWNLOADABLE.has(scheme)) {
    return Promise.reject(new FileRejected(`is at ${scheme ? `a ${scheme} URL` : 'no valid URL'}, which is never downloaded`));
  }
  /** `bytes`: its size as announced; without, its download went past the limit. */
  const tooLarge = (bytes?: number) =>
    new FileRejected(`is ${bytes === undefined ? 'larger than' : `${megabytes(bytes)}, over`} the ${megabytes(options.maxBytes)} limit`);
  return withRetry(
    async () => {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const response = await fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
      if (!response.ok) throw new HttpStatusError('the file URL', response);
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > options.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(length);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body ?? []) {
        size += chunk.length;
        if (size > options.maxBytes) throw tooLarge(); // leaving the loop cancels the rest of the body
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, size);
    },
    { ...(options.policy ? { policy: options.policy } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
}

/** The same attachment in the column of the row read again, for its fresh URL. */
function freshUrl(fields: Record<string, unknown>, file: PaperFile): string | undefined {
  const cell = fields[file.column];
  const found = (Array.isArray(cell) ? cell : [cell]).find(
    (a: unknown) => typeof a === 'object' && a !== null && (a as { id?: unknown }).id === file.attachment.attachmentId,
  ) as { url?: unknown } | undefined;
  return typeof found?.url === 'string' ? found.url : undefined;
}

export async function mirrorPaperFiles(requests: readonly PaperFile[], options: PaperFilesOptions): Promise<PaperFilesResult> {
  const result: PaperFilesResult = {
    files: new Map(),
    staged: new Map(),
    stats: { downloaded: 0, reused: 0, failed: 0, bytes: 0 },
    problems: [],
  };
  const slot = pLimit(options.concurrency ?? 4);
  const onDisk = existsSync(options.filesDir) ? readdirSync(options.filesDir).filter((name) => !name.startsWith('.')) : [];
  const warnings = new Map<PaperFile, Problem>();
  const link = (file: PaperFile, name: string) => {
    const files = result.files.get(file.paperId) ?? {};
    files[file.kind] = `./files/${name}`;
    result.files.set(file.paperId, files);
  };

  const keepPrevious = (file: PaperFile, reason: string) => {
    result.stats.failed++;
    const previous = options.previous.get(file.paperId)?.[file.kind];
    const kept = previous !== undefined && existsSync(path.join(options.filesDir, path.basename(previous)));
    if (kept) link(file, path.basename(previous));
    const name = file.attachment.filename ? `the file "${excerpt(file.attachment.filename, 60)}"` : 'the file';
    const outcome = kept ? 'the previously published file stays' : 'the paper is published without this link';
    const fix = `Attach a ${acceptedLabel(file.kind)} of at most ${megabytes(options.maxBytes)}, or put the file's public URL (https://…) in the column instead`;
    warnings.set(file, problemAt(file.origin, 'warning', file.column, `${name} of paper ${file.paperId} ${reason}; ${outcome}. ${fix}.`));
  };

  /** Downloads, checks and stages one file; returns its name. */
  async function fetchAndStage(file: PaperFile, url: string): Promise<string> {
    const bytes = await download(url, options);
    const type = await sniffFileType(bytes);
    if (type === undefined || !ACCEPTED[file.kind].includes(type)) {
      const claimed = file.attachment.type ? `; Airtable calls it "${excerpt(file.attachment.type, 60)}"` : '';
      throw new FileRejected(`is not a ${acceptedLabel(file.kind)} by its content (${type ?? 'an unknown type'}${claimed})`);
    }
    if (!isWholeFile(bytes, type))
      throw new FileRejected(`is not a whole ${acceptedLabel(file.kind)} (cut short, or another file after its first bytes)`);
    const key = file.attachment.attachmentId || bytes;
    const name = `${baseName(file.paperId, file.kind, key)}.${extensionOf(type)!}`;
    const final = path.join(options.filesDir, name);
    if (existsSync(final) || result.staged.has(final)) return name;
    result.staged.set(final, await stage(final, bytes, options.hooks));
    result.stats.bytes += bytes.length;
    return name;
  }

  /** One file: reused from disk, or downloaded (from a fresh URL if the old one expired) and staged. */
  async function mirror(file: PaperFile): Promise<void> {
    const { attachmentId } = file.attachment;
    const prefix = attachmentId ? `${baseName(file.paperId, file.kind, attachmentId)}.` : undefined;
    const known = prefix && onDisk.find((name) => ACCEPTED[file.kind].some((type) => name === prefix + extensionOf(type)));
    if (known) {
      link(file, known);
      result.stats.reused++;
      return;
    }
    try {
      let name;
      try {
        name = await fetchAndStage(file, file.attachment.url);
      } catch (error) {
        // An expired URL (Airtable's last 2 hours): read the record again for a fresh one, once.
        const status = error instanceof RequestError ? error.failure.status : undefined;
        const source = options.sources.get(file.origin.source);
        if (!(status === 403 || status === 404 || status === 410) || !source?.refetch) throw error;
        const row = await source.refetch(file.origin, options.signal ? { signal: options.signal } : {});
        const url = freshUrl(row.fields, file);
        if (url === undefined) throw new FileRejected('was removed from its record meanwhile');
        name = await fetchAndStage(file, url);
      }
      link(file, name);
      result.stats.downloaded++;
    } catch (error) {
      if (error instanceof FileRejected) keepPrevious(file, error.message);
      else if (error instanceof RequestError) {
        keepPrevious(file, error.cause instanceof FileRejected ? error.cause.message : `could not be downloaded (${error.message})`);
      } else throw error; // a full disk, an aborted sync: the sync stops
    }
  }

  const settled = await Promise.allSettled(requests.map((file) => slot(() => mirror(file))));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await discardPaperFiles(result);
    throw failure.reason;
  }
  result.problems = requests.flatMap((file) => warnings.get(file) ?? []);
  return result;
}

/**
 * Puts each paper's mirrored files into its entry in `store`, and returns the files of `filesDir` that nothing refers
 * to any more: neither a paper mirrored now nor an entry that holds its published files still (kept by map/keep.ts).
 */
export function applyPaperFiles(
  store: EntryStore,
  result: PaperFilesResult,
  previous: ReadonlyMap<string, PaperFileLinks>,
  filesDir: string,
): string[] {
  for (const [id, files] of result.files) {
    const entry = store.get(id) as { id: string } | undefined;
    if (entry === undefined) continue;
    const patched = { ...entry, files };
    const checked = paperSchema.safeParse(patched);
    if (!checked.success)
      throw new Error(`paper ${id}: its mirrored files do not pass the model (${checked.error.message}); this is a bug.`);
    store.replace(patched);
  }
  const referenced = new Set([...result.files.values()].flatMap((files) => Object.values(files).map((f) => path.basename(f))));
  for (const id of previous.keys()) {
    if (result.files.has(id)) continue;
    const files = (store.get(id) as { files?: Record<string, string> } | undefined)?.files;
    for (const file of Object.values(files ?? {})) referenced.add(path.basename(file));
  }
  if (!existsSync(filesDir)) return [];
  return readdirSync(filesDir)
    .filter((name) => !name.startsWith('.') && !referenced.has(name))
    .map((name) => path.join(filesDir, name));
}

/** Drops staged files (a dry run, or a sync that stops before writing). */
async function discardPaperFiles(result: PaperFilesResult): Promise<void> {
  await Promise.all([...result.staged.values()].map((temp) => rm(temp, { force: true })));
  result.staged.clear();
}
