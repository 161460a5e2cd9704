/**
 * The Google Sheets source reads the spreadsheet's locale and time zone (one `spreadsheets.get` per sync, in parallel
 * with the values, under the retry policy) and hands them on with every page; when that request fails, the pages still
 * come, without a locale, with one warning. Against the Sheets emulator, through the real client.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { googleSheetsSource } from '../../sync/sources/google-sheets.ts';
import type { Page, Source } from '../../sync/sources/types.ts';
import { FAST } from '../integration/helpers.ts';

const KEY = 'locale-key';
const SHEET = 'britishSheet';
/** `spreadsheets.get` of this spreadsheet (its values are read at `…/values:batchGet`). */
const GET = new RegExp(`^/v4/spreadsheets/${SHEET}(\\?|$)`);

let sheets: SheetsEmulator;

before(async () => {
  sheets = await startSheetsEmulator({
    apiKeys: [KEY],
    spreadsheets: {
      [SHEET]: {
        title: 'Programme',
        public: true,
        locale: 'en_GB',
        timeZone: 'Europe/London',
        sheets: [
          {
            title: 'Schedule',
            rows: [
              ['Date', 'Start', 'Title'],
              ['07/08/2024', '09:00:00', 'Opening'],
            ],
          },
          { title: 'Rooms', rows: [['Room'], ['Hall A']] },
        ],
      },
    },
  });
});
after(() => sheets.close());
beforeEach(() => {
  sheets.faults.clear();
  sheets.faults.log.length = 0;
});

const source = (): Source => googleSheetsSource({ spreadsheetId: SHEET, apiKey: KEY, rootUrl: sheets.url, policy: FAST });

async function pagesOf(from: Source, name: string, columns: readonly string[]): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const page of from.pages({ name, columns })) pages.push(page);
  return pages;
}

/** The tries of `spreadsheets.get` that a fault answered. */
const faultedGets = () => sheets.faults.log.filter((f) => GET.test(f.path)).length;

describe('the spreadsheet’s locale', () => {
  test('comes with every page, read once for all the tabs of a sync', async () => {
    const from = source();
    const gets = sheets.stats.byEndpoint['get'] ?? 0;
    const [schedule, rooms] = await Promise.all([pagesOf(from, 'Schedule', ['Date', 'Start', 'Title']), pagesOf(from, 'Rooms', ['Room'])]);
    for (const page of [...schedule, ...rooms]) {
      assert.equal(page.locale, 'en_GB');
      assert.equal(page.timeZone, 'Europe/London');
      assert.equal(page.warnings, undefined);
    }
    assert.deepEqual(
      schedule[0]!.rows[0]!.fields,
      { Date: '07/08/2024', Start: '09:00:00', Title: 'Opening' },
      'cells as the sheet shows them',
    );
    assert.equal((sheets.stats.byEndpoint['get'] ?? 0) - gets, 1, 'one spreadsheets.get for both tabs');
  });

  test('a spreadsheets.get that keeps failing is retried, then the pages come without a locale and with one warning', async () => {
    sheets.faults.add({ kind: 'status', status: 503, path: GET, times: Infinity });
    const from = source();
    const schedule = await pagesOf(from, 'Schedule', ['Date', 'Start', 'Title']);
    const rooms = await pagesOf(from, 'Rooms', ['Room']);
    assert.equal(faultedGets(), FAST.retries + 1, 'tried as often as the retry policy allows, once for the sync');
    assert.equal(schedule[0]!.rows.length, 1, 'the values were read all the same');
    assert.equal(schedule[0]!.locale, undefined);
    assert.deepEqual(schedule[0]!.warnings, [
      "could not read the spreadsheet's locale (503 UNAVAILABLE), so its dates are read month first (7/18/2024) unless template.schedule.dayFirst is set in workshop.config.ts. If the sheet writes days first (18/07/2024), set template.schedule.dayFirst to true.",
    ]);
    assert.equal(rooms[0]!.warnings, undefined, 'said once, not once per tab');
  });

  test('a refused spreadsheets.get is not retried', async () => {
    sheets.faults.add({ kind: 'status', status: 403, path: GET, times: Infinity });
    const [page] = await pagesOf(source(), 'Schedule', ['Date']);
    assert.equal(faultedGets(), 1);
    assert.equal(page!.locale, undefined);
    assert.match(page!.warnings?.[0] ?? '', /^could not read the spreadsheet's locale \(403 PERMISSION_DENIED\)/);
  });

  test('a spreadsheets.get that fails once is retried and its locale used', async () => {
    sheets.faults.add({ kind: 'drop', path: GET });
    const [page] = await pagesOf(source(), 'Schedule', ['Date']);
    assert.equal(faultedGets(), 1);
    assert.equal(page!.locale, 'en_GB');
    assert.equal(page!.warnings, undefined);
  });
});
