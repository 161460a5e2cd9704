/**
 * Dates and times as spreadsheets give them: typed or shown in the sheet's locale (`7/18/2024`, `18/07/2024`,
 * `18.07.2024`, `2024/07/18`, `9:00 AM`, `09:00`), with a time after the date (`18/07/2024 09:00:00`), as serial
 * numbers (a date or time formatted as a plain number: days since 1899-12-30, a time as a fraction of a day), or as
 * an instant with its offset (Airtable's date-times, `2024-07-18T13:00:00.000Z`), read as the wall-clock date and
 * time in the edition's time zone. Each parser returns a value or a message saying how to write it.
 */
import { zoneOffsetMs } from '../../src/lib/time.ts';
import { excerpt, type Parsed } from './parse.ts';

/** How a table's dates are read. */
export interface DateReading {
  /** Read `18/07/2024` day first (true) or `7/18/2024` month first (false). Unset: from `locale`, else month first. */
  dayFirst?: boolean | undefined;
  /** The sheet's locale as Google gives it (`en_US`, `en_GB`, `de_DE`, `fil`): the order of day and month, and the decimal mark of serial numbers. */
  locale?: string | undefined;
  /** The edition's IANA time zone: an instant with an offset (`…Z`) is read as the date and time on its clocks. */
  timeZone?: string | undefined;
}

/** What a table's dates are read with besides the template: the sheet's locale and the edition's time zone. */
export type DateContext = Pick<DateReading, 'locale' | 'timeZone'>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** `en_GB` → `en-GB`, if the JavaScript engine knows the locale; else undefined. */
function languageTag(locale: string | undefined): string | undefined {
  const tag = locale?.trim().replace(/_/g, '-');
  if (!tag) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0 ? tag : undefined;
  } catch {
    return undefined; // not a well-formed language tag
  }
}

function isRealDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const SAMPLE = new Date(Date.UTC(2024, 6, 18, 9, 5));

/** The order of the locale's short dates: true when the day comes before the month (en_GB, de_DE, fr_FR…). */
export function localeWritesDayFirst(locale: string | undefined): boolean | undefined {
  const tag = languageTag(locale);
  if (!tag) return undefined;
  const parts = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC' }).formatToParts(SAMPLE);
  const at = (type: Intl.DateTimeFormatPartTypes) => parts.findIndex((p) => p.type === type);
  return at('day') < at('month');
}

/** The order dates are read in, and why (said in messages). */
interface Order {
  dayFirst: boolean;
  /** Said in messages: template.schedule.dayFirst, the sheet's locale, neither (month first), or a dotted date. */
  why: 'set' | 'locale' | 'default' | 'dots';
}

function orderOf(reading: DateReading): Order {
  if (reading.dayFirst !== undefined) return { dayFirst: reading.dayFirst, why: 'set' };
  const fromLocale = localeWritesDayFirst(reading.locale);
  return fromLocale === undefined ? { dayFirst: false, why: 'default' } : { dayFirst: fromLocale, why: 'locale' };
}

/** `18/07/2024` or `7/18/2024`: a date written the way this table's dates are read. */
export function dateExample(reading: DateReading = {}): string {
  return orderOf(reading).dayFirst ? '18/07/2024' : '7/18/2024';
}

/** Why `text` was read with its month where the day is: the order, where it comes from, and how to change it. */
function orderNote(order: Order, reading: DateReading): string {
  if (order.why === 'dots') return ' (dates with dots are read day first, as in 18.07.2024)';
  const how = order.dayFirst ? 'day first, as in 18/07/2024' : 'month first, as in 7/18/2024';
  if (order.why === 'set') return ` (dates are read ${how}, as template.schedule.dayFirst in workshop.config.ts says)`;
  if (order.why === 'locale') return ` (the sheet's locale, ${excerpt(reading.locale ?? '', 20)}, writes dates ${how})`;
  return ` (dates are read ${how}; set template.schedule.dayFirst to true in workshop.config.ts to read 18/07/2024 day first)`;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a locale's numbers and times look like: asked of Intl once per locale. */
interface LocaleMarks {
  /** The serial numbers of the locale: `45491.375` in en_US, `45.491,375` in de_DE. */
  serial: RegExp;
  /** A 24-hour time: `09:00`, `09:00:00`; also `09.00` where the locale writes that (fi_FI, da_DK). */
  time24: RegExp;
}

const marksByLocale = new Map<string, LocaleMarks>();

function marksOf(locale: string | undefined): LocaleMarks {
  const tag = languageTag(locale) ?? 'en-US';
  let marks = marksByLocale.get(tag);
  if (marks) return marks;
  const number = new Intl.NumberFormat(tag).formatToParts(12345.5);
  const decimal = number.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = number.find((p) => p.type === 'group')?.value ?? ',';
  const groupMark = /^\s$/u.test(group) ? '[\\s\\u00a0\\u202f]' : escapeRegExp(group);
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).formatToParts(
    SAMPLE,
  );
  const dotted = time.some((p, i) => p.type === 'literal' && time[i - 1]?.type === 'hour' && p.value === '.');
  const separator = dotted ? '[:.]' : ':';
  marks = {
    serial: new RegExp(`^(\\d+|\\d{1,3}(?:${groupMark}\\d{3})+)(?:${escapeRegExp(decimal)}(\\d+))?$`, 'u'),
    time24: new RegExp(`^(\\d{1,2})${separator}(\\d{2})(?:${separator}(\\d{2})(?:\\.\\d+)?)?$`),
  };
  marksByLocale.set(tag, marks);
  return marks;
}

