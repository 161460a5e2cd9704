/**
 * An emulator of the Google Sheets API v4 (read side) for the real clients: `@googleapis/sheets` with
 * `rootUrl: emulator.url`, authenticated by API key or by a service account's self-signed JWT
 * (google-auth-library's `JWT` with `useJWTAccessWithScope = true`, so no token exchange with Google).
 *
 *   const emulator = await startSheetsEmulator({
 *     spreadsheets: { abc: { title: 'Workshop', public: true, sheets: [{ title: 'People', rows: [['id', 'name']] }] } },
 *     apiKeys: ['test-key'],
 *     serviceAccounts: [{ email: 'sync@p.iam.gserviceaccount.com', publicKey }],
 *   });
 *   const api = sheets({ version: 'v4', auth: 'test-key', rootUrl: emulator.url });
 *   emulator.store.setCell('abc', 'People', 'B2', 'Ada');  // data is mutable between calls
 *   await emulator.close();
 *
 * Endpoints (GET only):
 * - `/v4/spreadsheets/{id}` → `{ spreadsheetId, properties, sheets: [{ properties: { sheetId, title, index,
 *   sheetType, gridProperties: { rowCount, columnCount } } }], spreadsheetUrl }` (`ranges` ignored). `properties`
 *   holds `locale` (default `en_US`) and `timeZone` (default `Etc/GMT`), as each spreadsheet is seeded: the locale
 *   its FORMATTED_VALUE cells are written in (the emulator keeps them as seeded, so seed them in that locale).
 * - `/v4/spreadsheets/{id}/values/{range}` → `{ range, majorDimension, values? }`.
 * - `/v4/spreadsheets/{id}/values:batchGet?ranges=…&ranges=…` → `{ spreadsheetId, valueRanges: [...] }`.
 * Every endpoint answers only what `fields` selects (`properties(locale,timeZone)`, `sheets.properties.title`), as
 * Google's partial responses do; a mask that cannot be parsed → 400 "Invalid field selection …".
 * Values: A1 ranges (`Tab`, `'My Tab'!A1:H`, `Tab!A:A`, `Tab!2:5`, `A1:B2` = first tab; quotes doubled inside
 * quotes). `range` in the answer is the request clipped to the grid (`Tab!A1:Z1000`). Interior blank cells are ""
 * and blank rows `[]`; trailing blank cells and rows are trimmed; no data → no `values` key. majorDimension ROWS
 * (default) or COLUMNS. Cells are stored as strings, i.e. as FORMATTED_VALUE shows them; UNFORMATTED_VALUE and
 * FORMULA are accepted and return the same strings (the emulator keeps no numbers or formulas).
 *
 * Auth, checked in this order:
 * - `Authorization: Bearer <JWT>`: RS256, signed by a registered service account (`iss` = `sub` = its email),
 *   not expired, lifetime ≤ 1 h, `scope` containing a Sheets or Drive scope (or, without scope, an `aud` of
 *   sheets.googleapis.com or the emulator). Otherwise 401 UNAUTHENTICATED (403 for a missing scope). A service
 *   account reads spreadsheets that are public or list its email in `sharedWith`.
 * - API key in `?key=` or `X-Goog-Api-Key`: an unknown key → 400 INVALID_ARGUMENT "API key not valid. Please pass
 *   a valid API key." (what Google answers; reason API_KEY_INVALID). A key reads only `public` spreadsheets.
 * - nothing → 403 PERMISSION_DENIED "The request is missing a valid API key.".
 * Then: quota (429 RESOURCE_EXHAUSTED after `quotaPerMinute` authenticated requests in any 60 s, default 300),
 * unknown spreadsheet → 404 NOT_FOUND "Requested entity was not found.", not readable → 403 PERMISSION_DENIED
 * "The caller does not have permission", bad range or unknown tab → 400 INVALID_ARGUMENT "Unable to parse range: …".
 * Errors are `{ error: { code, message, status } }`. Faults (`faults.ts`) apply before all of this; a `status`
 * fault without a body gets a body in this format.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { FaultPlan, withFaults, type RequestHandler } from './faults.ts';
import { FieldMaskError, pick } from './field-mask.ts';
import { counting, startHttpServer } from './http-server.ts';

/** One tab. `rows` are the cells as displayed (FORMATTED_VALUE); ragged rows are fine. */
export interface SheetSeed {
  title: string;
  /** The tab's gid; default: 0 for the first tab, then increasing numbers. */
  sheetId?: number;
  rows: string[][];
  /** Grid size; default max(1000, rows) × max(26, widest row). */
  rowCount?: number;
  columnCount?: number;
}

