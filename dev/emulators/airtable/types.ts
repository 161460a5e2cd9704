/** The Airtable emulator's public types: what a test seeds, the options, the stats and the emulator's handle. */
import type { FaultPlan, FaultRule } from '../faults.ts';

// ── Seeds and options ────────────────────────────────────────────────────────────────────────────────────────────

/** An attachment in a seed: the bytes the emulator serves at the attachment's URL. */
export interface SeedAttachment {
  /** `att…`; generated when omitted. */
  id?: string;
  filename: string;
  /** MIME type, sent as Content-Type when the file is downloaded. */
  type: string;
  data: Buffer | Uint8Array | string;
  /** Pixel size of an image; with both, the API also returns `thumbnails`. */
  width?: number;
  height?: number;
}

/** A record in a seed. */
export interface SeedRecord {
  /** `rec…` (17 characters); generated when omitted. */
  id?: string;
  /** ISO instant; default: the emulator's start time. */
  createdTime?: string;
  /** Cell values as the API returns them; an attachment field is an array of `SeedAttachment`. */
  fields: Record<string, unknown>;
}

/** A view in a seed: a named, ordered subset of the table's records. */
interface SeedView {
  /** `viw…`; generated when omitted. A view can be named by its name or its id. */
  id?: string;
  /** The view's records, in the view's order (records not listed are filtered out by the view). */
  recordIds: string[];
}

/** A field's type in the metadata API, as Airtable's field model gives it. */
export interface SeedFieldType {
  /** `number`, `percent`, `currency`, `duration`, `dateTime`, … or any other name (a type Airtable may add). */
  type: string;
  /** The type's options, served as given, e.g. `{ precision: 2, symbol: '$' }` or `{ durationFormat: 'h:mm' }`. */
  options?: Record<string, unknown>;
}

/** A table in a seed: its records, and optionally its id, declared fields and views. */
export interface SeedTable {
  /** `tbl…`; generated when omitted. The table answers to its name (the key) and to its id. */
  id?: string;
  /** Field names that exist even when empty in every record (so `fields[]`/sort/formulas accept them). */
  fields?: string[];
  /**
   * Field types the metadata API serves for these fields, with their options, instead of a type guessed from the
   * values (where a number is a `number` without options); a field named here exists even when empty.
   * @example { Share: { type: 'percent', options: { precision: 0 } }, Fee: { type: 'currency', options: { precision: 2, symbol: '$' } } }
   */
  types?: Record<string, SeedFieldType>;
  records: SeedRecord[];
  views?: Record<string, SeedView>;
}

/** `{ [baseId]: { [tableName]: table } }` */
export type SeedBases = Record<string, Record<string, SeedTable>>;

/** Options of `startAirtableEmulator`; every one has a default. */
export interface AirtableEmulatorOptions {
  /** The bases, tables and records to serve. */
  bases?: SeedBases;
  /**
   * Accepted tokens and the bases each may read ('*' = all). Default: `{ [EMULATOR_TOKEN]: '*' }`.
   * @example { patGood: '*', patOtherBase: ['appOther'] }
   */
  tokens?: Record<string, readonly string[] | '*'>;
  /** Per-base rate limit; `false` turns it off. Default 5 requests/s and a 30 s penalty after a 429. */
  rateLimit?: { requestsPerSecond?: number; penaltyMs?: number } | false;
  /** How long a page cursor stays valid after it is issued, in ms. Default 5 minutes. */
  offsetTtlMs?: number;
  /** How long an attachment URL works after the response that contains it, in ms. Default 2 hours. */
  attachmentUrlTtlMs?: number;
  /**
   * What an unknown table name gets: 404 TABLE_NOT_FOUND (default) or 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND
   * (what personal access tokens get from the real API).
   */
  unknownTable?: 'TABLE_NOT_FOUND' | 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND';
  /** false: the tokens lack the `schema.bases:read` scope, so the metadata API answers 403. Default true. */
  schemaAccess?: boolean;
  /** Faults queued from the start (see faults.ts). */
  faults?: FaultRule[];
  /** The clock (ms since 1970) for rate limits, cursor and URL expiry. Default `Date.now`. */
  now?: () => number;
}

/** Counters of one base. */
export interface BaseStats {
  /** Authenticated requests that reached this base (429s included). */
  requests: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** Pages of records served. */
  pages: number;
  /** Records served, over all pages. */
  records: number;
}

/** What the emulator has served since it started (or since `resetStats()`). */
export interface AirtableEmulatorStats {
  /** Every HTTP request received (faulted ones and attachment downloads included). */
  requests: number;
  /** Method and path (with query) of every request, in order of arrival. */
  log: { method: string; path: string }[];
  /** Answers by status code (not counting faults, which faults.ts answers). */
  byStatus: Record<number, number>;
  bases: Record<string, BaseStats>;
  /** Successful attachment downloads and their bytes. */
  attachmentDownloads: number;
  attachmentBytes: number;
  /** Attachment requests refused because their URL had expired. */
  expiredAttachmentUrls: number;
}

/** A record as stored (attachments without their URLs). */
export interface EmulatorRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

/** A running emulator: its URL and token, its stats and faults, and edits to its data between syncs. */
export interface AirtableEmulator {
  /** `http://127.0.0.1:PORT`, the client's `endpointUrl`. */
  url: string;
  /** A token allowed on every base (the first of `tokens`, or EMULATOR_TOKEN). */
  token: string;
  stats: AirtableEmulatorStats;
  resetStats(): void;
  /** The fault queue; `inject(rule)` is `faults.add(rule)`. */
  faults: FaultPlan;
  inject(rule: FaultRule): void;
  /** Copies of a table's records, in table order. */
  records(baseId: string, table: string): EmulatorRecord[];
  /** Appends a record; returns its id. */
  addRecord(baseId: string, table: string, fields: Record<string, unknown>, options?: { id?: string; createdTime?: string }): string;
  /** Merges `fields` into a record; a field set to `undefined` is removed. */
  updateRecord(baseId: string, table: string, recordId: string, fields: Record<string, unknown>): void;
  deleteRecord(baseId: string, table: string, recordId: string): void;
  /** Renames a field in every record (and in the table's declared fields). */
  renameField(baseId: string, table: string, from: string, to: string): void;
  /** Renames a table (its `tbl…` id stays). */
  renameTable(baseId: string, from: string, to: string): void;
  /** Deletes a field: its values in every record, its declaration and its id (asking for it is then a 422). */
  deleteField(baseId: string, table: string, field: string): void;
  /** Creates or replaces a view. */
  setView(baseId: string, table: string, name: string, recordIds: string[]): void;
  /** Makes every page cursor issued so far stale. */
  invalidateOffsets(): void;
  /** Stops the server, cutting open and stalled connections. */
  close(): Promise<void>;
}