/**
 * Serial numbers from 10000 (1927-05-18) to 2958465 (9999-12-31) are dates: a smaller whole number is more likely a
 * typo than a day of the 1900s. Below 1, a serial number is a time of day.
 */
const FIRST_SERIAL_DAY = 10_000;
const LAST_SERIAL_DAY = 2_958_465;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_SECONDS = 86_400;

/** `45491`, `45491.375`, `0,375`, `45.491,375` (de_DE) as a number, or undefined when the text is not one. */
function serialNumber(text: string, locale: string | undefined): number | undefined {
  const match = marksOf(locale).serial.exec(text);
  if (!match) return undefined;
  return Number(`${match[1]!.replace(/\D/g, '')}.${match[2] ?? '0'}`);
}

/** A date and/or wall-clock time read from a cell: `YYYY-MM-DD` and `HH:MM`. */
interface Moment {
  date?: string;
  time?: string;
}

/** A serial number as a date (whole days), a time (below 1) or both; undefined when it is neither. */
function fromSerial(serial: number): Moment | undefined {
  if (serial < 1) {
    const seconds = Math.min(Math.round(serial * DAY_SECONDS), DAY_SECONDS - 1);
    return { time: `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}` };
  }
  if (serial < FIRST_SERIAL_DAY || serial >= LAST_SERIAL_DAY + 1) return undefined;
  // Rounded to the second first, so that 0.3784722… is 9:05, not 9:04:59.99.
  const wall = new Date(SERIAL_EPOCH_MS + Math.round(serial * DAY_SECONDS) * 1000).toISOString();
  return Number.isInteger(serial) ? { date: wall.slice(0, 10) } : { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** An ISO instant with its offset: `2024-07-18T13:00:00.000Z`, `2024-07-18T15:00+02:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An instant as the date and time on the clocks of `timeZone`; a message when there is no zone to read it in. */
function fromInstant(text: string, timeZone: string | undefined): Moment | string {
  const instant = Date.parse(text);
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (Number.isNaN(instant) || !isRealDay(year, month, day))
    return `"${excerpt(text)}" is not a date and time that exists; check the day, the month and the time.`;
  if (!timeZone) {
    return `"${excerpt(text)}" is a date and time with its offset from UTC; the sync needs the edition's time zone to read it: set timeZone in the edition's edition.json (e.g. "America/New_York").`;
  }
  let offset: number;
  try {
    offset = zoneOffsetMs(instant, timeZone);
  } catch {
    return `the edition's time zone, "${excerpt(timeZone, 60)}", is not a time zone; set timeZone in edition.json to an IANA name such as "America/New_York".`;
  }
  const wall = new Date(instant + offset).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** A time of day: `9:00 AM`, `9:00am`, `9 AM`, `3:15 p.m.`, `09:00`, `9:00:00 AM`, `09.00.00` (locales writing `.`). */
function readTimeText(text: string, locale: string | undefined): string | undefined {
  const twelve = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/i.exec(text);
  if (twelve) {
    const [hour, minute, second] = [Number(twelve[1]), Number(twelve[2] ?? '0'), Number(twelve[3] ?? '0')];
    if (hour < 1 || hour > 12 || minute > 59 || second > 59) return undefined;
    const pm = twelve[4]!.toLowerCase() === 'p';
    return `${pad((hour % 12) + (pm ? 12 : 0))}:${pad(minute)}`;
  }
  const day = marksOf(locale).time24.exec(text);
  if (!day) return undefined;
  const [hour, minute, second] = [Number(day[1]), Number(day[2]), Number(day[3] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return `${pad(hour)}:${pad(minute)}`;
}

/** `2024-07-18`, `2024/07/18`, `2024. 07. 18.` (year first), then what follows the date. */
const YEAR_FIRST = /^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?(?=$|[\sT,])(.*)$/;
/** `7/18/2024`, `18/07/2024`, `18-7-2024` (nl_NL), `18.07.2024`, then what follows the date. */
const YEAR_LAST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?=$|[\sT,])(.*)$/;

type Read = { moment: Moment } | { message: string } | undefined;

/** A date written as text, with a time after it or not; undefined when the text does not start with a date. */
function readDateText(text: string, reading: DateReading): Read {
  let year: number;
  let month: number;
  let day: number;
  let rest: string;
  let order: Order | undefined;
  const yearFirst = YEAR_FIRST.exec(text);
  const yearLast = yearFirst ? null : YEAR_LAST.exec(text);
  if (yearFirst) {
    [year, month, day, rest] = [Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4]), yearFirst[5]!];
  } else if (yearLast) {
    const [a, b] = [Number(yearLast[1]), Number(yearLast[3])];
    // No locale writes month.day.year: dotted dates are day first.
    order = yearLast[2] === '.' ? { dayFirst: true, why: 'dots' } : orderOf(reading);
    [year, rest] = [Number(yearLast[4]), yearLast[5]!];
    [month, day] = order.dayFirst ? [b, a] : [a, b];
  } else {
    return undefined;
  }
  const example = dateExample(reading);
  if (month < 1 || month > 12) {
    const note = order ? orderNote(order, reading) : '';
    return { message: `"${excerpt(text)}" has no month ${month}${note}; write it as 2024-07-18 or ${example}.` };
  }
  if (!isRealDay(year, month, day)) return { message: `"${excerpt(text)}" is not a day in the calendar; check the day and the month.` };
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const timeText = rest.replace(/^\s*[T,]?\s*/, '');
  if (timeText === '') return { moment: { date } };
  const time = readTimeText(timeText, reading.locale);
  return time === undefined ? undefined : { moment: { date, time } };
}

