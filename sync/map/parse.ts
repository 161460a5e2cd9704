/**
 * Parsers for the values people type into spreadsheets: author lists, links, ids from names, and the shapes Airtable
 * returns for a cell (dates and times: dates.ts). Each returns a value or a message saying what is wrong and how to write it;
 * the caller adds where (see types.ts).
 */
import { MAX_LENGTH, SAFE_WEB } from '../../src/model/fields.ts';
import { RECORD_ID } from '../sources/rows.ts';

/**
 * A warning about a cell that is read all the same: the cell (or part of it) was left out, or only part of it used.
 * The message is a sentence ending with a full stop; the caller adds where.
 */
export interface CellWarning {
  message: string;
  /** Said once for the column of a table, not for every row (e.g. a link column that gives record ids). */
  oncePerColumn?: true;
}

/**
 * A parsed value, or the reason it could not be parsed (a sentence ending with a full stop). A value may come with
 * warnings: what of the cell was left out and what to do about it.
 */
export type Parsed<T> = { ok: true; value: T; warnings?: readonly CellWarning[] } | { ok: false; message: string };

function ok<T>(value: T, warnings: readonly CellWarning[] = []): Parsed<T> {
  return warnings.length === 0 ? { ok: true, value } : { ok: true, value, warnings };
}

/** Nothing is published from the cell; `message` says why and what to do. */
const leftOut = (message: string, oncePerColumn = false): Parsed<undefined> =>
  ok(undefined, [oncePerColumn ? { message, oncePerColumn } : { message }]);

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

