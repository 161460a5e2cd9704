/**
 * The demo edition as the spreadsheets hold it (airtable-base.json, schedule-sheet.json, both API-shaped), turned
 * into the rows the mappers read. For tests and the `npm start` demo; network-free.
 */
import { readFileSync } from 'node:fs';
import type { EditionRows } from '../map/map-edition.ts';
import { rowsFromAirtable, rowsFromSheet, type AirtableRecord } from '../map/rows.ts';
import { DEFAULT_TEMPLATE, type Template } from '../map/template.ts';

/** airtable-base.json: a base with its tables' metadata and records, as the Airtable API returns them. */
export interface DemoBase {
  id: string;
  name: string;
  tables: { id: string; name: string; primaryFieldId: string; fields: { id: string; name: string; type: string }[]; records: AirtableRecord[] }[];
}

/** schedule-sheet.json: a values response of the Google Sheets API (FORMATTED_VALUE). */
export interface DemoSheet {
  range: string;
  majorDimension: 'ROWS';
  values: string[][];
}

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T;

/** The demo Airtable base. */
export function demoBase(): DemoBase {
  return read<DemoBase>('./airtable-base.json');
}

/** The demo Schedule tab. */
export function demoSheet(): DemoSheet {
  return read<DemoSheet>('./schedule-sheet.json');
}

/** The demo data as rows of every table and tab of `template`. */
export function demoRows(template: Template = DEFAULT_TEMPLATE): EditionRows {
  const base = demoBase();
  const a = template.airtable;
  const records = (table: string): AirtableRecord[] => base.tables.find((t) => t.name === table)?.records ?? [];
  const airtable = (table: string) => rowsFromAirtable(a.source, table, records(table));
  return {
    organizers: airtable(a.organizers.table),
    speakers: airtable(a.speakers.table),
    papers: airtable(a.papers.table),
    programCommittee: airtable(a.programCommittee.table),
    schedule: rowsFromSheet(template.sheets.source, template.sheets.schedule.table, demoSheet().values),
  };
}
