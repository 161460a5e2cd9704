/**
 * The schedule's dates and times as sources give them, through the sync's edition mapper: Airtable's date-times (ISO
 * in UTC) on the clocks of the edition's zone, across daylight-saving changes; a Google Sheet's dates in its locale
 * (day first when the locale writes them so, unless template.schedule.dayFirst says otherwise) and as serial numbers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEditionMapper } from '../../sync/map/edition.ts';
import type { SourceRow } from '../../sync/sources/types.ts';
import { customizeTemplate, DEFAULT_TEMPLATE, type Template } from '../../sync/template.ts';
import { airtableRow, lines, sheetRow } from './fixtures.ts';

/** The schedule the edition mapper makes of `rows`: each slot's start and end, and every problem as people read it. */
function schedule(rows: SourceRow[], options: { timeZone?: string; locale?: string; template?: Template } = {}) {
  const mapper = createEditionMapper(options.template ?? DEFAULT_TEMPLATE, { timeZone: options.timeZone });
  mapper.add('schedule', rows, options.locale);
  const { schedule: items, problems } = mapper.finish();
  return { slots: items.map(({ data }) => `${data.start}–${data.end.slice(11)}`), problems: lines(problems.schedule) };
}

const slot = (id: string, fields: Record<string, unknown>) => airtableRow('Schedule', id, { Title: `Slot ${id}`, ...fields });

describe('Airtable date-times (ISO in UTC) on the clocks of the edition’s zone', () => {
  it('reads Start and End in New York, on both sides of the spring and the autumn clock changes', () => {
    const { slots, problems } = schedule(
      [
        // 2024-03-10: 2:00 EST becomes 3:00 EDT (UTC−5 → UTC−4).
        slot('rec1', { Date: '2024-03-10', Start: '2024-03-10T06:30:00.000Z', End: '2024-03-10T07:30:00.000Z' }),
        slot('rec2', { Date: '2024-03-10', Start: '2024-03-10T13:00:00.000Z', End: '2024-03-10T14:00:00.000Z' }),
        // 2024-11-03: 2:00 EDT becomes 1:00 EST.
        slot('rec3', { Date: '2024-11-03', Start: '2024-11-03T04:00:00.000Z', End: '2024-11-03T04:45:00.000Z' }),
        slot('rec4', { Date: '2024-11-03', Start: '2024-11-03T14:00:00.000Z', End: '2024-11-03T15:00:00.000Z' }),
      ],
      { timeZone: 'America/New_York' },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(slots, ['2024-03-10T01:30–03:30', '2024-03-10T09:00–10:00', '2024-11-03T00:00–00:45', '2024-11-03T09:00–10:00']);
  });

  it('reads a Date that holds a date-time as the day it is in the zone, not in UTC', () => {
    const late = { Date: '2024-07-19T01:30:00.000Z', Start: '2024-07-19T01:30:00.000Z', End: '2024-07-19T02:30:00.000Z' };
    assert.deepEqual(schedule([slot('rec1', late)], { timeZone: 'America/New_York' }).slots, ['2024-07-18T21:30–22:30']);
    assert.deepEqual(schedule([slot('rec1', late)], { timeZone: 'Europe/Berlin' }).slots, ['2024-07-19T03:30–04:30']);
    // Berlin's own change, 2024-10-27: 3:00 CEST becomes 2:00 CET (UTC+2 → UTC+1).
    const autumn = { Date: '2024-10-27', Start: '2024-10-27T08:00:00.000Z', End: '2024-10-27T09:00:00.000Z' };
    assert.deepEqual(schedule([slot('rec2', autumn)], { timeZone: 'Europe/Berlin' }).slots, ['2024-10-27T09:00–10:00']);
  });

  it('without the edition’s zone, a date-time is an error that says where to set it', () => {
    const { slots, problems } = schedule([slot('rec1', { Date: '2024-07-18', Start: '2024-07-18T13:00:00.000Z', End: '10:00' })]);
    assert.deepEqual(slots, []);
    assert.deepEqual(problems, [
      'Airtable › Schedule › rec1 › "Start": "2024-07-18T13:00:00.000Z" is a date and time with its offset from UTC; the sync needs the edition\'s time zone to read it: set timeZone in the edition\'s edition.json (e.g. "America/New_York").',
    ]);
  });
});

describe('a Google Sheet’s dates in its locale, and serial numbers', () => {
  const row = (n: number, fields: Record<string, unknown>) => sheetRow(n, { Title: `Row ${n}`, ...fields });

  it('reads 07/08/2024 day first in an en_GB sheet and month first in an en_US one', () => {
    const rows = [row(2, { Date: '07/08/2024', Start: '09:00:00', End: '10:00:00' })];
    assert.deepEqual(schedule(rows, { locale: 'en_GB' }).slots, ['2024-08-07T09:00–10:00']);
    assert.deepEqual(schedule(rows, { locale: 'en_US' }).slots, ['2024-07-08T09:00–10:00']);
    assert.deepEqual(schedule(rows).slots, ['2024-07-08T09:00–10:00'], 'no locale: month first');
  });

  it('template.schedule.dayFirst, when set, wins over the locale', () => {
    const rows = [row(2, { Date: '07/08/2024', Start: '9:00 AM', End: '10:00 AM' })];
    const monthFirst = customizeTemplate({ schedule: { dayFirst: false } });
    const dayFirst = customizeTemplate({ schedule: { dayFirst: true } });
    assert.deepEqual(schedule(rows, { locale: 'en_GB', template: monthFirst }).slots, ['2024-07-08T09:00–10:00']);
    assert.deepEqual(schedule(rows, { locale: 'en_US', template: dayFirst }).slots, ['2024-08-07T09:00–10:00']);
  });

  it('reads dotted dates and serial numbers with the locale’s decimal comma (de_DE)', () => {
    const { slots, problems } = schedule(
      [
        row(2, { Date: '18.07.2024', Start: '09:00:00', End: '09:10:00' }),
        row(3, { Date: '45491', Start: '0,375', End: '0,4166666667' }),
        row(4, { Date: '45.491', Start: '45491,4375', End: '45491,46875' }),
      ],
      { locale: 'de_DE' },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(slots, ['2024-07-18T09:00–09:10', '2024-07-18T09:00–10:00', '2024-07-18T10:30–11:15']);
  });

  it('says how the dates are read when a date has no such month', () => {
    const rows = [row(2, { Date: '18/07/2024', Start: '9:00 AM', End: '10:00 AM' })];
    assert.deepEqual(schedule(rows, { locale: 'en_US' }).problems, [
      'Google Sheets › Schedule › row 2 › "Date": "18/07/2024" has no month 18 (the sheet\'s locale, en_US, writes dates month first, as in 7/18/2024); write it as 2024-07-18 or 7/18/2024.',
    ]);
    assert.deepEqual(schedule(rows, { locale: 'en_GB' }).problems, []);
  });
});
