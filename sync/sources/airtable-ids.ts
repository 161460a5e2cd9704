/**
 * Airtable by ids: a table configured with its id (`tbl…`) and its columns' field ids (`fld…`, written by
 * `npm run doctor -- --write`) is asked for by those ids, so that renaming a table or a column in Airtable does not
 * break the sync. The cells then come back keyed by field id (`returnFieldsByFieldId`) and are renamed to the
 * configured column names, so that everything after the request (the mapping, messages, field types, links) sees the
 * names of `TableSpec.columns`, as without ids. The base's schema gives each field's current name: for a formula
 * (which names fields, never ids) and for the one warning that says what was renamed.
 */
import type { BaseSchema } from './airtable-links.ts';
import type { SourceRow, TableSpec } from './types.ts';

type SchemaTable = BaseSchema['tables'][number];
type SchemaField = SchemaTable['fields'][number];

/** The table of `spec` in the base's schema: by its id when it has one, else by its name (or an id given as name). */
export function schemaTable(schema: BaseSchema, spec: Pick<TableSpec, 'name' | 'ids'>): SchemaTable | undefined {
  const id = spec.ids?.table;
  return (id && schema.tables.find((t) => t.id === id)) || schema.tables.find((t) => t.name === spec.name || t.id === spec.name);
}

/** The field of each column of `spec` that the table has, by column name: by its field id when it has one, else by name. */
export function schemaFields(table: SchemaTable, spec: Pick<TableSpec, 'columns' | 'ids'>): Map<string, SchemaField> {
  const ids = spec.ids?.columns ?? {};
  return new Map(
    spec.columns.flatMap((column) => {
      const id = ids[column];
      const field = id === undefined ? table.fields.find((f) => f.name === column) : table.fields.find((f) => f.id === id);
      return field ? [[column, field] as const] : [];
    }),
  );
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;

/**
 * The one warning for a table read by ids whose name, or a column's, is no longer the configured one, e.g.
 * `column "Title" is now called "Paper Title"; the sync follows it by its id. Run …`; undefined when none was renamed.
 */
export function renamedWarning(table: SchemaTable, spec: Pick<TableSpec, 'name' | 'columns' | 'ids'>): string | undefined {
  const renamed: string[] = [];
  if (spec.ids?.table === table.id && table.name !== spec.name) renamed.push(`the table is now called "${table.name}"`);
  const ids = spec.ids?.columns ?? {};
  for (const [column, field] of schemaFields(table, spec)) {
    if (ids[column] === field.id && field.name !== column) renamed.push(`column "${column}" is now called "${field.name}"`);
  }
  if (renamed.length === 0) return undefined;
  const them = renamed.length === 1 ? 'it by its id' : 'them by their ids';
  return `${listed(renamed)}; the sync follows ${them}. Run npm run doctor -- --write to update workshop.config.ts.`;
}

/** How the columns of one request are asked for (`fields[]`) and come back: by field id, or by name. */
export interface FieldKeys {
  /** What `fields[]` names: each column's field id when known, else its name (the API takes both, mixed). */
  fields: string[];
  /** Ask for the cells keyed by field id (`returnFieldsByFieldId`): when every column has an id. */
  byId: boolean;
  /** The column of each key the cells come back under. */
  columns: ReadonlyMap<string, string>;
}

/**
 * The keys of the columns `asked`, with `ids` (column → field id) and, for a request keyed by name, the current name
 * of a field (from the schema; unknown: the configured name is assumed).
 */
export function fieldKeys(
  asked: Iterable<string>,
  ids: Readonly<Record<string, string>>,
  currentName: (fieldId: string) => string | undefined,
): FieldKeys {
  const columns = [...asked];
  const byId = columns.length > 0 && columns.every((column) => ids[column] !== undefined);
  const keyOf = (column: string): string => {
    const id = ids[column];
    if (id === undefined) return column;
    return byId ? id : (currentName(id) ?? column);
  };
  return {
    fields: columns.map((column) => ids[column] ?? column),
    byId,
    columns: new Map(columns.map((column) => [keyOf(column), column])),
  };
}

/** Renames the cells of `rows` from the keys they came back under to their columns; cells of no column are dropped. */
export function renameCells(rows: readonly SourceRow[], keys: FieldKeys): void {
  for (const row of rows) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.fields)) {
      const column = keys.columns.get(key);
      if (column !== undefined) fields[column] = value;
    }
    row.fields = fields;
  }
}
