/**
 * sync/map/dates.ts: dates and times as sheets show them in their locale, as serial numbers (days since 1899-12-30),
 * and as instants with an offset (Airtable's date-times) read on the clocks of the edition's zone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dateExample, localeWritesDayFirst, parseDate, parseTime } from '../../sync/map/dates.ts';
import type { Parsed } from '../../sync/map/parse.ts';

function value<T>(parsed: Parsed<T>): T {
  assert.ok(parsed.ok, `expected success, got ${JSON.stringify(parsed)}`);
  return parsed.value;
}

function message<T>(parsed: Parsed<T>): string {
  assert.ok(!parsed.ok, `expected failure, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('the order of day and month, from the sheet’s locale', () => {
  it('knows which locales write the day first, as Google names them', () => {
    for (const locale of ['en_GB', 'de_DE', 'fr_FR', 'es_ES', 'it_IT', 'nl_NL', 'pt_BR', 'ru_RU', 'en_AU', 'en_IN']) {
      assert.equal(localeWritesDayFirst(locale), true, locale);
    }
    for (const locale of ['en_US', 'en', 'fil', 'ja_JP', 'zh_CN', 'ko_KR', 'en_CA'])
      assert.equal(localeWritesDayFirst(locale), false, locale);
    for (const locale of [undefined, '', 'xx_YY', 'not a locale!']) assert.equal(localeWritesDayFirst(locale), undefined, String(locale));
  });

  it('reads dates as each locale shows them', () => {
    const shown: [string, string][] = [
      ['en_US', '7/18/2024'],
      ['en_GB', '18/07/2024'],
      ['fr_FR', '18/07/2024'],
      ['de_DE', '18.07.2024'],
      ['nl_NL', '18-7-2024'],
      ['ja_JP', '2024/07/18'],
      ['ko_KR', '2024. 7. 18'],
      ['en_CA', '2024-07-18'],
    ];
    for (const [locale, text] of shown) assert.equal(value(parseDate(text, { locale })), '2024-07-18', `${locale}: ${text}`);
    assert.equal(value(parseDate('07/08/2024', { locale: 'en_GB' })), '2024-08-07');
    assert.equal(value(parseDate('07/08/2024', { locale: 'en_US' })), '2024-07-08');
    assert.equal(value(parseDate('07/08/2024', { locale: 'xx_YY' })), '2024-07-08', 'an unknown locale: month first');
  });

  it('an explicit dayFirst wins over the locale; dotted dates are always day first', () => {
    assert.equal(value(parseDate('07/08/2024', { locale: 'en_GB', dayFirst: false })), '2024-07-08');
    assert.equal(value(parseDate('07/08/2024', { locale: 'en_US', dayFirst: true })), '2024-08-07');
    assert.equal(value(parseDate('07.08.2024', { locale: 'en_US' })), '2024-08-07');
    assert.equal(dateExample({ locale: 'de_DE' }), '18/07/2024');
    assert.equal(dateExample({ locale: 'de_DE', dayFirst: false }), '7/18/2024');
  });

  it('says where the order came from when a date has no such month', () => {
    assert.equal(
      message(parseDate('7/18/2024', { locale: 'en_GB' })),
      '"7/18/2024" has no month 18 (the sheet\'s locale, en_GB, writes dates day first, as in 18/07/2024); write it as 2024-07-18 or 18/07/2024.',
    );
    assert.equal(
      message(parseDate('18/07/2024', { locale: 'en_GB', dayFirst: false })),
      '"18/07/2024" has no month 18 (dates are read month first, as in 7/18/2024, as template.schedule.dayFirst in workshop.config.ts says); write it as 2024-07-18 or 7/18/2024.',
    );
    assert.equal(
      message(parseDate('07.18.2024')),
      '"07.18.2024" has no month 18 (dates with dots are read day first, as in 18.07.2024); write it as 2024-07-18 or 7/18/2024.',
    );
  });

  it('reads the time after a date, and times as each locale shows them', () => {
    assert.equal(value(parseDate('18/07/2024 09:00:00', { locale: 'en_GB' })), '2024-07-18');
    assert.equal(value(parseTime('18/07/2024 09:00:00', { locale: 'en_GB' })), '09:00');
    assert.equal(value(parseTime('7/18/2024 2:45:00 PM')), '14:45');
    assert.equal(value(parseTime('7/18/2024, 2:45 PM')), '14:45');
    assert.equal(value(parseTime('18.07.2024 14:45:00', { locale: 'de_DE' })), '14:45');
    assert.equal(value(parseTime('2024-07-18T14:45')), '14:45');
    assert.equal(value(parseTime('14.45.00', { locale: 'fi_FI' })), '14:45', 'Finnish sheets write 14.45.00');
    assert.equal(message(parseTime('14.45', { locale: 'en_US' })), '"14.45" is not a time; write it as 9:00 AM or 09:00.');
    assert.equal(message(parseTime('7/18/2024')), '"7/18/2024" is a day (2024-07-18) without a time; write it as 9:00 AM or 09:00.');
  });
});

describe('serial numbers (a date or time formatted as a plain number)', () => {
  it('counts days from 1899-12-30', () => {
    assert.equal(value(parseDate('45491')), '2024-07-18');
    assert.equal(value(parseDate('25569')), '1970-01-01');
    assert.equal(value(parseDate('36526')), '2000-01-01');
    assert.equal(value(parseDate('45351')), '2024-02-29');
    assert.equal(value(parseDate('45,491')), '2024-07-18', 'with a digit-group separator (en_US)');
    assert.equal(value(parseDate('45.491', { locale: 'de_DE' })), '2024-07-18', 'with a digit-group separator (de_DE)');
  });

  it('reads a fraction of a day as a time, rounded to the second, and a date-time as both', () => {
    assert.equal(value(parseTime('0.375')), '09:00');
    assert.equal(value(parseTime('0')), '00:00');
    assert.equal(value(parseTime('0.5')), '12:00');
    assert.equal(value(parseTime('0.3784722222')), '09:05', 'not 09:04: 9:05 is 0.378472222…');
    assert.equal(value(parseTime('0.9999999')), '23:59');
    assert.equal(value(parseTime('45491.375')), '09:00');
    assert.equal(value(parseDate('45491.375')), '2024-07-18');
    assert.equal(value(parseTime('45491,6041666667', { locale: 'fr_FR' })), '14:30');
    assert.equal(value(parseDate('45491,6041666667', { locale: 'fr_FR' })), '2024-07-18');
  });

  it('reads the locale’s decimal mark only', () => {
    assert.equal(message(parseTime('0,375')), '"0,375" is not a time; write it as 9:00 AM or 09:00.');
    assert.equal(value(parseTime('0,375', { locale: 'de_DE' })), '09:00');
  });

  it('refuses small numbers as dates (more likely a typo than a day of the 1920s) and a time as a date', () => {
    assert.equal(message(parseDate('18')), '"18" is not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.equal(message(parseDate('9999')), '"9999" is not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.equal(value(parseDate('10000')), '1927-05-18');
    assert.equal(value(parseDate('2958465')), '9999-12-31');
    assert.equal(message(parseDate('2958466')), '"2958466" is not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.equal(message(parseDate('0.375')), '"0.375" is a time of day (09:00), not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.equal(message(parseTime('45491')), '"45491" is a day (2024-07-18) without a time; write it as 9:00 AM or 09:00.');
    assert.equal(message(parseTime('9')), '"9" is not a time; write it as 9:00 AM or 09:00.');
  });
});

describe('instants with an offset (Airtable date-times), on the clocks of the edition’s zone', () => {
  const newYork = { timeZone: 'America/New_York' };

  it('moves UTC and other offsets to the zone', () => {
    assert.equal(value(parseTime('2024-07-18T16:00:00.000Z', newYork)), '12:00');
    assert.equal(value(parseTime('2024-01-18T16:00:00.000Z', newYork)), '11:00', 'standard time in January');
    assert.equal(value(parseTime('2024-07-18T16:00:00+02:00', newYork)), '10:00');
    assert.equal(value(parseTime('2024-07-18T16:00:59.999Z', newYork)), '12:00', 'seconds are dropped');
    assert.equal(value(parseDate('2024-07-18T02:00:00.000Z', newYork)), '2024-07-17');
    assert.equal(value(parseDate('2024-07-18T02:00:00.000Z', { timeZone: 'Asia/Tokyo' })), '2024-07-18');
  });

  it('refuses a day that does not exist, and a zone that is not one', () => {
    assert.equal(
      message(parseDate('2024-02-30T10:00:00.000Z', newYork)),
      '"2024-02-30T10:00:00.000Z" is not a date and time that exists; check the day, the month and the time.',
    );
    assert.equal(
      message(parseTime('2024-07-18T16:00:00.000Z', { timeZone: 'Mars/Olympus' })),
      'the edition\'s time zone, "Mars/Olympus", is not a time zone; set timeZone in edition.json to an IANA name such as "America/New_York".',
    );
  });
});
