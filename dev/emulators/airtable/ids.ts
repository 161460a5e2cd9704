/** Airtable-style ids (`rec…`, `tbl…`, `att…`, …), random for every record, table, view, field, attachment and cursor. */
import { randomBytes } from 'node:crypto';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An Airtable-style id: a 3-letter prefix and 14 random characters (17 in all). */
export function airtableId(prefix: 'app' | 'tbl' | 'rec' | 'viw' | 'att' | 'fld' | 'itr'): string {
  const bytes = randomBytes(14);
  let id = prefix;
  for (const byte of bytes) id += ID_CHARS[byte % ID_CHARS.length];
  return id;
}
