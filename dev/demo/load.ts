/**
 * The demo edition as the spreadsheets hold it (airtable-base.json, schedule-sheet.json, both API-shaped), read
 * from disk. For the emulators of `npm start` and for the tests; network-free.
 */
import { readFileSync } from 'node:fs';
import type { AirtableRecord } from '../../sync/sources/rows.ts';

/** airtable-base.json: a base with its tables' metadata and records, as the Airtable API returns them. */
export interface DemoBase {
  id: string;
  name: string;
  tables: {
    id: string;
    name: string;
    primaryFieldId: string;
    fields: { id: string; name: string; type: string; options?: { linkedTableId?: string } }[];
    records: AirtableRecord[];
  }[];
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
