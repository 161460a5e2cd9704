/**
 * Reads the cells of one row through the parsers, turning every failure into a Problem that names the row and
 * column. Mappers use it so that each of them reads as "column → field" and nothing else.
 */
import type { z } from 'astro/zod';
import { cellAttachment, cellNumber, cellText, parseLink, type AttachmentRef, type Parsed } from './parse.ts';
import { problemAt, type Problem } from '../problems.ts';
import type { SourceRow } from '../sources/types.ts';

/** Reads columns of one row; collects errors in `problems`. Each read returns undefined when empty or invalid. */
export interface RowReader {
  readonly problems: Problem[];
  /** True when no error was found in this row so far. */
  readonly clean: boolean;
  /** True when every one of these columns is empty (an empty record or a blank row). */
  allEmpty(columns: readonly string[]): boolean;
  text(column: string, arrays?: 'first' | 'join'): string | undefined;
  /** Text that must be there; an empty cell is an error ending with `hint` (e.g. "every paper needs a title."). */
  required(column: string, hint: string): string | undefined;
  number(column: string): number | undefined;
  link(column: string): string | undefined;
  attachment(column: string): AttachmentRef | undefined;
  /** Applies a parser to the cell's text; its message becomes an error at this column. */
  parse<T>(column: string, parser: (text: string) => Parsed<T>): T | undefined;
  /** Like `parse`, but an empty cell is an error ending with `hint`. */
  parseRequired<T>(column: string, parser: (text: string) => Parsed<T>, hint: string): T | undefined;
  error(column: string, message: string): void;
  warn(column: string, message: string): void;
}

/** A reader over `row`. */
export function readRow(row: SourceRow): RowReader {
  const problems: Problem[] = [];
  const take = <T>(column: string, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    problems.push(problemAt(row, 'error', column, parsed.message));
    return undefined;
  };
  const reader: RowReader = {
    problems,
    get clean() {
      return !problems.some((p) => p.severity === 'error');
    },
    allEmpty: (columns) =>
      columns.every((c) => {
        const text = cellText(row.fields[c]);
        return text.ok ? text.value === undefined : false;
      }),
    text: (column, arrays) => take(column, cellText(row.fields[column], arrays)),
    required(column, hint) {
      const value = reader.text(column, 'first');
      if (value === undefined && !problems.some((p) => p.field === column)) reader.error(column, `is empty; ${hint}`);
      return value;
    },
    number: (column) => take(column, cellNumber(row.fields[column])),
    link(column) {
      const value = reader.text(column, 'first');
      return value === undefined ? undefined : take(column, parseLink(value));
    },
    attachment: (column) => take(column, cellAttachment(row.fields[column])),
    parse(column, parser) {
      const value = reader.text(column, 'first');
      return value === undefined ? undefined : take(column, parser(value));
    },
    parseRequired(column, parser, hint) {
      const value = reader.parse(column, parser);
      if (value === undefined && !problems.some((p) => p.field === column)) reader.error(column, `is empty; ${hint}`);
      return value;
    },
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
 * Validates `candidate` with the model schema. Each zod issue becomes an error at the column the field came from
 * (`columnOf` maps a model path to it); a column that already has an error is not reported twice, nor a field left
 * out because of another error.
 */
export function validateWith<S extends z.ZodType>(
  schema: S,
  candidate: unknown,
  row: SourceRow,
  reader: RowReader,
  columnOf: (path: readonly PropertyKey[]) => string | undefined,
): z.infer<S> | undefined {
  const result = schema.safeParse(candidate);
  if (result.success && reader.clean) return result.data;
  if (result.success) return undefined;
  const given = typeof candidate === 'object' && candidate !== null ? candidate : {};
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
