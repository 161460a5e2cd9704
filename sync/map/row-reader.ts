/**
 * Reads the cells of one row through the parsers, turning every failure into a Problem that names the row and
 * column. Mappers use it so that each of them reads as "column → field" and nothing else.
 *
 * One bad cell costs that cell: a value that cannot be published (see parse.ts `cellText`) or that is invalid (an
 * unsafe link, an Order that is not a number) is left out with a warning, and its field stays empty; only where the
 * field is required (`required`, `parseRequired`, `list` with a hint) is it an error, as an empty cell is.
 *
 * A row whose source knows its columns' field types (`SourceRow.types`) is read with them (typed-cells.ts): text shows
 * a number, a duration or a date-time as Airtable does (`50%`, `$12.50`, `1:30`); numbers, ids and files are read as
 * stored.
 */
import type { z } from 'astro/zod';
import {
  cellAttachment,
  cellList,
  cellNumber,
  cellText,
  isBlankCell,
  parseLink,
  type AttachmentRef,
  type CellUse,
  type CellWarning,
  type ListAs,
  type Parsed,
} from './parse.ts';
import { problemAt, type Problem } from '../problems.ts';
import type { SourceRow } from '../sources/types.ts';
import { typedCell, type CellContext } from './typed-cells.ts';

/**
 * The columns of one table already warned about once for the whole table (a link column that gives record ids, a
 * column of emails). Share one set across the pages of a table so that the warning is said once, not once per page.
 */
export type WarnedColumns = Set<string>;

/**
 * Reads columns of one row; collects errors in `problems`. Each read returns undefined when empty or invalid, or when
 * its column is undefined (an optional column switched off in the template): such a field is simply empty.
 */
export interface RowReader {
  readonly problems: Problem[];
  /** True when no error was found in this row so far. */
  readonly clean: boolean;
  /** True when every one of these columns is blank (an empty record or a blank row). */
  allEmpty(columns: readonly (string | undefined)[]): boolean;
  /** Text; a list cell joined with ", " (default) or its first value (`'first'`, with a warning naming the others). */
  text(column: string | undefined, arrays?: ListAs): string | undefined;
  /** Text that must be there; an empty cell is an error ending with `hint` (e.g. "every paper needs a title."). */
  required(column: string, hint: string): string | undefined;
  /**
   * An id, or a reference to one (a paper's ID): its first value as stored — a number as its digits, whatever its
   * field's display format, so that an id does not change with it. With `hint`, an empty cell is an error ending with it.
   */
  id(column: string | undefined, hint?: string): string | undefined;
  /** One text per value of a list cell; with `hint`, an empty cell is an error ending with it. */
  list(column: string | undefined, hint?: string): string[] | undefined;
  number(column: string | undefined): number | undefined;
  /** A web link (a button gives its URL); anything but http(s) is left out with a warning. */
  link(column: string | undefined): string | undefined;
  attachment(column: string | undefined): AttachmentRef | undefined;
  /** Applies a parser to the cell's text; its message becomes a warning at this column, the value left out. */
  parse<T>(column: string | undefined, parser: (text: string) => Parsed<T>): T | undefined;
  /** Like `parse`, but an empty cell is an error ending with `hint`. */
  parseRequired<T>(column: string, parser: (text: string) => Parsed<T>, hint: string): T | undefined;
  error(column: string, message: string): void;
  warn(column: string, message: string): void;
  /** A warning that the value of `column` is left out: `message` says what is wrong with it and how to fix it. */
  leaveOut(column: string, message: string): void;
}

/** Said after what is wrong with an optional cell: the rest of the row is published. */
const LEFT_OUT = ' Until it is fixed, the row is published without it.';

/**
 * A reader over `row`; `warned` is shared by the rows of one table (see WarnedColumns); `context`: what typed cells are
 * shown with (the edition's time zone).
 */
