/**
 * The shapes every mapping step shares: a row with its provenance, and a problem that says where it is and what to
 * do. Provenance travels with every row so that any later message can name the source, table/tab, record or row.
 */

/** Where a row sits in its source: an Airtable record id or a 1-based sheet row number (the header is row 1). */
export type Where = { recordId: string } | { row: number };

/** One row of a configured table or tab, with where it came from. `fields` is keyed by column name. */
export interface SourceRow {
  /** Human name of the source, e.g. `Airtable` or `Google Sheets`. */
  source: string;
  /** Table (Airtable) or tab (Google Sheets) name, as configured. */
  table: string;
  where: Where;
  /** Raw cells by column name, as the API returned them (empty Airtable cells are absent). */
  fields: Record<string, unknown>;
}

/** The provenance part of a row: enough to point a person at the cell to fix. */
export type Origin = Pick<SourceRow, 'source' | 'table' | 'where'>;

/** Something wrong with the data. Errors stop the sync; warnings are reported and the sync goes on. */
export interface Problem {
  severity: 'error' | 'warning';
  source: string;
  table: string;
  where: Where;
  /** The column (not the model field) to look at, when there is one. */
  field?: string;
  /** What is wrong and what to do, as a sentence ending with a full stop. */
  message: string;
}

/** A mapped entry of the content model with the row it came from. */
export interface Mapped<T> {
  data: T;
  origin: Origin;
}

/** What every mapper returns: the valid entries and the problems found on the way. */
export interface MapResult<E> {
  entries: E[];
  problems: Problem[];
}

/** The provenance of a row, without its cells. */
export function originOf(row: Origin): Origin {
  return { source: row.source, table: row.table, where: row.where };
}

/** `rec123` or `row 7`; `{ row: 0 }` means the table as a whole and is not shown. */
export function formatWhere(where: Where): string {
  return 'recordId' in where ? where.recordId : where.row === 0 ? '' : `row ${where.row}`;
}

/**
 * One actionable line, e.g.
 * `Airtable › Papers › rec123 › "Authors": is empty; list the authors as "A, B and C".`
 */
export function formatProblem(problem: Problem): string {
  const field = problem.field === undefined ? '' : ` › "${problem.field}"`;
  const where = formatWhere(problem.where);
  return printable(`${problem.source} › ${problem.table}${where ? ` › ${where}` : ''}${field}: ${problem.message}`);
}

/**
 * One line a terminal shows as it is: line breaks, tabs, control characters and bidirectional overrides quoted
 * from a cell are written as escapes (`\n`, `\u0007`, `\u202E`), so a cell can neither forge log lines nor
 * reorder or hide what the operator reads.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** Builds a problem at a row (and optionally a column). */
export function problemAt(
  origin: Origin,
  severity: Problem['severity'],
  field: string | undefined,
  message: string,
): Problem {
  const base = { severity, source: origin.source, table: origin.table, where: origin.where, message };
  return field === undefined ? base : { ...base, field };
}

/** True when at least one problem is an error (the sync must not write). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
