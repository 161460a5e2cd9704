/**
 * A local emulator of the Airtable Web API (list records) for the tests and the demo: the real `airtable` client
 * talks to it with `endpointUrl: emulator.url` (no trailing slash).
 *
 *   const at = await startAirtableEmulator({ bases: { appDemo: { Papers: { records: [{ fields: { Title: 'A' } }] } } } });
 *   const base = new Airtable({ apiKey: at.token, endpointUrl: at.url, noRetryIfRateLimited: true }).base('appDemo');
 *   await base('Papers').select({ pageSize: 100 }).all();
 *   at.updateRecord('appDemo', 'Papers', id, { Title: 'B' });   // edit between syncs
 *   await at.close();
 *
 * What it does, as the documented API (see ../shared/reference/apis.md):
 * - `GET /v0/{baseId}/{tableIdOrName}` (jQuery-param query: `fields[]`, `sort[0][field]`, spaces as `+` or `%20`)
 *   and `POST /v0/{baseId}/{tableIdOrName}/listRecords` (the same parameters as JSON; `timeZone`/`userLocale` may
 *   stay in the query). Parameters: pageSize (1–100, default 100), offset, maxRecords, view (name or id), fields[],
 *   sort, filterByFormula (a subset, see `compileFormula`), cellFormat json|string (+ timeZone, userLocale).
 * - `GET /v0/{baseId}/{tableIdOrName}/{recordId}` (the client's `find()`): one record, or 404 `{"error":"NOT_FOUND"}`.
 * - Response `{ records: [{ id, createdTime, fields }], offset? }`; empty values ("", [], false, null) are left out.
 * - Errors in Airtable's shapes: 401 AUTHENTICATION_REQUIRED, 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (token not
 *   allowed on the base, or unknown base), 404 TABLE_NOT_FOUND (or 403, option `unknownTable`), 404
 *   `{"error":"NOT_FOUND"}` for any other route, 422 INVALID_REQUEST_UNKNOWN / VIEW_NAME_NOT_FOUND /
 *   UNKNOWN_FIELD_NAME / INVALID_FILTER_BY_FORMULA / LIST_RECORDS_ITERATOR_NOT_AVAILABLE (no message), 429
 *   `{"errors":[{"error":"RATE_LIMIT_REACHED",…}]}`.
 * - Rate limit per base: `requestsPerSecond` (5) in a sliding 1 s window; the request over the limit gets a 429 and
 *   the base then answers 429 to everything for `penaltyMs` (30 s).
 * - Page cursors (`itr…/rec…`) expire `offsetTtlMs` after they are issued, or at `invalidateOffsets()`.
 * - Attachments: seed an attachment field with `[{ filename, type, data: Buffer, width?, height? }]`; the API returns
 *   `{ id, url, filename, size, type, width?, height?, thumbnails? }` with a signed URL on this server that expires
 *   `attachmentUrlTtlMs` (2 h) after the response: then 410 "This URL has expired".
 * - Faults (`sync/emulators/faults.ts`): `inject(rule)` or the `faults` option — latency, status bursts (in Airtable's
 *   error format), dropped connections, truncated or stalled bodies.
 *
 * - `GET /v0/meta/bases/{baseId}/tables`: `{ tables: [{ id, name, primaryFieldId, fields: [{ id, name, type }],
 *   views }] }`; field ids survive `renameField`, types are guessed from the values.
 * - Schema changes between syncs: `renameField`, `deleteField` (then asking for it is 422 UNKNOWN_FIELD_NAME).
 *
 * Not emulated: writes (create/update/delete records), the webhooks API, field options in the metadata,
 * returnFieldsByFieldId, recordMetadata, the 50 requests/s per-token limit.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, withFaults, type FaultRule } from './faults.ts';

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

export interface SeedRecord {
  /** `rec…` (17 characters); generated when omitted. */
  id?: string;
  /** ISO instant; default: the emulator's start time. */
  createdTime?: string;
  /** Cell values as the API returns them; an attachment field is an array of `SeedAttachment`. */
  fields: Record<string, unknown>;
}

export interface SeedView {
  /** `viw…`; generated when omitted. A view can be named by its name or its id. */
  id?: string;
  /** The view's records, in the view's order (records not listed are filtered out by the view). */
  recordIds: string[];
}

