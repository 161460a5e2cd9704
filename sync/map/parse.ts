/**
 * Parsers for the values people type into spreadsheets: dates, times, author lists, links, ids from names, and the
 * shapes Airtable returns for a cell. Each returns a value or a message saying what is wrong and how to write it;
 * the caller adds where (see types.ts).
 */
import { MAX_LENGTH, SAFE_WEB } from '../../src/model/fields.ts';

/** A parsed value, or the reason it could not be parsed (a sentence ending with a full stop). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}

/**
 * The longest cell read, in characters (the model's longest text, a markdown field). A longer cell is refused
 * before anything else reads it, so a 10 MB paste costs one length check, not a trip through every parser.
 */
export const MAX_CELL = MAX_LENGTH.markdown;

const tooLongCell = (length: number) =>
  fail<never>(
    `is ${length.toLocaleString('en')} characters long; a cell may hold at most ${MAX_CELL.toLocaleString('en')}. Shorten it, or put the text on a page of its own and link to it.`,
  );

const pad = (n: number): string => String(n).padStart(2, '0');

function isRealDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/** Options for reading dates. */
export interface DateOptions {
  /** Read `18/07/2024` as day/month/year. Default false: month first, as Google Sheets shows dates in en-US. */
  dayFirst?: boolean;
}

/**
 * A calendar date, as `YYYY-MM-DD`. Accepts `2024-07-18` and `7/18/2024` (or `18/07/2024` with `dayFirst`).
 * Rejects days that do not exist (e.g. 2/30/2024).
 */
export function parseDate(input: string, options: DateOptions = {}): Parsed<string> {
  const text = input.trim();
  const example = options.dayFirst ? '18/07/2024' : '7/18/2024';
  const notADate = `"${excerpt(text)}" is not a date; write it as 2024-07-18 or ${example}.`;
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[2])];
    year = Number(slashed[3]);
    [month, day] = options.dayFirst ? [b, a] : [a, b];
  } else {
    return fail(notADate);
  }
  if (month < 1 || month > 12) {
    const hint = options.dayFirst ? '' : ' (dates are read month first, as in 7/18/2024)';
    return fail(`"${excerpt(text)}" has no month ${month}${hint}; write it as 2024-07-18 or ${example}.`);
  }
  if (!isRealDay(year, month, day)) return fail(`"${excerpt(text)}" is not a day in the calendar; check the day and the month.`);
  return ok(`${year}-${pad(month)}-${pad(day)}`);
}

/**
 * A wall-clock time, as `HH:MM` (24 h). Accepts `9:00 AM`, `9:00am`, `9 AM`, `09:00`, `9:00:00 AM`;
 * `12:00 PM` is noon and `12:00 AM` midnight.
 */
export function parseTime(input: string): Parsed<string> {
  const text = input.trim();
  const notATime = fail<string>(`"${excerpt(text)}" is not a time; write it as 9:00 AM or 09:00.`);
  const twelve = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/i.exec(text);
  if (twelve) {
    const hour = Number(twelve[1]);
    const minute = Number(twelve[2] ?? '0');
    const second = Number(twelve[3] ?? '0');
    if (hour < 1 || hour > 12 || minute > 59 || second > 59) return notATime;
    const pm = twelve[4]!.toLowerCase() === 'p';
    return ok(`${pad((hour % 12) + (pm ? 12 : 0))}:${pad(minute)}`);
  }
  const day = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (day) {
    const [hour, minute, second] = [Number(day[1]), Number(day[2]), Number(day[3] ?? '0')];
    if (hour > 23 || minute > 59 || second > 59) return notATime;
    return ok(`${pad(hour)}:${pad(minute)}`);
  }
  return notATime;
}

/** `15:00` → `3:00 PM`, for messages that quote times the way the sheet shows them. */
export function formatTime12(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return `${h % 12 === 0 ? 12 : h % 12}:${pad(m)} ${h < 12 ? 'AM' : 'PM'}`;
}

/**
 * Splits a list of names: "A, B and C", "A, B, and C", "A and B", "A & B", "A; B". Pieces are trimmed; empty pieces
 * are kept (as "") so that callers can report them.
 */
export function splitNames(input: string): string[] {
  const text = input.trim();
  if (text === '') return [];
  const separators = text.includes(';') ? /\s*;\s*|\s+(?:and|&)\s+/i : /\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+/i;
  return ` ${text} `.split(separators).map((s) => s.trim());
}

const AUTHORS_HINT = 'list the authors as "A, B and C".';

