/**
 * Step 5, mirror attachments: photos are downloaded into content/<edition>/photos/ while their URLs are fresh,
 * named by attachment id and size, so an unchanged photo is never downloaded again and a removed one is deleted.
 * The bytes must be an accepted image type (checked by their first bytes, not by the claimed type; never SVG) and
 * not too large. An expired URL is refreshed by reading the record again. A photo that cannot be downloaded keeps
 * the person's previous photo, with a warning.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { HttpStatusError } from '../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import type { MappedPerson } from '../map/map-people.ts';
import type { AttachmentRef } from '../map/parse.ts';
import { problemAt, type Problem } from '../map/types.ts';
import type { Source } from '../sources/types.ts';
import { stage } from '../write/atomic.ts';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|avif)$/i;

/** The image type of `bytes` by their signature, or undefined. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const at = (offset: number, ...values: number[]) => values.every((v, i) => bytes[offset + i] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(4, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66)) return 'image/avif';
  return undefined;
}

/** `att123abc-6595.jpg`: only letters and digits from the id, whatever the uploaded file was called. */
export function photoFileName(attachmentId: string, size: number, type: string): string | undefined {
  const ext = EXTENSIONS[type];
  const id = attachmentId.replace(/[^A-Za-z0-9]/g, '');
  return ext && id ? `${id}-${size}.${ext}` : undefined;
}

export interface MirrorOptions {
  /** content/<edition>/photos */
  photosDir: string;
  /** Each person's current photo path (`./photos/…`), from the people.json on disk. */
  previous: Map<string, string>;
  /** Sources by label, to read a record again for a fresh URL. */
  sources: Map<string, Source>;
  maxBytes: number;
  types: readonly string[];
  timeoutMs: number;
  policy?: RetryPolicy;
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

class PhotoRejected extends Error {
  override name = 'PhotoRejected';
}

/** The same attachment in a row read again (any column), for its fresh URL. */
function findAttachment(fields: Record<string, unknown>, attachmentId: string): AttachmentRef | undefined {
  for (const value of Object.values(fields)) {
    if (!Array.isArray(value)) continue;
    const found = value.find((a: unknown): a is { id: string; url: string; filename: string } =>
      typeof a === 'object' && a !== null && (a as { id?: unknown }).id === attachmentId,
    );
    if (found) return { attachmentId, url: found.url, filename: found.filename };
  }
  return undefined;
}

async function download(url: string, options: MirrorOptions): Promise<Uint8Array> {
  return withRetry(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok) throw new HttpStatusError('the photo URL', response);
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > options.maxBytes) throw new PhotoRejected(`it is ${length} bytes, over the ${options.maxBytes}-byte limit`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > options.maxBytes) throw new PhotoRejected(`it is ${bytes.length} bytes, over the ${options.maxBytes}-byte limit`);
      return bytes;
    },
    { ...(options.policy ? { policy: options.policy } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
}

export async function mirrorPhotos(people: readonly MappedPerson[], options: MirrorOptions): Promise<MirrorResult> {
  const result: MirrorResult = { photos: new Map(), staged: new Map(), removed: [], stats: { downloaded: 0, reused: 0, failed: 0, bytes: 0 }, problems: [] };
  const withPhotos = people.filter((p) => p.photo);
  let done = 0;

  const keepPrevious = (person: MappedPerson, reason: string) => {
    result.stats.failed++;
    const previous = options.previous.get(person.data.id);
    const kept = previous && existsSync(path.join(options.photosDir, path.basename(previous)));
    if (kept) result.photos.set(person.data.id, previous);
    result.problems.push(
      problemAt(person.origin, 'warning', undefined, `the photo of ${person.data.name} ${reason}; ${kept ? 'the previous photo stays' : 'the site shows a placeholder'}. Upload a JPEG, PNG or WebP under ${Math.round(options.maxBytes / 1e6)} MB.`),
    );
  };

  for (const person of withPhotos) {
    const photo = person.photo!;
    const claimed = photo.type && options.types.includes(photo.type) ? photo.type : undefined;
    const known = claimed && photo.size !== undefined ? photoFileName(photo.attachmentId, photo.size, claimed) : undefined;
    if (known && existsSync(path.join(options.photosDir, known))) {
      result.photos.set(person.data.id, `./photos/${known}`);
      result.stats.reused++;
    } else {
      try {
        let bytes: Uint8Array;
        try {
          bytes = await download(photo.url, options);
        } catch (error) {
          // An expired URL (Airtable's last 2 hours): read the record again for a fresh one, once.
          const status = error instanceof RequestError ? error.failure.status : undefined;
          const source = options.sources.get(person.origin.source);
          if (!(status === 403 || status === 404 || status === 410) || !source?.refetch) throw error;
          const row = await source.refetch({ ...person.origin, fields: {} }, options.signal ? { signal: options.signal } : {});
          const fresh = findAttachment(row.fields, photo.attachmentId);
          if (!fresh) throw new PhotoRejected('was removed from its record meanwhile');
          bytes = await download(fresh.url, options);
        }
        const type = sniffImageType(bytes);
        if (!type || !options.types.includes(type)) {
          throw new PhotoRejected(`is not an accepted image (${type ?? photo.type ?? 'unknown type'}; accepted: ${options.types.join(', ')})`);
        }
        const name = photoFileName(photo.attachmentId, bytes.length, type)!;
        const file = path.join(options.photosDir, name);
        if (!result.staged.has(file) && !existsSync(file)) result.staged.set(file, await stage(file, bytes));
        result.photos.set(person.data.id, `./photos/${name}`);
        result.stats.downloaded++;
        result.stats.bytes += bytes.length;
      } catch (error) {
        if (error instanceof PhotoRejected) keepPrevious(person, error.message);
        else if (error instanceof RequestError) {
          const cause = error.cause instanceof PhotoRejected ? error.cause.message : `could not be downloaded (${error.message})`;
          keepPrevious(person, cause);
        } else throw error;
      }
    }
    options.onProgress?.(++done, withPhotos.length);
  }

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
