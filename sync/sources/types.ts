/**
 * The source contract: every source (Airtable, Google Sheets, a published CSV, local files) turns the configured
 * tables or tabs into rows that carry their provenance (source, table/tab, Airtable record id or sheet row
 * number), so that every later message can say where to fix something. Sources know nothing about the model.
 */
import type { SourceRow } from '../map/types.ts';

/** One table (Airtable) or tab (Google Sheets, CSV, file) to read. */
export interface TableSpec {
  /** The name organizers see, e.g. `Papers` or `Schedule`. */
  name: string;
  /** Airtable: only this view's records, in its order. */
  view?: string;
  /** Airtable: only these fields — the mapped columns — so private columns never leave Airtable. */
  fields?: readonly string[];
  /** Airtable: a server-side filter, e.g. `{Status} = 'Accepted'`. The mapping checks the rows again. */
  filterByFormula?: string;
}

/** How far a table has got, for the progress line. */
export interface TableProgress {
  /** The source's label; filled in by the fetch step. */
  source?: string;
  table: string;
  pages: number;
  records: number;
  /** Time this source's requests spent waiting for the rate limit so far. */
  waitedMs: number;
  retries: number;
}

/**
 * Takes a table's rows as they arrive, so that a large table is never held whole (50,000 papers are mapped 100 at a
 * time). `restart` says the listing began again (a stale page offset): the rows taken so far are to be forgotten.
 */
export interface RowSink {
  add(rows: readonly SourceRow[]): void;
  restart(): void;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /**
   * Tables (by name) whose rows go to a sink as they arrive. A source that reads in pages gives each page to the sink
   * and leaves the table out of `read`'s result; a source that reads a table in one go may return it as usual.
   */
  sinks?: ReadonlyMap<string, RowSink>;
  onProgress?: (progress: TableProgress) => void;
  /**
   * Called with a table's rows as soon as that table is complete, before the other tables are (so that e.g. the
   * people's photos can download while Papers pages are still coming in). Sources that read tables concurrently
   * call it; for the others the rows arrive with `read`'s result.
   */
  onTable?: (table: string, rows: readonly SourceRow[]) => void;
}

export interface Source {
  /** Names the source in every message, e.g. `Airtable` or `Google Sheets`. */
  readonly label: string;
  /** Reads every table, as concurrently as the source allows. Rejects with a SourceError. */
  read(tables: readonly TableSpec[], options?: ReadOptions): Promise<Map<string, SourceRow[]>>;
  /** Reads one row again (Airtable: a fresh attachment URL after the old one expired). */
  refetch?(row: SourceRow, options?: ReadOptions): Promise<SourceRow>;
}