/** Authors in order, from "A, B and C" (see splitNames). No empty names. */
export function parseAuthors(input: string): Parsed<string[]> {
  const names = splitNames(input);
  if (names.length === 0) return fail(`is empty; ${AUTHORS_HINT}`);
  if (names.some((n) => n === '')) return fail(`"${excerpt(input.trim())}" has an empty name; ${AUTHORS_HINT}`);
  return ok(names);
}

const LIGATURES: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lowercase, accents folded, spaces collapsed: the form two spellings of one name are compared in. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** An id from a name: `Mark Najork` → `mark-najork`, `José Núñez` → `jose-nunez`. May be "" (no letters or digits). */
export function slugify(name: string): string {
  return foldName(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) // ids stay short (MAX_LENGTH.id) whatever the name's length
    .replace(/-+$/, '');
}

/** Hands out unique ids: the first `mark-najork` keeps it, the next ones get `-2`, `-3`, … in the order asked. */
export interface IdAllocator {
  /** A unique id based on `base`. */
  allocate(base: string): string;
}

/** A fresh allocator; share one per collection so ids are unique across its tables. */
export function createIdAllocator(): IdAllocator {
  const used = new Set<string>();
  return {
    allocate(base) {
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      return id;
    },
  };
}

/** A web link: http:// or https:// only; anything else is refused with the reason. */
export function parseLink(input: string): Parsed<string> {
  const text = input.trim();
  if (SAFE_WEB.test(text) && URL.canParse(text)) return ok(text);
  const quoted = `"${excerpt(text)}"`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  if (scheme && !/^https?$/i.test(scheme)) {
    return fail(
      `${quoted} is a ${scheme.toLowerCase()}: link; only http:// and https:// links are published (e.g. "https://example.org").`,
    );
  }
  if (!scheme && /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(text)) {
    return fail(
      text.length <= 200
        ? `${quoted} has no http:// or https://; write it as "https://${text}".`
        : `${quoted} has no http:// or https://; add it in front.`,
    );
  }
  return fail(`${quoted} is not a web link; write it as "https://example.org/…".`);
}

/** At most the first `max` characters of `text`, with "…" when cut: for quoting a cell in a message. */
export function excerpt(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** An attachment as Airtable lists it, kept for the step that mirrors photos; its URL expires after 2 hours. */
export interface AttachmentRef {
  attachmentId: string;
  filename: string;
  url: string;
  size?: number;
  type?: string;
}

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A cell as text, or undefined when empty. Strings are trimmed; numbers become digits; arrays (lookups, multiple
 * selects) give their first element (`'first'`) or are joined with ", " (`'join'`, the default).
 */
export function cellText(value: unknown, arrays: 'first' | 'join' = 'join'): Parsed<string | undefined> {
  if (isEmpty(value)) return ok(undefined);
  if (typeof value === 'string' && value.length > MAX_CELL) return tooLongCell(value.length);
  if (typeof value === 'string') return ok(value.trim() === '' ? undefined : value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of arrays === 'first' ? value.slice(0, 1) : value) {
      const text = cellText(item);
      if (!text.ok) return text;
      if (text.value !== undefined) parts.push(text.value);
    }
    const joined = parts.join(', ');
    if (joined.length > MAX_CELL) return tooLongCell(joined.length);
    return ok(parts.length === 0 ? undefined : joined);
  }
  if (isRecord(value) && 'filename' in value) return fail('is an attachment, not text; type the text in the cell instead.');
  if (typeof value === 'boolean') return fail('is a checkbox, not text; use a text column.');
  return fail('is not text; use a text column.');
}

/** A cell as a number, or undefined when empty. Accepts numbers and numeric text; arrays give their first element. */
export function cellNumber(value: unknown): Parsed<number | undefined> {
  if (Array.isArray(value)) return cellNumber(value[0]);
  if (isEmpty(value)) return ok(undefined);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
  if (typeof value === 'string' && value.length <= 100 && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return ok(Number(value));
  const quoted = typeof value === 'string' ? `"${value.trim().slice(0, 40)}${value.trim().length > 40 ? '…' : ''}"` : 'this';
  return fail(`${quoted} is not a number; write a number such as 1.`);
}

/** The first attachment of an attachment cell, or undefined when empty. */
export function cellAttachment(value: unknown): Parsed<AttachmentRef | undefined> {
  if (isEmpty(value)) return ok(undefined);
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (!isRecord(first) || typeof first['url'] !== 'string' || typeof first['filename'] !== 'string') {
    return fail('is not an attachment; upload the file into the cell.');
  }
  const ref: AttachmentRef = {
    attachmentId: typeof first['id'] === 'string' ? first['id'] : '',
    filename: first['filename'],
    url: first['url'],
  };
  if (typeof first['size'] === 'number') ref.size = first['size'];
  if (typeof first['type'] === 'string') ref.type = first['type'];
  return ok(ref);
}
