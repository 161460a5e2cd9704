/**
 * Numbers, durations and date-times as Airtable shows them, from their field's options (sources/types.ts, FieldType):
 * `0.5` in a percent field of precision 0 is `50%`, `12.5` in a dollar field `$12.50`, `5400` seconds in an h:mm
 * duration field `1:30`, `2024-07-18T13:00:00.000Z` on New York's clocks `2024-07-18 09:00`. Pure functions;
 * typed-cells.ts picks one by the field's type.
 */
import { zoneOffsetMs } from '../../src/lib/time.ts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `value` × 10^`digits`, exact in decimal (0.145 → 14.5, where 0.145 × 100 is 14.499999999999998). */
function shift(value: number, digits: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + digits}`);
}

/**
 * `value` with exactly `digits` digits after the point, rounded half away from zero (3.1 with 2 → `3.10`, 2.675 with
 * 2 → `2.68`); `digits` unset: as many as the value has. `grouping`: thousands separated by commas (`1,234.5`).
 */
export function decimal(value: number, digits: number | undefined, grouping = false): string {
  if (digits === undefined) {
    return grouping ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 }).format(value) : String(value);
  }
  const rounded = shift(Math.round(shift(Math.abs(value), digits)), -digits);
  const signed = value < 0 && rounded !== 0 ? -rounded : rounded;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: grouping }).format(
    signed,
  );
}

/** A percent field's value (0.5 is 50 %) as `50%`, with `digits` after the point. */
export function percent(value: number, digits: number | undefined): string {
  return `${decimal(shift(value, 2), digits)}%`;
}

/** A currency field's value as `$1,234.50`: the sign, the symbol, the amount with `digits` after the point. */
export function currency(value: number, symbol: string | undefined, digits: number | undefined): string {
  const amount = decimal(Math.abs(value), digits, true);
  const sign = value < 0 && /[1-9]/.test(amount) ? '-' : '';
  return `${sign}${symbol ?? ''}${amount}`;
}

/** Airtable's duration formats: `h:mm`, `h:mm:ss`, and `h:mm:ss` with tenths, hundredths or thousandths (`.S`…). */
const DURATION_FORMAT = /^h:mm(:ss(?:\.(S{1,3}))?)?$/;

/**
 * A duration field's value (seconds) in its format, rounded up to the last unit shown, as Airtable rounds: `h:mm`
 * `1:30`, `h:mm:ss` `1:30:00` (`3:45` under an hour), `h:mm:ss.S` `1:30:00.0`. An unknown format is read as `h:mm`,
 * Airtable's default.
 */
export function duration(seconds: number, format: string | undefined): string {
  const match = DURATION_FORMAT.exec(format ?? '') ?? DURATION_FORMAT.exec('h:mm')!;
  const withSeconds = match[1] !== undefined;
  const decimals = match[2]?.length ?? 0;
  // Ticks of the last unit shown: minutes, or seconds / 10^decimals; rounded first, so that 1.1 s is 11 tenths, not 12.
  const perSecond = withSeconds ? 10 ** decimals : 1 / 60;
  const ticks = Math.ceil(Number((Math.abs(seconds) * perSecond).toFixed(6)));
  const sign = seconds < 0 && ticks > 0 ? '-' : '';
  if (!withSeconds) return `${sign}${Math.floor(ticks / 60)}:${pad(ticks % 60)}`;
  const whole = Math.floor(ticks / 10 ** decimals);
  const fraction = decimals > 0 ? `.${pad(ticks % 10 ** decimals, decimals)}` : '';
  const [hours, minutes, secs] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const clock = hours > 0 ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${minutes}:${pad(secs)}`;
  return `${sign}${clock}${fraction}`;
}

/** An instant with its offset from UTC, as Airtable gives date-times: `2024-07-18T13:00:00.000Z`. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Whether `YYYY-MM-DD…` starts with a day of the calendar (Date.parse takes 2024-02-30 for March 1). */
function isRealDay(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date and time of `instant` on the clocks of `timeZone`, as `YYYY-MM-DDTHH:MM`; undefined if either is not one. */
function wallClock(instant: string, timeZone: string): string | undefined {
  const ms = Date.parse(instant);
  if (!INSTANT.test(instant) || Number.isNaN(ms) || !isRealDay(instant)) return undefined;
  try {
    return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 16);
  } catch {
    return undefined; // not a time zone
  }
}

/**
 * A date-time as `2024-07-18 09:00` on the clocks of `timeZone` (the edition's), the day written as ISO; with
 * `timeFormat` `12hour`, `2024-07-18 9:00 AM`. Undefined when `instant` is not an instant or `timeZone` not a zone.
 */
export function dateTime(instant: string, timeZone: string, timeFormat: string | undefined): string | undefined {
  const wall = wallClock(instant, timeZone);
  if (wall === undefined) return undefined;
  const [day, time] = wall.split('T') as [string, string];
  if (timeFormat !== '12hour') return `${day} ${time}`;
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return `${day} ${hour % 12 === 0 ? 12 : hour % 12}:${pad(minute)} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** The day of `instant` on the clocks of `timeZone`, as `2024-07-18`; undefined as for `dateTime`. */
export function dayOf(instant: string, timeZone: string): string | undefined {
  return wallClock(instant, timeZone)?.slice(0, 10);
}
