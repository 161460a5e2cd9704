/**
 * The demo edition served by the local emulators: the Airtable base of dev/demo/airtable-base.json (photos from
 * dev/demo/photos/, other attachments — a paper's PDF — from dev/demo/files/) and the Schedule tab of dev/demo/schedule-sheet.json in a public Google Sheet. Returns the
 * environment that points the real clients at them: what `npm start` uses when no credentials are set.
 */
import { readFileSync } from 'node:fs';
import { demoBase, demoSheet } from './load.ts';
import { startAirtableEmulator, type AirtableEmulator, type AirtableEmulatorOptions, type SeedTable } from '../emulators/airtable/index.ts';
import { startSheetsEmulator, type SheetsEmulator, type SheetsEmulatorOptions } from '../emulators/google-sheets.ts';

export const DEMO_SPREADSHEET_ID = '1DemoWorkshopSchedule2024x2';
export const DEMO_API_KEY = 'demo-api-key-local-only';

export interface DemoEmulators {
  airtable: AirtableEmulator;
  sheets: SheetsEmulator;
  /** AIRTABLE_* and GOOGLE_* variables for the sync. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The demo base as emulator seed: attachment cells carry the bytes of their file (an image in photos/, else files/). */
function demoSeed(): { baseId: string; tables: Record<string, SeedTable> } {
  const base = demoBase();
  const tables: Record<string, SeedTable> = {};
  for (const table of base.tables) {
    tables[table.name] = {
      id: table.id,
      fields: table.fields.map((f) => f.name),
      records: table.records.map((record) => ({
        id: record.id,
        ...(record.createdTime ? { createdTime: record.createdTime } : {}),
        fields: Object.fromEntries(
          Object.entries(record.fields).map(([name, value]) => {
            const attachments = Array.isArray(value) && value.every((a) => typeof a === 'object' && a !== null && 'filename' in a);
            if (!attachments) return [name, value];
            return [
              name,
              (value as { id: string; filename: string; type: string; width?: number; height?: number }[]).map((a) => ({
                id: a.id,
                filename: a.filename,
                type: a.type,
                data: readFileSync(new URL(`./${a.type.startsWith('image/') ? 'photos' : 'files'}/${a.filename}`, import.meta.url)),
                ...(a.width ? { width: a.width } : {}),
                ...(a.height ? { height: a.height } : {}),
              })),
            ];
          }),
        ),
      })),
    };
  }
  return { baseId: base.id, tables };
}

export async function startDemoEmulators(
  options: { airtable?: Omit<AirtableEmulatorOptions, 'bases'>; sheets?: Omit<SheetsEmulatorOptions, 'spreadsheets'> } = {},
): Promise<DemoEmulators> {
  const { baseId, tables } = demoSeed();
  const airtable = await startAirtableEmulator({ ...options.airtable, bases: { [baseId]: tables } });
  const sheets = await startSheetsEmulator({
    ...options.sheets,
    apiKeys: [DEMO_API_KEY, ...(options.sheets?.apiKeys ?? [])],
    spreadsheets: {
      [DEMO_SPREADSHEET_ID]: {
        title: 'Workshop program (demo)',
        public: true,
        timeZone: 'America/New_York',
        sheets: [{ title: 'Schedule', rows: demoSheet().values }],
      },
    },
  });
  return {
    airtable,
    sheets,
    env: {
      AIRTABLE_TOKEN: airtable.token,
      AIRTABLE_BASE_ID: baseId,
      AIRTABLE_ENDPOINT_URL: airtable.url.replace(/\/+$/, ''),
      GOOGLE_SHEETS_ID: DEMO_SPREADSHEET_ID,
      GOOGLE_API_KEY: DEMO_API_KEY,
      GOOGLE_SHEETS_ROOT_URL: sheets.url,
    },
    close: async () => {
      await Promise.all([airtable.close(), sheets.close()]);
    },
  };
}
