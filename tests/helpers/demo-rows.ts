/** The demo edition (dev/demo/) as the rows the mappers read, without the network: what the sources would return. */
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
  const airtable = (table: string) => rowsFromAirtable(AIRTABLE, table, records(table));
  return {
    organizers: airtable(template.organizers.table),
    speakers: airtable(template.speakers.table),
    papers: airtable(template.papers.table),
    programCommittee: airtable(template.programCommittee.table),
    schedule: rowsFromSheet(GOOGLE_SHEETS, template.schedule.table, demoSheet().values),
  };
}
