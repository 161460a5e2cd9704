/**
 * Which base and sheet an edition was synced from: `content/<edition>/synced-from.json`, committed with the content and
 * written in the same all-or-nothing write as the collections. It holds ids only (a base id, a spreadsheet id, a
 * published CSV's address without its query, a local folder), never a token.
 *
 * A sync from other sources than the recorded ones is that edition's first sync from them: what it replaces came
 * from elsewhere (the demo, last year's base), so the removal guard does not apply to the collections those tables
 * fill. An edition without a record (content synced before the record existed) counts as synced from the current
 * sources: the guard applies, and the sync records them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import type { Collection } from '../report.ts';
import { TABLE_KEYS, type TableKey } from '../template.ts';

export const SOURCES_FILE = 'synced-from.json';

/** Table → where it comes from, as `<kind>:<id>` (`airtable:appXXXXXXXXXXXXXX`). */
export type SourceRecord = Partial<Record<TableKey, string>>;

/** The tables each collection is made from. */
const TABLES_OF: Record<Collection, readonly TableKey[]> = {
  people: ['organizers', 'speakers', 'programCommittee'],
  papers: ['papers'],
  schedule: ['schedule'],
};

/** A published CSV's address without credentials, query or fragment (tokens live there), but with its tab (gid). */
function csvIdentity(url: string | undefined): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    const gid = parsed.searchParams.get('gid');
    return `${parsed.origin}${parsed.pathname}${gid === null ? '' : `?gid=${gid}`}`;
  } catch {
    return '(not a URL)';
  }
}

/** Where each table of this configuration comes from. */
export function currentSources(config: ResolvedConfig): SourceRecord {
  const { sources, tables, template } = config;
  const record: SourceRecord = {};
  for (const key of TABLE_KEYS) {
    const kind = tables[key];
    if (kind === 'none') continue;
    const id =
      kind === 'airtable'
        ? (sources.airtable.baseId ?? '')
        : kind === 'google-sheets'
          ? (sources.googleSheets.spreadsheetId ?? '')
          : kind === 'published-csv'
            ? csvIdentity(sources.publishedCsv.urls[template[key].table])
            : path
                .relative(config.root, path.resolve(config.root, sources.localFiles?.dir ?? ''))
                .split(path.sep)
                .join('/');
    record[key] = `${kind}:${id}`;
  }
  return record;
}

/** The record on disk; undefined when there is none or it cannot be read (then the edition counts as unrecorded). */
export function readSourceRecord(dir: string): SourceRecord | undefined {
  const file = path.join(dir, SOURCES_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record: SourceRecord = {};
    for (const key of TABLE_KEYS) {
      const source = (value as Record<string, unknown>)[key];
      if (typeof source === 'string') record[key] = source;
    }
    return record;
  } catch {
    return undefined;
  }
}

/** The record's file content: tables in template order, two-space indent, a final newline — the same bytes each time. */
export function sourceRecordJson(record: SourceRecord): string {
  const ordered = Object.fromEntries(TABLE_KEYS.flatMap((key) => (record[key] === undefined ? [] : [[key, record[key]]])));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The tables whose source differs from the recorded one (none for an unrecorded edition, or a table new to it). */
export function changedSources(recorded: SourceRecord | undefined, current: SourceRecord): TableKey[] {
  if (!recorded) return [];
  return TABLE_KEYS.filter((key) => recorded[key] !== undefined && current[key] !== undefined && recorded[key] !== current[key]);
}

/** The collections made from any of these tables. */
export function collectionsFrom(tables: readonly TableKey[]): Collection[] {
  return (Object.keys(TABLES_OF) as Collection[]).filter((c) => TABLES_OF[c].some((key) => tables.includes(key)));
}

const describe = (source: string | undefined): string => {
  const [kind = '', ...rest] = (source ?? '').split(':');
  const id = rest.join(':');
  const name = { airtable: 'Airtable base', 'google-sheets': 'Google Sheet', 'published-csv': 'published CSV', 'local-files': 'folder' }[
    kind
  ];
  return name ? `${name} ${id || '(not set)'}` : source || '(none)';
};

/** The one line a first sync says: the new sources, the old, and what the guard leaves alone. */
export function firstSyncLine(edition: string, recorded: SourceRecord, current: SourceRecord, tables: readonly TableKey[]): string {
  const moves = [...new Set(tables.map((key) => `${describe(current[key])} (was ${describe(recorded[key])})`))];
  return `first sync of ${edition} from ${moves.join(', ')}: the entries from the old sources are replaced, without the removal guard, for ${collectionsFrom(tables).join(', ')}.`;
}
