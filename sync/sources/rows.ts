/**
 * API payloads → SourceRows with provenance: Airtable records (`{ id, createdTime, fields }`) and Google Sheets
 * values (rows of cells under a header row found near the top). Pure; the sources fetch, this only reshapes.
 */
import { SourceError } from '../errors.ts';
import { describeColumns } from './column-names.ts';
import type { SourceRow } from './types.ts';

/** An Airtable record id, `rec` + 14 letters and digits: what a link cell holds, and what must never reach a page. */
export const RECORD_ID = /^rec[A-Za-z0-9]{14}$/;

/** A record as the Airtable API lists it. */
export interface AirtableRecord {
  id: string;
  createdTime?: string;
  fields: Record<string, unknown>;
}

/** One row per Airtable record, keyed by the record id. */
export function rowsFromAirtable(source: string, table: string, records: readonly AirtableRecord[]): SourceRow[] {
  return records.map((record) => ({ source, table, where: { recordId: record.id }, fields: { ...record.fields } }));
}

/** How many non-blank rows at the top of a tab are searched for its header row. */
const HEADER_SEARCH_ROWS = 10;

/** How a tab is laid out: which columns to look for, and where its values start. */
export interface SheetLayout {
  /**
   * The mapped columns (`TableSpec.columns`). The header is the row, among the first HEADER_SEARCH_ROWS non-blank
   * ones, that holds the most of them; without any, the first row is the header.
   */
  columns?: readonly string[];
  /**
   * The columns among `columns` the tab may lack (see TableSpec.optional). When given, a column of `columns` not in
   * the header is returned in `missing` if it is one of these, else it stops the read with a SourceError.
   */
  optional?: readonly string[];
  /** The sheet row number of the first of `values` (1 for a range from `A1`), so rows keep the sheet's numbers. */
  firstRow?: number;
}

type Cells = readonly unknown[];

/** A row with no cell, or only empty / whitespace cells. */
function isBlank(cells: Cells): boolean {
  return cells.every((c) => c === undefined || c === null || (typeof c === 'string' && c.trim() === ''));
}

/** A cell as text: strings trimmed, nothing as '', anything else as JSON. */
function cellText(cell: unknown): string {
  return typeof cell === 'string' ? cell.trim() : cell === undefined || cell === null ? '' : JSON.stringify(cell);
}

/** The form names are compared in: trimmed, any case. */
function comparable(name: string): string {
  return name.trim().toLowerCase();
}

/** The indexes of the first `limit` non-blank rows. */
function topRows(values: readonly Cells[], limit: number): number[] {
  const found: number[] = [];
  for (let i = 0; i < values.length && found.length < limit; i++) if (!isBlank(values[i] ?? [])) found.push(i);
  return found;
}

/** How many of the expected names (comparable forms) the row holds. */
function expectedIn(cells: Cells, expected: ReadonlySet<string>): number {
  return new Set(cells.map((c) => comparable(cellText(c))).filter((name) => expected.has(name))).size;
}

/** The index of the header row: the top row holding the most expected names (the first on a tie); -1 if none. */
function headerIndex(values: readonly Cells[], expected: ReadonlySet<string>): number {
  let best = -1;
  let most = 0;
  for (const i of topRows(values, HEADER_SEARCH_ROWS)) {
    const count = expectedIn(values[i] ?? [], expected);
    if (count > most) [best, most] = [i, count];
  }
  return best;
}

/**
 * The key of each header cell: an expected column in the template's spelling (a sheet's "start time " feeds the
 * template's "Start Time"), any other in the sheet's own, trimmed; '' for a blank cell, whose column is not read.
 */
function fieldKeys(header: Cells, columns: readonly string[]): string[] {
  const spelling = new Map(columns.map((column) => [comparable(column), column] as const));
  return header.map((cell) => {
    const name = cellText(cell);
    return spelling.get(comparable(name)) ?? name;
  });
}

