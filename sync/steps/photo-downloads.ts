/**
 * Photo downloads for the mirror step: one attachment is downloaded, checked (size, and type by its first bytes,
 * never SVG) and staged next to its final place in content/<edition>/photos/, at most `concurrency` at a time.
 *
 * Downloads can start early: the fetch step hands over the people tables as soon as they arrive (`prefetch`), so
 * photos come in while the Papers pages are still being read under the rate limit; attachment hosts are not
 * rate-limited. The mirror step then `take`s each result. A photo already on disk (same attachment id and size)
 * is never downloaded. Staged files nobody took are deleted by `discard` (a failed or dry sync).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import pLimit from 'p-limit';
import { HttpStatusError } from '../http/errors.ts';
import { withRetry, type RetryPolicy } from '../http/retry.ts';
import { cellAttachment, type AttachmentRef } from '../map/parse.ts';
import type { SourceRow } from '../sources/types.ts';
import { stage, type WriteHooks } from '../../content-store/atomic.ts';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
};

/** file-type names an animated PNG apart; it is stored and published as a PNG, as before. */
const SAME_AS: Record<string, string> = { 'image/apng': 'image/png' };

/** file-type looks past a UTF-8 byte-order mark and an ID3 tag; a photo must start with its image. */
const SKIPPED_PREFIXES = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ID3')];

/** The image type of `bytes` by their signature (file-type), if it is one of EXTENSIONS (never SVG), else undefined. */
async function imageType(bytes: Uint8Array): Promise<string | undefined> {
  if (SKIPPED_PREFIXES.some((prefix) => Buffer.from(bytes.subarray(0, prefix.length)).equals(prefix))) return undefined;
  const mime = (await fileTypeFromBuffer(bytes))?.mime;
  const type = mime && (SAME_AS[mime] ?? mime);
  return type && Object.hasOwn(EXTENSIONS, type) ? type : undefined;
}

/**
 * Whether `bytes` of `type` (as sniffed) hold a whole image, not just its first bytes: a JPEG has its end marker,
 * a PNG its IEND chunk, a GIF its trailer, a WebP the length its header claims. A file cut short or a header glued
 * onto something else would be published as a broken image (or stop the site's image processing).
 */
export function isWholeImage(bytes: Uint8Array, type: string): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'image/jpeg':
      return buffer.indexOf(Buffer.from([0xff, 0xd9]), 3) > 0;
    case 'image/png':
      return buffer.indexOf('IEND', 8, 'latin1') > 0;
    case 'image/gif':
      return buffer.length > 13 && buffer[buffer.length - 1] === 0x3b;
    case 'image/webp':
      return buffer.length >= 12 && buffer.readUInt32LE(4) + 8 <= buffer.length;
    default:
      return true;
  }
}

/** Where attachments may be downloaded from: the web (Airtable's attachment hosts), or inline data. */
const DOWNLOADABLE = new Set(['http:', 'https:', 'data:']);

/** `att123abc-6595.jpg`: only letters and digits from the id, whatever the uploaded file was called. */
export function photoFileName(attachmentId: string, size: number, type: string): string | undefined {
  const ext = EXTENSIONS[type];
  const id = attachmentId.replace(/[^A-Za-z0-9]/g, '');
  return ext && id ? `${id}-${size}.${ext}` : undefined;
}

/** The photo is not one the site takes (too large, not an accepted image). Its message ends a sentence. */
export class PhotoRejected extends Error {
  override name = 'PhotoRejected';
}

export interface PhotoDownloadOptions {
  /** content/<edition>/photos */
  photosDir: string;
  maxBytes: number;
  types: readonly string[];
  timeoutMs: number;
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Where tests step into the staging of a photo (a full disk). */
  hooks?: WriteHooks;
  /** Downloads at once. Default 8. */
  concurrency?: number;
}

/** A downloaded, checked photo, staged at `temp` until it is renamed to `file`. */
interface StagedPhoto {
  file: string;
  temp: string;
  bytes: number;
}

