/**
 * Optional and required columns, through the real clients against the emulators: a table without an optional column is
 * read on without it (`Page.missing`); a table without a required one stops with the columns it has and the nearest
 * names. Airtable answers a field it does not have with 422 UNKNOWN_FIELD_NAME; a sheet shows it in its header.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { SourceError } from '../../sync/errors.ts';
import { createThrottle } from '../../sync/http/throttle.ts';
import { airtableSource } from '../../sync/sources/airtable.ts';
import { nearestColumns } from '../../sync/sources/column-names.ts';
import { googleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { localFilesSource } from '../../sync/sources/local-files.ts';
import type { Page, Source, TableSpec } from '../../sync/sources/types.ts';

const BASE = 'appOptional000001';
const TOKEN = 'patOptionalColumns';
/** What the organizers' table has: no Order, and its position column is called "Job". */
const HEADER = ['Name', 'Affiliation', 'Job'];
const PEOPLE = [
  ['Ada Lovelace', 'Analytical Engines', 'Chair'],
  ['Alan Turing', 'Bletchley Park', 'Web'],
];
const spec = (columns: string[], optional: string[]): TableSpec => ({ name: 'Organizers', columns, optional });

let airtable: AirtableEmulator;
let sheets: SheetsEmulator;
let dir = '';

before(async () => {
  const records = PEOPLE.map(([Name, Affiliation, Job]) => ({ fields: { Name, Affiliation, Job } }));
  airtable = await startAirtableEmulator({
    bases: { [BASE]: { Organizers: { fields: HEADER, records } } },
    tokens: { [TOKEN]: '*' },
    rateLimit: false,
  });
  sheets = await startSheetsEmulator({
    apiKeys: ['optional-key'],
    spreadsheets: { opt: { title: 'Opt', public: true, sheets: [{ title: 'Organizers', rows: [['Team'], [], HEADER, ...PEOPLE] }] } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'optional-columns-'));
  writeFileSync(path.join(dir, 'Organizers.csv'), [HEADER, ...PEOPLE].map((r) => r.join(',')).join('\n'));
});

after(async () => {
  await airtable.close();
  await sheets.close();
  rmSync(dir, { recursive: true, force: true });
});

const sources = (): Record<string, () => Source> => ({
  Airtable: () =>
    airtableSource({ token: TOKEN, baseId: BASE, endpointUrl: airtable.url, throttle: createThrottle({ limit: 50, intervalMs: 100 }) }),
  'Google Sheets': () => googleSheetsSource({ spreadsheetId: 'opt', apiKey: 'optional-key', rootUrl: `${sheets.url}/` }),
  'Local files': () => localFilesSource({ dir }),
});

async function read(source: Source, table: TableSpec): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of source.pages(table)) pages.push(page);
  return pages;
}

for (const [label, make] of Object.entries(sources())) {
  describe(label, () => {
    test('an optional column the table lacks: read on without it, named in Page.missing, the other cells intact', async () => {
      const pages = await read(make(), spec(['Name', 'Affiliation', 'Order'], ['Affiliation', 'Order']));
      assert.deepEqual(
        pages.flatMap((p) => p.missing ?? []).filter((c, i, all) => all.indexOf(c) === i),
        ['Order'],
      );
      const rows = pages.flatMap((p) => p.rows);
      assert.deepEqual(
        rows.map((r) => [r.fields['Name'], r.fields['Affiliation'], r.fields['Order']]),
        PEOPLE.map(([name, affiliation]) => [name, affiliation, undefined]),
      );
    });

    test('a required column the table lacks stops the read, naming the columns there are and the nearest one', async () => {
      const error = await read(make(), spec(['Name', 'Position'], [])).catch((e: unknown) => e);
      assert.ok(error instanceof SourceError, String(error));
      assert.match(error.message, /there is no column "Position"/);
      assert.match(error.message, /"Name", "Affiliation", "Job"/, 'the columns the table has');
      assert.match(error.message, /put its name in the template in workshop\.config\.ts/);
    });

    test('without a list of optional columns nothing is reported missing', async () => {
      const pages = await read(make(), { name: 'Organizers', columns: ['Name', 'Affiliation'] });
      assert.deepEqual(
        pages.flatMap((p) => p.missing ?? []),
        [],
      );
    });
  });
}

test('Airtable: an optional column costs one more request, not one per page; a required one is named with the nearest names', async () => {
  airtable.resetStats();
  await read(sources()['Airtable']!(), spec(['Name', 'Order', 'Photo'], ['Order', 'Photo']));
  const listings = airtable.stats.log.filter((l) => l.path.startsWith(`/v0/${BASE}/Organizers`)).length;
  assert.equal(listings, 3, 'the first page is asked again once per missing column');
  assert.equal(airtable.stats.requests, 4, "and the schema, once (the columns' field types)");
  const error = await read(sources()['Airtable']!(), spec(['Name', 'Affilation'], [])).catch((e: unknown) => e);
  assert.ok(error instanceof SourceError);
  assert.match(error.message, /Did you mean "Affiliation"\?/);
});

test('nearest column names: renamed, lengthened or misspelled columns are found; unrelated ones are not', () => {
  assert.deepEqual(nearestColumns('Title', ['Paper Title', 'Status', 'Abstract']), ['Paper Title']);
  assert.deepEqual(nearestColumns('Order', ['Ordre', 'Name']), ['Ordre']);
  assert.deepEqual(nearestColumns('Paper ID', ['paper_id', 'ID', 'Title']), ['paper_id']);
  assert.deepEqual(nearestColumns('Homepage', ['Name', 'Affiliation', 'Bio']), []);
});

test('Airtable without the schema scope: the message lists the columns the first records have values in', async () => {
  const records = PEOPLE.map(([Name, Affiliation, Job]) => ({ fields: { Name, Affiliation, Job } }));
  const noSchema = await startAirtableEmulator({
    bases: { [BASE]: { Organizers: { fields: [...HEADER, 'Notes'], records } } },
    tokens: { [TOKEN]: '*' },
    rateLimit: false,
    schemaAccess: false,
  });
  try {
    const source = airtableSource({
      token: TOKEN,
      baseId: BASE,
      endpointUrl: noSchema.url,
      throttle: createThrottle({ limit: 50, intervalMs: 100 }),
    });
    const error = await read(source, spec(['Name', 'Jb'], [])).catch((e: unknown) => e);
    assert.ok(error instanceof SourceError);
    assert.match(error.message, /The columns its first records have values in are "Name", "Affiliation", "Job"\. Did you mean "Job"\?/);
    assert.ok(!error.message.includes('Notes'), 'an empty column is not seen without the schema');
  } finally {
    await noSchema.close();
  }
});
