/**
 * Airtable through the official client (airtable.js): every page is one `makeRequest`, so that each request goes
 * through the base's throttle (≤ 5 req/s shared by all its tables) and our one retry policy — airtable.js's own
 * 429 retries are off (it would retry forever, and never 5xx). A stale page cursor ends the listing with a
 * SourceError that asks for a restart (see types.ts). When the token may read the base's schema, its rows carry the
 * mapped columns' field types (airtable-types.ts), so that a percent is shown as `50%`, and link columns give the
 * linked records' names, not their ids (airtable-links.ts). The schema is read once per sync, when the first page of
 * the base arrives: one request, before any page is handed on. A table configured with Airtable ids (`TableSpec.ids`,
 * from `npm run doctor -- --write`) is asked for by them, and its schema read before its first page (airtable-ids.ts).
 */
import Airtable from 'airtable';
import { ConfigError, gaveUp, SourceError } from '../errors.ts';
import { HttpStatusError } from '../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import type { Throttle } from '../http/throttle.ts';
import { equalsIgnoringCase } from './airtable-formula.ts';
import { fieldKeys, renameCells, renamedWarning, schemaTable, type FieldKeys } from './airtable-ids.ts';
import { describeColumns } from './column-names.ts';
import { isBaseSchema, linkedNames, type BaseSchema, type LinkedNames } from './airtable-links.ts';
import { columnTypes } from './airtable-types.ts';
import { AIRTABLE_API } from './endpoints.ts';
import { airtableRecordUrl } from './links.ts';
import { rowsFromAirtable } from './rows.ts';
import type { ColumnTypes, Page, ReadOptions, Source, SourceRow, TableSpec } from './types.ts';

export interface AirtableSourceOptions {
  /**
   * A personal access token (pat…) with `data.records:read` on the base — and `schema.bases:read`, for linked records
   * to be shown as names and numbers, durations and date-times as Airtable shows them. From AIRTABLE_TOKEN.
   */
  token: string | undefined;
  /** The base id, `app` + 14 characters, from its URL. From AIRTABLE_BASE_ID. */
  baseId: string | undefined;
  /** API origin, no trailing slash. From AIRTABLE_ENDPOINT_URL; default https://api.airtable.com. */
  endpointUrl?: string | undefined;
  /** The base's throttle, shared by every table of the base. */
  throttle: Throttle;
  policy?: RetryPolicy;
  /** Per request; airtable.js's default is 5 minutes. */
  requestTimeoutMs?: number;
}

const LABEL = 'Airtable';

interface ListPage {
  records: { id: string; fields?: Record<string, unknown> }[];
  offset?: string;
}

function isListPage(body: unknown): body is ListPage {
  const page = body as Partial<ListPage> | null;
  return (
    typeof page === 'object' &&
    page !== null &&
    Array.isArray(page.records) &&
    page.records.every((r) => typeof r === 'object' && r !== null && typeof r.id === 'string') &&
    (page.offset === undefined || typeof page.offset === 'string')
  );
}

function explain(error: unknown, table: string, baseId: string): SourceError {
  if (!(error instanceof RequestError)) return new SourceError(LABEL, table, `unexpected error: ${String(error)}`, undefined, error);
  const { failure } = error;
  const say = (message: string) => new SourceError(LABEL, table, message, failure, error);
  switch (failure.status) {
    case 401:
      return say(
        'Airtable rejected the token (401). Set AIRTABLE_TOKEN to a personal access token (pat…) with the data.records:read scope.',
      );
    // Airtable answers 403 for a base the token may not read and, to personal access tokens, for an unknown table
    // too; 404 for an unknown base or table (airtable.js names both NOT_FOUND).
    case 403:
      return say(
        `no access to base ${baseId}, or it has no table "${table}" (403). Check AIRTABLE_BASE_ID, that the token lists this base under its access, and the table name in workshop.config.ts.`,
      );
    case 404:
      return say(
        `base ${baseId} or its table "${table}" was not found (404). Check AIRTABLE_BASE_ID, and the table name in workshop.config.ts: names are case-sensitive.`,
      );
    case 422:
      if (failure.code === 'UNKNOWN_FIELD_NAME' || failure.code === 'INVALID_FILTER_BY_FORMULA') {
        return say(
          `a column the template reads is missing (422 ${failure.code}: ${error.message}). It was probably renamed or deleted: rename it back in Airtable, or put its new name under template in workshop.config.ts.`,
        );
      }
      if (failure.code === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE') {
        const message = `the listing's page cursor expired before the listing finished, on every try (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE): Airtable served the pages too slowly. The published site keeps its current content; the next sync tries again.`;
        return new SourceError(LABEL, table, message, failure, error, true);
      }
      return say(
        `Airtable rejected the request (422 ${failure.code ?? ''}: ${error.message}). Check this table's view, fields and filter in workshop.config.ts.`,
      );
    default:
      return failure.retryable
        ? say(gaveUp(failure, error.attempts))
        : say(`Airtable answered ${failure.status ?? failure.kind}: ${error.message}.`);
  }
}

