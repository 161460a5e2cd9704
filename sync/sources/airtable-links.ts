/**
 * Linked records as names. A link cell (`multipleRecordLinks`) holds record ids — `rec327G1xr2i2FAC4` — which mean
 * nothing on a page. The base's schema (the metadata API, token scope `schema.bases:read`) says which columns are
 * links and to which table; that table's primary field is the text Airtable itself shows for a linked record. So for
 * each linked table the primary field alone is listed once, 100 records a request through the base's throttle (never
 * a request per id), and the ids in the cells become those texts, in the cell's order. The schema is asked for only
 * when a page holds record ids, so a base without links costs no request. Without schema access nothing is replaced:
 * the mapping keeps record ids off the pages, with a warning saying how to fix it.
 */
import { schemaFields, schemaTable } from './airtable-ids.ts';
import { RECORD_ID } from './rows.ts';
import type { SourceRow, TableSpec } from './types.ts';

/** The part of the metadata API's answer (`GET /v0/meta/bases/{baseId}/tables`) that links and field types need. */
export interface BaseSchema {
  tables: {
    id: string;
    name: string;
    primaryFieldId: string;
    fields: { id: string; name: string; type: string; options?: { linkedTableId?: string; [option: string]: unknown } }[];
  }[];
}

/** Whether `body` has the shape of the metadata API's answer. */
export function isBaseSchema(body: unknown): body is BaseSchema {
  const tables = (body as Partial<BaseSchema> | null)?.tables;
  return (
    Array.isArray(tables) &&
    tables.every(
      (t) => typeof t?.id === 'string' && typeof t.name === 'string' && typeof t.primaryFieldId === 'string' && Array.isArray(t.fields),
    )
  );
}

/** A link column and the table whose records it names. */
interface Link {
  column: string;
  tableId: string;
  primaryField: string;
}

/** The link columns among `spec.columns` of the table `spec.name` (found by name or id, or by `spec.ids`). */
function linksOf(schema: BaseSchema, spec: TableSpec): Link[] {
  const table = schemaTable(schema, spec);
  if (!table) return [];
  return [...schemaFields(table, spec)].flatMap(([column, field]): Link[] => {
    const linked = schema.tables.find((t) => t.id === field.options?.linkedTableId);
    const primary = linked?.fields.find((f) => f.id === linked.primaryFieldId);
    if (field.type !== 'multipleRecordLinks' || !linked || !primary) return [];
    return [{ column, tableId: linked.id, primaryField: primary.name }];
  });
}

/** Whether a row of `spec` holds a list of record ids in one of its columns (a link cell). */
const holdsLinks = (spec: TableSpec, rows: readonly SourceRow[]): boolean =>
  rows.some((row) =>
    spec.columns.some((column) => {
      const cell = row.fields[column];
      return Array.isArray(cell) && cell.length > 0 && cell.every((item) => typeof item === 'string' && RECORD_ID.test(item));
    }),
  );

/** The text of a primary field's value: text and numbers as they are, a list (a lookup, a formula) joined. */
function primaryText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(primaryText).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

/** Reads, once per linked table, the primary field of every record: record id → its text. */
export type PrimaryReader = (tableId: string, primaryField: string) => AsyncIterable<SourceRow[]>;

export interface LinkedNames {
  /**
   * Replaces, in the rows of `spec`, the record ids in its link columns with the linked records' texts (an id whose
   * record has no text, or that is not in the linked table, is dropped; other values stay). Without schema access,
   * leaves them.
   */
  resolve(spec: TableSpec, rows: SourceRow[]): Promise<void>;
}

export function linkedNames(schema: () => Promise<BaseSchema | undefined>, readPrimary: PrimaryReader): LinkedNames {
  const names = new Map<string, Promise<Map<string, string>>>();
  const namesOf = (link: Link): Promise<Map<string, string>> => {
    let loaded = names.get(link.tableId);
    if (!loaded) {
      loaded = (async () => {
        const texts = new Map<string, string>();
        for await (const page of readPrimary(link.tableId, link.primaryField)) {
          for (const row of page) {
            const text = primaryText(row.fields[link.primaryField]);
            if (text !== undefined && 'recordId' in row.where) texts.set(row.where.recordId, text);
          }
        }
        return texts;
      })();
      // A failed read is tried again by the next table that needs it, not remembered.
      loaded.catch(() => names.delete(link.tableId));
      names.set(link.tableId, loaded);
    }
    return loaded;
  };
  return {
    async resolve(spec, rows) {
      if (!holdsLinks(spec, rows)) return;
      const known = await schema();
      if (!known) return;
      for (const link of linksOf(known, spec)) {
        const texts = await namesOf(link);
        for (const row of rows) {
          const cell = row.fields[link.column];
          if (!Array.isArray(cell)) continue;
          // A record id becomes its record's text (or goes, when the record is gone); anything else stays as it is.
          row.fields[link.column] = cell.flatMap((item: unknown) => {
            if (typeof item !== 'string' || !RECORD_ID.test(item)) return [item];
            const text = texts.get(item);
            return text === undefined ? [] : [text];
          });
        }
      }
    },
  };
}
