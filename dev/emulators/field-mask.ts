/**
 * Google's partial responses (the `fields` parameter of every Google API): `properties(locale,timeZone)`,
 * `sheets.properties.title`, `spreadsheetId,sheets/properties(sheetId,title)`, `*`. A path goes down with `.` or `/`,
 * parentheses select several keys below one, a list selects each element's keys. Keys not selected are left out.
 *
 *   pick({ spreadsheetId: 'a', properties: { title: 'T', locale: 'en_US' } }, 'properties(locale)')
 *   // → { properties: { locale: 'en_US' } }
 */

/** The selected keys, each with what is selected below it (`true`: all of it). */
type Selection = Map<string, Selection | true>;

/** Thrown for a mask that cannot be parsed: Google answers 400 "Invalid field selection …". */
export class FieldMaskError extends Error {}

function merge(into: Selection, path: readonly string[], below: Selection | true): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    const have = into.get(head);
    if (have instanceof Map && below instanceof Map) for (const [key, value] of below) merge(have, [key], value);
    else into.set(head, have === true ? true : below);
    return;
  }
  let child = into.get(head);
  if (child === true) return;
  if (!child) into.set(head, (child = new Map()));
  merge(child, rest, below);
}

/** Parses `mask` into a Selection. */
function parseFieldMask(mask: string): Selection {
  let at = 0;
  const fail = (): never => {
    throw new FieldMaskError(`Invalid field selection ${mask}`);
  };
  function list(): Selection {
    const selection: Selection = new Map();
    for (;;) {
      const name = /^[A-Za-z_*][\w*]*(?:[./][A-Za-z_*][\w*]*)*/.exec(mask.slice(at))?.[0] ?? fail();
      at += name.length;
      let below: Selection | true = true;
      if (mask[at] === '(') {
        at++;
        below = list();
        if (mask[at] !== ')') fail();
        at++;
      }
      merge(selection, name.split(/[./]/), below);
      if (mask[at] !== ',') return selection;
      at++;
    }
  }
  const selection = list();
  if (at !== mask.length) fail();
  return selection;
}

/** `value` with only the selected keys (lists: each element's). */
function apply(value: unknown, selection: Selection | true): unknown {
  if (selection === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => apply(item, selection));
  const all = selection.get('*');
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const below = selection.get(key) ?? all;
    if (below !== undefined) out[key] = apply(item, below);
  }
  return out;
}

/** `body` as Google answers it for `fields=mask`; the whole body without a mask. Throws FieldMaskError. */
export function pick(body: unknown, mask: string | null): unknown {
  return mask === null || mask.trim() === '' ? body : apply(body, parseFieldMask(mask.replace(/\s+/g, '')));
}
