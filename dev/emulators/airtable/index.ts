/**
 * A local emulator of the Airtable Web API (list records) for the tests and the demo: the real `airtable` client
 * talks to it with `endpointUrl: emulator.url` (no trailing slash).
 *
 *   const at = await startAirtableEmulator({ bases: { appDemo: { Papers: { records: [{ fields: { Title: 'A' } }] } } } });
 *   const base = new Airtable({ apiKey: at.token, endpointUrl: at.url, noRetryIfRateLimited: true }).base('appDemo');
 *   await base('Papers').select({ pageSize: 100 }).all();
 *   at.updateRecord('appDemo', 'Papers', id, { Title: 'B' });   // edit between syncs
 *   await at.close();
 *
 * What it does, as the documented API (see ../shared/reference/apis.md):
 * - `GET /v0/{baseId}/{tableIdOrName}` (jQuery-param query: `fields[]`, `sort[0][field]`, spaces as `+` or `%20`)
 *   and `POST /v0/{baseId}/{tableIdOrName}/listRecords` (the same parameters as JSON; `timeZone`/`userLocale` may
 *   stay in the query). The table by name or `tbl…` id. Parameters: pageSize (1–100, default 100), offset,
 *   maxRecords, view (name or id), fields[] and sort (field names or `fld…` ids, mixed), filterByFormula (a subset,
 *   by names, see `compileFormula` in formulas.ts), cellFormat json|string (+ timeZone, userLocale),
 *   returnFieldsByFieldId (`true` in a query, a boolean in a body: cells keyed by field id).
 * - `GET /v0/{baseId}/{tableIdOrName}/{recordId}` (the client's `find()`): one record, or 404 `{"error":"NOT_FOUND"}`;
 *   returnFieldsByFieldId too.
 * - Response `{ records: [{ id, createdTime, fields }], offset? }`; empty values ("", [], false, null) are left out.
 * - Errors in Airtable's shapes: 401 AUTHENTICATION_REQUIRED, 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (token not
 *   allowed on the base, or unknown base; an unknown table too, as personal access tokens are told — or 404
 *   TABLE_NOT_FOUND, as the legacy API keys were, with `unknownTable: 'TABLE_NOT_FOUND'`), 404
 *   `{"error":"NOT_FOUND"}` for any other route, 422 INVALID_REQUEST_UNKNOWN / VIEW_NAME_NOT_FOUND /
 *   UNKNOWN_FIELD_NAME / INVALID_FILTER_BY_FORMULA / LIST_RECORDS_ITERATOR_NOT_AVAILABLE (no message), 429
 *   `{"errors":[{"error":"RATE_LIMIT_REACHED",…}]}`.
 * - Rate limit per base: `requestsPerSecond` (5) in a sliding 1 s window; the request over the limit gets a 429 and
 *   the base then answers 429 to everything for `penaltyMs` (30 s).
 * - Page cursors (`itr…/rec…`) expire `offsetTtlMs` after they are issued, or at `invalidateOffsets()`.
 * - Attachments: seed an attachment field with `[{ filename, type, data: Buffer, width?, height? }]`; the API returns
 *   `{ id, url, filename, size, type, width?, height?, thumbnails? }` with a signed URL on this server that expires
 *   `attachmentUrlTtlMs` (2 h) after the response: then 410 "This URL has expired".
 * - Faults (`../faults.ts`): `inject(rule)` or the `faults` option — latency, status bursts (in Airtable's
 *   error format), dropped connections, truncated or stalled bodies.
 *
 * - `GET /v0/meta/bases/{baseId}/tables`: `{ tables: [{ id, name, primaryFieldId, fields: [{ id, name, type,
 *   options? }], views }] }`; field ids survive `renameField`; a field's type and options are the seed's (`types`)
 *   or else guessed from the values (a list of record ids is a `multipleRecordLinks` field whose
 *   `options.linkedTableId` is the table holding those records; a number a `number` without options); 403 for
 *   every token with `schemaAccess: false` (no `schema.bases:read` scope).
 * - Schema changes between syncs: `renameTable` and `renameField` (their ids stay: asked by id, it is still read), `deleteField` (then
 *   asking for it, by name or id, is 422 UNKNOWN_FIELD_NAME).
 *
 * The parts: this file (the server and its routes), records.ts (the store), listing.ts (selection, paging, output),
 * params.ts, formulas.ts (filterByFormula), attachments.ts (signed URLs), rate-limit.ts, errors.ts (Airtable's bodies).
 *
 * Not emulated: writes (create/update/delete records), the webhooks API, field options not seeded (but a link's linkedTableId),
 * field ids in formulas, recordMetadata, the 50 requests/s per-token limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultPlan, withFaults } from '../faults.ts';
import { startHttpServer } from '../http-server.ts';
import { AttachmentStore } from './attachments.ts';
import { ApiError, airtableErrorBody, notFound, permissionDenied, typedError } from './errors.ts';
import { airtableId } from './ids.ts';
import { Cursors, listPage, recordJson, selectRecords, withFieldNames, type OutputContext, type RecordPage } from './listing.ts';
import { parseParams, queryToObject, readJsonObject } from './params.ts';
import { RateLimiter } from './rate-limit.ts';
import { RecordStore, type Table } from './records.ts';
import type { AirtableEmulator, AirtableEmulatorOptions, AirtableEmulatorStats, BaseStats } from './types.ts';

export type { AirtableEmulator, AirtableEmulatorOptions, SeedRecord, SeedTable } from './types.ts';

/** The token accepted for every base when the `tokens` option is not given. */
export const EMULATOR_TOKEN = 'patEmulator0000000.local';

