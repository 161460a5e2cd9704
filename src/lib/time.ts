/**
 * Time zones without a library: wall-clock times of the edition's zone to UTC instants (DST-safe),
 * and formatting with the zone's abbreviation. Uses only Intl, so it runs the same at build time and in tests.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in milliseconds (e.g. −4 h for New York in July). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts['year']!, parts['month']! - 1, parts['day'], parts['hour'], parts['minute'], parts['second']);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** Parses `YYYY-MM-DDTHH:MM` (or `YYYY-MM-DD`) as if it were UTC; returns milliseconds. */
function wallClockMs(local: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!match) throw new RangeError(`"${local}" is not a local date-time written as YYYY-MM-DDTHH:MM`);
  const [, y, mo, d, h = '0', mi = '0'] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

/**
 * The UTC instant of a wall-clock time in a zone. In the hour skipped when clocks go forward the time is
 * moved forward by the gap (02:30 → 03:30); in the hour repeated when clocks go back the first one is taken.
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  const wall = wallClockMs(local);
  const day = 24 * 3600_000;
  // A zone changes its offset at most once a day: the offsets a day before and after cover both sides.
  const before = zoneOffsetMs(wall - day, timeZone);
  const offsets = new Set([before, zoneOffsetMs(wall, timeZone), zoneOffsetMs(wall + day, timeZone)]);
  const matches = [...offsets].map((offset) => wall - offset).filter((instant) => instant + zoneOffsetMs(instant, timeZone) === wall);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(wall - before);
}

/** One formatter per locale, zone and kind: making an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'time' | 'zone', locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${locale} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format =
      kind === 'time'
        ? new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' })
        : new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    formatters.set(key, format);
  }
  return format;
}

/** "9:00 AM" in the zone. */
export function formatTime(instant: Date, timeZone: string, locale = 'en-US'): string {
  return formatter('time', locale, timeZone).format(instant);
}

/** The zone's short name at that instant: "EDT" for New York in July, "EST" in January, "GMT+9" where none exists. */
export function zoneAbbreviation(instant: Date, timeZone: string, locale = 'en-US'): string {
  const part = formatter('zone', locale, timeZone)
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "Thursday, July 18, 2024" for `2024-07-18` (a calendar day, no zone involved). */
export function formatDay(date: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(new Date(wallClockMs(date)));
}

/** "July 18, 2024" or "July 18–19, 2024" for a range of calendar days. */
export function formatDayRange(start: string, end: string, locale = 'en-US'): string {
  const format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
  return format.formatRange(new Date(wallClockMs(start)), new Date(wallClockMs(end)));
}

/** Anywhere on Earth is UTC−12: a deadline at `time` AoE on `date` is this instant. */
export function aoeToUtc(date: string, time: string): Date {
  return new Date(wallClockMs(`${date}T${time}`) + 12 * 3600_000);
}

/** The calendar day (`YYYY-MM-DD`) of a local date-time. */
export function dayOf(local: string): string {
  return local.slice(0, 10);
}
