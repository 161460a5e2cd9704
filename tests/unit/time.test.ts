/**
 * src/lib/time.ts: wall-clock times of a zone to UTC instants, and formatting.
 * Expected instants are derived from the IANA rules (2024):
 *   America/New_York  EST −05:00 / EDT −04:00, forward 2024-03-10 02:00, back 2024-11-03 02:00
 *   Europe/Berlin     CET +01:00 / CEST +02:00, forward 2024-03-31 02:00, back 2024-10-27 03:00
 *   Australia/Sydney  AEST +10:00 / AEDT +11:00, back 2024-04-07 03:00, forward 2024-10-06 02:00
 *   Asia/Kolkata +05:30 and Asia/Tokyo +09:00 all year.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aoeToUtc, dayOf, formatDay, formatDayRange, formatTime, zonedToUtc, zoneAbbreviation, zoneOffsetMs } from '../../src/lib/time.ts';

const HOUR = 3600_000;

function iso(local: string, zone: string): string {
  return zonedToUtc(local, zone).toISOString();
}

/** The wall clock of an instant in a zone, `YYYY-MM-DDTHH:MM`, via Intl only (independent of time.ts). */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
function wallClockIn(instant: Date, timeZone: string): string {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(instant)) parts[p.type] = p.value;
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
}

/** Adds minutes to a `YYYY-MM-DDTHH:MM` wall clock (calendar arithmetic, no zone). */
function addMinutes(local: string, minutes: number): string {
  return new Date(Date.parse(`${local}:00Z`) + minutes * 60_000).toISOString().slice(0, 16);
}

/** Collapses the spacing ICU puts around the range dash and before AM/PM (thin / narrow no-break spaces). */
function normalizeSpaces(text: string): string {
  return text.replace(/\s*–\s*/g, '–').replace(/\s/g, ' ');
}

