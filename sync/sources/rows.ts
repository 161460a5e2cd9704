/**
 * API payloads → SourceRows with provenance: Airtable records (`{ id, createdTime, fields }`) and Google Sheets
 * values (rows of cells under a header row). Pure; the sources fetch, this only reshapes.
 */
import type { SourceRow } from './types.ts';

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

/**
 * One row per non-blank sheet row below the header. `values` is the API's `values` (rows of cells; trailing empty
 * cells and rows trimmed, a blank row `[]`). `firstRow` is the sheet row number of the header (1 for `A1:…`), so
 * messages quote the row number people see in the sheet. Header names are trimmed; cells without a header are
 * ignored. A blank row is skipped, not the end of the data.
 */
export function rowsFromSheet(source: string, tab: string, values: readonly (readonly unknown[])[] | undefined, firstRow = 1): SourceRow[] {
  const [header = [], ...body] = values ?? [];
  const names = header.map((h) => (typeof h === 'string' ? h.trim() : h === undefined || h === null ? '' : JSON.stringify(h)));
  const rows: SourceRow[] = [];
  body.forEach((cells, index) => {
    if (cells.every((c) => c === undefined || c === null || (typeof c === 'string' && c.trim() === ''))) return;
    const fields: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (name !== '' && cells[i] !== undefined && !(name in fields)) fields[name] = cells[i];
    });
    rows.push({ source, table: tab, where: { row: firstRow + 1 + index }, fields });
  });
  return rows;
}
