/**
 * Field schemas shared by every collection of the content model.
 * Text from spreadsheets is untrusted: links are restricted to http(s) and mailto here,
 * and every text field is escaped when rendered.
 */
import { z } from 'astro/zod';

/** The longest texts the site publishes, in characters: an id, a line (a name, a title), a link, a markdown text. */
export const MAX_LENGTH = { id: 100, line: 1_000, link: 2_048, markdown: 50_000 } as const;

/** "is 1,234 characters long; shorten it to at most 1,000", for a string that is too long. */
const tooLong = (max: number) => ({
  error: (issue: { input?: unknown }) =>
    `is ${typeof issue.input === 'string' ? issue.input.length.toLocaleString('en') : 'too many'} characters long; shorten it to at most ${max.toLocaleString('en')}`,
});

/**
 * Characters no published text may hold: C0 controls except tab, newline and carriage return; DEL; C1 controls;
 * and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make text
 * read differently from what it is ("‮fdp.exe"). Left-to-right and right-to-left marks stay allowed.
 */
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** "holds the invisible control character U+0007 (at character 8); delete it …", or undefined when clean. */
function forbiddenCharacterMessage(text: string): string | undefined {
  const match = FORBIDDEN_CHARACTER.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!;
  const kind = code >= 0x202a ? 'a bidirectional override' : 'an invisible control character';
  return `holds ${kind}, U+${code.toString(16).toUpperCase().padStart(4, '0')} (character ${match.index + 1}); delete it (it usually comes with pasted text)`;
}

/** Refuses text with a forbidden character, saying which and where. */
const plain = (text: string, ctx: z.RefinementCtx) => {
  const message = forbiddenCharacterMessage(text);
  if (message) ctx.addIssue({ code: 'custom', message });
};

/** A stable identifier: letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const idField = z
  .string()
  .max(MAX_LENGTH.id, tooLong(MAX_LENGTH.id))
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use only letters, digits, "-", "_" or "." and start with a letter or digit (e.g. "mark-najork")');

/** A non-empty single line of text, trimmed. */
export const textField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_LENGTH.line, tooLong(MAX_LENGTH.line))
  .refine((s) => !/[\r\n]/.test(s), 'must be a single line')
  .superRefine(plain)
  .refine((s) => s === '' || /[\p{L}\p{N}\p{P}\p{S}]/u.test(s), 'has no visible character; type the text again');

/** Markdown text. It is rendered without raw HTML and with safe links only (see src/lib/markdown.ts). */
export const markdownField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_LENGTH.markdown, tooLong(MAX_LENGTH.markdown))
  .superRefine(plain);

/** An absolute http(s) link: the only web links the site publishes (the sync checks cells with it too). */
export const SAFE_WEB = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const SAFE_MAIL = /^mailto:[^\s@]+@[^\s@]+$/i;

/** True for the only kinds of links the site publishes: http(s) and mailto. */
export function isSafeUrl(value: string): boolean {
  return SAFE_WEB.test(value) || SAFE_MAIL.test(value);
}

/** An absolute http(s) link. */
export const webUrlField = z
  .string()
  .trim()
  .max(MAX_LENGTH.link, tooLong(MAX_LENGTH.link))
  .superRefine(plain)
  .refine((s) => SAFE_WEB.test(s), 'must be an http:// or https:// link (e.g. "https://example.org")');

/**
 * The kinds of files the site serves from its own address (mirrored from the spreadsheets: a PDF attached in
 * Airtable), by extension. Never HTML, SVG, scripts or programs: a file served from the site's address must not be
 * able to run in it. The sync tells a file's type by its content (sync/steps/file-types.ts) and names it after it.
 */
export const FILE_EXTENSIONS = ['pdf', 'pptx', 'key', 'odp', 'png', 'jpg', 'zip'] as const;

/**
 * A file mirrored into the edition's `files/` folder, as a path relative to the edition's JSON:
 * `./files/12-pdf-1a2b3c4d.pdf`. One name inside that folder, never `..`, an absolute path or another folder, and an
 * extension of FILE_EXTENSIONS.
 */
export const editionFileField = z
  .string()
  .max(MAX_LENGTH.id + 40, tooLong(MAX_LENGTH.id + 40))
  .regex(
    new RegExp(`^\\./files/[A-Za-z0-9][A-Za-z0-9_.-]*\\.(${FILE_EXTENSIONS.join('|')})$`),
    `must be a file in the edition's files/ folder, written as "./files/<name>.pdf" (extensions: ${FILE_EXTENSIONS.join(', ')})`,
  )
  .refine((s) => !s.includes('..'), 'must not hold ".." (a file outside the edition\'s files/ folder)');

/** An http(s) or mailto: link. */
export const linkField = z
  .string()
  .trim()
  .max(MAX_LENGTH.link, tooLong(MAX_LENGTH.link))
  .superRefine(plain)
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
export const timeZoneField = z.string().refine(isTimeZone, 'must be an IANA time zone name such as "America/New_York" or "Europe/Berlin"');
