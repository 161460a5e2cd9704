/**
 * `npm run doctor`'s checks: every source the config's tables come from is asked, at the same time, what it has —
 * without writing anything, reading no more than a first page of each table — and the answers make one report: per
 * source (reachable, the token's scopes, the sheet's sharing), per table (each field's column, what is published and
 * what stays private) and the mapping found. `ok` says whether a sync would succeed.
 */
import type { ResolvedConfig, SourceKind } from '../config.ts';
import { TABLE_KEYS, type TableKey } from '../template.ts';
import type { DoctorReport, SourceCheck, TableCheck } from './types.ts';
import { mappingFound } from './mapping.ts';

type Checked = { source: SourceCheck; tables: TableCheck[] };

/** The check of one kind of source, loaded only when a table comes from it (as the sync loads its sources). */
async function check(kind: SourceKind, config: ResolvedConfig, keys: TableKey[], signal: AbortSignal | undefined): Promise<Checked> {
  switch (kind) {
    case 'airtable':
      return (await import('./airtable.ts')).checkAirtable(config, keys, signal);
    case 'google-sheets':
      return (await import('./google-sheets.ts')).checkGoogleSheets(config, keys, signal);
    case 'published-csv':
      return (await import('./published-csv.ts')).checkPublishedCsv(config, keys, signal);
    case 'local-files':
      return (await import('./local-files.ts')).checkLocalFiles(config, keys);
  }
}

export async function diagnose(config: ResolvedConfig, options: { signal?: AbortSignal } = {}): Promise<DoctorReport> {
  const bySource = new Map<SourceKind, TableKey[]>();
  for (const key of TABLE_KEYS) {
    const kind = config.tables[key];
    if (kind !== 'none') bySource.set(kind, [...(bySource.get(kind) ?? []), key]);
  }
  const checked = await Promise.all([...bySource].map(([kind, keys]) => check(kind, config, keys, options.signal)));
  options.signal?.throwIfAborted();
  // Tables in the order organizers see them in workshop.config.ts.
  const order: readonly TableKey[] = ['organizers', 'speakers', 'papers', 'programCommittee', 'schedule'];
  const tables = checked.flatMap((c) => c.tables).sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table));
  const sources = checked.map((c) => c.source);
  return {
    ok: sources.every((s) => s.ok) && tables.every((t) => t.ok),
    sources,
    tables,
    mapping: mappingFound(config.template, tables),
  };
}