export interface SeedTable {
  /** `tbl…`; generated when omitted. The table answers to its name (the key) and to its id. */
  id?: string;
  /** Field names that exist even when empty in every record (so `fields[]`/sort/formulas accept them). */
  fields?: string[];
  records: SeedRecord[];
  views?: Record<string, SeedView>;
}

/** `{ [baseId]: { [tableName]: table } }` */
export type SeedBases = Record<string, Record<string, SeedTable>>;

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
  /** Faults queued from the start (see faults.ts). */
  faults?: FaultRule[];
  /** The clock (ms since 1970) for rate limits, cursor and URL expiry. Default `Date.now`. */
  now?: () => number;
}

/** The token accepted for every base when the `tokens` option is not given. */
export const EMULATOR_TOKEN = 'patEmulator0000000.local';

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
  /** Deletes a field: its values in every record, its declaration and its id (asking for it is then a 422). */
  deleteField(baseId: string, table: string, field: string): void;
  /** Creates or replaces a view. */
  setView(baseId: string, table: string, name: string, recordIds: string[]): void;
  /** Makes every page cursor issued so far stale. */
  invalidateOffsets(): void;
  /** Stops the server, cutting open and stalled connections. */
  close(): Promise<void>;
}

// ── State ────────────────────────────────────────────────────────────────────────────────────────────────────────

interface StoredAttachment {
  id: string;
  filename: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
}

interface Table {
  id: string;
  name: string;
  declaredFields: Set<string>;
  /** Field name → `fld…` id, in field order; an id survives a rename. */
  fieldIds: Map<string, string>;
  records: EmulatorRecord[];
  views: Map<string, { id: string; name: string; recordIds: string[] }>;
}

interface Cursor {
  baseId: string;
  tableId: string;
  nextIndex: number;
  nextRecordId: string;
  expiresAt: number;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An Airtable-style id: a 3-letter prefix and 14 random characters (17 in all). */
export function airtableId(prefix: 'app' | 'tbl' | 'rec' | 'viw' | 'att' | 'fld' | 'itr'): string {
  const bytes = randomBytes(14);
  let id = prefix;
  for (const byte of bytes) id += ID_CHARS[byte % ID_CHARS.length];
  return id;
}

const PERMISSION_MESSAGE =
  'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.';

/** Thrown inside request handling; becomes a JSON error response. */
class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

function typedError(status: number, type: string, message?: string): ApiError {
  return new ApiError(status, { error: message === undefined ? { type } : { type, message } });
}

function invalidRequest(message: string): ApiError {
  return typedError(422, 'INVALID_REQUEST_UNKNOWN', `Invalid request: ${message}`);
}

/** The JSON body Airtable sends with a given error status (used for injected `status` faults without a body). */
export function airtableErrorBody(status: number): unknown {
  switch (status) {
    case 401:
      return { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } };
    case 403:
      return { error: { type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', message: PERMISSION_MESSAGE } };
    case 404:
      return { error: 'NOT_FOUND' };
    case 413:
      return { error: { type: 'REQUEST_TOO_LARGE', message: 'Request body is too large' } };
    case 422:
      return { error: { type: 'INVALID_REQUEST_UNKNOWN', message: 'Invalid request: parameter validation failed.' } };
    case 429:
      return { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] };
    case 503:
      return { error: { type: 'RETRIABLE_ERROR' } };
    default:
      return status >= 500 ? { error: { type: 'SERVER_ERROR', message: 'Server error' } } : { error: { type: 'UNKNOWN_ERROR' } };
  }
}

// ── List parameters ──────────────────────────────────────────────────────────────────────────────────────────────

interface ListParams {
  pageSize: number;
  offset?: string;
  maxRecords?: number;
  view?: string;
  fields?: string[];
  sort: { field: string; direction: 'asc' | 'desc' }[];
  filterByFormula?: string;
  cellFormat: 'json' | 'string';
  timeZone?: string;
  userLocale?: string;
}

/** Reads jQuery-param style query parameters (`fields[]=A`, `sort[0][field]=B`) into a plain object. */
function queryToObject(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sort: Record<string, Record<string, string>> = {};
  for (const [key, value] of search) {
    const sortKey = /^sort\[(\d+)\]\[(field|direction)\]$/.exec(key);
    if (sortKey) {
      const entry = (sort[sortKey[1] ?? '0'] ??= {});
      entry[sortKey[2] ?? 'field'] = value;
    } else if (key === 'fields[]' || key === 'fields' || key === 'recordMetadata[]') {
      const name = key.replace('[]', '');
      const list = Array.isArray(out[name]) ? (out[name] as string[]) : [];
      list.push(value);
      out[name] = list;
    } else {
      out[key] = value;
    }
  }
  const sortList = Object.keys(sort)
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => sort[String(index)]);
  if (sortList.length > 0) out['sort'] = sortList;
  return out;
}

