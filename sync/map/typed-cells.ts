/**
 * A cell read with its column's field type, when the source knows it (sources/types.ts, `SourceRow.types`): numbers,
 * durations and date-times become the text Airtable shows for them (display-formats.ts) — a percent `50%`, not
 * `0.5` — and a type the sync does not know leaves the cell out, said once for the column. Every other value goes on
 * as it is, to be read by its shape (parse.ts), as every cell is when the type is not known.
 */
import type { FieldType } from '../sources/types.ts';
import { currency, dateTime, dayOf, decimal, duration, INSTANT, percent } from './display-formats.ts';
import { excerpt, type Parsed } from './parse.ts';

/** What cells are read with besides their row. */
export interface CellContext {
  /** The edition's IANA time zone: date-times are shown on its clocks. Unset: as the source gives them (UTC). */
  timeZone?: string | undefined;
}

/** Airtable's field types (its Web API's field model; `lookup` is an older name), each with an outcome (docs/sync.md). */
const KNOWN_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'richText',
  'email',
  'url',
  'phoneNumber',
  'singleSelect',
  'multipleSelects',
  'externalSyncSource',
  'checkbox',
  'number',
  'percent',
  'currency',
  'rating',
  'duration',
  'autoNumber',
  'count',
  'date',
  'dateTime',
  'createdTime',
  'lastModifiedTime',
  'singleCollaborator',
  'multipleCollaborators',
  'createdBy',
  'lastModifiedBy',
  'multipleRecordLinks',
  'multipleLookupValues',
  'lookup',
  'rollup',
  'formula',
  'multipleAttachments',
  'barcode',
  'button',
  'aiText',
]);

/** The types whose values are of another type, named by their `result`. */
const WITH_RESULT = new Set(['formula', 'rollup', 'multipleLookupValues', 'lookup', 'createdTime', 'lastModifiedTime']);

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0);

/** One value (or every item of a list) as its type shows it; a value of another shape than its type's, unchanged. */
function shown(value: unknown, type: FieldType, context: CellContext): unknown {
  if (Array.isArray(value)) return value.map((item) => shown(item, type, context));
  if (WITH_RESULT.has(type.type) && type.result) return shown(value, type.result, context);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (type.type === 'number') return decimal(value, type.precision);
    if (type.type === 'percent') return percent(value, type.precision);
    if (type.type === 'currency') return currency(value, type.symbol, type.precision);
    if (type.type === 'duration') return duration(value, type.durationFormat);
    return value; // rating, autoNumber, count: their digits
  }
  if (typeof value === 'string' && context.timeZone && INSTANT.test(value.trim())) {
    const instant = value.trim();
    if (type.type === 'date') return dayOf(instant, context.timeZone) ?? value;
    if (['dateTime', 'createdTime', 'lastModifiedTime'].includes(type.type)) {
      return dateTime(instant, context.timeZone, type.timeFormat) ?? value;
    }
  }
  return value;
}

/**
 * The cell `value` of a column of type `type`: as its type shows it (`display`), or as stored (for a number read as a
 * number, an id, an attachment). A type the sync does not know leaves a non-empty cell out, with a warning naming the
 * type, said once for the column.
 */
export function typedCell(value: unknown, type: FieldType, context: CellContext = {}, display = true): Parsed<unknown> {
  if (isBlank(value)) return { ok: true, value };
  if (!KNOWN_TYPES.has(type.type)) {
    const message = `is a field of type "${excerpt(type.type, 40)}", which the sync does not know, so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).`;
    return { ok: true, value: undefined, warnings: [{ message, oncePerColumn: true }] };
  }
  return { ok: true, value: display ? shown(value, type, context) : value };
}