export interface SpreadsheetSeed {
  title: string;
  sheets: SheetSeed[];
  /** "Anyone with the link can view": readable with an API key. Default false. */
  public?: boolean;
  /** Service-account emails the spreadsheet is shared with. */
  sharedWith?: string[];
  /** `properties.locale` (`en_US`, `en_GB`, `de_DE`, `fil`…); default `en_US`. */
  locale?: string;
  /** `properties.timeZone` (CLDR, e.g. `America/New_York`); default `Etc/GMT`. */
  timeZone?: string;
}

interface ServiceAccount {
  email: string;
  /** PEM (SPKI or PKCS#1) or a KeyObject: the public half of the key the client signs with. */
  publicKey: string | KeyObject;
}

export interface SheetsEmulatorOptions {
  spreadsheets?: Record<string, SpreadsheetSeed>;
  /** Or an existing store (e.g. to share data with another emulator); `spreadsheets` is then ignored. */
  store?: SpreadsheetStore;
  /** Valid API keys. */
  apiKeys?: string[];
  serviceAccounts?: ServiceAccount[];
  /** Authenticated requests allowed in any 60 s; default 300 (Google's per-project read quota). */
  quotaPerMinute?: number;
  /** Fault plan applied to every request; default a new, empty one (see `emulator.faults`). */
  faults?: FaultPlan;
  /** Clock in ms, for the quota window and JWT expiry; default Date.now. */
  now?: () => number;
}

interface SheetsEmulatorStats {
  /** Every request received, including faulted ones. */
  requests: number;
  /** By endpoint: `get`, `values`, `batchGet`, `other`. */
  byEndpoint: Record<string, number>;
  /** By the status answered (faulted drops/stalls are not counted here). */
  byStatus: Record<number, number>;
  /** By how the request authenticated: `bearer`, `key-query`, `key-header`, `none` (faulted requests excluded). */
  byAuth: Record<string, number>;
}

export interface SheetsEmulator {
  /** `http://127.0.0.1:PORT/` — pass as `rootUrl`. */
  url: string;
  port: number;
  store: SpreadsheetStore;
  faults: FaultPlan;
  stats: SheetsEmulatorStats;
  /** Forgets the requests counted against the quota. */
  resetQuota(): void;
  close(): Promise<void>;
}

export interface Sheet {
  sheetId: number;
  title: string;
  rows: string[][];
  rowCount: number | undefined;
  columnCount: number | undefined;
}

export interface Spreadsheet {
  title: string;
  sheets: Sheet[];
  public: boolean;
  sharedWith: Set<string>;
  locale: string;
  timeZone: string;
}

/** The emulators' data, mutable between requests. Tabs are named by title; rows and columns count from 0. */
export class SpreadsheetStore {
  readonly #spreadsheets = new Map<string, Spreadsheet>();

  constructor(seed: Record<string, SpreadsheetSeed> = {}) {
    for (const [id, spreadsheet] of Object.entries(seed)) this.addSpreadsheet(id, spreadsheet);
  }