function parseInteger(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value)) throw invalidRequest(`the value of ${name} (${String(raw)}) is not an integer`);
  return value;
}

function parseStringList(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) throw invalidRequest(`${name} must be a list of field names`);
  return raw;
}

function parseParams(raw: Record<string, unknown>): ListParams {
  const pageSize = parseInteger(raw['pageSize'], 'pageSize') ?? 100;
  if (pageSize < 1 || pageSize > 100) {
    throw invalidRequest(`the value of pageSize (${pageSize}) must be between 1 and 100`);
  }
  const maxRecords = parseInteger(raw['maxRecords'], 'maxRecords');
  if (maxRecords !== undefined && maxRecords < 0) throw invalidRequest('maxRecords must not be negative');
  const sortRaw = raw['sort'] ?? [];
  if (!Array.isArray(sortRaw)) throw invalidRequest('sort must be a list of { field, direction }');
  const sort = sortRaw.map((entry: unknown) => {
    const { field, direction = 'asc' } = (entry ?? {}) as { field?: unknown; direction?: unknown };
    if (typeof field !== 'string' || (direction !== 'asc' && direction !== 'desc')) {
      throw invalidRequest('each sort entry needs a field name and a direction "asc" or "desc"');
    }
    return { field, direction: direction as 'asc' | 'desc' };
  });
  const cellFormat = raw['cellFormat'] ?? 'json';
  if (cellFormat !== 'json' && cellFormat !== 'string') throw invalidRequest('cellFormat must be "json" or "string"');
  const params: ListParams = { pageSize, sort, cellFormat };
  for (const key of ['offset', 'view', 'filterByFormula', 'timeZone', 'userLocale'] as const) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw invalidRequest(`${key} must be a string`);
    params[key] = value;
  }
  if (maxRecords !== undefined) params.maxRecords = maxRecords;
  const fields = parseStringList(raw['fields'], 'fields');
  if (fields !== undefined) params.fields = fields;
  if (cellFormat === 'string' && (params.timeZone === undefined || params.userLocale === undefined)) {
    throw invalidRequest('cellFormat "string" requires timeZone and userLocale');
  }
  return params;
}

// ── filterByFormula (a subset) ───────────────────────────────────────────────────────────────────────────────────

type Token =
  | { kind: 'field'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ident'; name: string }
  | { kind: 'op'; op: string }
  | { kind: 'punct'; char: '(' | ')' | ',' };

type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'compare'; op: string; left: Expr; right: Expr };

const INVALID_FORMULA = 'The formula for filtering records is invalid: Invalid formula. Please check your formula text.';

function invalidFormula(message = INVALID_FORMULA): ApiError {
  return typedError(422, 'INVALID_FILTER_BY_FORMULA', message);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '{') {
      let name = '';
      i += 1;
      while (i < text.length && text[i] !== '}') {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        name += text[i];
        i += 1;
      }
      if (text[i] !== '}') throw invalidFormula();
      i += 1;
      tokens.push({ kind: 'field', name });
    } else if (char === "'" || char === '"') {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== char) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (text[i] !== char) throw invalidFormula();
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (/[0-9.]/.test(char)) {
      const match = /^\d*\.?\d+/.exec(text.slice(i));
      if (!match) throw invalidFormula();
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) ?? [''];
      tokens.push({ kind: 'ident', name: match[0].toUpperCase() });
      i += match[0].length;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', char });
      i += 1;
    } else {
      const op = ['!=', '<=', '>=', '=', '<', '>'].find((candidate) => text.startsWith(candidate, i));
      if (op === undefined) throw invalidFormula();
      tokens.push({ kind: 'op', op });
      i += op.length;
    }
  }
  return tokens;
}

/** Functions the emulator understands, with their arity (`-1`: one or more). */
const FUNCTIONS: Record<string, number> = {
  AND: -1,
  OR: -1,
  NOT: 1,
  TRUE: 0,
  FALSE: 0,
  BLANK: 0,
  RECORD_ID: 0,
  LOWER: 1,
  UPPER: 1,
  TRIM: 1,
};

