/**
 * The field types of a table's mapped columns, from the base's schema (the metadata API, token scope
 * `schema.bases:read`): each column's type and the options of it that change how a value is shown (types.ts,
 * FieldType), so that the mapping can show a percent field's `0.5` as `50%`, as Airtable does. Airtable's options
 * read: `precision` (number, percent, currency), `symbol` (currency), `durationFormat` (duration), `timeFormat.name`
 * (dateTime) and `result` (formula, rollup, lookup, created and last modified time: the type of their values).
 */
import { schemaFields, schemaTable } from './airtable-ids.ts';
import type { BaseSchema } from './airtable-links.ts';
import type { ColumnTypes, FieldType, TableSpec } from './types.ts';

type Options = Record<string, unknown>;

const isOptions = (value: unknown): value is Options => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Airtable allows 0–8 digits after the point; a currency symbol is a few characters. */
const MAX_PRECISION = 8;
const MAX_SYMBOL = 12;

/** A field's type and the options of it that matter, from the schema's `{ type, options }`; undefined without a type. */
export function fieldType(field: { type?: unknown; options?: unknown }, nested = false): FieldType | undefined {
  if (typeof field.type !== 'string' || field.type === '') return undefined;
  const type: FieldType = { type: field.type };
  const { precision, symbol, durationFormat, timeFormat, result } = isOptions(field.options) ? field.options : {};
  if (typeof precision === 'number' && Number.isInteger(precision) && precision >= 0 && precision <= MAX_PRECISION) {
    type.precision = precision;
  }
  if (typeof symbol === 'string' && symbol.length <= MAX_SYMBOL) type.symbol = symbol;
  if (typeof durationFormat === 'string') type.durationFormat = durationFormat;
  if (isOptions(timeFormat) && typeof timeFormat['name'] === 'string') type.timeFormat = timeFormat['name'];
  // A result is a field's own `{ type, options }`; Airtable does not nest them further, nor does this.
  const resultType = isOptions(result) && !nested ? fieldType(result, true) : undefined;
  if (resultType) type.result = resultType;
  return type;
}

/**
 * The types of the columns of `spec` that the table `spec.name` (found by name or id, or by `spec.ids`) has, by column
 * name (a field found by its id is keyed by its configured name); undefined when the schema has no such table.
 */
export function columnTypes(schema: BaseSchema, spec: Pick<TableSpec, 'name' | 'columns' | 'ids'>): ColumnTypes | undefined {
  const table = schemaTable(schema, spec);
  if (!table) return undefined;
  const types: Record<string, FieldType> = {};
  for (const [column, field] of schemaFields(table, spec)) {
    const type = fieldType(field);
    if (type) types[column] = type;
  }
  return Object.freeze(types);
}