export function airtableSource(options: AirtableSourceOptions): Source {
  const { token, baseId, throttle, policy, requestTimeoutMs } = options;
  // The throttle may outlive this source (one per base per process): progress counts this source's waiting only.
  const waitedBefore = throttle.waitedMs;
  if (!token) {
    throw new ConfigError(
      'Missing Airtable token. Set AIRTABLE_TOKEN to a personal access token (pat…) with the data.records:read scope on the base.',
    );
  }
  if (!baseId || !/^app[A-Za-z0-9]{14}$/.test(baseId)) {
    throw new ConfigError(`AIRTABLE_BASE_ID must be a base id such as appXXXXXXXXXXXXXX (from the base's URL), not "${baseId ?? ''}".`);
  }
  const endpointUrl = (options.endpointUrl ?? AIRTABLE_API).replace(/\/+$/, '');
  const base = new Airtable({
    apiKey: token,
    endpointUrl,
    noRetryIfRateLimited: true,
    ...(requestTimeoutMs ? { requestTimeout: requestTimeoutMs } : {}),
  }).base(baseId);

  const toRows = (table: string, records: ListPage['records']): SourceRow[] =>
    rowsFromAirtable(
      LABEL,
      table,
      records.map((r) => ({ id: r.id, fields: r.fields ?? {} })),
    );

  async function request(path: string, qs: Record<string, unknown>, table: string, readOptions: ReadOptions, retries: { count: number }) {
    const response = await withRetry(() => base.makeRequest({ method: 'GET', path, qs }), {
      throttle,
      ...(requestTimeoutMs ? { timeoutMs: requestTimeoutMs } : {}),
      ...(policy ? { policy } : {}),
      ...(readOptions.signal ? { signal: readOptions.signal } : {}),
      onRetry: () => {
        retries.count++;
      },
    }).catch((error: unknown) => {
      throw explain(error, table, baseId!);
    });
    return response.body as unknown;
  }

  /**
   * The base's schema from the metadata API, read once; undefined when the token may not read it (no
   * `schema.bases:read`: 401, 403 or 404), so that links stay as they are and cells are read by their shapes.
   */
  let schema: Promise<BaseSchema | undefined> | undefined;
  const readSchema = (signal: AbortSignal | undefined): Promise<BaseSchema | undefined> =>
    (schema ??= withRetry(
      async () => {
        const url = `${endpointUrl}/v0/meta/bases/${encodeURIComponent(baseId)}/tables`;
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, ...(signal ? { signal } : {}) });
        if (!response.ok) throw new HttpStatusError(`${endpointUrl}/v0/meta/bases/…/tables`, response);
        const body: unknown = await response.json();
        if (!isBaseSchema(body)) throw new SyntaxError('the answer is not a base schema');
        return body;
      },
      {
        throttle,
        ...(requestTimeoutMs ? { timeoutMs: requestTimeoutMs } : {}),
        ...(policy ? { policy } : {}),
        ...(signal ? { signal } : {}),
      },
    ).catch((error: unknown) => {
      // No access to the schema is an answer, kept for every later page; a sync that stopped, or a failure, is asked again.
      const status = error instanceof RequestError ? error.failure.status : undefined;
      if (status === 401 || status === 403 || status === 404) return undefined;
      schema = undefined;
      throw explain(error, 'metadata', baseId);
    }));

  /** Every record of a linked table, its primary field only. */
  async function* primaryField(tableId: string, field: string, readOptions: ReadOptions): AsyncGenerator<SourceRow[]> {
    const retries = { count: 0 };
    let offset: string | undefined;
    do {
      const qs: Record<string, unknown> = { pageSize: 100, fields: [field], ...(offset ? { offset } : {}) };
      const body = await request(`/${encodeURIComponent(tableId)}`, qs, tableId, readOptions, retries);
      if (!isListPage(body))
        throw new SourceError(LABEL, tableId, 'the answer is not a list of records; is AIRTABLE_ENDPOINT_URL the Airtable API?');
      offset = body.offset;
      yield toRows(tableId, body.records);
    } while (offset);
  }

  /** The field types of the columns `asked` of table `spec`, from the base's schema; none without access to it. */
  async function typesOf(spec: TableSpec, asked: Iterable<string>, readOptions: ReadOptions): Promise<ColumnTypes | undefined> {
    const known = await readSchema(readOptions.signal);
    return known && columnTypes(known, { ...spec, columns: [...asked] });
  }

  /** Links to the records of table `spec`: they need its id, from the base's schema; none without access to it. */
  async function linkOf(spec: TableSpec, readOptions: ReadOptions): Promise<Page['link']> {
    const known = await readSchema(readOptions.signal);
    const tableId = known && schemaTable(known, spec)?.id;
    return tableId === undefined
      ? undefined
      : (where) => ('recordId' in where ? airtableRecordUrl(baseId!, tableId, where.recordId) : undefined);
  }

  /** Link columns as names; made with the first listing's options (one sync: one signal). */
  let links: LinkedNames | undefined;
  const linksFor = (readOptions: ReadOptions): LinkedNames =>
    (links ??= linkedNames(
      () => readSchema(readOptions.signal),
      (tableId, field) => primaryField(tableId, field, readOptions),
    ));

  /**
   * The columns table `name` has, for the message about a missing one: from the base's schema when the token may read
   * it, else the columns the first records have values in (Airtable leaves empty cells out).
   */
  async function columnsOfTable(spec: TableSpec, readOptions: ReadOptions): Promise<{ names: string[]; seenAs: string }> {
    const known = await readSchema(readOptions.signal).catch(() => undefined);
    const table = known && schemaTable(known, spec);
    if (table) return { names: table.fields.map((f) => f.name), seenAs: 'Its columns are' };
    const body = await request(pathOf(spec), { pageSize: 10 }, spec.name, readOptions, { count: 0 }).catch(() => undefined);
    const records = isListPage(body) ? body.records : [];
    const names = [...new Set(records.flatMap((r) => Object.keys(r.fields ?? {})))];
    return { names, seenAs: 'The columns its first records have values in are' };
  }

  /** The column of `asked` that a 422 UNKNOWN_FIELD_NAME names (`Unknown field name: "Order"`, or its field id), if it is one. */
  const unknownColumn = (error: unknown, asked: ReadonlySet<string>, ids: Readonly<Record<string, string>>): string | undefined =>
    error instanceof SourceError && error.failure?.code === 'UNKNOWN_FIELD_NAME'
      ? [...asked].find((column) => error.message.includes(`"${ids[column] ?? column}"`))
      : undefined;

  /** A table's path: by its id when the config has one (it survives a rename), else by its name. */
  const pathOf = (spec: Pick<TableSpec, 'name' | 'ids'>): string => `/${encodeURIComponent(spec.ids?.table ?? spec.name)}`;

  /** How each table read by ids was last asked for, by its name, so that a record read again comes back the same. */
  const readBy = new Map<string, { path: string; keys: FieldKeys }>();

  /** Lists a table page by page (100 records a page, Airtable's largest), without the optional columns it lacks. */
  async function* listTable(spec: TableSpec, readOptions: ReadOptions): AsyncGenerator<Page> {
    const path = pathOf(spec);
    const retries = { count: 0 };
    const asked = new Set(spec.columns);
    const optional = new Set(spec.optional ?? []);
    const missing: string[] = [];
    // Read by ids: the schema first (one request, read for the field types anyway), for the current names.
    const ids: Record<string, string> = { ...spec.ids?.columns };
    const byIds = spec.ids?.table !== undefined || Object.keys(ids).length > 0;
    const known = byIds ? await readSchema(readOptions.signal) : undefined;
    const table = known && schemaTable(known, spec);
    const currentName = (id: string) => table?.fields.find((f) => f.id === id)?.name;
    // A column without an id (added after `npm run doctor -- --write`) gets the one of the field of its name.
    // An optional one the table does not have is left out now rather than by a request refused for it.
    for (const column of asked) {
      const id = ids[column] ?? table?.fields.find((f) => f.name === column)?.id;
      if (id) ids[column] = id;
      else if (table && optional.has(column)) {
        asked.delete(column);
        missing.push(column);
      }
    }
    let types: Promise<ColumnTypes | undefined> | undefined;
    let link: Promise<Page['link']> | undefined;
    let offset: string | undefined;
    let first = true;
    for (;;) {
      const keys = fieldKeys(asked, ids, currentName);
      const qs: Record<string, unknown> = { pageSize: 100, fields: keys.fields };
      if (keys.byId) qs['returnFieldsByFieldId'] = true;
      if (offset) qs['offset'] = offset;
      if (spec.view) qs['view'] = spec.view;
      // A formula names fields, never ids: the status column by its current name.
      const status = spec.only && ids[spec.only.column];
      if (spec.only) qs['filterByFormula'] = equalsIgnoringCase((status && currentName(status)) || spec.only.column, spec.only.value);
      let body: unknown;
      try {
        body = await request(path, qs, spec.name, readOptions, retries);
      } catch (error) {
        const column = spec.optional ? unknownColumn(error, asked, ids) : undefined;
        if (column === undefined) throw error;
        if (!optional.has(column)) {
          const { names, seenAs } = await columnsOfTable(spec, readOptions);
          const id = ids[column];
          const advice = id
            ? `the field ${id} that workshop.config.ts names for "${column}" is gone (422 UNKNOWN_FIELD_NAME). ${describeColumns(column, names, seenAs)} Put the name of the column that holds it under template in workshop.config.ts and run npm run doctor -- --write to update its id.`
            : `there is no column "${column}" (422 UNKNOWN_FIELD_NAME). ${describeColumns(column, names, seenAs)} Rename the column back to "${column}", or put its name in the template in workshop.config.ts.`;
          throw new SourceError(LABEL, spec.name, advice, (error as SourceError).failure, error);
        }
        // An optional column the table lacks: the same page again without it.
        asked.delete(column);
        missing.push(column);
        continue;
      }
      if (!isListPage(body))
        throw new SourceError(LABEL, spec.name, 'the answer is not a list of records; is AIRTABLE_ENDPOINT_URL the Airtable API?');
      offset = body.offset;
      const rows = toRows(spec.name, body.records);
      if (byIds) {
        renameCells(rows, keys);
        readBy.set(spec.name, { path, keys });
      }
      const typed = await (types ??= typesOf(spec, asked, readOptions));
      if (typed) for (const row of rows) row.types = typed;
      await linksFor(readOptions).resolve(spec, rows);
      const linkRow = await (link ??= linkOf(spec, readOptions));
      const renamed = first && table ? renamedWarning(table, { ...spec, columns: [...asked] }) : undefined;
      first = false;
      yield {
        rows,
        missing,
        ...(linkRow ? { link: linkRow } : {}),
        ...(renamed ? { warnings: [renamed] } : {}),
        waitedMs: throttle.waitedMs - waitedBefore,
        retries: retries.count,
      };
      if (!offset) return;
    }
  }

  return {
    label: LABEL,
    pages: (spec, readOptions = {}) => listTable(spec, readOptions),
    async refetch(origin, readOptions = {}) {
      if (!('recordId' in origin.where)) throw new SourceError(LABEL, origin.table, 'only Airtable records can be read again');
      // A table read by ids is read again by ids, its cells renamed the same way.
      const by = readBy.get(origin.table);
      const path = `${by?.path ?? pathOf({ name: origin.table })}/${origin.where.recordId}`;
      const body = await request(path, by?.keys.byId ? { returnFieldsByFieldId: true } : {}, origin.table, readOptions, { count: 0 });
      const rows = toRows(origin.table, [body as ListPage['records'][number]]);
      if (by) renameCells(rows, by.keys);
      return rows[0]!;
    },
  };
}