function parseFormula(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (token: Token | undefined, char: string): boolean => token?.kind === 'punct' && token.char === char;

  function primary(): Expr {
    const token = tokens[pos++];
    if (!token) throw invalidFormula();
    switch (token.kind) {
      case 'field':
        return { kind: 'field', name: token.name };
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'ident': {
        const arity = FUNCTIONS[token.name];
        if (arity === undefined || !isPunct(peek(), '(')) throw invalidFormula();
        pos += 1;
        const args: Expr[] = [];
        if (!isPunct(peek(), ')')) {
          args.push(comparison());
          while (isPunct(peek(), ',')) {
            pos += 1;
            args.push(comparison());
          }
        }
        if (!isPunct(tokens[pos++], ')')) throw invalidFormula();
        if ((arity === -1 && args.length === 0) || (arity >= 0 && args.length !== arity)) throw invalidFormula();
        return { kind: 'call', name: token.name, args };
      }
      case 'punct': {
        if (token.char !== '(') throw invalidFormula();
        const inner = comparison();
        if (!isPunct(tokens[pos++], ')')) throw invalidFormula();
        return inner;
      }
      case 'op':
        throw invalidFormula();
    }
  }

  function comparison(): Expr {
    const left = primary();
    const next = peek();
    if (next?.kind !== 'op') return left;
    pos += 1;
    return { kind: 'compare', op: next.op, left, right: primary() };
  }

  const expr = comparison();
  if (pos !== tokens.length) throw invalidFormula();
  return expr;
}

function fieldNamesIn(expr: Expr, into: Set<string>): Set<string> {
  if (expr.kind === 'field') into.add(expr.name);
  if (expr.kind === 'call') for (const arg of expr.args) fieldNamesIn(arg, into);
  if (expr.kind === 'compare') {
    fieldNamesIn(expr.left, into);
    fieldNamesIn(expr.right, into);
  }
  return into;
}

/** A cell value as a formula sees it: blank → "", lists joined with ", ", true → 1. */
function formulaValue(value: unknown): string | number {
  if (value === undefined || value === null || value === false) return '';
  if (value === true) return 1;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => String(formulaValue(displayItem(item)))).join(', ');
  return String(displayItem(value));
}

function displayItem(item: unknown): unknown {
  if (item && typeof item === 'object') {
    const object = item as { filename?: unknown; name?: unknown; email?: unknown };
    return object.filename ?? object.name ?? object.email ?? JSON.stringify(item);
  }
  return item;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return !(value === undefined || value === null || value === false || value === '' || value === 0 || Number.isNaN(value));
}

function evaluate(expr: Expr, record: EmulatorRecord): unknown {
  switch (expr.kind) {
    case 'field':
      return record.fields[expr.name];
    case 'literal':
      return expr.value;
    case 'call': {
      const args = expr.args;
      switch (expr.name) {
        case 'AND':
          return args.every((arg) => truthy(evaluate(arg, record)));
        case 'OR':
          return args.some((arg) => truthy(evaluate(arg, record)));
        case 'NOT':
          return !truthy(evaluate(args[0] ?? { kind: 'literal', value: '' }, record));
        case 'TRUE':
          return true;
        case 'FALSE':
          return false;
        case 'RECORD_ID':
          return record.id;
        case 'LOWER':
          return String(formulaValue(evaluate(args[0]!, record))).toLowerCase();
        case 'UPPER':
          return String(formulaValue(evaluate(args[0]!, record))).toUpperCase();
        case 'TRIM':
          return String(formulaValue(evaluate(args[0]!, record))).trim();
        default:
          return ''; // BLANK()
      }
    }
    case 'compare': {
      const left = formulaValue(evaluate(expr.left, record));
      const right = formulaValue(evaluate(expr.right, record));
      const numeric = typeof left === 'number' || typeof right === 'number';
      const a = numeric ? Number(left === '' ? 0 : left) : left;
      const b = numeric ? Number(right === '' ? 0 : right) : right;
      switch (expr.op) {
        case '=':
          return a === b;
        case '!=':
          return a !== b;
        case '<':
          return a < b;
        case '>':
          return a > b;
        case '<=':
          return a <= b;
        default:
          return a >= b;
      }
    }
  }
}

