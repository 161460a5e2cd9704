/**
 * One contract, every source: the same small "Talks" table read through Airtable (airtable.js), Google Sheets
 * (@googleapis/sheets, by API key and by a service account's locally signed JWT), a published CSV, and local CSV
 * and JSON files, all against local emulators or files. Every source must give the same cells, with provenance.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { startPublishedCsvEmulator, type PublishedCsvEmulator } from '../../dev/emulators/published-csv.ts';
import { createThrottle } from '../../sync/http/throttle.ts';
import { airtableSource } from '../../sync/sources/airtable.ts';
import { SourceError } from '../../sync/errors.ts';
import { googleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { localFilesSource } from '../../sync/sources/local-files.ts';
import { publishedCsvSource } from '../../sync/sources/published-csv.ts';
import type { Page, Source, SourceRow } from '../../sync/sources/types.ts';
import { FAST } from './helpers.ts';

/** The table every source serves: a header, a blank row in the middle, a cell with a comma and quotes. */
const HEADER = ['Title', 'Start', 'Speaker'];
const TALKS = [
  ['Opening', '9:00 AM', ''],
  ['Keynote, part "one"', '9:10 AM', 'Mark Najork'],
  ['Closing', '5:30 PM', 'Xin Luna Dong'],
];
const EXPECTED = TALKS.map(([title, start, speaker]) => ({ Title: title, Start: start, ...(speaker ? { Speaker: speaker } : {}) }));
const BASE = 'appContract000001';
const SHEET = 'contractSheet';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SERVICE_ACCOUNT = {
  client_email: 'sync@workshop-test.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

let airtable: AirtableEmulator;
let sheets: SheetsEmulator;
let csv: PublishedCsvEmulator;
let dir = '';

before(async () => {
  airtable = await startAirtableEmulator({
    bases: {
      [BASE]: {
        Talks: {
          fields: HEADER,
          records: TALKS.map(([Title, Start, Speaker]) => ({ fields: { Title, Start, ...(Speaker ? { Speaker } : {}) } })),
        },
      },
    },
  });
  const rows = [HEADER, TALKS[0]!, [], TALKS[1]!, TALKS[2]!];
  sheets = await startSheetsEmulator({
    apiKeys: ['contract-key'],
    serviceAccounts: [{ email: SERVICE_ACCOUNT.client_email, publicKey }],
    spreadsheets: { [SHEET]: { title: 'Contract', public: true, sheets: [{ title: 'Talks', rows }] } },
  });
  csv = await startPublishedCsvEmulator({ store: sheets.store, publications: { '2PACX-contract': { spreadsheetId: SHEET } } });
  dir = mkdtempSync(path.join(tmpdir(), 'contract-files-'));
  const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  writeFileSync(path.join(dir, 'Talks.csv'), rows.map((r) => r.map(cell).join(',')).join('\n') + '\n');
  writeFileSync(path.join(dir, 'People.json'), JSON.stringify(EXPECTED));
});

after(async () => {
  await Promise.all([airtable.close(), sheets.close(), csv.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Every page of `table`, read as the fetch step reads it. */
async function pagesOf(source: Source, name: string, columns: readonly string[] = HEADER): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of source.pages({ name, columns })) pages.push(page);
  return pages;
}

const rowsOf = async (source: Source, name: string, columns?: readonly string[]): Promise<SourceRow[]> =>
  (await pagesOf(source, name, columns)).flatMap((page) => page.rows);

interface Case {
  name: string;
  make: () => Source;
  table?: string;
  /** Where the n-th data row is: a record id, or the sheet's own row number (blank row 3 skipped). */
  where: (index: number) => unknown;
}

const sheetRows = [2, 4, 5];
const cases: Case[] = [
  {
    name: 'Airtable (airtable.js)',
    make: () =>
      airtableSource({ token: airtable.token, baseId: BASE, endpointUrl: airtable.url, throttle: createThrottle(), policy: FAST }),
    where: (i) => ({ recordId: airtable.records(BASE, 'Talks')[i]!.id }),
  },
  {
    name: 'Google Sheets with an API key',
    make: () => googleSheetsSource({ spreadsheetId: SHEET, apiKey: 'contract-key', rootUrl: sheets.url, policy: FAST }),
    where: (i) => ({ row: sheetRows[i] }),
  },
  {
    name: 'Google Sheets with a service account (a JWT signed locally, no token exchange)',
    make: () => googleSheetsSource({ spreadsheetId: SHEET, serviceAccount: SERVICE_ACCOUNT, rootUrl: sheets.url, policy: FAST }),
    where: (i) => ({ row: sheetRows[i] }),
  },
  {
    name: 'a published CSV',
    make: () => publishedCsvSource({ urls: { Talks: csv.csvUrl('2PACX-contract', 0) }, policy: FAST }),
    where: (i) => ({ row: sheetRows[i] }),
  },
  { name: 'a local CSV file', make: () => localFilesSource({ dir }), where: (i) => ({ row: sheetRows[i] }) },
  { name: 'a local JSON file', make: () => localFilesSource({ dir }), table: 'People', where: (i) => ({ row: i + 2 }) },
];

for (const c of cases) {
  describe(`source contract: ${c.name}`, () => {
    const table = c.table ?? 'Talks';

    test('reads every row with its cells, in order, in pages, blank cells and blank rows left out', async () => {
      const pages = await pagesOf(c.make(), table);
      assert.ok(pages.length >= 1);
      assert.deepEqual(
        pages.flatMap((page) => page.rows).map((r) => Object.fromEntries(Object.entries(r.fields).filter(([, v]) => v !== ''))),
        EXPECTED,
      );
      assert.deepEqual(pages.at(-1)?.retries, 0, 'nothing was retried');
      assert.ok(pages.every((page) => page.waitedMs >= 0));
    });

    test('every row carries its provenance: source, table and record id or sheet row number', async () => {
      const source = c.make();
      const rows = await rowsOf(source, table);
      rows.forEach((row, i) => {
        assert.equal(row.source, source.label);
        assert.equal(row.table, table);
        assert.deepEqual(row.where, c.where(i));
      });
    });

    test('a missing table is a SourceError that names it', async () => {
      const error = await rowsOf(c.make(), 'Nope').then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SourceError, String(error));
      assert.equal(error.table, 'Nope');
      assert.match(error.message, /Nope/);
    });
  });
}

test('the service account is refused by the emulator when the key is not the registered one', async () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const source = googleSheetsSource({
    spreadsheetId: SHEET,
    serviceAccount: { ...SERVICE_ACCOUNT, private_key: other },
    rootUrl: sheets.url,
    policy: FAST,
  });
  const error = await rowsOf(source, 'Talks').catch((e: unknown) => e);
  assert.ok(error instanceof SourceError);
  assert.match(error.message, /no access to spreadsheet contractSheet \(401/);
  assert.ok(!error.message.includes('PRIVATE KEY'));
});

test('an unpublished CSV (a sign-in page instead of CSV) says how to publish it', async () => {
  csv.unpublish('2PACX-contract');
  try {
    const error = await rowsOf(publishedCsvSource({ urls: { Talks: csv.csvUrl('2PACX-contract', 0) }, policy: FAST }), 'Talks').catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof SourceError);
    assert.match(error.message, /not published\. In the sheet: File › Share › Publish to web/);
  } finally {
    csv.publish('2PACX-contract', { spreadsheetId: SHEET });
  }
});

test('Airtable reads only the fields asked for, so private columns never leave it', async () => {
  airtable.updateRecord(BASE, 'Talks', airtable.records(BASE, 'Talks')[0]!.id, { Email: 'secret@example.org' });
  const source = airtableSource({
    token: airtable.token,
    baseId: BASE,
    endpointUrl: airtable.url,
    throttle: createThrottle(),
    policy: FAST,
  });
  const rows = await rowsOf(source, 'Talks', ['Title', 'Start']);
  assert.ok(rows.every((r) => !('Email' in r.fields) && !('Speaker' in r.fields)));
  assert.ok(airtable.stats.log.some((l) => l.path.includes('fields%5B%5D=Title')));
});