  addSpreadsheet(id: string, seed: SpreadsheetSeed): void {
    this.#spreadsheets.set(id, {
      title: seed.title,
      sheets: [],
      public: seed.public ?? false,
      sharedWith: new Set(seed.sharedWith ?? []),
      locale: seed.locale ?? 'en_US',
      timeZone: seed.timeZone ?? 'Etc/GMT',
    });
    for (const sheet of seed.sheets) this.addSheet(id, sheet);
  }

  deleteSpreadsheet(id: string): void {
    this.#spreadsheets.delete(id);
  }

  /** The spreadsheet, or undefined (read-only view for the emulators). */
  spreadsheet(id: string): Readonly<Spreadsheet> | undefined {
    return this.#spreadsheets.get(id);
  }

  /** Adds a tab at the end; returns its sheetId. */
  addSheet(id: string, seed: SheetSeed): number {
    const spreadsheet = this.#need(id);
    if (spreadsheet.sheets.some((s) => s.title === seed.title)) throw new Error(`Tab "${seed.title}" already exists in ${id}.`);
    const sheetId = seed.sheetId ?? (spreadsheet.sheets.length === 0 ? 0 : Math.max(...spreadsheet.sheets.map((s) => s.sheetId)) + 1);
    spreadsheet.sheets.push({
      sheetId,
      title: seed.title,
      rows: seed.rows.map((row) => [...row]),
      rowCount: seed.rowCount,
      columnCount: seed.columnCount,
    });
    return sheetId;
  }

  renameSheet(id: string, title: string, newTitle: string): void {
    this.#sheet(id, title).title = newTitle;
  }

  deleteSheet(id: string, title: string): void {
    const spreadsheet = this.#need(id);
    spreadsheet.sheets = spreadsheet.sheets.filter((s) => s.title !== title);
  }

  /** Replaces all rows of a tab. */
  setRows(id: string, title: string, rows: string[][]): void {
    this.#sheet(id, title).rows = rows.map((row) => [...row]);
  }

  /** Replaces one row (0-based), growing the tab as needed. */
  setRow(id: string, title: string, rowIndex: number, values: string[]): void {
    const sheet = this.#sheet(id, title);
    while (sheet.rows.length <= rowIndex) sheet.rows.push([]);
    sheet.rows[rowIndex] = [...values];
  }

  /** Sets one cell by A1 reference (`B3`) or [row, column] (0-based). */
  setCell(id: string, title: string, cell: string | [number, number], value: string): void {
    const [r, c] = typeof cell === 'string' ? parseCell(cell) : cell;
    const sheet = this.#sheet(id, title);
    while (sheet.rows.length <= r) sheet.rows.push([]);
    const row = sheet.rows[r] ?? [];
    while (row.length <= c) row.push('');
    row[c] = value;
    sheet.rows[r] = row;
  }

  /** Changes `properties.locale` (and `timeZone`); the cells stay as they are (re-seed them in the new locale). */
  setLocale(id: string, locale: string, timeZone?: string): void {
    const spreadsheet = this.#need(id);
    spreadsheet.locale = locale;
    if (timeZone !== undefined) spreadsheet.timeZone = timeZone;
  }

  setPublic(id: string, isPublic: boolean): void {
    this.#need(id).public = isPublic;
  }

  share(id: string, email: string): void {
    this.#need(id).sharedWith.add(email);
  }

  #need(id: string): Spreadsheet {
    const spreadsheet = this.#spreadsheets.get(id);
    if (!spreadsheet) throw new Error(`No spreadsheet "${id}" in the emulator's store.`);
    return spreadsheet;
  }

  #sheet(id: string, title: string): Sheet {
    const sheet = this.#need(id).sheets.find((s) => s.title === title);
    if (!sheet) throw new Error(`No tab "${title}" in spreadsheet "${id}".`);
    return sheet;
  }
}