describe('zonedToUtc', () => {
  it('New York in July is EDT, UTC−4', () => {
    assert.equal(iso('2024-07-18T09:00', 'America/New_York'), '2024-07-18T13:00:00.000Z');
    assert.equal(iso('2024-07-18T23:30', 'America/New_York'), '2024-07-19T03:30:00.000Z');
  });

  it('New York in January is EST, UTC−5', () => {
    assert.equal(iso('2024-01-15T09:00', 'America/New_York'), '2024-01-15T14:00:00.000Z');
    assert.equal(iso('2024-12-31T20:00', 'America/New_York'), '2025-01-01T01:00:00.000Z');
  });

  it('accepts a bare date as midnight', () => {
    assert.equal(iso('2024-07-18', 'America/New_York'), '2024-07-18T04:00:00.000Z');
  });

  it('moves a time in the New York spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    assert.equal(iso('2024-03-10T01:59', 'America/New_York'), '2024-03-10T06:59:00.000Z');
    assert.equal(iso('2024-03-10T02:00', 'America/New_York'), '2024-03-10T07:00:00.000Z');
    assert.equal(iso('2024-03-10T02:30', 'America/New_York'), '2024-03-10T07:30:00.000Z');
    assert.equal(iso('2024-03-10T03:00', 'America/New_York'), '2024-03-10T07:00:00.000Z');
    assert.equal(iso('2024-03-10T03:30', 'America/New_York'), '2024-03-10T07:30:00.000Z');
  });

  it('takes the first (EDT) occurrence of an ambiguous New York fall-back time', () => {
    assert.equal(iso('2024-11-03T00:59', 'America/New_York'), '2024-11-03T04:59:00.000Z');
    assert.equal(iso('2024-11-03T01:00', 'America/New_York'), '2024-11-03T05:00:00.000Z');
    assert.equal(iso('2024-11-03T01:30', 'America/New_York'), '2024-11-03T05:30:00.000Z');
    assert.equal(iso('2024-11-03T01:59', 'America/New_York'), '2024-11-03T05:59:00.000Z');
    // 02:00 exists once, in EST.
    assert.equal(iso('2024-11-03T02:00', 'America/New_York'), '2024-11-03T07:00:00.000Z');
  });

  it('handles the Europe/Berlin transitions (gap and repeated hour)', () => {
    assert.equal(iso('2024-03-31T01:30', 'Europe/Berlin'), '2024-03-31T00:30:00.000Z');
    assert.equal(iso('2024-03-31T02:30', 'Europe/Berlin'), '2024-03-31T01:30:00.000Z');
    assert.equal(iso('2024-03-31T03:30', 'Europe/Berlin'), '2024-03-31T01:30:00.000Z');
    assert.equal(iso('2024-10-27T02:30', 'Europe/Berlin'), '2024-10-27T00:30:00.000Z');
    assert.equal(iso('2024-10-27T03:00', 'Europe/Berlin'), '2024-10-27T02:00:00.000Z');
    assert.equal(iso('2024-07-01T12:00', 'Europe/Berlin'), '2024-07-01T10:00:00.000Z');
    assert.equal(iso('2024-01-01T12:00', 'Europe/Berlin'), '2024-01-01T11:00:00.000Z');
  });

  it('handles the southern-hemisphere Australia/Sydney transitions', () => {
    // Fall back 2024-04-07 03:00 AEDT → 02:00 AEST: 02:30 happens twice, the first is AEDT (+11).
    assert.equal(iso('2024-04-07T01:30', 'Australia/Sydney'), '2024-04-06T14:30:00.000Z');
    assert.equal(iso('2024-04-07T02:30', 'Australia/Sydney'), '2024-04-06T15:30:00.000Z');
    assert.equal(iso('2024-04-07T03:00', 'Australia/Sydney'), '2024-04-06T17:00:00.000Z');
    // Spring forward 2024-10-06 02:00 AEST → 03:00 AEDT: 02:30 does not exist → 03:30 AEDT.
    assert.equal(iso('2024-10-06T02:30', 'Australia/Sydney'), '2024-10-05T16:30:00.000Z');
    // Summer (January) is AEDT, winter (July) AEST.
    assert.equal(iso('2024-01-10T10:00', 'Australia/Sydney'), '2024-01-09T23:00:00.000Z');
    assert.equal(iso('2024-07-10T10:00', 'Australia/Sydney'), '2024-07-10T00:00:00.000Z');
  });

  it('handles zones with fractional or fixed offsets and day roll-over', () => {
    assert.equal(iso('2024-07-18T09:00', 'Asia/Kolkata'), '2024-07-18T03:30:00.000Z');
    assert.equal(iso('2024-07-18T04:00', 'Asia/Kolkata'), '2024-07-17T22:30:00.000Z');
    assert.equal(iso('2024-07-18T09:00', 'Asia/Tokyo'), '2024-07-18T00:00:00.000Z');
    assert.equal(iso('2024-01-01T08:59', 'Asia/Tokyo'), '2023-12-31T23:59:00.000Z');
    assert.equal(iso('2024-07-18T09:00', 'UTC'), '2024-07-18T09:00:00.000Z');
  });

  it('rejects text that is not YYYY-MM-DDTHH:MM', () => {
    assert.throws(() => zonedToUtc('2024-07-18 09:00', 'UTC'), RangeError);
    assert.throws(() => zonedToUtc('18/07/2024', 'UTC'), RangeError);
  });

  it('round-trips every 30 minutes of 2024 except in the spring-forward gaps', () => {
    // Gaps per the IANA rules; a 60-minute gap is [02:00, 03:00), Lord Howe's 30-minute one [02:00, 02:30).
    const zones: { zone: string; shift: number; gaps: string[] }[] = [
      { zone: 'America/New_York', shift: 60, gaps: ['2024-03-10T02:00', '2024-03-10T02:30'] },
      { zone: 'Europe/Berlin', shift: 60, gaps: ['2024-03-31T02:00', '2024-03-31T02:30'] },
      { zone: 'Australia/Sydney', shift: 60, gaps: ['2024-10-06T02:00', '2024-10-06T02:30'] },
      { zone: 'America/St_Johns', shift: 60, gaps: ['2024-03-10T02:00', '2024-03-10T02:30'] },
      { zone: 'Australia/Lord_Howe', shift: 30, gaps: ['2024-10-06T02:00'] },
      { zone: 'Asia/Kolkata', shift: 0, gaps: [] },
    ];
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2025, 0, 1);
    for (const { zone, shift, gaps } of zones) {
      const foundGaps: string[] = [];
      for (let t = start; t < end; t += 30 * 60_000) {
        const local = new Date(t).toISOString().slice(0, 16);
        const instant = zonedToUtc(local, zone);
        const back = wallClockIn(instant, zone);
        if (back !== local) {
          foundGaps.push(local);
          assert.equal(back, addMinutes(local, shift), `${zone} ${local}: a gap time moves forward by the gap`);
          continue;
        }
        // The first occurrence: 30 or 60 minutes earlier is not the same wall clock.
        for (const earlier of [30, 60]) {
          assert.notEqual(
            wallClockIn(new Date(instant.getTime() - earlier * 60_000), zone),
            local,
            `${zone} ${local}: an earlier instant shows the same wall clock`,
          );
        }
      }
      assert.deepEqual(foundGaps, gaps, `${zone}: non-existent wall clocks`);
    }
  });
});