/** The file name an attachment will have on disk when its claimed type and size are right. */
export function knownFileName(photo: AttachmentRef, types: readonly string[]): string | undefined {
  const claimed = photo.type && types.includes(photo.type) ? photo.type : undefined;
  return claimed && photo.size !== undefined ? photoFileName(photo.attachmentId, photo.size, claimed) : undefined;
}

async function fetchBytes(url: string, options: PhotoDownloadOptions): Promise<Uint8Array> {
  return withRetry(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok) throw new HttpStatusError('the photo URL', response);
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > options.maxBytes) throw new PhotoRejected(`is ${length} bytes, over the ${options.maxBytes}-byte limit`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > options.maxBytes) throw new PhotoRejected(`is ${bytes.length} bytes, over the ${options.maxBytes}-byte limit`);
      return bytes;
    },
    { ...(options.policy ? { policy: options.policy } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
}

export interface PhotoDownloads {
  /** Starts downloading the photos in `column` of these rows (those not on disk yet), in the background. */
  prefetch(rows: readonly SourceRow[], column: string): void;
  /** The staged photo of `photo` from `url` (its own, or a fresher one): a started download, or a new one. */
  take(photo: AttachmentRef, url?: string): Promise<StagedPhoto>;
  /** Deletes every staged file that was not taken. */
  discard(): Promise<void>;
}

export function createPhotoDownloads(options: PhotoDownloadOptions): PhotoDownloads {
  const slot = pLimit(options.concurrency ?? 8);
  /** Attachment id + URL → its download. */
  const started = new Map<string, Promise<StagedPhoto>>();
  /** The downloads the mirror step took: their staged files are its to use or delete. */
  const taken = new Set<string>();

  const key = (photo: AttachmentRef, url: string) => `${photo.attachmentId}\n${url}`;

  function begin(photo: AttachmentRef, url: string): Promise<StagedPhoto> {
    const id = key(photo, url);
    let pending = started.get(id);
    if (!pending) {
      pending = slot(async () => {
        options.signal?.throwIfAborted();
        const scheme = URL.parse(url)?.protocol;
        if (!scheme || !DOWNLOADABLE.has(scheme))
          throw new PhotoRejected(`is at ${scheme ? `a ${scheme} URL` : 'no valid URL'}, which is never downloaded`);
        const bytes = await fetchBytes(url, options);
        const type = await imageType(bytes);
        if (!type || !options.types.includes(type)) {
          throw new PhotoRejected(
            `is not an accepted image (${type ?? photo.type ?? 'unknown type'}; accepted: ${options.types.join(', ')})`,
          );
        }
        if (!isWholeImage(bytes, type)) throw new PhotoRejected('is not a whole image (cut short, or not an image after its first bytes)');
        // An attachment without an id (not from Airtable) is named by its content instead.
        const id = photo.attachmentId.replace(/[^A-Za-z0-9]/g, '') || `h${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
        const file = path.join(options.photosDir, photoFileName(id, bytes.length, type)!);
        return { file, temp: await stage(file, bytes, options.hooks), bytes: bytes.length };
      });
      pending.catch(() => undefined); // a prefetch nobody takes must not be an unhandled rejection
      started.set(id, pending);
    }
    return pending;
  }

  return {
    prefetch(rows, column) {
      for (const row of rows) {
        const cell = cellAttachment(row.fields[column]);
        const photo = cell.ok ? cell.value : undefined;
        if (!photo?.attachmentId) continue;
        const known = knownFileName(photo, options.types);
        if (known && existsSync(path.join(options.photosDir, known))) continue;
        void begin(photo, photo.url);
      }
    },
    take(photo, url = photo.url) {
      taken.add(key(photo, url));
      return begin(photo, url);
    },
    async discard() {
      const left = [...started].filter(([id]) => !taken.has(id)).map(([, pending]) => pending);
      started.clear();
      taken.clear();
      const staged = await Promise.all(left.map((p) => p.catch(() => undefined)));
      await Promise.all(staged.flatMap((s) => (s?.temp ? [rm(s.temp, { force: true })] : [])));
    },
  };
}
