/**
 * The record store: bases of tables seeded from `SeedBases`, the tables' fields (with `fld…` ids that survive a
 * rename) and views, the edits a test makes between syncs, and the metadata API's view of a table.
 */
import { isSeedAttachmentList, type AttachmentStore } from './attachments.ts';
import { airtableId } from './ids.ts';
import type { EmulatorRecord, SeedBases, SeedFieldType, SeedTable } from './types.ts';

/** A table as stored. */
export interface Table {
  id: string;
  name: string;
  declaredFields: Set<string>;
  /** Field name → the type the seed declares for it (else the metadata API guesses one from the values). */
  declaredTypes: Map<string, SeedFieldType>;
  /** Field name → `fld…` id, in field order; an id survives a rename. */
  fieldIds: Map<string, string>;
  records: EmulatorRecord[];
  views: Map<string, { id: string; name: string; recordIds: string[] }>;
}

/** Whether the API leaves a value out of a record: "", [], false, null or no value. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0);
}

/** The type of an object value, by the keys Airtable's documented shapes have. */
function objectType(value: object): string | undefined {
  if ('state' in value && 'value' in value) return 'aiText';
  if ('label' in value && 'url' in value) return 'button';
  if ('email' in value && 'name' in value) return 'singleCollaborator';
  if ('text' in value) return 'barcode';
  return undefined;
}

/** A field type for the metadata API, guessed from one value (`singleLineText` when there is none). */
function guessFieldType(value: unknown, isAttachment: (item: unknown) => boolean): string {
  if (typeof value === 'boolean') return 'checkbox';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) {
    if (value.some(isAttachment)) return 'multipleAttachments';
    if (value.every((item) => typeof item === 'string' && /^rec[A-Za-z0-9]{14}$/.test(item))) return 'multipleRecordLinks';
    const first: unknown = value[0];
    if (typeof first === 'object' && first !== null && objectType(first) === 'singleCollaborator') return 'multipleCollaborators';
    if (value.every((item) => typeof item === 'string')) return 'multipleSelects';
    return 'multipleLookupValues';
  }
  if (typeof value === 'object' && value !== null) return objectType(value) ?? 'singleLineText';
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'date';
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return 'dateTime';
    if (value.includes('\n')) return 'multilineText';
  }
  return 'singleLineText';
}

/** The bases, tables and records one emulator serves. */
export class RecordStore {
  readonly #bases = new Map<string, Map<string, Table>>();
  readonly #attachments: AttachmentStore;

  /** Seeds the store; records without `createdTime` get `createdTime`. */
  constructor(seed: SeedBases, attachments: AttachmentStore, createdTime: string) {
    this.#attachments = attachments;
    for (const [baseId, tables] of Object.entries(seed)) {
      const base = new Map<string, Table>();
      for (const [name, seedTable] of Object.entries(tables)) base.set(name, this.#seedTable(name, seedTable, createdTime));
      this.#bases.set(baseId, base);
    }
  }

  #seedTable(name: string, seed: SeedTable, createdTime: string): Table {
    const table: Table = {
      id: seed.id ?? airtableId('tbl'),
      name,
      declaredFields: new Set(seed.fields ?? []),
      declaredTypes: new Map(Object.entries(structuredClone(seed.types ?? {}))),
      fieldIds: new Map(),
      records: seed.records.map((record) => ({
        id: record.id ?? airtableId('rec'),
        createdTime: record.createdTime ?? createdTime,
        fields: this.#storeFields(record.fields),
      })),
      views: new Map(),
    };
    for (const [viewName, view] of Object.entries(seed.views ?? {})) {
      table.views.set(viewName, { id: view.id ?? airtableId('viw'), name: viewName, recordIds: [...view.recordIds] });
    }
    return table;
  }

