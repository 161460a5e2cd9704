/**
 * Step 5, mirror attachments: photos are downloaded into content/<edition>/photos/ while their URLs are fresh,
 * named by attachment id and size, so an unchanged photo is never downloaded again and a removed one is deleted.
 * The bytes must be an accepted image type (checked by their first bytes, not by the claimed type; never SVG) and
 * not too large. An expired URL is refreshed by reading the record again. A photo that cannot be downloaded keeps
 * the person's previous photo, with a warning. People are mirrored in parallel; the downloads themselves
 * (photo-downloads.ts) limit how many run at once, and may have started while the sources were still being read.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { RequestError } from '../http/retry.ts';
import type { MappedPerson } from '../map/map-people.ts';
import type { AttachmentRef } from '../map/parse.ts';
import { problemAt, type Problem } from '../problems.ts';
import type { Source } from '../sources/types.ts';
import { knownFileName, PhotoRejected, type PhotoDownloads } from './photo-downloads.ts';

const IMAGE_FILE = /\.(jpe?g|png|webp|gif|avif)$/i;

export interface MirrorOptions {
  /** content/<edition>/photos */
  photosDir: string;
  /** Each person's current photo path (`./photos/…`), from the people.json on disk. */
  previous: Map<string, string>;
  /** Sources by label, to read a record again for a fresh URL. */
  sources: Map<string, Source>;
  /** The downloads (some may have started while the sources were still being read). */
  downloads: PhotoDownloads;
  maxBytes: number;
  types: readonly string[];
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface MirrorResult {
  /** Person id → `./photos/<file>`. */
  photos: Map<string, string>;
  /** New files: final path → staged temporary file. */
  staged: Map<string, string>;
  /** Photo files that nothing refers to any more. */
  removed: string[];
  stats: { downloaded: number; reused: number; failed: number; bytes: number };
  problems: Problem[];
}

/** The same attachment in a row read again (any column), for its fresh URL. */
function findAttachment(fields: Record<string, unknown>, attachmentId: string): AttachmentRef | undefined {
  for (const value of Object.values(fields)) {
    if (!Array.isArray(value)) continue;
    const found = value.find(
      (a: unknown): a is { id: string; url: string; filename: string } =>
        typeof a === 'object' && a !== null && (a as { id?: unknown }).id === attachmentId,
    );
    if (found) return { attachmentId, url: found.url, filename: found.filename };
  }
  return undefined;
}

export async function mirrorPhotos(people: readonly MappedPerson[], options: MirrorOptions): Promise<MirrorResult> {
  const result: MirrorResult = {
    photos: new Map(),
    staged: new Map(),
    removed: [],
    stats: { downloaded: 0, reused: 0, failed: 0, bytes: 0 },
    problems: [],
  };
  const withPhotos = people.filter((p) => p.photo);
  let done = 0;
  /** Each person's warning: people are mirrored in parallel, warnings are listed in the people's order. */
  const warnings = new Map<MappedPerson, Problem>();

  const keepPrevious = (person: MappedPerson, reason: string) => {
    result.stats.failed++;
    const previous = options.previous.get(person.data.id);
    const kept = previous && existsSync(path.join(options.photosDir, path.basename(previous)));
    if (kept) result.photos.set(person.data.id, previous);
    warnings.set(
      person,
      problemAt(
        person.origin,
        'warning',
        person.photoColumn,
        `the photo of ${person.data.name} ${reason}; ${kept ? 'the previous photo stays' : 'the site shows a placeholder'}. Upload a JPEG, PNG or WebP under ${Math.round(options.maxBytes / 1e6)} MB.`,
      ),
    );
  };

  /** One person's photo: reused from disk, or downloaded (from a fresh URL if the old one expired) and staged. */
  async function mirror(person: MappedPerson): Promise<void> {
    const photo = person.photo!;
    const known = knownFileName(photo, options.types);
    if (known && existsSync(path.join(options.photosDir, known))) {
      result.photos.set(person.data.id, `./photos/${known}`);
      result.stats.reused++;
      return;
    }
    try {
      let staged;
      try {
        staged = await options.downloads.take(photo);
      } catch (error) {
        // An expired URL (Airtable's last 2 hours): read the record again for a fresh one, once.
        const status = error instanceof RequestError ? error.failure.status : undefined;
        const source = options.sources.get(person.origin.source);
        if (!(status === 403 || status === 404 || status === 410) || !source?.refetch) throw error;
        const row = await source.refetch(person.origin, options.signal ? { signal: options.signal } : {});
        const fresh = findAttachment(row.fields, photo.attachmentId);
        if (!fresh) throw new PhotoRejected('was removed from its record meanwhile');
        staged = await options.downloads.take(photo, fresh.url);
      }
      if (!result.staged.has(staged.file) && !existsSync(staged.file)) result.staged.set(staged.file, staged.temp);
      else if (result.staged.get(staged.file) !== staged.temp) await rm(staged.temp, { force: true });
      result.photos.set(person.data.id, `./photos/${path.basename(staged.file)}`);
      result.stats.downloaded++;
      result.stats.bytes += staged.bytes;
    } catch (error) {
      if (error instanceof PhotoRejected) keepPrevious(person, error.message);
      else if (error instanceof RequestError) {
        const cause = error.cause instanceof PhotoRejected ? error.cause.message : `could not be downloaded (${error.message})`;
        keepPrevious(person, cause);
      } else throw error; // a full disk, an aborted sync: the sync stops
    }
  }

  // People in parallel (the downloads limit themselves); results are recorded in the people's order below.
  const settled = await Promise.allSettled(
    withPhotos.map((person) => mirror(person).finally(() => options.onProgress?.(++done, withPhotos.length))),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await discardStaged(result);
    throw failure.reason;
  }
  result.problems = withPhotos.flatMap((person) => warnings.get(person) ?? []);

  const referenced = new Set([...result.photos.values()].map((p) => path.basename(p)));
  if (existsSync(options.photosDir)) {
    result.removed = readdirSync(options.photosDir)
      .filter((name) => IMAGE_FILE.test(name) && !name.startsWith('.') && !referenced.has(name))
      .map((name) => path.join(options.photosDir, name));
  }
  return result;
}

/** Drops staged files (a dry run, or a sync that stops before writing). */
export async function discardStaged(result: MirrorResult): Promise<void> {
  await Promise.all([...result.staged.values()].map((temp) => rm(temp, { force: true })));
}
