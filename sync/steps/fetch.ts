/**
 * Step 1, fetch: every configured table is read from its source page by page, all tables at once (the per-base
 * throttle keeps Airtable under its rate limit), and each page is handed on as it arrives, so no table is ever held
 * whole; a source's optional tables are read after its required ones. A listing whose page cursor went stale starts again (its pages so far are void: `onRestart`). The first table
 * that fails stops the others; an optional table that does not exist is an empty one, said once as a warning.
 */
import type { ResolvedConfig, SourceKind } from '../config.ts';
import { SourceError } from '../errors.ts';
import { linkKey, type Link } from '../problem-links.ts';
import type { Problem } from '../problems.ts';
import type { Page, Source, TableSpec } from '../sources/types.ts';
import { columnsOf, fieldsByColumn, optionalColumnsOf, TABLE_KEYS, type TableKey } from '../template.ts';

/** How often a listing starts again after its page cursor went stale, before giving up. */
const MAX_RESTARTS = 2;

/** A table to read: which one, from which source, and what to ask for. */
export interface PlannedTable {
  key: TableKey;
  kind: SourceKind;
  spec: TableSpec;
  /** A table the edition may lack (the program committee). */
  optional: boolean;
  /** The model field each column feeds, for the warning about an optional column the table lacks. */
  fields: ReadonlyMap<string, string>;
}

/**
 * The tables of the config, in TABLE_KEYS order. Each source is asked only for the mapped columns (Airtable then never
 * sends private ones: emails, reviewer notes, scores) and Papers only for accepted rows.
 */
export function planTables(config: ResolvedConfig): PlannedTable[] {
  const { template, tables } = config;
  return TABLE_KEYS.flatMap((key): PlannedTable[] => {
    const kind = tables[key];
    if (kind === 'none') return [];
    const table = template[key];
    const spec: TableSpec = { name: table.table, columns: columnsOf(template, key), optional: optionalColumnsOf(template, key) };
    if (table.view) spec.view = table.view;
    // Papers not accepted (rejected, under review) never leave a source that can filter; the mapping checks again.
    if (key === 'papers') spec.only = { column: template.papers.columns.status, value: template.papers.accepted };
    if (kind === 'airtable' && table.ids) spec.ids = specIds(table.ids, table.columns);
    return [{ key, kind, spec, optional: key === 'programCommittee', fields: fieldsByColumn(template, key) }];
  });
}

/** A template's Airtable ids (by model field) as a TableSpec's (by column name). */
function specIds(
  ids: { table?: string; columns: Partial<Record<string, string>> },
  columns: Partial<Record<string, string>>,
): NonNullable<TableSpec['ids']> {
  const byColumn = Object.entries(ids.columns).flatMap(([field, id]) => {
    const column = columns[field];
    return column && id ? [[column, id] as const] : [];
  });
  return { ...(ids.table ? { table: ids.table } : {}), columns: Object.fromEntries(byColumn) };
}

/** How far a table has got, for the progress line. */
interface TableProgress {
  source: string;
  table: string;
  pages: number;
  records: number;
  waitedMs: number;
  retries: number;
}

export interface FetchOptions {
  signal?: AbortSignal;
  /** A page of the table `key`, as it arrives. */
  onPage: (key: TableKey, page: Page) => void;
  /** The listing of `key` begins again: forget the pages it gave so far. */
  onRestart: (key: TableKey) => void;
  onProgress?: (progress: TableProgress) => void;
}

export interface Fetched {
  /** The sources that were read, by label: the mirroring step reads a row again through its source. */
  sources: Map<string, Source>;
  /** Warnings: optional tables that do not exist. */
  problems: Problem[];
  /** Each table's link builder, when its source gives one (Page.link): problems link to their record or cell. */
  links: Map<string, Link>;
}

/**
 * Whether `error` says that a table does not exist, rather than that it could not be read: a 404 or 400, or a 403
 * from a source that has answered for another table (Airtable tells a token that asks for a table its base lacks
 * 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, the same as for a base it may not read; tokens are scoped to whole bases,
 * so once another table of the base was read, a 403 means "no such table").
 */
function isMissingTable(error: unknown, sourceAnswered: boolean): boolean {
  const status = error instanceof SourceError ? error.failure?.status : undefined;
  return status === 404 || status === 400 || (status === 403 && sourceAnswered);
}

/** The warning for an optional column the table does not have: its field stays empty; how to add it or say so. */
function missingColumn(source: string, table: string, key: TableKey, column: string, field: string | undefined): Problem {
  const setting = `template.${key}.columns.${field ?? '…'}`;
  const message = `there is no column "${column}", so it is empty on every entry. Add the column, rename yours to "${column}" or put its name under ${setting} in workshop.config.ts — or set ${setting} to null if the table has none (then this warning goes).`;
  return { severity: 'warning', source, table, where: { row: 0 }, field: column, message };
}

export async function fetchTables(
  planned: readonly PlannedTable[],
  sourceOf: (kind: SourceKind) => Source,
  options: FetchOptions,
): Promise<Fetched> {
  const sources = new Map<string, Source>();
  const problems: Problem[] = [];
  const links = new Map<string, Link>();
  /** The sources (by kind) that have read a table. */
  const answered = new Set<SourceKind>();
  // The first failure stops every other table's requests.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;

  async function readTable({ key, kind, spec, optional, fields }: PlannedTable): Promise<void> {
    const source = sourceOf(kind);
    sources.set(source.label, source);
    for (let attempt = 0; ; attempt++) {
      let pages = 0;
      let records = 0;
      const missing = new Set<string>();
      try {
        for await (const page of source.pages(spec, { signal })) {
          for (const column of page.missing ?? []) {
            if (missing.has(column)) continue;
            missing.add(column);
            problems.push(missingColumn(source.label, spec.name, key, column, fields.get(column)));
          }
          for (const message of page.warnings ?? []) {
            problems.push({ severity: 'warning', source: source.label, table: spec.name, where: { row: 0 }, message });
          }
          if (page.link) links.set(linkKey(source.label, spec.name), page.link);
          options.onPage(key, page);
          pages++;
          records += page.rows.length;
          options.onProgress?.({ source: source.label, table: spec.name, pages, records, waitedMs: page.waitedMs, retries: page.retries });
        }
        answered.add(kind);
        return;
      } catch (error) {
        if (error instanceof SourceError && error.restart && attempt < MAX_RESTARTS) {
          options.onRestart(key);
          continue;
        }
        if (!optional || !isMissingTable(error, answered.has(kind))) throw error;
        options.onRestart(key);
        const message = `there is no "${spec.name}" table, so the site shows no program committee. Add the table, or set tables.programCommittee to 'none' in workshop.config.ts.`;
        problems.push({ severity: 'warning', source: source.label, table: spec.name, where: { row: 0 }, message });
        return;
      }
    }
  }

  let failure: { error: unknown } | undefined;
  const read = (tables: readonly PlannedTable[]) =>
    Promise.all(
      tables.map((table) =>
        readTable(table).catch((error: unknown) => {
          failure ??= { error };
          stop.abort(error);
        }),
      ),
    );
  // Each source reads its required tables at once, then the optional ones (which may not exist) — the sources at once.
  const kinds = [...new Set(planned.map((p) => p.kind))];
  await Promise.all(
    kinds.map(async (kind) => {
      const own = planned.filter((p) => p.kind === kind);
      await read(own.filter((p) => !p.optional));
      if (!failure) await read(own.filter((p) => p.optional));
    }),
  );
  if (failure) throw failure.error;
  return { sources, problems, links };
}