/**
 * Compiles the supported subset of filterByFormula: `{Field}`, 'text' / "text", numbers, `= != < > <= >=`, AND(…),
 * OR(…), NOT(…), TRUE(), FALSE(), BLANK(), RECORD_ID(), LOWER(…), UPPER(…), TRIM(…), parentheses. Anything else is a 422
 * INVALID_FILTER_BY_FORMULA, as are unknown field names. A record is kept unless the result is 0, false, "", NaN,
 * blank or an empty list.
 */
export function compileFormula(text: string, knownFields: ReadonlySet<string>): (record: EmulatorRecord) => boolean {
  const expr = parseFormula(text);
  const unknown = [...fieldNamesIn(expr, new Set())].filter((name) => !knownFields.has(name));
  if (unknown.length > 0) {
    throw invalidFormula(`The formula for filtering records is invalid: Unknown field names: ${unknown.join(', ')}`);
  }
  return (record) => truthy(evaluate(expr, record));
}

// ── The emulator ─────────────────────────────────────────────────────────────────────────────────────────────────

function isSeedAttachmentList(value: unknown): value is SeedAttachment[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => item !== null && typeof item === 'object' && 'data' in item && 'filename' in item)
  );
}

/** A field type for the metadata API, guessed from one value (`singleLineText` when there is none). */
function guessFieldType(value: unknown, attachments: WeakSet<object>): string {
  if (typeof value === 'boolean') return 'checkbox';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) {
    if (value.some((item) => typeof item === 'object' && item !== null && attachments.has(item))) return 'multipleAttachments';
    if (value.every((item) => typeof item === 'string' && /^rec[A-Za-z0-9]{14}$/.test(item))) return 'multipleRecordLinks';
    return 'multipleSelects';
  }
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return 'dateTime';
    if (value.includes('\n')) return 'multilineText';
  }
  return 'singleLineText';
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0);
}

