/**
 * The demo edition (dev/demo/) as the rows the mappers read, without the network: what the sources would return —
 * linked records as their linked table's primary field, as the Airtable source gives them with schema access.
 */
import { demoBase, demoSheet } from '../../dev/demo/load.ts';
import { rowsFromAirtable, rowsFromSheet, type AirtableRecord } from '../../sync/sources/rows.ts';
import type { SourceRow } from '../../sync/sources/types.ts';
import { DEFAULT_TEMPLATE, type TableKey, type Template } from '../../sync/template.ts';

/** The source labels the demo's rows carry (the demo's people and papers are in Airtable, its schedule in a Sheet). */
const AIRTABLE = 'Airtable';
const GOOGLE_SHEETS = 'Google Sheets';

/** The demo data as rows of every table of `template`. */
export function demoRows(template: Template = DEFAULT_TEMPLATE): Record<TableKey, SourceRow[]> {
  const base = demoBase();
  const records = (table: string): AirtableRecord[] => base.tables.find((t) => t.name === table)?.records ?? [];
  const airtable = (table: string) => rowsFromAirtable(AIRTABLE, table, records(table)).map((row) => withLinkedNames(base, table, row));
  return {
    organizers: airtable(template.organizers.table),
    speakers: airtable(template.speakers.table),
    papers: airtable(template.papers.table),
    programCommittee: airtable(template.programCommittee.table),
    schedule: rowsFromSheet(GOOGLE_SHEETS, template.schedule.table, demoSheet().values),
  };
}

/** `row` with the record ids of its link columns replaced by the linked records' primary-field text. */
function withLinkedNames(base: ReturnType<typeof demoBase>, tableName: string, row: SourceRow): SourceRow {
  const table = base.tables.find((t) => t.name === tableName);
  const fields = { ...row.fields };
  for (const field of table?.fields ?? []) {
    const linked = base.tables.find((t) => t.id === field.options?.linkedTableId);
    const primary = linked?.fields.find((f) => f.id === linked.primaryFieldId)?.name;
    const cell = fields[field.name];
    if (field.type !== 'multipleRecordLinks' || !linked || !primary || !Array.isArray(cell)) continue;
    fields[field.name] = cell.map((id) => linked.records.find((r) => r.id === id)?.fields[primary]);
  }
  return { ...row, fields };
}
