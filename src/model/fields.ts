/**
 * Field schemas shared by every collection of the content model.
 * Text from spreadsheets is untrusted: links are restricted to http(s) and mailto here,
 * and every text field is escaped when rendered.
 */
import { z } from 'astro/zod';

/** A stable identifier: letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const idField = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'use only letters, digits, "-", "_" or "." and start with a letter or digit (e.g. "mark-najork")',
  );

/** A non-empty single line of text, trimmed. */
export const textField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => !/[\r\n]/.test(s), 'must be a single line');

/** Markdown text. It is rendered without raw HTML and with safe links only (see src/lib/markdown.ts). */
export const markdownField = z.string().trim().min(1, 'must not be empty');

const SAFE_WEB = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const SAFE_MAIL = /^mailto:[^\s@]+@[^\s@]+$/i;

/** True for the only kinds of links the site publishes: http(s) and mailto. */
export function isSafeUrl(value: string): boolean {
  return SAFE_WEB.test(value) || SAFE_MAIL.test(value);
}

/** An absolute http(s) link. */
export const webUrlField = z
  .string()
  .trim()
  .refine((s) => SAFE_WEB.test(s), 'must be an http:// or https:// link (e.g. "https://example.org")');

/** An http(s) or mailto: link. */
export const linkField = z
  .string()
  .trim()
  .refine(isSafeUrl, 'must be an http(s):// or mailto: link (e.g. "mailto:chairs@example.org")');

/** A calendar date, `YYYY-MM-DD`. */
export const dateField = z.iso.date({ error: 'must be a date written as YYYY-MM-DD (e.g. "2024-07-18")' });

/** A wall-clock date and time in the edition's time zone, `YYYY-MM-DDTHH:MM`. */
export const localDateTimeField = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/,
    'must be a local date and time written as YYYY-MM-DDTHH:MM (e.g. "2024-07-18T09:00")',
  )
  // The pattern allows e.g. 2024-02-30 or 2024-04-31, which Date.UTC would silently roll into the next month.
  .refine(
    (s) => !/^\d{4}-\d{2}-\d{2}T/.test(s) || dateField.safeParse(s.slice(0, 10)).success,
    'must be a day that exists in the calendar (e.g. there is no "2024-02-30")',
  );

/** A wall-clock time, `HH:MM` (24 h). */
export const timeField = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written as HH:MM (e.g. "23:59")');

/** True when the running JavaScript engine knows this IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/** An IANA time zone name such as `America/New_York`. */
export const timeZoneField = z
  .string()
  .refine(isTimeZone, 'must be an IANA time zone name such as "America/New_York" or "Europe/Berlin"');
