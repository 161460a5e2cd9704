/**
 * Dates and times through whole syncs: the demo Schedule tab as a British or a German sheet shows it (its locale read
 * from the Sheets API; dates day first, dotted, as serial numbers), and a Schedule table in Airtable whose Start and
 * End are date-time fields (ISO in UTC), read on the clocks of the edition's zone (edition.json `timeZone`).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEMO_SPREADSHEET_ID, startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { demoSheet } from '../../dev/demo/load.ts';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import type { ScheduleItem } from '../../src/model/index.ts';
import type { WorkshopConfig } from '../../sync/config.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncReport } from '../../sync/report.ts';
import { configFor, contentCopy, EDITION, FAST, readJson } from './helpers.ts';

/** `9:10 AM` → minutes since midnight. */
function minutes(time: string): number {
  const [, h, m, pm] = /^(\d{1,2}):(\d{2}) ([AP])M$/.exec(time) ?? assert.fail(`"${time}" in the demo sheet`);
  return (Number(h) % 12) * 60 + Number(m) + (pm === 'P' ? 720 : 0);
}
const hhmmss = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}:00`;
/** A time as a serial number (a fraction of a day), written with a decimal comma. */
const serialTime = (total: number) => (total / 1440).toFixed(10).replace('.', ',');

/** The demo Schedule tab with its Date, Start and End cells rewritten by `cells` (blank rows and the header kept). */
function demoTab(cells: (date: string, start: number, end: number, index: number) => [string, string, string]): string[][] {
  const [header, ...rows] = demoSheet().values;
  return [
    header!,
    ...rows.map((row, index) => {
      if (row.length === 0) return row;
      const [date, start, end, ...rest] = row as [string, string, string, ...string[]];
      assert.equal(date, '7/18/2024', 'every demo session is on July 18');
      return [...cells(date, minutes(start), minutes(end), index), ...rest];
    }),
  ];
}

describe('a whole sync of the demo Schedule tab in the sheet’s own locale', () => {
  let demo: DemoEmulators;
  let content = '';

  before(async () => {
    demo = await startDemoEmulators();
    content = contentCopy();
  });
  after(async () => {
    await demo.close();
    rmSync(content, { recursive: true, force: true });
  });
  afterEach(() => demo.sheets.faults.clear());

  /** A dry run's report, or the report of the sync that failed. */
  async function sync(config: WorkshopConfig = {}): Promise<SyncReport> {
    try {
      return await runSync(configFor(demo.env, content, config), { policy: FAST, dryRun: true });
    } catch (error) {
      if (error instanceof SyncFailed) return error.report;
      throw error;
    }
  }

  /** The schedule as published already: nothing added, changed or removed. */
  function assertSameSchedule(report: SyncReport): void {
    assert.deepEqual(report.errors, []);
    const { added, changed, removed, after: count } = report.collections.schedule;
    assert.deepEqual({ added, changed, removed, count }, { added: [], changed: [], removed: [], count: 18 });
  }

  test('en_GB: 18/07/2024 and 24-hour times give the published schedule', async () => {
    demo.sheets.store.setLocale(DEMO_SPREADSHEET_ID, 'en_GB', 'Europe/London');
    demo.sheets.store.setRows(
      DEMO_SPREADSHEET_ID,
      'Schedule',
      demoTab((_, start, end) => ['18/07/2024', hhmmss(start), hhmmss(end)]),
    );
    assertSameSchedule(await sync());
  });

  test('de_DE: dotted dates, serial numbers with a decimal comma and date-times give the published schedule', async () => {
    demo.sheets.store.setLocale(DEMO_SPREADSHEET_ID, 'de_DE', 'Europe/Berlin');
    const tab = demoTab((_, start, end, index) =>
      index % 3 === 0
        ? ['18.07.2024', hhmmss(start), hhmmss(end)]
        : index % 3 === 1
          ? ['45491', serialTime(start), serialTime(end)]
          : [`18.07.2024 ${hhmmss(start)}`, `45491${serialTime(start).slice(1)}`, `18.07.2024 ${hhmmss(end)}`],
    );
    demo.sheets.store.setRows(DEMO_SPREADSHEET_ID, 'Schedule', tab);
    assertSameSchedule(await sync());
  });

  test('without the locale (spreadsheets.get fails), dates are read month first, with a warning; dayFirst then reads them', async () => {
    demo.sheets.store.setLocale(DEMO_SPREADSHEET_ID, 'en_GB', 'Europe/London');
    demo.sheets.store.setRows(
      DEMO_SPREADSHEET_ID,
      'Schedule',
      demoTab((_, start, end) => ['18/07/2024', hhmmss(start), hhmmss(end)]),
    );
    demo.sheets.faults.add({
      kind: 'status',
      status: 500,
      path: new RegExp(`^/v4/spreadsheets/${DEMO_SPREADSHEET_ID}(\\?|$)`),
      times: Infinity,
    });
    // Strict, so that the rows it cannot read are errors (by default they keep their last published version).
    const monthFirst = await sync({ onInvalidRow: 'fail' });
    const locale = (report: SyncReport) => report.warnings.filter((w) => w.includes("could not read the spreadsheet's locale"));
    assert.equal(locale(monthFirst).length, 1, monthFirst.warnings.join('\n'));
    assert.match(locale(monthFirst)[0]!, /^Google Sheets › Schedule: could not read the spreadsheet's locale \(500/);
    assert.equal(monthFirst.errors.length, 18);
    assert.ok(monthFirst.errors[0]!.includes('"Date": "18/07/2024" has no month 18 (dates are read month first'), monthFirst.errors[0]);

    const dayFirst = await sync({ template: { schedule: { dayFirst: true } } });
    assertSameSchedule(dayFirst);
    assert.equal(locale(dayFirst).length, 1);
  });

  test('template.schedule.dayFirst: false reads month first in an en_GB sheet', async () => {
    demo.sheets.store.setLocale(DEMO_SPREADSHEET_ID, 'en_GB', 'Europe/London');
    demo.sheets.store.setRows(
      DEMO_SPREADSHEET_ID,
      'Schedule',
      demoTab((date, start, end) => [date, hhmmss(start), hhmmss(end)]),
    );
    assertSameSchedule(await sync({ template: { schedule: { dayFirst: false } } }));
    const byLocale = await sync({ onInvalidRow: 'fail' });
    assert.ok(
      byLocale.errors[0]?.includes('"7/18/2024" has no month 18 (the sheet\'s locale, en_GB, writes dates day first'),
      byLocale.errors[0],
    );
  });
});

describe('a whole sync of a Schedule table in Airtable with date-time fields', () => {
  const BASE = 'appDatesInUtc0001';
  let airtable: AirtableEmulator;
  let content = '';

  before(async () => {
    airtable = await startAirtableEmulator({
      bases: {
        [BASE]: {
          Speakers: { records: [{ fields: { Name: 'Ada Lovelace', Kind: 'Keynote' } }] },
          Organizers: { records: [{ fields: { Name: 'Alan Turing' } }] },
          Papers: { records: [{ fields: { 'Paper ID': '1', Title: 'On dates', Authors: 'Ada Lovelace', Status: 'Accepted' } }] },
          Schedule: {
            records: [
              // Airtable sends date-times in UTC: 13:00Z is 9:00 in New York in July (EDT, UTC−4).
              { fields: { Date: '2024-07-18', Start: '2024-07-18T13:00:00.000Z', End: '2024-07-18T13:10:00.000Z', Title: 'Opening' } },
              // A Date that is a date-time field: 01:30Z on the 19th is still the 18th in New York.
              {
                fields: {
                  Date: '2024-07-19T01:30:00.000Z',
                  Start: '2024-07-19T01:30:00.000Z',
                  End: '2024-07-19T02:30:00.000Z',
                  Title: 'Evening keynote',
                  Kind: 'Keynote',
                  Speaker: 'Ada Lovelace',
                },
              },
            ],
          },
        },
      },
    });
    content = contentCopy({ empty: true });
  });
  after(async () => {
    await airtable.close();
    rmSync(content, { recursive: true, force: true });
  });

  /** Syncs (forced: a new zone changes every slot's id) and gives the slots written. */
  async function syncedSchedule(): Promise<string[]> {
    const env = { AIRTABLE_TOKEN: airtable.token, AIRTABLE_BASE_ID: BASE, AIRTABLE_ENDPOINT_URL: airtable.url.replace(/\/+$/, '') };
    const config = configFor(env, content, { tables: { schedule: 'airtable', programCommittee: 'none' } });
    const report = await runSync(config, { policy: FAST, force: true });
    assert.deepEqual(report.errors, []);
    const items = readJson<ScheduleItem[]>(path.join(content, EDITION, 'schedule.json'));
    return items.map((item) => `${item.start}–${item.end.slice(11)} ${item.title}`);
  }

  test('Start and End are read on the clocks of the edition’s zone (edition.json timeZone)', async () => {
    assert.deepEqual(await syncedSchedule(), ['2024-07-18T09:00–09:10 Opening', '2024-07-18T21:30–22:30 Evening keynote']);
  });

  test('another zone in edition.json, other wall-clock times', async () => {
    const file = path.join(content, EDITION, 'edition.json');
    const edition = JSON.parse(readFileSync(file, 'utf8')) as { timeZone: string };
    writeFileSync(file, JSON.stringify({ ...edition, timeZone: 'Europe/Berlin' }, null, 2));
    assert.deepEqual(await syncedSchedule(), ['2024-07-18T15:00–15:10 Opening', '2024-07-19T03:30–04:30 Evening keynote']);
  });
});