/** A cell that is an email address and nothing else (an email field): never published. */
const EMAIL = /^[^\s@<>()"',;:/]+@[^\s@<>()"',;:/]+\.[a-z]{2,}$/i;

/**
 * How a column is read: as text to show, or as a link to follow. They differ for a button (its label is text, its
 * URL the link) and in what a warning advises.
 */
export type CellUse = 'text' | 'link';

/** How a list cell (a multiple select, a lookup, a rollup) becomes one value: joined with ", ", or its first value. */
export type ListAs = 'join' | 'first';

const quote = (text: string, max = 60): string => `"${excerpt(text, max)}"`;

const RECORD_IDS =
  "is a link to another table, which shows record ids (rec…), not names, so they are left out. Give the sync's token the schema.bases:read scope, or use a lookup of the linked table's name field instead.";
const EMAIL_ADVICE: Record<CellUse, string> = {
  text: 'Type the text to show instead, or map this field to another column (template in workshop.config.ts).',
  link: "Put a web page's address (https://…) in the cell instead.",
};
const CHECKBOX: Record<CellUse, string> = {
  text: 'is a checkbox, which has no text to publish, so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).',
  link: "is a checkbox, which has no link to publish, so it is left out. Make it a URL field in Airtable and put a web page's address (https://…) in it, or map this field to another column (template in workshop.config.ts).",
};

/** A text cell (or one item of a list): trimmed text; a bare record id or email address is left out. */
function readString(value: string, use: CellUse): Parsed<string | undefined> {
  if (value.length > MAX_CELL) return tooLongCell(value.length);
  const text = value.trim();
  if (text === '') return ok(undefined);
  if (RECORD_ID.test(text)) return leftOut(RECORD_IDS, true);
  if (EMAIL.test(text)) return leftOut(`is an email address, which is never published, so it is left out. ${EMAIL_ADVICE[use]}`);
  return ok(text);
}

/** An AI text field: `{ state, value, isStale, errorType? }`; only generated text is published (stale or not). */
function readAiText(cell: Record<string, unknown>, use: CellUse): Parsed<string | undefined> {
  const { state, value, errorType } = cell;
  const typeIt = use === 'link' ? 'put the link in a text field' : 'type the text in a text field';
  if (state === 'generated') return typeof value === 'string' ? readString(value, use) : ok(undefined);
  if (state === 'empty')
    return leftOut(`is an AI field that has generated nothing yet, so it is left out. Generate it in Airtable, or ${typeIt}.`);
  if (state === 'loading') {
    return leftOut(
      `is an AI field that was still generating when the sync read it, so it is left out this time. Run the sync again once Airtable has generated it, or ${typeIt}.`,
    );
  }
  const reason = typeof errorType === 'string' ? ` (${quote(errorType, 40)})` : '';
  return leftOut(`is an AI field that Airtable failed to generate${reason}, so it is left out. Regenerate it in Airtable, or ${typeIt}.`);
}

/**
 * An attachment `{ id, url, filename, … }` where text or a link is read: files are published only from a paper's link
 * columns (map/paper-files.ts reads those before they get here) and photo columns.
 */
function readAttachment(cell: Record<string, unknown>, use: CellUse): Parsed<undefined> {
  const name = typeof cell['filename'] === 'string' && cell['filename'] !== '' ? ` (${quote(cell['filename'], 60)})` : '';
  if (use === 'link') {
    return leftOut(
      `holds a file attached in Airtable${name}; a file is published only from a paper's PDF, arXiv or Code column, so it is left out here. Put a web page's address (https://…) in this column instead.`,
    );
  }
  return leftOut(`holds a file attached in Airtable${name}, not text, so it is left out. Type the text in this column instead.`);
}

/** A collaborator `{ id, email, name }`: the name, never the email. */
function readCollaborator(cell: Record<string, unknown>): Parsed<string | undefined> {
  const name = typeof cell['name'] === 'string' ? readString(cell['name'], 'text') : ok(undefined);
  if (!name.ok || name.value !== undefined) return name;
  return leftOut(
    "is a collaborator without a name in Airtable (an email is never published), so it is left out. Type the person's name in a text field instead.",
  );
}

/** An object Airtable may add one day: left out, naming its keys so that someone can tell which type it is. */
function readUnknown(cell: Record<string, unknown>): Parsed<undefined> {
  const keys = Object.keys(cell)
    .slice(0, 8)
    .map((key) => quote(key, 30));
  const shape = keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}`;
  return leftOut(
    `holds a kind of value the sync does not know (${shape}), so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).`,
  );
}

/** One value of a cell, or one item of a list cell, read by its shape (no schema needed); see docs/sync.md. */
function readValue(value: unknown, use: CellUse): Parsed<string | undefined> {
  if (value === undefined || value === null || value === false) return ok(undefined);
  if (typeof value === 'string') return readString(value, use);
  if (typeof value === 'number') return Number.isFinite(value) ? ok(String(value)) : ok(undefined);
  if (value === true) return leftOut(CHECKBOX[use]);
  if (!isRecord(value)) return readUnknown({});
  if (typeof value['state'] === 'string' && ['empty', 'loading', 'generated', 'error'].includes(value['state']))
    return readAiText(value, use);
  if (typeof value['url'] === 'string' && (typeof value['filename'] === 'string' || /^att/.test(String(value['id'])))) {
    return readAttachment(value, use);
  }
  if ('label' in value && 'url' in value) {
    const part = use === 'link' ? value['url'] : value['label'];
    return typeof part === 'string' ? readString(part, use) : ok(undefined);
  }
  if ('email' in value || /^usr/.test(String(value['id']))) return readCollaborator(value);
  if (typeof value['text'] === 'string') return readString(value['text'], use);
  if (typeof value['error'] === 'string' || typeof value['specialValue'] === 'string') {
    const result = String(value['error'] ?? value['specialValue']);
    return leftOut(`is a formula whose result is ${quote(result, 40)}, so it is left out. Fix the formula in Airtable.`);
  }
  return readUnknown(value);
}

/** Every value of a cell, lists (and lists in lists) flattened. */
function valuesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(valuesOf) : [value];
}

/** Warnings with the same message said once. */
function distinct(warnings: readonly CellWarning[]): CellWarning[] {
  return warnings.filter((w, i) => warnings.findIndex((v) => v.message === w.message) === i);
}

/**
 * A cell as a list of texts, one per value (a multiple select, a lookup, linked names), or undefined when nothing is
 * left. Values that cannot be published are left out, each kind with one warning.
 */
export function cellList(value: unknown, use: CellUse = 'text'): Parsed<string[] | undefined> {
  const texts: string[] = [];
  const warnings: CellWarning[] = [];
  for (const item of valuesOf(value)) {
    const read = readValue(item, use);
    if (!read.ok) return read;
    if (read.value !== undefined) texts.push(read.value);
    warnings.push(...(read.warnings ?? []));
  }
  return ok(texts.length === 0 ? undefined : texts, distinct(warnings));
}

/** The first of `texts`, with a warning naming the other values when there are others. */
function firstOf(texts: readonly string[]): { value: string; warnings: CellWarning[] } {
  const first = texts[0]!;
  const others = [...new Set(texts)].filter((t) => t !== first);
  if (others.length === 0) return { value: first, warnings: [] };
  const list = (values: readonly string[], max: number) =>
    values
      .slice(0, max)
      .map((t) => quote(t, 40))
      .join(', ') + (values.length > max ? ', …' : '');
  const message = `holds ${others.length + 1} values (${list([first, ...others], 5)}) where one is read, so ${quote(first, 40)} is used and ${list(others, 4)} left out. Keep one value in this cell.`;
  return { value: first, warnings: [{ message }] };
}

/**
 * A cell as text, or undefined when empty, read by the shape of its value (see docs/sync.md, "Airtable field types").
 * Strings are trimmed; numbers become digits; lists (multiple selects, lookups, rollups) are joined with ", " (repeats
 * once) or give their first value (`'first'`, with a warning naming the others). A value that cannot be published (a
 * record id, an email, a checkbox, a file, an AI field without text, an unknown object) is left out with a warning.
 * `use: 'link'` reads a button as its URL rather than its label.
 */
export function cellText(value: unknown, arrays: ListAs = 'join', use: CellUse = 'text'): Parsed<string | undefined> {
  if (!Array.isArray(value)) return readValue(value, use);
  const list = cellList(value, use);
  if (!list.ok || list.value === undefined) return list as Parsed<undefined>;
  const warnings = list.warnings ?? [];
  if (arrays === 'first') {
    const first = firstOf(list.value);
    return ok(first.value, [...warnings, ...first.warnings]);
  }
  const joined = [...new Set(list.value)].join(', ');
  if (joined.length > MAX_CELL) return tooLongCell(joined.length);
  return ok(joined, warnings);
}

/**
 * True when a cell holds nothing to read: empty, blank text, an unchecked box, an AI field in state "empty", a button
 * without a URL (a button shows on every record, even an empty one), or a list of such.
 */
export function isBlankCell(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isBlankCell);
  if (isEmpty(value) || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (!isRecord(value)) return false;
  if (value['state'] === 'empty') return true;
  return 'label' in value && 'url' in value && (typeof value['url'] !== 'string' || value['url'].trim() === '');
}

/**
 * True when a cell is a checked checkbox (`true`, or a lookup of checked boxes): the flag some model fields take
 * (a paper's award).
 */
export function isChecked(value: unknown): boolean {
  return value === true || (Array.isArray(value) && value.length > 0 && value.every((v) => v === true));
}

/**
 * A cell as a number, or undefined when empty. Accepts numbers and numeric text; lists give their first value (with a
 * warning naming the others); a value that is not a number at all (a checkbox, a file) is left out with a warning.
 */
export function cellNumber(value: unknown): Parsed<number | undefined> {
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
  const text = cellText(value, 'first');
  if (!text.ok || text.value === undefined) return text as Parsed<undefined>;
  if (text.value.length <= 100 && /^-?\d+(\.\d+)?$/.test(text.value)) return ok(Number(text.value), text.warnings);
  return { ok: false, message: `${quote(text.value, 40)} is not a number; write a number such as 1.` };
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