function compareCells(a: unknown, b: unknown): number {
  const x = formulaValue(a);
  const y = formulaValue(b);
  if (x === '' || y === '') return x === y ? 0 : x === '' ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the emulator on 127.0.0.1 (a free port) and resolves once it listens. */
export async function startAirtableEmulator(options: AirtableEmulatorOptions = {}): Promise<AirtableEmulator> {
  const now = options.now ?? Date.now;
  const tokens = options.tokens ?? { [EMULATOR_TOKEN]: '*' };
  const rate = options.rateLimit === false ? undefined : { requestsPerSecond: 5, penaltyMs: 30_000, ...options.rateLimit };
  const offsetTtlMs = options.offsetTtlMs ?? 5 * 60_000;
  const attachmentUrlTtlMs = options.attachmentUrlTtlMs ?? 2 * 60 * 60_000;
  const unknownTable = options.unknownTable ?? 'TABLE_NOT_FOUND';
  const secret = randomBytes(16);
  const startedAt = new Date(now()).toISOString();

  const bases = new Map<string, Map<string, Table>>();
  const blobs = new Map<string, { data: Buffer; type: string }>();
  const storedAttachments = new WeakSet<object>();
  const cursors = new Map<string, Cursor>();
  const windows = new Map<string, { recent: number[]; blockedUntil: number }>();
  const faults = new FaultPlan();
  for (const rule of options.faults ?? []) faults.add(rule);

  const freshStats = (): AirtableEmulatorStats => ({
    requests: 0,
    log: [],
    byStatus: {},
    bases: {},
    attachmentDownloads: 0,
    attachmentBytes: 0,
    expiredAttachmentUrls: 0,
  });
  let stats = freshStats();
  const baseStats = (baseId: string): BaseStats => (stats.bases[baseId] ??= { requests: 0, rateLimited: 0, pages: 0, records: 0 });

  /** Turns seed attachments into stored ones (bytes kept aside); other values are copied as JSON. */
  function storeValue(value: unknown): unknown {
    if (!isSeedAttachmentList(value)) return structuredClone(value);
    return value.map((seed) => {
      const data = typeof seed.data === 'string' ? Buffer.from(seed.data) : Buffer.from(seed.data);
      const stored: StoredAttachment = { id: seed.id ?? airtableId('att'), filename: seed.filename, type: seed.type, size: data.length };
      if (seed.width !== undefined) stored.width = seed.width;
      if (seed.height !== undefined) stored.height = seed.height;
      blobs.set(stored.id, { data, type: seed.type });
      storedAttachments.add(stored);
      return stored;
    });
  }

  function storeFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = storeValue(value);
    return out;
  }

  for (const [baseId, tables] of Object.entries(options.bases ?? {})) {
    const base = new Map<string, Table>();
    for (const [name, seed] of Object.entries(tables)) {
      const table: Table = {
        id: seed.id ?? airtableId('tbl'),
        name,
        declaredFields: new Set(seed.fields ?? []),
        fieldIds: new Map(),
        records: seed.records.map((record) => ({
          id: record.id ?? airtableId('rec'),
          createdTime: record.createdTime ?? startedAt,
          fields: storeFields(record.fields),
        })),
        views: new Map(),
      };
      for (const [viewName, view] of Object.entries(seed.views ?? {})) {
        table.views.set(viewName, { id: view.id ?? airtableId('viw'), name: viewName, recordIds: [...view.recordIds] });
      }
      base.set(name, table);
    }
    bases.set(baseId, base);
  }

  function findTable(baseId: string, nameOrId: string): Table | undefined {
    const base = bases.get(baseId);
    if (!base) return undefined;
    return base.get(nameOrId) ?? [...base.values()].find((table) => table.id === nameOrId);
  }

  function tableOrThrow(baseId: string, nameOrId: string): Table {
    const table = findTable(baseId, nameOrId);
    if (!table) throw new Error(`Airtable emulator: no table "${nameOrId}" in base "${baseId}".`);
    return table;
  }

  /** The table's field names, in order (declared ones first, then as first seen); gives new names a `fld…` id. */
  function knownFields(table: Table): Set<string> {
    const names = new Set(table.declaredFields);
    for (const record of table.records) for (const name of Object.keys(record.fields)) names.add(name);
    for (const name of names) if (!table.fieldIds.has(name)) table.fieldIds.set(name, airtableId('fld'));
    return names;
  }

  /** The metadata API's view of a table: field types guessed from the first non-empty value. */
  function tableSchema(table: Table): unknown {
    const fields = [...knownFields(table)].map((name) => {
      const sample = table.records.map((record) => record.fields[name]).find((value) => !isEmpty(value));
      return { id: table.fieldIds.get(name) ?? '', name, type: guessFieldType(sample, storedAttachments) };
    });
    return {
      id: table.id,
      name: table.name,
      primaryFieldId: fields[0]?.id ?? '',
      fields,
      views: [...table.views.values()].map((view) => ({ id: view.id, name: view.name, type: 'grid' })),
    };
  }

  /** 401 without a valid token, 403 when the token may not read the base or the base does not exist. */
  function authorize(req: IncomingMessage, baseId: string): void {
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    const allowed = auth?.[1] === undefined ? undefined : tokens[auth[1]];
    if (allowed === undefined) throw typedError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
    if (!bases.has(baseId) || (allowed !== '*' && !allowed.includes(baseId))) {
      throw typedError(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', PERMISSION_MESSAGE);
    }
    baseStats(baseId).requests += 1;
    checkRateLimit(baseId);
  }

  // ── Attachment URLs ──

  function sign(attachmentId: string, expiry: number): string {
    return createHmac('sha256', secret).update(`${attachmentId}/${expiry}`).digest('hex').slice(0, 20);
  }

  function attachmentJson(stored: StoredAttachment, origin: string, expiry: number): Record<string, unknown> {
    const url = `${origin}/attachments/${stored.id}/${expiry}-${sign(stored.id, expiry)}/${encodeURIComponent(stored.filename)}`;
    const out: Record<string, unknown> = { ...stored, url };
    const { width, height } = stored;
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

  function outputValue(value: unknown, origin: string, expiry: number, params: ListParams): unknown {
    if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null && storedAttachments.has(item))) {
      const list = value.map((item) => (storedAttachments.has(item as object) ? attachmentJson(item as StoredAttachment, origin, expiry) : item));
      if (params.cellFormat === 'string') return list.map((a) => `${String(a['filename'])} (${String(a['url'])})`).join(', ');
      return list;
    }
    if (params.cellFormat === 'string') {
      if (value === true) return 'checked';
      return String(formulaValue(value));
    }
    return structuredClone(value);
  }

  function serveAttachment(method: string, res: ServerResponse, segments: string[]): void {
    const [, attachmentId = '', signed = ''] = segments;
    const [expiryText = '', signature = ''] = signed.split('-');
    const expiry = Number(expiryText);
    const blob = blobs.get(attachmentId);
    const notFound = (): void => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
    };
    if (!blob || !Number.isFinite(expiry) || signature !== sign(attachmentId, expiry)) return notFound();
    if (now() > expiry) {
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

  // ── List records ──

  function checkRateLimit(baseId: string): void {
    if (!rate) return;
    const time = now();
    const window = windows.get(baseId) ?? { recent: [], blockedUntil: 0 };
    windows.set(baseId, window);
    window.recent = window.recent.filter((t) => time - t < 1000);
    if (time < window.blockedUntil || window.recent.length >= rate.requestsPerSecond) {
      if (time >= window.blockedUntil) window.blockedUntil = time + rate.penaltyMs;
      baseStats(baseId).rateLimited += 1;
      throw new ApiError(429, airtableErrorBody(429));
    }
    window.recent.push(time);
  }

  /** A record as the API returns it: empty values left out, only `params.fields` if given, attachments with URLs. */
  function recordJson(record: EmulatorRecord, params: ListParams, origin: string, expiry: number): EmulatorRecord {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record.fields)) {
      if (params.fields !== undefined && !params.fields.includes(name)) continue;
      if (isEmpty(value)) continue;
      fields[name] = outputValue(value, origin, expiry, params);
    }
    return { id: record.id, createdTime: record.createdTime, fields };
  }

  function listRecords(baseId: string, table: Table, params: ListParams, origin: string): unknown {
    const fieldsKnown = knownFields(table);
    let list = table.records;
    if (params.view !== undefined) {
      const view = table.views.get(params.view) ?? [...table.views.values()].find((v) => v.id === params.view);
      if (!view) throw typedError(422, 'VIEW_NAME_NOT_FOUND', `View ${params.view} not found`);
      const byId = new Map(list.map((record) => [record.id, record]));
      list = view.recordIds.flatMap((id) => byId.get(id) ?? []);
    }
    for (const name of [...(params.fields ?? []), ...params.sort.map((s) => s.field)]) {
      if (!fieldsKnown.has(name)) throw typedError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
    }
    if (params.filterByFormula !== undefined) list = list.filter(compileFormula(params.filterByFormula, fieldsKnown));
    if (params.sort.length > 0) {
      list = [...list].sort((a, b) => {
        for (const { field, direction } of params.sort) {
          const order = compareCells(a.fields[field], b.fields[field]);
          if (order !== 0) return direction === 'asc' ? order : -order;
        }
        return 0;
      });
    }
    if (params.maxRecords !== undefined && params.maxRecords > 0) list = list.slice(0, params.maxRecords);

    let start = 0;
    if (params.offset !== undefined) {
      const cursor = cursors.get(params.offset);
      if (!cursor || now() > cursor.expiresAt || cursor.baseId !== baseId || cursor.tableId !== table.id) {
        if (cursor) cursors.delete(params.offset);
        throw typedError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
      }
      const at = list.findIndex((record) => record.id === cursor.nextRecordId);
      start = at >= 0 ? at : Math.min(cursor.nextIndex, list.length);
    }
    const page = list.slice(start, start + params.pageSize);
    const expiry = now() + attachmentUrlTtlMs;
    const records = page.map((record) => recordJson(record, params, origin, expiry));
    const stat = baseStats(baseId);
    stat.pages += 1;
    stat.records += records.length;
    const next = list[start + params.pageSize];
    if (!next) return { records };
    const offset = `${airtableId('itr')}/${next.id}`;
    cursors.set(offset, { baseId, tableId: table.id, nextIndex: start + params.pageSize, nextRecordId: next.id, expiresAt: now() + offsetTtlMs });
    return { records, offset };
  }

  async function handleApi(req: IncomingMessage, url: URL, segments: string[], origin: string): Promise<unknown> {
    if (segments[1] === 'meta') {
      const [, , basesWord, metaBaseId = '', tablesWord] = segments;
      if (req.method !== 'GET' || basesWord !== 'bases' || tablesWord !== 'tables' || segments.length !== 5) {
        throw new ApiError(404, { error: 'NOT_FOUND' });
      }
      authorize(req, metaBaseId);
      return { tables: [...(bases.get(metaBaseId)?.values() ?? [])].map(tableSchema) };
    }
    const [, baseId = '', tableSegment = '', action] = segments;
    const isList = req.method === 'GET' && segments.length === 3;
    const isPostList = req.method === 'POST' && segments.length === 4 && action === 'listRecords';
    const isGetRecord = req.method === 'GET' && segments.length === 4 && action !== undefined && action.startsWith('rec');
    if (!isList && !isPostList && !isGetRecord) throw new ApiError(404, { error: 'NOT_FOUND' });

    authorize(req, baseId);

    const tableName = tableSegment;
    const table = findTable(baseId, tableName);
    if (!table) {
      if (unknownTable === 'TABLE_NOT_FOUND') {
        throw typedError(404, 'TABLE_NOT_FOUND', `Could not find table ${tableName} in application ${baseId}`);
      }
      throw typedError(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', PERMISSION_MESSAGE);
    }

    if (isGetRecord) {
      const record = table.records.find((r) => r.id === action);
      if (!record) throw new ApiError(404, { error: 'NOT_FOUND' });
      const params = parseParams(queryToObject(url.searchParams));
      return recordJson(record, params, origin, now() + attachmentUrlTtlMs);
    }
    let raw = queryToObject(url.searchParams);
    if (isPostList) {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        throw invalidRequest('the request body is not valid JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('the request body must be a JSON object');
      raw = { ...raw, ...(body as Record<string, unknown>) };
    }
    return listRecords(baseId, table, parseParams(raw), origin);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const url = new URL(req.url ?? '/', origin);
    let segments: string[];
    try {
      // Path segments: percent-decoded; a "+" is a space (as in the client's query strings).
      segments = url.pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment.replace(/\+/g, ' ')));
    } catch {
      segments = [];
    }
    const count = (status: number): void => {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    };
    if (segments[0] === 'attachments' && (req.method === 'GET' || req.method === 'HEAD')) {
      serveAttachment(req.method, res, segments);
      count(res.statusCode);
      return;
    }
    try {
      if (segments[0] !== 'v0') throw new ApiError(404, { error: 'NOT_FOUND' });
      const body = await handleApi(req, url, segments, origin);
      count(200);
      sendJson(res, 200, body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      req.resume();
      count(error.status);
      sendJson(res, error.status, error.body);
    }
  }

  const listener = withFaults(faults, handle, { statusBody: airtableErrorBody });
  const server = createServer((req, res) => {
    stats.requests += 1;
    stats.log.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    void listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token: Object.keys(tokens).find((token) => tokens[token] === '*') ?? Object.keys(tokens)[0] ?? EMULATOR_TOKEN,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = freshStats();
    },
    faults,
    inject(rule) {
      faults.add(rule);
    },
    records(baseId, table) {
      return tableOrThrow(baseId, table).records.map((record) => structuredClone(record));
    },
    addRecord(baseId, table, fields, recordOptions = {}) {
      const id = recordOptions.id ?? airtableId('rec');
      tableOrThrow(baseId, table).records.push({ id, createdTime: recordOptions.createdTime ?? new Date(now()).toISOString(), fields: storeFields(fields) });
      return id;
    },
    updateRecord(baseId, table, recordId, fields) {
      const record = tableOrThrow(baseId, table).records.find((r) => r.id === recordId);
      if (!record) throw new Error(`Airtable emulator: no record ${recordId} in ${baseId}/${table}.`);
      for (const [name, value] of Object.entries(fields)) {
        if (value === undefined) delete record.fields[name];
        else record.fields[name] = storeValue(value);
      }
    },
    deleteRecord(baseId, table, recordId) {
      const records = tableOrThrow(baseId, table).records;
      const index = records.findIndex((r) => r.id === recordId);
      if (index < 0) throw new Error(`Airtable emulator: no record ${recordId} in ${baseId}/${table}.`);
      records.splice(index, 1);
    },
    renameField(baseId, table, from, to) {
      const found = tableOrThrow(baseId, table);
      knownFields(found);
      found.fieldIds = new Map([...found.fieldIds].map(([name, id]) => [name === from ? to : name, id]));
      if (found.declaredFields.delete(from)) found.declaredFields.add(to);
      for (const record of found.records) {
        if (!(from in record.fields)) continue;
        record.fields[to] = record.fields[from];
        delete record.fields[from];
      }
    },
    deleteField(baseId, table, field) {
      const found = tableOrThrow(baseId, table);
      found.declaredFields.delete(field);
      found.fieldIds.delete(field);
      for (const record of found.records) delete record.fields[field];
    },
    setView(baseId, table, name, recordIds) {
      const found = tableOrThrow(baseId, table);
      found.views.set(name, { id: found.views.get(name)?.id ?? airtableId('viw'), name, recordIds: [...recordIds] });
    },
    invalidateOffsets() {
      cursors.clear();
    },
    close() {
      faults.releaseStalled();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