  /** Turns seed attachments into stored ones (bytes kept aside); other values are copied as JSON. */
  #storeValue(value: unknown): unknown {
    return isSeedAttachmentList(value) ? this.#attachments.store(value) : structuredClone(value);
  }

  #storeFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = this.#storeValue(value);
    return out;
  }

  hasBase(baseId: string): boolean {
    return this.#bases.has(baseId);
  }

  /** The tables of a base (none for an unknown base). */
  tables(baseId: string): Table[] {
    return [...(this.#bases.get(baseId)?.values() ?? [])];
  }

  /** A table by name or `tbl…` id. */
  find(baseId: string, nameOrId: string): Table | undefined {
    const base = this.#bases.get(baseId);
    if (!base) return undefined;
    return base.get(nameOrId) ?? [...base.values()].find((table) => table.id === nameOrId);
  }

  /** A table a test names; throws (a test's mistake, not an API answer) when there is none. */
  table(baseId: string, nameOrId: string): Table {
    const table = this.find(baseId, nameOrId);
    if (!table) throw new Error(`Airtable emulator: no table "${nameOrId}" in base "${baseId}".`);
    return table;
  }

  /**
   * The table's field names, in order (declared ones first, then as first seen, then those only given a type); gives
   * new names a `fld…` id.
   */
  knownFields(table: Table): Set<string> {
    const names = new Set(table.declaredFields);
    for (const record of table.records) for (const name of Object.keys(record.fields)) names.add(name);
    for (const name of table.declaredTypes.keys()) names.add(name);
    for (const name of names) if (!table.fieldIds.has(name)) table.fieldIds.set(name, airtableId('fld'));
    return names;
  }

  /**
   * The metadata API's view of a table: a field's type and options as the seed declares them, else its type guessed
   * from the first non-empty value; a link field's `options.linkedTableId` (unless declared) is the table of `base`
   * that holds the first record it names.
   */
  schema(table: Table, base: readonly Table[]): unknown {
    const fields = [...this.knownFields(table)].map((name) => {
      const declared = table.declaredTypes.get(name);
      const sample = table.records.map((record) => record.fields[name]).find((value) => !isEmpty(value));
      const type = declared?.type ?? guessFieldType(sample, (item) => this.#attachments.isStored(item));
      const first: unknown = Array.isArray(sample) ? sample[0] : undefined;
      const linked =
        type === 'multipleRecordLinks' && !declared?.options ? base.find((t) => t.records.some((r) => r.id === first)) : undefined;
      const options = declared?.options
        ? { options: structuredClone(declared.options) }
        : linked
          ? { options: { linkedTableId: linked.id, isReversed: false, prefersSingleRecordLink: false } }
          : {};
      return { id: table.fieldIds.get(name) ?? '', name, type, ...options };
    });
    return {
      id: table.id,
      name: table.name,
      primaryFieldId: fields[0]?.id ?? '',
      fields,
      views: [...table.views.values()].map((view) => ({ id: view.id, name: view.name, type: 'grid' })),
    };
  }

  #record(baseId: string, table: string, recordId: string): EmulatorRecord {
    const record = this.table(baseId, table).records.find((r) => r.id === recordId);
    if (!record) throw new Error(`Airtable emulator: no record ${recordId} in ${baseId}/${table}.`);
    return record;
  }

  /** Appends a record; returns its id. */
  add(baseId: string, table: string, fields: Record<string, unknown>, id: string, createdTime: string): string {
    this.table(baseId, table).records.push({ id, createdTime, fields: this.#storeFields(fields) });
    return id;
  }

  /** Merges `fields` into a record; a field set to `undefined` is removed. */
  update(baseId: string, table: string, recordId: string, fields: Record<string, unknown>): void {
    const record = this.#record(baseId, table, recordId);
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) delete record.fields[name];
      else record.fields[name] = this.#storeValue(value);
    }
  }

  delete(baseId: string, table: string, recordId: string): void {
    const records = this.table(baseId, table).records;
    const index = records.findIndex((r) => r.id === recordId);
    if (index < 0) throw new Error(`Airtable emulator: no record ${recordId} in ${baseId}/${table}.`);
    records.splice(index, 1);
  }

  /** Renames a field in every record and in the declared fields; its `fld…` id stays. */
  renameField(baseId: string, table: string, from: string, to: string): void {
    const found = this.table(baseId, table);
    this.knownFields(found);
    found.fieldIds = new Map([...found.fieldIds].map(([name, id]) => [name === from ? to : name, id]));
    if (found.declaredFields.delete(from)) found.declaredFields.add(to);
    const type = found.declaredTypes.get(from);
    if (type && found.declaredTypes.delete(from)) found.declaredTypes.set(to, type);
    for (const record of found.records) {
      if (!(from in record.fields)) continue;
      record.fields[to] = record.fields[from];
      delete record.fields[from];
    }
  }

  /** Renames a table; its `tbl…` id and records stay. */
  renameTable(baseId: string, from: string, to: string): void {
    const found = this.table(baseId, from);
    const base = this.#bases.get(baseId);
    if (!base || base.has(to)) throw new Error(`Airtable emulator: base "${baseId}" already has a table "${to}".`);
    base.delete(found.name);
    found.name = to;
    base.set(to, found);
  }

  /** Deletes a field: its values in every record, its declaration and its id. */
  deleteField(baseId: string, table: string, field: string): void {
    const found = this.table(baseId, table);
    found.declaredFields.delete(field);
    found.declaredTypes.delete(field);
    found.fieldIds.delete(field);
    for (const record of found.records) delete record.fields[field];
  }

  /** Creates or replaces a view (keeping its id when it exists). */
  setView(baseId: string, table: string, name: string, recordIds: string[]): void {
    const found = this.table(baseId, table);
    found.views.set(name, { id: found.views.get(name)?.id ?? airtableId('viw'), name, recordIds: [...recordIds] });
  }
}