export function readRow(row: SourceRow, warned: WarnedColumns = new Set(), context: CellContext = {}): RowReader {
  const problems: Problem[] = [];
  const hasError = (column: string) => problems.some((p) => p.field === column && p.severity === 'error');
  const note = (column: string, warning: CellWarning, asError: boolean) => {
    if (asError) return void problems.push(problemAt(row, 'error', column, warning.message));
    if (!warning.oncePerColumn) return void problems.push(problemAt(row, 'warning', column, warning.message));
    if (warned.has(column)) return;
    warned.add(column);
    problems.push(problemAt({ source: row.source, table: row.table, where: { row: 0 } }, 'warning', column, warning.message));
  };
  /**
   * The parsed value; its failure is an error when `strict` (a required field), else the value is left out with a
   * warning; its warnings are warnings (errors when `strict` and the value was left out).
   */
  const take = <T>(column: string, parsed: Parsed<T>, strict = false): T | undefined => {
    if (!parsed.ok)
      return void problems.push(problemAt(row, strict ? 'error' : 'warning', column, strict ? parsed.message : parsed.message + LEFT_OUT));
    for (const warning of parsed.warnings ?? []) note(column, warning, strict && parsed.value === undefined);
    return parsed.value;
  };
  /**
   * The cell of `column` as its field type shows it (`display`) or as stored; without a known type, as it is. A type
   * the sync does not know gives undefined (said once for the column; an error of the row when `strict`).
   */
  const cellOf = (column: string, strict = false, display = true): unknown => {
    const type = row.types?.[column];
    return type === undefined ? row.fields[column] : take(column, typedCell(row.fields[column], type, context, display), strict);
  };
  const textOf = (column: string | undefined, arrays: ListAs, use: CellUse, strict = false, display = true) =>
    column === undefined ? undefined : take(column, cellText(cellOf(column, strict, display), arrays, use), strict);
  const orEmpty = <T>(column: string, value: T | undefined, hint: string): T | undefined => {
    if (value === undefined && !hasError(column)) reader.error(column, `is empty; ${hint}`);
    return value;
  };
  const parseWith = <T>(column: string | undefined, parser: (text: string) => Parsed<T>, strict: boolean): T | undefined => {
    const value = textOf(column, 'first', 'text', strict);
    return value === undefined || column === undefined ? undefined : take(column, parser(value), strict);
  };
  const reader: RowReader = {
    problems,
    get clean() {
      return !problems.some((p) => p.severity === 'error');
    },
    allEmpty: (columns) => columns.every((c) => c === undefined || isBlankCell(row.fields[c])),
    text: (column, arrays = 'join') => textOf(column, arrays, 'text'),
    required: (column, hint) => orEmpty(column, textOf(column, 'first', 'text', true), hint),
    id(column, hint) {
      if (hint === undefined || column === undefined) return textOf(column, 'first', 'text', false, false);
      return orEmpty(column, textOf(column, 'first', 'text', true, false), hint);
    },
    list(column, hint) {
      if (column === undefined) return undefined;
      const value = take(column, cellList(cellOf(column, hint !== undefined)), hint !== undefined);
      return hint === undefined ? value : orEmpty(column, value, hint);
    },
    number: (column) => (column === undefined ? undefined : take(column, cellNumber(cellOf(column, false, false)))),
    link(column) {
      const value = textOf(column, 'first', 'link');
      return value === undefined || column === undefined ? undefined : take(column, parseLink(value));
    },
    attachment: (column) => (column === undefined ? undefined : take(column, cellAttachment(cellOf(column, false, false)))),
    parse: (column, parser) => parseWith(column, parser, false),
    parseRequired: (column, parser, hint) => orEmpty(column, parseWith(column, parser, true), hint),
    leaveOut: (column, message) => void problems.push(problemAt(row, 'warning', column, message + LEFT_OUT)),
    error: (column, message) => void problems.push(problemAt(row, 'error', column, message)),
    warn: (column, message) => void problems.push(problemAt(row, 'warning', column, message)),
  };
  return reader;
}

/** Drops keys whose value is undefined, so optional model fields are absent rather than `undefined`. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The part of `candidate` a zod issue is about, as a path of at most two keys: a field, or a key of an object field
 * (a paper's `links.pdf`), so that leaving it out costs no more than that value.
 */
function partOf(candidate: Record<string, unknown>, path: readonly PropertyKey[]): string[] | undefined {
  const [field, key] = path;
  if (typeof field !== 'string' || !(field in candidate)) return undefined;
  const value = candidate[field];
  const nested = typeof key === 'string' && typeof value === 'object' && value !== null && !Array.isArray(value) && key in value;
  return nested ? [field, key] : [field];
}

/** `candidate` without the value at `part`. */
function without(candidate: Record<string, unknown>, part: readonly string[]): Record<string, unknown> {
  const [field, key] = part as [string, string?];
  const { [field]: value, ...rest } = candidate;
  if (key === undefined) return rest;
  const { [key]: _left, ...inner } = value as Record<string, unknown>;
  return { ...rest, [field]: inner };
}

const sameStart = (path: readonly PropertyKey[], part: readonly string[]) => part.every((segment, i) => path[i] === segment);

/** Whether the schema does without the value at `part`: validated without it, no issue is about it. */
function canLeaveOut(schema: z.ZodType, candidate: Record<string, unknown>, part: readonly string[]): boolean {
  const result = schema.safeParse(without(candidate, part));
  return result.success || !result.error.issues.some((i) => sameStart(i.path, part));
}

/**
 * Validates `candidate` with the model schema. A field the schema can do without whose value it refuses (too long, a
 * forbidden character, a link that is not http(s)) is left out with a warning, and the rest validated again: one bad
 * cell costs that cell. Every other zod issue becomes an error at the column the field came from (`columnOf` maps a
 * model path to it); a column that already has an error is not reported twice, nor a field left out because of
 * another error.
 */
export function validateWith<S extends z.ZodType>(
  schema: S,
  candidate: Record<string, unknown>,
  row: SourceRow,
  reader: RowReader,
  columnOf: (path: readonly PropertyKey[]) => string | undefined,
): z.infer<S> | undefined {
  let current = candidate;
  let result = schema.safeParse(current);
  // Each round leaves out one optional field (a schema has only so many); a required field stops it.
  for (let round = 0; !result.success && round < 20; round++) {
    let found: { issue: z.core.$ZodIssue; part: string[] } | undefined;
    for (const issue of result.error.issues) {
      const part = partOf(current, issue.path);
      if (part && canLeaveOut(schema, current, part)) {
        found = { issue, part };
        break;
      }
    }
    if (!found) break;
    const column = columnOf(found.issue.path);
    const message = /[.!?]$/.test(found.issue.message) ? found.issue.message : `${found.issue.message}.`;
    if (column !== undefined) reader.leaveOut(column, message);
    else reader.problems.push(problemAt(row, 'warning', undefined, `"${found.part.join('.')}" ${message}${LEFT_OUT}`));
    current = without(current, found.part);
    result = schema.safeParse(current);
  }
  if (result.success && reader.clean) return result.data;
  if (result.success) return undefined;
  const given = current;
  for (const issue of result.error.issues) {
    // A field left out because its cell already has an error would only be reported again as "missing".
    if (!reader.clean && issue.path.length > 0 && !(issue.path[0]! in given)) continue;
    const column = columnOf(issue.path);
    if (column !== undefined && reader.problems.some((p) => p.field === column && p.severity === 'error')) continue;
    const message = /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`;
    reader.problems.push(problemAt(row, 'error', column, message));
  }
  return undefined;
}
