/**
 * Listing records: which records a request gets (view, filterByFormula, sort, maxRecords), page by page with
 * cursors (`itr…/rec…`) that expire, and each record as the API writes it.
 */
import type { AttachmentStore } from './attachments.ts';
import { typedError } from './errors.ts';
import { compareCells, compileFormula, formulaValue } from './formulas.ts';
import { airtableId } from './ids.ts';
import type { ListParams } from './params.ts';
import { isEmpty, type Table } from './records.ts';
import type { EmulatorRecord } from './types.ts';

interface Cursor {
  baseId: string;
  tableId: string;
  nextIndex: number;
  nextRecordId: string;
  expiresAt: number;
}

/** A list-records answer: one page, and the cursor of the next one if there is one. */
export interface RecordPage {
  records: EmulatorRecord[];
  offset?: string;
}

/** Where attachment URLs point and until when they work. */
export interface OutputContext {
  attachments: AttachmentStore;
  origin: string;
  expiry: number;
}

/** The page cursors issued so far; each valid for `ttlMs` after it is issued, for its base and table only. */
export class Cursors {
  readonly #cursors = new Map<string, Cursor>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number, ttlMs: number) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  /** A cursor for the page that starts at `nextIndex` (the record `nextRecordId`). */
  issue(baseId: string, tableId: string, nextIndex: number, nextRecordId: string): string {
    const offset = `${airtableId('itr')}/${nextRecordId}`;
    this.#cursors.set(offset, { baseId, tableId, nextIndex, nextRecordId, expiresAt: this.#now() + this.#ttlMs });
    return offset;
  }

  /**
   * Where the page of `offset` starts in `list`: at its record if it is still there, else at its index. An unknown,
   * expired or foreign cursor is a 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE.
   */
  start(offset: string, baseId: string, tableId: string, list: EmulatorRecord[]): number {
    const cursor = this.#cursors.get(offset);
    if (!cursor || this.#now() > cursor.expiresAt || cursor.baseId !== baseId || cursor.tableId !== tableId) {
      if (cursor) this.#cursors.delete(offset);
      throw typedError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');
    }
    const at = list.findIndex((record) => record.id === cursor.nextRecordId);
    return at >= 0 ? at : Math.min(cursor.nextIndex, list.length);
  }

  /** Makes every cursor issued so far stale. */
  clear(): void {
    this.#cursors.clear();
  }
}

function inView(table: Table, list: EmulatorRecord[], viewNameOrId: string): EmulatorRecord[] {
  const view = table.views.get(viewNameOrId) ?? [...table.views.values()].find((v) => v.id === viewNameOrId);
  if (!view) throw typedError(422, 'VIEW_NAME_NOT_FOUND', `View ${viewNameOrId} not found`);
  const byId = new Map(list.map((record) => [record.id, record]));
  return view.recordIds.flatMap((id) => byId.get(id) ?? []);
}

function sorted(list: EmulatorRecord[], sort: ListParams['sort']): EmulatorRecord[] {
  return [...list].sort((a, b) => {
    for (const { field, direction } of sort) {
      const order = compareCells(a.fields[field], b.fields[field]);
      if (order !== 0) return direction === 'asc' ? order : -order;
    }
    return 0;
  });
}

/**
 * `params` with the field ids (`fld…`) in `fields` and `sort` replaced by the fields' names, as the API takes either;
 * an id the table does not have stays, to be refused as an unknown field.
 */
export function withFieldNames(table: Table, knownFields: ReadonlySet<string>, params: ListParams): ListParams {
  const names = new Map([...table.fieldIds].filter(([name]) => knownFields.has(name)).map(([name, id]) => [id, name]));
  const nameOf = (field: string): string => (knownFields.has(field) ? field : (names.get(field) ?? field));
  return {
    ...params,
    ...(params.fields ? { fields: params.fields.map(nameOf) } : {}),
    sort: params.sort.map((entry) => ({ ...entry, field: nameOf(entry.field) })),
  };
}

/** The records a list request selects, in order, before paging; unknown fields are a 422 UNKNOWN_FIELD_NAME. */
export function selectRecords(table: Table, knownFields: ReadonlySet<string>, params: ListParams): EmulatorRecord[] {
  let list = table.records;
  if (params.view !== undefined) list = inView(table, list, params.view);
  for (const name of [...(params.fields ?? []), ...params.sort.map((s) => s.field)]) {
    if (!knownFields.has(name)) throw typedError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
  }
  if (params.filterByFormula !== undefined) list = list.filter(compileFormula(params.filterByFormula, knownFields));
  if (params.sort.length > 0) list = sorted(list, params.sort);
  if (params.maxRecords !== undefined && params.maxRecords > 0) list = list.slice(0, params.maxRecords);
  return list;
}

/** A cell with attachments: each stored one with its URL; other items (unusual) are left as they are. */
function withUrls(cell: unknown[], { attachments, origin, expiry }: OutputContext): Record<string, unknown>[] {
  return cell.map((item) => (attachments.isStored(item) ? attachments.json(item, origin, expiry) : (item as Record<string, unknown>)));
}

function outputValue(value: unknown, params: ListParams, context: OutputContext): unknown {
  if (Array.isArray(value) && value.some((item) => context.attachments.isStored(item))) {
    const list = withUrls(value, context);
    if (params.cellFormat === 'string') return list.map((a) => `${String(a['filename'])} (${String(a['url'])})`).join(', ');
    return list;
  }
  if (params.cellFormat === 'string') {
    if (value === true) return 'checked';
    return String(formulaValue(value));
  }
  return structuredClone(value);
}

/**
 * A record as the API returns it: empty values left out, only `params.fields` (names) if given, attachments with
 * URLs; keyed by field id (from `fieldIds`, name → id) with `returnFieldsByFieldId`.
 */
export function recordJson(
  record: EmulatorRecord,
  params: ListParams,
  context: OutputContext,
  fieldIds: ReadonlyMap<string, string>,
): EmulatorRecord {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.fields)) {
    if (params.fields !== undefined && !params.fields.includes(name)) continue;
    if (isEmpty(value)) continue;
    fields[params.returnFieldsByFieldId ? (fieldIds.get(name) ?? name) : name] = outputValue(value, params, context);
  }
  return { id: record.id, createdTime: record.createdTime, fields };
}

/** The page of `list` that `params` asks for (from `params.offset`, `params.pageSize` long), with the next cursor. */
export function listPage(
  baseId: string,
  table: Table,
  list: EmulatorRecord[],
  params: ListParams,
  cursors: Cursors,
  context: OutputContext,
): RecordPage {
  const start = params.offset === undefined ? 0 : cursors.start(params.offset, baseId, table.id, list);
  const records = list.slice(start, start + params.pageSize).map((record) => recordJson(record, params, context, table.fieldIds));
  const next = list[start + params.pageSize];
  if (!next) return { records };
  return { records, offset: cursors.issue(baseId, table.id, start + params.pageSize, next.id) };
}
