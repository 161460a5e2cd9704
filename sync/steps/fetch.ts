/**
 * Step 1, fetch: reads every configured table from its source, the sources concurrently. Airtable is asked only
 * for the mapped columns, so private columns (emails, reviewer notes, scores) never leave it, and only for accepted
 * papers.
 */
import type { ResolvedConfig, SourceKind } from '../config.ts';
import type { EditionRows } from '../map/map-edition.ts';
import type { TableTemplate } from '../map/template.ts';
import type { Problem, SourceRow } from '../map/types.ts';
import { equalsIgnoringCase } from '../sources/airtable-formula.ts';
import { SourceError } from '../sources/errors.ts';
import type { ReadOptions, RowSink, Source, TableSpec } from '../sources/types.ts';

export type TableKey = keyof EditionRows;

interface Planned {
  key: TableKey;
  kind: SourceKind;
  spec: TableSpec;
  optional: boolean;
}

export interface Fetched {
  rows: EditionRows;
  /** The sources that were read, by label: the mirroring step reads a row again through its source. */
  sources: Map<string, Source>;
  problems: Problem[];
}

function plan(config: ResolvedConfig): Planned[] {
  const { template, tables } = config;
  const entry = (key: TableKey, kind: SourceKind, table: TableTemplate<string>, optional = false, filter?: string): Planned => ({
    key,
    kind,
    optional,
    spec: {
      name: table.table,
      ...(kind === 'airtable' ? { fields: [...new Set(Object.values(table.columns))] } : {}),
      ...(kind === 'airtable' && table.view ? { view: table.view } : {}),
      ...(kind === 'airtable' && filter ? { filterByFormula: filter } : {}),
    },
  });
  const { papers } = template.airtable;
  const planned = [
    entry('organizers', tables.organizers, template.airtable.organizers),
    entry('speakers', tables.speakers, template.airtable.speakers),
    // Papers not accepted (rejected, under review) never leave Airtable; the mapping checks Status again.
    entry('papers', tables.papers, papers, false, equalsIgnoringCase(papers.columns.status, papers.accepted)),
    entry('schedule', tables.schedule, template.sheets.schedule),
  ];
  if (tables.programCommittee !== 'none') {
    planned.push(entry('programCommittee', tables.programCommittee, template.airtable.programCommittee, true));
  }
  return planned;
}

export interface FetchOptions extends Omit<ReadOptions, 'onTable' | 'sinks'> {
  /** A table's rows, as soon as that table is complete (only from sources that read tables concurrently). */
  onTable?: (key: TableKey, rows: readonly SourceRow[]) => void;
  /**
   * Tables whose rows go to a sink instead of into `rows` (which then has no entry for them): page by page from
   * sources that read in pages, in one go from the others.
   */
  sinks?: Partial<Record<TableKey, RowSink>>;
}

export async function fetchRows(config: ResolvedConfig, sourceOf: (kind: SourceKind) => Source, fetchOptions: FetchOptions = {}): Promise<Fetched> {
  const { onTable, sinks = {}, ...options } = fetchOptions;
  const planned = plan(config);
  const kinds = [...new Set(planned.map((p) => p.kind))];
  const sources = new Map<string, Source>();
  const problems: Problem[] = [];
  const rows: EditionRows = {};
  await Promise.all(
    kinds.map(async (kind) => {
      const source = sourceOf(kind);
      sources.set(source.label, source);
      const required = planned.filter((p) => p.kind === kind && !p.optional);
      // A table another key reads too (the same name configured twice) is not sunk: both keys need its rows.
      const sunk = required.filter((p) => sinks[p.key] && required.filter((q) => q.spec.name === p.spec.name).length === 1);
      const labelled: ReadOptions = {
        ...options,
        onProgress: (p) => options.onProgress?.({ ...p, source: source.label }),
        onTable: (table, tableRows) => {
          const key = required.find((p) => p.spec.name === table)?.key;
          if (key) onTable?.(key, tableRows);
        },
      };
      const optional = planned.filter((p) => p.kind === kind && p.optional);
      const sinksByName = new Map(sunk.map((p) => [p.spec.name, sinks[p.key]!]));
      const read = await source.read(required.map((p) => p.spec), sunk.length > 0 ? { ...labelled, sinks: sinksByName } : labelled);
      for (const p of required) {
        const list = read.get(p.spec.name);
        const sink = sinks[p.key];
        if (!sink) rows[p.key] = list ?? [];
        else if (list) sink.add(list); // read in one go (by such a source, or because another key reads it too)
      }
      // An optional table that does not exist is an empty one, said once as a warning.
      for (const p of optional) {
        try {
          rows[p.key] = (await source.read([p.spec], labelled)).get(p.spec.name) ?? [];
        } catch (error) {
          if (!(error instanceof SourceError) || (error.failure?.status !== 404 && error.failure?.status !== 400)) throw error;
          rows[p.key] = [];
          problems.push({
            severity: 'warning',
            source: source.label,
            table: p.spec.name,
            where: { row: 0 },
            message: `there is no "${p.spec.name}" table, so the site shows no program committee. Add the table, or set tables.programCommittee to 'none' in workshop.config.ts.`,
          });
        }
      }
    }),
  );
  return { rows, sources, problems };
}
