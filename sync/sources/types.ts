/**
 * The source contract: every source (Airtable, Google Sheets, a published CSV, local files) reads a configured table
 * or tab as pages of rows that carry their provenance (source, table/tab, Airtable record id or sheet row number), so
 * that every later message can say where to fix something. Sources know nothing about the model.
 *
 *   const source = airtableSource({ … });
 *   for await (const page of source.pages({ name: 'Papers', columns: ['Title'] })) handle(page.rows);
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
  /**
   * The field types of the mapped columns, by column name, when the source knows them (Airtable, when the token may
   * read the base's schema); one object shared by the rows of a table. Absent: the cells are read by their values'
   * shapes. A column missing from it is read by its shape too.
   */
  types?: ColumnTypes;
}

/**
 * A column's field type, as the source's schema names it, with the options that change how its values are shown.
 * The names are Airtable's (`number`, `percent`, `currency`, `duration`, `dateTime`, `formula`, …); a source may give
 * a name the sync does not know (a type added later).
 */
export interface FieldType {
  type: string;
  /** Digits shown after the decimal point (number, percent, currency); unset: as many as the value has. */
  precision?: number;
  /** The currency's symbol, shown before the amount (currency), e.g. `$` or `€`. */
  symbol?: string;
  /** How a duration (seconds) is shown: `h:mm`, `h:mm:ss`, `h:mm:ss.S`, `h:mm:ss.SS` or `h:mm:ss.SSS`. */
  durationFormat?: string;
  /** How a time of day is shown (dateTime): `12hour` (9:00 AM) or `24hour` (09:00). */
  timeFormat?: string;
  /** The type of the values a formula, rollup, lookup, created time or last modified time gives. */
  result?: FieldType;
}

/** Field types by column name. */
export type ColumnTypes = Readonly<Record<string, FieldType>>;

/** The provenance part of a row: enough to point a person at the cell to fix. */
export type Origin = Pick<SourceRow, 'source' | 'table' | 'where'>;

/** The provenance of a row, without its cells. */
export function originOf(row: Origin): Origin {
  return { source: row.source, table: row.table, where: row.where };
}

/** `rec123` or `row 7`; `{ row: 0 }` means the table as a whole and is not shown. */
export function formatWhere(where: Where): string {
  return 'recordId' in where ? where.recordId : where.row === 0 ? '' : `row ${where.row}`;
}

/** One table (Airtable) or tab (Google Sheets, CSV, file) to read. */
export interface TableSpec {
  /** The name organizers see, e.g. `Papers` or `Schedule`. */
  name: string;
  /**
   * The mapped columns. A source that can ask for columns (Airtable) asks only for these, so private columns (emails,
   * reviewer notes) never leave it; the others read every column, and the mapping reads only these.
   */
  columns: readonly string[];
  /**
   * The columns among `columns` that the table may lack. When it is given, a source that finds one of these missing
   * reads the table without it and names it in `Page.missing`, and any other missing column is a SourceError naming
   * the columns the table has. (A JSON file has no header: its missing columns are just empty.)
   */
  optional?: readonly string[];
  /** Only this view's records, in its order (Airtable; the other sources have no views). */
  view?: string;
  /**
   * Only the rows whose `column`, trimmed and in any case, is `value` (e.g. Status is Accepted). A source that can
   * filter on the server (Airtable) does; the mapping checks every row again.
   */
  only?: { column: string; value: string };
  /**
   * Airtable only: the table's id (`tbl…`) and its columns' field ids (`fld…`), by column name as in `columns`. The
   * source then asks by id, so that a table or column renamed in Airtable is still read; the rows stay keyed by the
   * names in `columns`, and every message names the table as `name`.
   */
  ids?: { table?: string; columns?: Readonly<Record<string, string>> };
}

/** One page of a table, with what reading it cost so far (for the progress line). */
export interface Page {
  rows: SourceRow[];
  /** Time this table's requests have spent waiting for the rate limit so far. */
  waitedMs: number;
  /** Retried requests of this table so far. */
  retries: number;
  /** Optional columns (`TableSpec.optional`) the table does not have. */
  missing?: readonly string[];
  /**
   * The locale the source writes dates and numbers in, as Google gives it (`en_US`, `en_GB`, `de_DE`): a Google
   * Sheet's. Unset for the sources that have none (Airtable's dates are ISO; a published CSV and local files say
   * nothing about theirs), or when it could not be read.
   */
  locale?: string;
  /** The source's own time zone (a Google Sheet's, `America/New_York`), for information: its cells are wall-clock. */
  timeZone?: string;
  /** What the source could not read but went on without, each a sentence (said as a warning about the table). */
  warnings?: readonly string[];
  /**
   * The web address of a row of this table, or of its cell in `column` (a column name as in `TableSpec.columns`), so
   * that a problem links to the place to fix it: an Airtable record (when the token may read the base's schema, which
   * has the table's id) or a Google Sheets cell (when `spreadsheets.get` gave the tab's id). Undefined when it cannot
   * be known; absent for sources without one (a published CSV, local files). `{ row: 0 }` (the table) has none.
   */
  link?: (where: Where, column?: string) => string | undefined;
}

export interface ReadOptions {
  signal?: AbortSignal;
}

export interface Source {
  /** Names the source in every message, e.g. `Airtable` or `Google Sheets`. */
  readonly label: string;
  /**
   * The table's rows, a page at a time, in the table's order. The iteration throws a SourceError when the table
   * cannot be read; one whose `restart` is true means the listing must begin again (a page cursor went stale): the
   * pages read so far are void.
   */
  pages(table: TableSpec, options?: ReadOptions): AsyncIterable<Page>;
  /** Reads one row again (Airtable: a fresh attachment URL after the old one expired). */
  refetch?(row: Origin, options?: ReadOptions): Promise<SourceRow>;
}
