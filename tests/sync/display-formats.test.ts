/** sync/map/display-formats.ts: numbers, durations and date-times as Airtable shows them, from their field's options. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currency, dateTime, dayOf, decimal, duration, percent } from '../../sync/map/display-formats.ts';

test('decimal: exactly the precision, rounded half away from zero, in decimal (not binary)', () => {
  assert.equal(decimal(3.1, 2), '3.10');
  assert.equal(decimal(2.5, 0), '3');
  assert.equal(decimal(-2.5, 0), '-3');
  assert.equal(decimal(2.675, 2), '2.68', '2.675 is 2.67499999… in binary');
  assert.equal(decimal(1.005, 2), '1.01');
  assert.equal(decimal(-0.001, 2), '0.00', 'no "-0.00"');
  assert.equal(decimal(12, 0), '12');
  assert.equal(decimal(1234.5, 1), '1234.5', 'no thousands separator unless asked');
  assert.equal(decimal(1234.5, 1, true), '1,234.5');
  assert.equal(decimal(0.1 + 0.2, undefined), '0.30000000000000004', 'without a precision: as the value is');
});

test('percent: 0.5 is 50 %', () => {
  assert.equal(percent(0.5, 0), '50%');
  assert.equal(percent(0.145, 1), '14.5%', '0.145 × 100 is 14.499999999999998');
  assert.equal(percent(0.1234, 1), '12.3%');
  assert.equal(percent(1.5, 0), '150%');
  assert.equal(percent(-0.05, 0), '-5%');
  assert.equal(percent(0.125, undefined), '12.5%');
});

test('currency: sign, symbol, grouped amount with the precision', () => {
  assert.equal(currency(12.5, '$', 2), '$12.50');
  assert.equal(currency(-1234.5, '€', 0), '-€1,235');
  assert.equal(currency(1234567.891, 'CHF ', 2), 'CHF 1,234,567.89');
  assert.equal(currency(-0.001, '$', 2), '$0.00', 'nothing negative left to show');
  assert.equal(currency(5, undefined, undefined), '5');
});

test('duration: seconds in the field’s format, rounded up to the last unit shown', () => {
  assert.equal(duration(5400, 'h:mm'), '1:30');
  assert.equal(duration(45 * 60, 'h:mm'), '0:45');
  assert.equal(duration(5401, 'h:mm'), '1:31', 'a second more shows the next minute, as Airtable rounds up');
  assert.equal(duration(0.5, 'h:mm'), '0:01');
  assert.equal(duration(30 * 3600, 'h:mm'), '30:00', 'hours go past a day');
  assert.equal(duration(5025, 'h:mm:ss'), '1:23:45');
  assert.equal(duration(225, 'h:mm:ss'), '3:45', 'minutes and seconds under an hour');
  assert.equal(duration(225.6, 'h:mm:ss.S'), '3:45.6');
  assert.equal(duration(1.1, 'h:mm:ss.S'), '0:01.1', '1.1 × 10 is 11.000000000000002, still 11 tenths');
  assert.equal(duration(225.678, 'h:mm:ss.SS'), '3:45.68');
  assert.equal(duration(5025.5, 'h:mm:ss.SSS'), '1:23:45.500');
  assert.equal(duration(-5400, 'h:mm'), '-1:30');
  assert.equal(duration(5400, undefined), '1:30', "no format: h:mm, Airtable's default");
  assert.equal(duration(5400, 'd:hh'), '1:30', 'an unknown format: h:mm');
});

test('dateTime: the day (ISO) and the time on the clocks of the zone, 24 or 12 hours', () => {
  assert.equal(dateTime('2024-07-18T13:00:00.000Z', 'America/New_York', '24hour'), '2024-07-18 09:00');
  assert.equal(dateTime('2024-07-18T13:00:00.000Z', 'America/New_York', undefined), '2024-07-18 09:00');
  assert.equal(dateTime('2024-01-18T13:00:00.000Z', 'America/New_York', undefined), '2024-01-18 08:00', 'standard time in winter');
  assert.equal(dateTime('2024-07-18T02:00:00.000Z', 'America/New_York', undefined), '2024-07-17 22:00', 'the day before');
  assert.equal(dateTime('2024-07-18T15:00+02:00', 'America/New_York', undefined), '2024-07-18 09:00', 'any offset');
  assert.equal(dateTime('2024-07-18T13:00:00.000Z', 'Asia/Kolkata', '24hour'), '2024-07-18 18:30');
  assert.equal(dateTime('2024-07-18T04:05:00Z', 'America/New_York', '12hour'), '2024-07-18 12:05 AM');
  assert.equal(dateTime('2024-07-18T16:00:00Z', 'America/New_York', '12hour'), '2024-07-18 12:00 PM');
  assert.equal(dateTime('2024-07-18T13:00:00.000Z', 'Mars/Olympus', undefined), undefined, 'not a time zone');
  assert.equal(dateTime('2024-07-18', 'America/New_York', undefined), undefined, 'not an instant');
  assert.equal(dateTime('2024-02-30T13:00:00Z', 'America/New_York', undefined), undefined, 'not a day');
});

test('dayOf: the day of an instant on the clocks of the zone', () => {
  assert.equal(dayOf('2024-07-01T02:00:00.000Z', 'America/New_York'), '2024-06-30');
  assert.equal(dayOf('2024-07-01T02:00:00.000Z', 'UTC'), '2024-07-01');
});
