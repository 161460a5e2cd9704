/**
 * One contract, every source: the same small "Talks" table read through Airtable (airtable.js), Google Sheets
 * (@googleapis/sheets, by API key and by a service account's locally signed JWT), a published CSV (by its CSV link
 * and by the web-page link an iframe embeds), and local CSV and JSON files, all against local emulators or files.
 * Every source must give the same cells, with provenance. Then sheets as people make them: a title and blank rows
 * above the header, through every sheet source and through a whole sync.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_SPREADSHEET_ID, startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { demoSheet } from '../../dev/demo/load.ts';
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
import { runSync } from '../../sync/pipeline.ts';
import { configFor, contentCopy, FAST } from './helpers.ts';

/** The table every source serves: a header, a blank row in the middle, a cell with a comma and quotes. */
const HEADER = ['Title', 'Start', 'Speaker'];
const TALKS = [
  ['Opening', '9:00 AM', ''],
  ['Keynote, part "one"', '9:10 AM', 'Mark Najork'],
  ['Closing', '5:30 PM', 'Xin Luna Dong'],
];
const EXPECTED = TALKS.map(([title, start, speaker]) => ({ Title: title, Start: start, ...(speaker ? { Speaker: speaker } : {}) }));
/** The same talks as people lay a tab out: a title, a blank row, then the header on row 3 (data on rows 4–6). */
const TITLED = [['Talks of the contract workshop (times in PDT)'], [], HEADER, ...TALKS];
const TITLED_ROWS = [4, 5, 6];
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
    spreadsheets: {
      [SHEET]: {
        title: 'Contract',
        public: true,
        sheets: [
          { title: 'Talks', rows },
          { title: 'Program', sheetId: 1, rows: TITLED },
          { title: 'Notes', sheetId: 2, rows: [[], ['Ideas for next year'], ['ask the venue about Wi-Fi', 'call ada@example.org']] },
        ],
      },
    },
  });
  csv = await startPublishedCsvEmulator({ store: sheets.store, publications: { '2PACX-contract': { spreadsheetId: SHEET } } });
  dir = mkdtempSync(path.join(tmpdir(), 'contract-files-'));
  const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  writeFileSync(path.join(dir, 'Talks.csv'), rows.map((r) => r.map(cell).join(',')).join('\n') + '\n');
  writeFileSync(path.join(dir, 'Program.csv'), TITLED.map((r) => r.map(cell).join(',')).join('\n') + '\n');
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
/** One throttle for the base, shared by its sources as the sync shares it (each listing also reads the schema). */
const airtableThrottle = createThrottle();
const cases: Case[] = [
  {
    name: 'Airtable (airtable.js)',
    make: () =>
      airtableSource({ token: airtable.token, baseId: BASE, endpointUrl: airtable.url, throttle: airtableThrottle, policy: FAST }),
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
  {
    name: 'a published CSV by the web-page (pubhtml) link an iframe embeds',
    make: () => publishedCsvSource({ urls: { Talks: csv.pubhtmlUrl('2PACX-contract', 0) }, policy: FAST }),
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
    throttle: airtableThrottle,
    policy: FAST,
  });
  const rows = await rowsOf(source, 'Talks', ['Title', 'Start']);
  assert.ok(rows.every((r) => !('Email' in r.fields) && !('Speaker' in r.fields)));
  assert.ok(airtable.stats.log.some((l) => l.path.includes('fields%5B%5D=Title')));
});

describe('sheets as people make them: a title and a blank row above the header', () => {
  const titledSources: [string, () => Source][] = [
    ['Google Sheets', () => googleSheetsSource({ spreadsheetId: SHEET, apiKey: 'contract-key', rootUrl: sheets.url, policy: FAST })],
    [
      'a published CSV by its pubhtml link',
      () => publishedCsvSource({ urls: { Program: csv.pubhtmlUrl('2PACX-contract', 1) }, policy: FAST }),
    ],
    ['a local CSV file', () => localFilesSource({ dir })],
  ];
  for (const [name, make] of titledSources) {
    test(`${name}: the header is found on row 3, and rows keep the sheet's numbers`, async () => {
      const rows = await rowsOf(make(), 'Program');
      assert.deepEqual(
        rows.map((r) => Object.fromEntries(Object.entries(r.fields).filter(([, v]) => v !== ''))),
        EXPECTED,
      );
      assert.deepEqual(
        rows.map((r) => r.where),
        TITLED_ROWS.map((row) => ({ row })),
      );
    });
  }

  test('a tab without the header near its top is a SourceError naming the columns looked for and the rows seen', async () => {
    const source = googleSheetsSource({ spreadsheetId: SHEET, apiKey: 'contract-key', rootUrl: sheets.url, policy: FAST });
    const error = await rowsOf(source, 'Notes').catch((e: unknown) => e);
    assert.ok(error instanceof SourceError, String(error));
    assert.equal(
      error.message,
      'Google Sheets › Notes: no header row: none of the first 10 non-blank rows holds any of the columns the template reads ("Title", "Start", "Speaker"); ' +
        'its first rows are row 2: "Ideas for next year"; row 3: "ask the venue about Wi-Fi | call [email]". ' +
        'Put the column names in one row near the top of the tab, or put the names the tab uses under template in workshop.config.ts.',
    );
  });
});

describe('a whole sync of the Schedule, with a title and a blank row above its header', () => {
  let demo: DemoEmulators;
  let published: PublishedCsvEmulator;
  let content = '';

  before(async () => {
    demo = await startDemoEmulators();
    demo.sheets.store.setRows(DEMO_SPREADSHEET_ID, 'Schedule', [['Workshop program — all times Eastern'], [], ...demoSheet().values]);
    published = await startPublishedCsvEmulator({
      store: demo.sheets.store,
      publications: { '2PACX-demo': { spreadsheetId: DEMO_SPREADSHEET_ID } },
    });
    content = contentCopy({ empty: true });
  });
  after(async () => {
    await Promise.all([demo.close(), published.close()]);
    rmSync(content, { recursive: true, force: true });
  });

  /** The schedule a dry run would publish, and its warnings about the Schedule tab. */
  async function scheduleFrom(env: Record<string, string>): Promise<{ added: number; warnings: string[] }> {
    const report = await runSync(configFor(env, content), { policy: FAST, dryRun: true });
    assert.deepEqual(report.errors, []);
    return { added: report.collections.schedule.added.length, warnings: report.warnings.filter((w) => w.includes('› Schedule ›')) };
  }

  test('through the Sheets API: every session, and messages quote the row people see', async () => {
    const { added, warnings } = await scheduleFrom(demo.env);
    assert.equal(added, 18);
    assert.ok(
      warnings.some((w) => w.startsWith('Google Sheets › Schedule › row 5 › "Speaker": "Marc Najork"')),
      warnings.join('\n'),
    );
  });

  test('through the pubhtml link an iframe embeds, as GOOGLE_SHEETS_CSV_URL', async () => {
    const { GOOGLE_SHEETS_ID: _id, ...env } = demo.env;
    const before = published.stats.csv;
    const { added, warnings } = await scheduleFrom({ ...env, GOOGLE_SHEETS_CSV_URL: published.pubhtmlUrl('2PACX-demo', 0) });
    assert.equal(added, 18);
    assert.equal(published.stats.csv, before + 1, 'the CSV was read, not the web page');
    assert.ok(
      warnings.some((w) => w.startsWith('Published CSV › Schedule › row 5 › "Speaker": "Marc Najork"')),
      warnings.join('\n'),
    );
  });
});