describe('zoneOffsetMs', () => {
  it('gives the offset at an instant', () => {
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 18, 13), 'America/New_York'), -4 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 0, 18, 13), 'America/New_York'), -5 * HOUR);
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 18, 13), 'Asia/Kolkata'), 5.5 * HOUR);
    // Sub-second instants do not shift the offset.
    assert.equal(zoneOffsetMs(Date.UTC(2024, 6, 18, 13) + 999, 'UTC'), 0);
  });
});

describe('zoneAbbreviation', () => {
  it('is EDT in July and EST in January for New York', () => {
    assert.equal(zoneAbbreviation(new Date('2024-07-18T13:00Z'), 'America/New_York'), 'EDT');
    assert.equal(zoneAbbreviation(new Date('2024-01-18T14:00Z'), 'America/New_York'), 'EST');
  });

  it('switches exactly at the transition instant', () => {
    // 2024-03-10 07:00Z is 03:00 EDT; one minute before is 01:59 EST.
    assert.equal(zoneAbbreviation(new Date('2024-03-10T06:59Z'), 'America/New_York'), 'EST');
    assert.equal(zoneAbbreviation(new Date('2024-03-10T07:00Z'), 'America/New_York'), 'EDT');
  });

  it('falls back to a GMT offset where the locale has no abbreviation', () => {
    assert.equal(zoneAbbreviation(new Date('2024-07-18T00:00Z'), 'Asia/Tokyo'), 'GMT+9');
    assert.equal(zoneAbbreviation(new Date('2024-07-18T00:00Z'), 'Asia/Kolkata'), 'GMT+5:30');
  });
});

describe('formatTime', () => {
  const instant = new Date('2024-07-18T13:00:00Z');

  it('shows the wall clock of the zone, not of the machine', () => {
    assert.equal(normalizeSpaces(formatTime(instant, 'America/New_York')), '9:00 AM');
    assert.equal(normalizeSpaces(formatTime(instant, 'Asia/Kolkata')), '6:30 PM');
    assert.equal(normalizeSpaces(formatTime(instant, 'UTC')), '1:00 PM');
  });

  it('honours the locale (24-hour clock in en-GB)', () => {
    assert.equal(formatTime(new Date('2024-07-18T18:30:00Z'), 'America/New_York', 'en-GB'), '14:30');
  });

  it('round-trips with zonedToUtc', () => {
    const start = zonedToUtc('2024-07-18T14:45', 'America/New_York');
    assert.equal(normalizeSpaces(formatTime(start, 'America/New_York')), '2:45 PM');
  });
});

describe('formatDay / formatDayRange / dayOf', () => {
  it('formats a calendar day with its weekday, independent of the machine zone', () => {
    assert.equal(formatDay('2024-07-18'), 'Thursday, July 18, 2024');
    assert.equal(formatDay('2024-02-29'), 'Thursday, February 29, 2024');
    assert.equal(formatDay('2025-01-01'), 'Wednesday, January 1, 2025');
  });

  it('formats one day, a range in one month, across months and across years', () => {
    assert.equal(normalizeSpaces(formatDayRange('2024-07-18', '2024-07-18')), 'July 18, 2024');
    assert.equal(normalizeSpaces(formatDayRange('2024-07-18', '2024-07-19')), 'July 18–19, 2024');
    assert.equal(normalizeSpaces(formatDayRange('2024-07-31', '2024-08-01')), 'July 31–August 1, 2024');
    assert.equal(normalizeSpaces(formatDayRange('2024-12-31', '2025-01-01')), 'December 31, 2024–January 1, 2025');
  });

  it('dayOf takes the date part of a local date-time', () => {
    assert.equal(dayOf('2024-07-18T23:30'), '2024-07-18');
  });
});

describe('aoeToUtc', () => {
  it('treats Anywhere on Earth as UTC−12', () => {
    assert.equal(aoeToUtc('2024-05-10', '23:59').toISOString(), '2024-05-11T11:59:00.000Z');
    assert.equal(aoeToUtc('2024-05-10', '00:00').toISOString(), '2024-05-10T12:00:00.000Z');
  });

  it('crosses month and leap-day boundaries', () => {
    assert.equal(aoeToUtc('2024-02-29', '12:00').toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(aoeToUtc('2024-12-31', '23:59').toISOString(), '2025-01-01T11:59:00.000Z');
  });

  it('is later than the same wall clock in every real zone (UTC−12 is the last to end a day)', () => {
    const deadline = aoeToUtc('2024-05-10', '23:59').getTime();
    for (const zone of ['Pacific/Pago_Pago', 'Pacific/Honolulu', 'America/New_York', 'UTC', 'Pacific/Kiritimati']) {
      assert.ok(zonedToUtc('2024-05-10T23:59', zone).getTime() <= deadline, zone);
    }
  });
});
