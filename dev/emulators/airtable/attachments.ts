/**
 * Attachments: seed attachments become stored ones (their bytes kept aside), each answered with a signed URL on
 * this server that expires; `serve` answers a download of such a URL (410 once it has expired).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { airtableId } from './ids.ts';
import type { AirtableEmulatorStats, SeedAttachment } from './types.ts';

/** An attachment as stored in a record: what the API returns, but its URL (added per response). */
export interface StoredAttachment {
  id: string;
  filename: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
}

/** A cell value that is a seed's attachment list (objects with `data` and `filename`). */
export function isSeedAttachmentList(value: unknown): value is SeedAttachment[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => item !== null && typeof item === 'object' && 'data' in item && 'filename' in item)
  );
}

/** The stored attachments of one emulator, their bytes and the secret that signs their URLs. */
export class AttachmentStore {
  readonly #secret = randomBytes(16);
  readonly #blobs = new Map<string, { data: Buffer; type: string }>();
  readonly #stored = new WeakSet<object>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Keeps the bytes of seed attachments aside; returns the attachments as a record stores them. */
  store(seeds: SeedAttachment[]): StoredAttachment[] {
    return seeds.map((seed) => {
      const data = typeof seed.data === 'string' ? Buffer.from(seed.data) : Buffer.from(seed.data);
      const stored: StoredAttachment = { id: seed.id ?? airtableId('att'), filename: seed.filename, type: seed.type, size: data.length };
      if (seed.width !== undefined) stored.width = seed.width;
      if (seed.height !== undefined) stored.height = seed.height;
      this.#blobs.set(stored.id, { data, type: seed.type });
      this.#stored.add(stored);
      return stored;
    });
  }

  /** Whether a value in a cell is one of the attachments stored here. */
  isStored(item: unknown): item is StoredAttachment {
    return typeof item === 'object' && item !== null && this.#stored.has(item);
  }

  #sign(attachmentId: string, expiry: number): string {
    return createHmac('sha256', this.#secret).update(`${attachmentId}/${expiry}`).digest('hex').slice(0, 20);
  }

  /**
   * The attachment as the API returns it: with a URL that works until `expiry` — without the file's name, as
   * Airtable's URLs are since 2025 — and thumbnails (images, and PDFs: an image of their first page).
   */
  json(stored: StoredAttachment, origin: string, expiry: number): Record<string, unknown> {
    const url = `${origin}/attachments/${stored.id}/${expiry}-${this.#sign(stored.id, expiry)}`;
    const out: Record<string, unknown> = { ...stored, url };
    const page = stored.type === 'application/pdf' ? { width: 612, height: 792 } : undefined; // US Letter, in points
    const { width, height } = stored.width !== undefined ? stored : (page ?? stored);
    if (width !== undefined && height !== undefined && height > 0) {
      const scaled = (h: number): { url: string; width: number; height: number } => ({
        url: `${url}?thumbnail=${h}`,
        width: Math.round((width * Math.min(h, height)) / height),
        height: Math.min(h, height),
      });
      out['thumbnails'] = { small: scaled(36), large: scaled(512), full: { url: `${url}?thumbnail=full`, width, height } };
    }
    return out;
  }

  /** Answers `GET|HEAD /attachments/{id}/{expiry}-{signature}`: the bytes, 404, or 410 once expired. */
  serve(method: string, res: ServerResponse, segments: string[], stats: AirtableEmulatorStats): void {
    const [, attachmentId = '', signed = ''] = segments;
    const [expiryText = '', signature = ''] = signed.split('-');
    const expiry = Number(expiryText);
    const blob = this.#blobs.get(attachmentId);
    if (!blob || !Number.isFinite(expiry) || signature !== this.#sign(attachmentId, expiry)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    if (this.#now() > expiry) {
      stats.expiredAttachmentUrls += 1;
      res.writeHead(410, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('This URL has expired');
      return;
    }
    if (method === 'GET') {
      stats.attachmentDownloads += 1;
      stats.attachmentBytes += blob.data.length;
    }
    res.writeHead(200, { 'content-type': blob.type, 'content-length': String(blob.data.length) });
    res.end(blob.data);
  }
}