/** Grid size of a tab (Google's new-sheet default is 1000 × 26, grown to fit the data). */
function gridSize(sheet: Readonly<Sheet>): { rowCount: number; columnCount: number } {
  const widest = sheet.rows.reduce((max, row) => Math.max(max, row.length), 0);
  return {
    rowCount: sheet.rowCount ?? Math.max(1000, sheet.rows.length),
    columnCount: sheet.columnCount ?? Math.max(26, widest),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A1 notation

/** A parsed range: tab title plus optional bounds, 0-based and inclusive; undefined = open. */
export interface A1Range {
  sheet: string | undefined;
  startRow: number | undefined;
  endRow: number | undefined;
  startColumn: number | undefined;
  endColumn: number | undefined;
}

class RangeParseError extends Error {}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function parseCell(cell: string): [number, number] {
  const match = /^([A-Za-z]{1,3})([1-9][0-9]*)$/.exec(cell);
  if (!match) throw new Error(`"${cell}" is not an A1 cell reference like B3.`);
  return [Number(match[2]) - 1, columnIndex(match[1] ?? '')];
}

const ENDPOINT = /^([A-Za-z]{1,3})?([1-9][0-9]{0,6})?$/;

/** Parses the part after `!` (`A1:B2`, `A:A`, `2:5`, `A5:B`, `C3`); undefined if it is not one. */
function parseBounds(text: string): Omit<A1Range, 'sheet'> | undefined {
  const [first, second, ...rest] = text.split(':');
  if (first === undefined || rest.length > 0) return undefined;
  const a = ENDPOINT.exec(first);
  const b = second === undefined ? a : ENDPOINT.exec(second);
  if (!a || !b || first === '' || second === '') return undefined;
  const col = (m: RegExpExecArray): number | undefined => (m[1] ? columnIndex(m[1]) : undefined);
  const row = (m: RegExpExecArray): number | undefined => (m[2] ? Number(m[2]) - 1 : undefined);
  const bounds = { startRow: row(a), endRow: row(b), startColumn: col(a), endColumn: col(b) };
  if (second === undefined && (bounds.startRow === undefined || bounds.startColumn === undefined)) return undefined;
  // A:A and 2:5 are whole columns / rows; A1:B (open end) is fine. Reversed corners are swapped (B2:A1 = A1:B2).
  const ordered = (x: number | undefined, y: number | undefined): [number | undefined, number | undefined] =>
    x !== undefined && y !== undefined && x > y ? [y, x] : [x, y];
  const [startRow, endRow] = ordered(bounds.startRow, bounds.endRow);
  const [startColumn, endColumn] = ordered(bounds.startColumn, bounds.endColumn);
  return { startRow, endRow, startColumn, endColumn };
}

/**
 * Parses an A1 range. `'It''s'!A1` → sheet "It's"; an unquoted name runs up to the last `!`. Without `!`, the text
 * is a tab title if such a tab exists, else bounds on the first tab. Throws RangeParseError when unparsable.
 */
export function parseA1(range: string, titles: readonly string[]): A1Range {
  const fail = (): never => {
    throw new RangeParseError(`Unable to parse range: ${range}`);
  };
  const whole = { startRow: undefined, endRow: undefined, startColumn: undefined, endColumn: undefined };
  let sheet: string | undefined;
  let rest: string | undefined;
  if (range.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < range.length; i++) {
      const ch = range[i];
      if (ch === "'") {
        if (range[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        break;
      }
      name += ch;
    }
    if (i >= range.length) fail();
    sheet = name;
    const after = range.slice(i + 1);
    if (after === '') rest = undefined;
    else if (after.startsWith('!') && after.length > 1) rest = after.slice(1);
    else fail();
  } else {
    const bang = range.lastIndexOf('!');
    if (bang === -1) {
      if (titles.includes(range)) return { sheet: range, ...whole };
      const bounds = parseBounds(range);
      if (!bounds) return fail();
      return { sheet: undefined, ...bounds };
    }
    sheet = range.slice(0, bang);
    rest = range.slice(bang + 1);
    if (sheet === '' || rest === '') fail();
  }
  if (!titles.includes(sheet)) fail();
  if (rest === undefined) return { sheet, ...whole };
  const bounds = parseBounds(rest);
  if (!bounds) return fail();
  return { sheet, ...bounds };
}

/** A tab title as Google writes it in a range: quoted unless plain letters/digits/underscores. */
function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}[0-9]+$/.test(title) ? title : `'${title.replaceAll("'", "''")}'`;
}

interface ValueRange {
  range: string;
  majorDimension: 'ROWS' | 'COLUMNS';
  values?: string[][];
}

/** The values of a range, trimmed like the API (trailing blank cells and rows; interior blanks kept). */
function readRange(sheet: Readonly<Sheet>, a1: A1Range, majorDimension: 'ROWS' | 'COLUMNS'): ValueRange {
  const { rowCount, columnCount } = gridSize(sheet);
  const r0 = Math.min(a1.startRow ?? 0, rowCount - 1);
  const r1 = Math.min(a1.endRow ?? rowCount - 1, rowCount - 1);
  const c0 = Math.min(a1.startColumn ?? 0, columnCount - 1);
  const c1 = Math.min(a1.endColumn ?? columnCount - 1, columnCount - 1);
  const range = `${quoteTitle(sheet.title)}!${columnLetters(c0)}${r0 + 1}:${columnLetters(c1)}${r1 + 1}`;
  const grid: string[][] = [];
  for (let r = r0; r <= r1 && r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    const cells: string[] = [];
    for (let c = c0; c <= c1 && c < row.length; c++) cells.push(row[c] ?? '');
    grid.push(cells);
  }
  let lines: string[][] = grid;
  if (majorDimension === 'COLUMNS') {
    const width = grid.reduce((max, row) => Math.max(max, row.length), 0);
    lines = Array.from({ length: width }, (_, c) => grid.map((row) => row[c] ?? ''));
  }
  const trimmed = lines.map((line) => {
    let end = line.length;
    while (end > 0 && (line[end - 1] ?? '') === '') end--;
    return line.slice(0, end);
  });
  while (trimmed.length > 0 && (trimmed.at(-1)?.length ?? 0) === 0) trimmed.pop();
  return trimmed.length === 0 ? { range, majorDimension } : { range, majorDimension, values: trimmed };
}

// ---------------------------------------------------------------------------------------------------------------
// The server

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'sheets.googleapis.com'.",
  500: 'Internal error encountered.',
  502: 'Bad gateway.',
  503: 'The service is currently unavailable.',
  504: 'The service is currently unavailable.',
};