/** A row as a message quotes it: its cells joined, emails hidden, cut to about 80 characters. */
function quoteRow(cells: Cells): string {
  const text = cells
    .map(cellText)
    .filter((c) => c !== '')
    .join(' | ')
    .replace(/\s+/g, ' ')
    .replace(/[^\s@|"]+@[^\s@|"]+\.[^\s@|"]+/g, '[email]');
  return `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;
}

/** The tab has no row holding any expected column near its top: what was looked for, what was seen, what to do. */
function noHeader(source: string, tab: string, values: readonly Cells[], columns: readonly string[], firstRow: number): SourceError {
  const seen = topRows(values, 3).map((i) => `row ${firstRow + i}: ${quoteRow(values[i] ?? [])}`);
  const rows = seen.length === 0 ? 'the tab is empty' : `its first rows are ${seen.join('; ')}`;
  const names = columns.map((c) => `"${c}"`).join(', ');
  return new SourceError(
    source,
    tab,
    `no header row: none of the first ${HEADER_SEARCH_ROWS} non-blank rows holds any of the columns the template reads (${names}); ${rows}. ` +
      'Put the column names in one row near the top of the tab, or put the names the tab uses under template in workshop.config.ts.',
  );
}

/** A required column the header lacks: the columns it has, the nearest names, what to do. */
function noColumn(source: string, tab: string, column: string, header: readonly string[], headerRow: number): SourceError {
  const have = header.filter((name) => name !== '');
  return new SourceError(
    source,
    tab,
    `there is no column "${column}" in the header row (row ${headerRow}). ${describeColumns(column, have, 'Its columns are')} Rename the column back to "${column}", or put its name in the template in workshop.config.ts.`,
  );
}

/** The rows of a tab and the optional columns its header lacks. */
export interface SheetTable {
  rows: SourceRow[];
  missing: string[];
  /** The 0-based index of each column (by its key, as in `rows[].fields`) in the sheet: A is 0. For links to cells. */
  columnIndex: ReadonlyMap<string, number>;
  /** The sheet row number of the header row (3 when a title and a blank row sit above it). */
  headerRow?: number;
}

/**
 * One row per non-blank sheet row below the header. `values` is the API's `values` (rows of cells; trailing empty
 * cells and rows trimmed, a blank row `[]`). The header is found among the first rows (see SheetLayout): rows above
 * it (a title, a note, blank rows) are not data. Header names are trimmed; an expected column is keyed in the
 * template's spelling whatever its case in the sheet (see fieldKeys); cells under a blank header are ignored, and of
 * two headers with one name the first is read. A blank row is skipped, not the end of the data. Rows keep the sheet's
 * row numbers, so messages quote the row people see. Throws a SourceError when no top row holds an expected column,
 * or when the header lacks a required one (see SheetLayout.optional).
 */
export function readSheet(source: string, tab: string, values: readonly Cells[] | undefined, layout: SheetLayout = {}): SheetTable {
  const grid = values ?? [];
  const firstRow = layout.firstRow ?? 1;
  const columns = layout.columns ?? [];
  const expected = new Set(columns.map(comparable));
  const at = expected.size === 0 ? 0 : headerIndex(grid, expected);
  if (at < 0) throw noHeader(source, tab, grid, columns, firstRow);
  const keys = fieldKeys(grid[at] ?? [], columns);
  const missing: string[] = [];
  if (layout.optional && grid.length > 0) {
    const optional = new Set(layout.optional);
    for (const column of columns.filter((c) => !keys.includes(c))) {
      if (!optional.has(column)) throw noColumn(source, tab, column, keys, firstRow + at);
      missing.push(column);
    }
  }
  const rows: SourceRow[] = [];
  for (let i = at + 1; i < grid.length; i++) {
    const cells = grid[i] ?? [];
    if (isBlank(cells)) continue;
    const fields: Record<string, unknown> = {};
    keys.forEach((key, c) => {
      if (key !== '' && cells[c] !== undefined && !(key in fields)) fields[key] = cells[c];
    });
    rows.push({ source, table: tab, where: { row: firstRow + i }, fields });
  }
  const columnIndex = new Map<string, number>();
  keys.forEach((key, c) => {
    if (key !== '' && !columnIndex.has(key)) columnIndex.set(key, c);
  });
  return { rows, missing, columnIndex, headerRow: firstRow + at };
}

/** The rows of a tab (see readSheet). */
export function rowsFromSheet(source: string, tab: string, values: readonly Cells[] | undefined, layout: SheetLayout = {}): SourceRow[] {
  return readSheet(source, tab, values, layout).rows;
}