function freshStats(): AirtableEmulatorStats {
  return { requests: 0, log: [], byStatus: {}, bases: {}, attachmentDownloads: 0, attachmentBytes: 0, expiredAttachmentUrls: 0 };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Path segments: percent-decoded; a "+" is a space (as in the client's query strings). None if undecodable. */
function pathSegments(url: URL): string[] {
  try {
    return url.pathname
      .split('/')
      .slice(1)
      .map((segment) => decodeURIComponent(segment.replace(/\+/g, ' ')));
  } catch {
    return [];
  }
}

/** The routes of the records API under /v0/{baseId}/{table}/…, or undefined for any other. */
function recordRoute(method: string | undefined, segments: string[]): 'list' | 'postList' | 'getRecord' | undefined {
  const action = segments[3];
  if (method === 'GET' && segments.length === 3) return 'list';
  if (method === 'POST' && segments.length === 4 && action === 'listRecords') return 'postList';
  if (method === 'GET' && segments.length === 4 && action !== undefined && action.startsWith('rec')) return 'getRecord';
  return undefined;
}

/** Starts the emulator on 127.0.0.1 (a free port) and resolves once it listens. */
export async function startAirtableEmulator(options: AirtableEmulatorOptions = {}): Promise<AirtableEmulator> {
  const now = options.now ?? Date.now;
  const tokens = options.tokens ?? { [EMULATOR_TOKEN]: '*' };
  const rate =
    options.rateLimit === false ? undefined : new RateLimiter({ requestsPerSecond: 5, penaltyMs: 30_000, ...options.rateLimit }, now);
  const attachmentUrlTtlMs = options.attachmentUrlTtlMs ?? 2 * 60 * 60_000;
  const unknownTable = options.unknownTable ?? 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND';
  const attachments = new AttachmentStore(now);
  const store = new RecordStore(options.bases ?? {}, attachments, new Date(now()).toISOString());
  const cursors = new Cursors(now, options.offsetTtlMs ?? 5 * 60_000);
  const faults = new FaultPlan();
  for (const rule of options.faults ?? []) faults.add(rule);
  let stats = freshStats();
  const baseStats = (baseId: string): BaseStats => (stats.bases[baseId] ??= { requests: 0, rateLimited: 0, pages: 0, records: 0 });

  /** 401 without a valid token, 403 when the token may not read the base or the base does not exist, 429 over the limit. */
  function authorize(req: IncomingMessage, baseId: string): void {
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    const allowed = auth?.[1] === undefined ? undefined : tokens[auth[1]];
    if (allowed === undefined) throw typedError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
    if (!store.hasBase(baseId) || (allowed !== '*' && !allowed.includes(baseId))) throw permissionDenied();
    baseStats(baseId).requests += 1;
    if (rate && !rate.allow(baseId)) {
      baseStats(baseId).rateLimited += 1;
      throw new ApiError(429, airtableErrorBody(429));
    }
  }

  /** The table a request names, or the error the API gives for an unknown one. */
  function requestedTable(baseId: string, tableName: string): Table {
    const table = store.find(baseId, tableName);
    if (table) return table;
    if (unknownTable === 'TABLE_NOT_FOUND') {
      throw typedError(404, 'TABLE_NOT_FOUND', `Could not find table ${tableName} in application ${baseId}`);
    }
    throw permissionDenied();
  }

  const output = (origin: string): OutputContext => ({ attachments, origin, expiry: now() + attachmentUrlTtlMs });

  function listRecords(baseId: string, table: Table, raw: Record<string, unknown>, origin: string): RecordPage {
    const known = store.knownFields(table);
    const params = withFieldNames(table, known, parseParams(raw));
    const list = selectRecords(table, known, params);
    const page = listPage(baseId, table, list, params, cursors, output(origin));
    const stat = baseStats(baseId);
    stat.pages += 1;
    stat.records += page.records.length;
    return page;
  }

  /** `GET /v0/meta/bases/{baseId}/tables`. */
  function handleMeta(req: IncomingMessage, segments: string[]): unknown {
    const [, , basesWord, baseId = '', tablesWord] = segments;
    if (req.method !== 'GET' || basesWord !== 'bases' || tablesWord !== 'tables' || segments.length !== 5) throw notFound();
    authorize(req, baseId);
    // A token without the schema.bases:read scope is refused like one that may not see the base.
    if (options.schemaAccess === false) throw permissionDenied();
    const tables = store.tables(baseId);
    return { tables: tables.map((table) => store.schema(table, tables)) };
  }

  async function handleApi(req: IncomingMessage, url: URL, segments: string[], origin: string): Promise<unknown> {
    if (segments[1] === 'meta') return handleMeta(req, segments);
    const [, baseId = '', tableName = '', action] = segments;
    const route = recordRoute(req.method, segments);
    if (!route) throw notFound();
    authorize(req, baseId);
    const table = requestedTable(baseId, tableName);
    const query = queryToObject(url.searchParams);
    if (route === 'getRecord') {
      const record = table.records.find((r) => r.id === action);
      if (!record) throw notFound();
      const known = store.knownFields(table);
      return recordJson(record, withFieldNames(table, known, parseParams(query)), output(origin), table.fieldIds);
    }
    const raw = route === 'postList' ? { ...query, ...(await readJsonObject(req)) } : query;
    return listRecords(baseId, table, raw, origin);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const url = new URL(req.url ?? '/', origin);
    const segments = pathSegments(url);
    const count = (status: number): void => {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    };
    if (segments[0] === 'attachments' && (req.method === 'GET' || req.method === 'HEAD')) {
      attachments.serve(req.method, res, segments, stats);
      count(res.statusCode);
      return;
    }
    try {
      if (segments[0] !== 'v0') throw notFound();
      const body = await handleApi(req, url, segments, origin);
      count(200);
      sendJson(res, 200, body);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      req.resume();
      count(error.status);
      sendJson(res, error.status, error.body);
    }
  }

  const listener = withFaults(faults, handle, { statusBody: airtableErrorBody });
  const server = await startHttpServer((req, res) => {
    stats.requests += 1;
    stats.log.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    void listener(req, res);
  });

  return {
    url: server.origin,
    token: Object.keys(tokens).find((token) => tokens[token] === '*') ?? Object.keys(tokens)[0] ?? EMULATOR_TOKEN,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = freshStats();
    },
    faults,
    inject(rule) {
      faults.add(rule);
    },
    records: (baseId, table) => store.table(baseId, table).records.map((record) => structuredClone(record)),
    addRecord: (baseId, table, fields, { id = airtableId('rec'), createdTime = new Date(now()).toISOString() } = {}) =>
      store.add(baseId, table, fields, id, createdTime),
    updateRecord: (baseId, table, recordId, fields) => store.update(baseId, table, recordId, fields),
    deleteRecord: (baseId, table, recordId) => store.delete(baseId, table, recordId),
    renameField: (baseId, table, from, to) => store.renameField(baseId, table, from, to),
    deleteField: (baseId, table, field) => store.deleteField(baseId, table, field),
    renameTable: (baseId, from, to) => store.renameTable(baseId, from, to),
    setView: (baseId, table, name, recordIds) => store.setView(baseId, table, name, recordIds),
    invalidateOffsets: () => cursors.clear(),
    close() {
      faults.releaseStalled();
      return server.close();
    },
  };
}