/** The API's error body for a status. */
function sheetsError(code: number, message?: string, details?: unknown[]): { error: Record<string, unknown> } {
  return {
    error: {
      code,
      message: message ?? DEFAULT_MESSAGES[code] ?? http.STATUS_CODES[code] ?? 'Error',
      status: STATUS_NAMES[code] ?? 'UNKNOWN',
      ...(details ? { details } : {}),
    },
  };
}

const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

const SHEETS_SCOPES = new Set([
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/spreadsheets.readonly',
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.file',
]);

type Principal = { kind: 'apiKey' } | { kind: 'serviceAccount'; email: string };

class HttpError extends Error {
  readonly code: number;
  readonly details: unknown[] | undefined;
  constructor(code: number, message: string, details?: unknown[]) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function base64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function startSheetsEmulator(options: SheetsEmulatorOptions = {}): Promise<SheetsEmulator> {
  const store = options.store ?? new SpreadsheetStore(options.spreadsheets);
  const apiKeys = new Set(options.apiKeys ?? []);
  const accounts = new Map<string, KeyObject>(
    (options.serviceAccounts ?? []).map((a) => [a.email, typeof a.publicKey === 'string' ? createPublicKey(a.publicKey) : a.publicKey]),
  );
  const quota = options.quotaPerMinute ?? 300;
  const now = options.now ?? Date.now;
  const faults = options.faults ?? new FaultPlan();
  const stats: SheetsEmulatorStats = { requests: 0, byEndpoint: {}, byStatus: {}, byAuth: {} };
  let counted: number[] = [];
  let url = '';

  function verifyJwt(token: string): Principal {
    const parts = token.split('.');
    const [h, p, s] = parts;
    if (parts.length !== 3 || h === undefined || p === undefined || s === undefined) throw new HttpError(401, UNAUTHENTICATED);
    const header = base64urlJson(h);
    const claims = base64urlJson(p);
    if (!header || !claims || header['alg'] !== 'RS256') throw new HttpError(401, UNAUTHENTICATED);
    const email = claims['iss'];
    const key = typeof email === 'string' ? accounts.get(email) : undefined;
    if (typeof email !== 'string' || !key || claims['sub'] !== email) throw new HttpError(401, UNAUTHENTICATED);
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
      throw new HttpError(401, UNAUTHENTICATED);
    }
    const seconds = now() / 1000;
    const exp = claims['exp'];
    const iat = claims['iat'];
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp <= seconds || iat > seconds + 300 || exp - iat > 3600) {
      throw new HttpError(401, UNAUTHENTICATED);
    }
    const scope = claims['scope'];
    if (typeof scope === 'string') {
      if (!scope.split(' ').some((x) => SHEETS_SCOPES.has(x))) {
        throw new HttpError(403, 'Request had insufficient authentication scopes.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' },
        ]);
      }
    } else {
      const aud = claims['aud'];
      if (typeof aud !== 'string' || !(aud.startsWith('https://sheets.googleapis.com/') || aud.startsWith(url))) {
        throw new HttpError(401, UNAUTHENTICATED);
      }
    }
    return { kind: 'serviceAccount', email };
  }

  function authenticate(req: IncomingMessage, query: URLSearchParams): Principal {
    const authorization = req.headers.authorization;
    const header = req.headers['x-goog-api-key'];
    const via = authorization !== undefined ? 'bearer' : query.has('key') ? 'key-query' : header !== undefined ? 'key-header' : 'none';
    stats.byAuth[via] = (stats.byAuth[via] ?? 0) + 1;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw new HttpError(401, UNAUTHENTICATED);
      return verifyJwt(match[1]);
    }
    const key = query.get('key') ?? (typeof header === 'string' ? header : undefined);
    if (key === undefined) throw new HttpError(403, 'The request is missing a valid API key.');
    if (!apiKeys.has(key)) {
      throw new HttpError(400, 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'sheets.googleapis.com' },
        },
      ]);
    }
    return { kind: 'apiKey' };
  }

  function spend(): void {
    const t = now();
    counted = counted.filter((x) => x > t - 60_000);
    if (counted.length >= quota) throw new HttpError(429, DEFAULT_MESSAGES[429] ?? 'Quota exceeded.');
    counted.push(t);
  }

  function readable(id: string, who: Principal): Readonly<Spreadsheet> {
    const spreadsheet = store.spreadsheet(id);
    if (!spreadsheet) throw new HttpError(404, 'Requested entity was not found.');
    const allowed = spreadsheet.public || (who.kind === 'serviceAccount' && spreadsheet.sharedWith.has(who.email));
    if (!allowed) throw new HttpError(403, 'The caller does not have permission');
    return spreadsheet;
  }

  function values(spreadsheet: Readonly<Spreadsheet>, range: string, query: URLSearchParams): ValueRange {
    const dimension = query.get('majorDimension') ?? 'ROWS';
    if (dimension !== 'ROWS' && dimension !== 'COLUMNS') {
      throw new HttpError(400, `Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${dimension}"`);
    }
    const render = query.get('valueRenderOption');
    if (render !== null && !['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'].includes(render)) {
      throw new HttpError(
        400,
        `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "${render}"`,
      );
    }
    let a1: A1Range;
    try {
      a1 = parseA1(
        range,
        spreadsheet.sheets.map((s) => s.title),
      );
    } catch (error) {
      if (error instanceof RangeParseError) throw new HttpError(400, error.message);
      throw error;
    }
    const sheet = a1.sheet === undefined ? spreadsheet.sheets[0] : spreadsheet.sheets.find((s) => s.title === a1.sheet);
    if (!sheet) throw new HttpError(400, `Unable to parse range: ${range}`);
    return readRange(sheet, a1, dimension);
  }

  const handler: RequestHandler = (req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = parsed.searchParams;
    const match = /^\/v4\/spreadsheets\/([^/:]+)(?:\/values\/([^/]+)|\/(values:batchGet))?\/?$/.exec(parsed.pathname);
    const endpoint = !match ? 'other' : match[2] !== undefined ? 'values' : match[3] ? 'batchGet' : 'get';
    stats.byEndpoint[endpoint] = (stats.byEndpoint[endpoint] ?? 0) + 1;
    if (!match || req.method !== 'GET') {
      const text = `<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)</title><p>The requested URL <code>${parsed.pathname.replace(/[<>&"]/g, '')}</code> was not found on this server.</p></html>`;
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    try {
      const who = authenticate(req, query);
      spend();
      const id = decodeURIComponent(match[1] ?? '');
      const spreadsheet = readable(id, who);
      // Partial responses, as Google gives them: `fields=properties(locale,timeZone)`.
      const answer = (body: unknown) => json(res, 200, pick(body, query.get('fields')));
      if (endpoint === 'get') {
        answer({
          spreadsheetId: id,
          properties: {
            title: spreadsheet.title,
            locale: spreadsheet.locale,
            autoRecalc: 'ON_CHANGE',
            timeZone: spreadsheet.timeZone,
          },
          sheets: spreadsheet.sheets.map((sheet, index) => ({
            properties: { sheetId: sheet.sheetId, title: sheet.title, index, sheetType: 'GRID', gridProperties: gridSize(sheet) },
          })),
          spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
        });
      } else if (endpoint === 'values') {
        answer(values(spreadsheet, decodeURIComponent(match[2] ?? ''), query));
      } else {
        const ranges = query.getAll('ranges');
        const valueRanges = ranges.map((range) => values(spreadsheet, range, query));
        answer(ranges.length === 0 ? { spreadsheetId: id } : { spreadsheetId: id, valueRanges });
      }
    } catch (error) {
      if (error instanceof HttpError) json(res, error.code, sheetsError(error.code, error.message, error.details));
      else if (error instanceof FieldMaskError) json(res, 400, sheetsError(400, error.message));
      else if (error instanceof URIError) json(res, 400, sheetsError(400, 'Invalid URL encoding.'));
      else throw error;
    }
  };

  const faulty = withFaults(faults, handler, { statusBody: (status) => sheetsError(status) });
  const server = await startHttpServer(counting(stats, faulty));
  url = `${server.origin}/`;

  return {
    url,
    port: server.port,
    store,
    faults,
    stats,
    resetQuota: () => {
      counted = [];
    },
    close: () => {
      faults.releaseStalled();
      return server.close();
    },
  };
}