/** A cell as a date, a time, or both, in any of the forms this file reads. */
function readMoment(input: string, reading: DateReading): Read {
  const text = input.trim();
  if (INSTANT.test(text)) {
    const read = fromInstant(text, reading.timeZone);
    return typeof read === 'string' ? { message: read } : { moment: read };
  }
  const serial = serialNumber(text, reading.locale);
  if (serial !== undefined) {
    const moment = fromSerial(serial);
    return moment ? { moment } : undefined;
  }
  const time = readTimeText(text, reading.locale);
  if (time !== undefined) return { moment: { time } };
  return readDateText(text, reading);
}

/**
 * A calendar date, as `YYYY-MM-DD`: `2024-07-18`, `7/18/2024` or `18/07/2024` (see DateReading), `18.07.2024`,
 * `2024/07/18`, a serial number (`45491`), or a date with a time (whose time is not used; an instant with its
 * offset is first moved to the edition's time zone, so `2024-07-18T02:00:00Z` is 2024-07-17 in New York). Rejects
 * days that do not exist (e.g. 2/30/2024).
 */
export function parseDate(input: string, reading: DateReading = {}): Parsed<string> {
  const read = readMoment(input, reading);
  if (read && 'message' in read) return { ok: false, message: read.message };
  if (read?.moment.date) return { ok: true, value: read.moment.date };
  const what = read?.moment.time ? `is a time of day (${read.moment.time}), not a date` : 'is not a date';
  return { ok: false, message: `"${excerpt(input.trim())}" ${what}; write it as 2024-07-18 or ${dateExample(reading)}.` };
}

/**
 * A wall-clock time, as `HH:MM` (24 h): `9:00 AM`, `9:00am`, `9 AM`, `09:00`, `9:00:00 AM` (`12:00 PM` is noon and
 * `12:00 AM` midnight), a serial number (`0.375` is 9:00), or a date with a time (whose date is not used; an instant
 * with its offset is first moved to the edition's time zone). Seconds are dropped.
 */
export function parseTime(input: string, reading: DateReading = {}): Parsed<string> {
  const read = readMoment(input, reading);
  if (read && 'message' in read) return { ok: false, message: read.message };
  if (read?.moment.time) return { ok: true, value: read.moment.time };
  const what = read?.moment.date ? `is a day (${read.moment.date}) without a time` : 'is not a time';
  return { ok: false, message: `"${excerpt(input.trim())}" ${what}; write it as 9:00 AM or 09:00.` };
}

/** `15:00` → `3:00 PM`, for messages that quote times the way the sheet shows them. */
export function formatTime12(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return `${h % 12 === 0 ? 12 : h % 12}:${pad(m)} ${h < 12 ? 'AM' : 'PM'}`;
}
