/**
 * The list-records parameters: read from a jQuery-param query string (GET) or a JSON body (POST …/listRecords),
 * then checked as the API checks them (each refusal a 422 INVALID_REQUEST_UNKNOWN).
 */
import type { IncomingMessage } from 'node:http';
import { invalidRequest } from './errors.ts';

/** The parameters of one list-records (or get-record) request, checked. */
export interface ListParams {
  pageSize: number;
  offset?: string;
  maxRecords?: number;
  view?: string;
  /** Field names or `fld…` ids, mixed as the API allows. */
  fields?: string[];
  sort: { field: string; direction: 'asc' | 'desc' }[];
  filterByFormula?: string;
  cellFormat: 'json' | 'string';
  timeZone?: string;
  userLocale?: string;
  /** Cells keyed by field id (`fld…`) rather than by name. */
  returnFieldsByFieldId: boolean;
}

/** Reads jQuery-param style query parameters (`fields[]=A`, `sort[0][field]=B`) into a plain object. */
export function queryToObject(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sort: Record<string, Record<string, string>> = {};
  for (const [key, value] of search) {
    const sortKey = /^sort\[(\d+)\]\[(field|direction)\]$/.exec(key);
    if (sortKey) {
      const entry = (sort[sortKey[1] ?? '0'] ??= {});
      entry[sortKey[2] ?? 'field'] = value;
    } else if (key === 'fields[]' || key === 'fields' || key === 'recordMetadata[]') {
      const name = key.replace('[]', '');
      const list = Array.isArray(out[name]) ? (out[name] as string[]) : [];
      list.push(value);
      out[name] = list;
    } else {
      out[key] = value;
    }
  }
  const sortList = Object.keys(sort)
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => sort[String(index)]);
  if (sortList.length > 0) out['sort'] = sortList;
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON object of a POST …/listRecords body (an empty body is `{}`). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw invalidRequest('the request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function parseInteger(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : Number(raw);
  const shown = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
  if (!Number.isInteger(value)) throw invalidRequest(`the value of ${name} (${shown}) is not an integer`);
  return value;
}

/** A boolean parameter: `true`/`false` (or `1`/`0`) in a query string, a boolean in a JSON body. */
function parseBoolean(raw: unknown, name: string): boolean {
  if (raw === undefined || raw === '' || raw === false || raw === 'false' || raw === '0') return false;
  if (raw === true || raw === 'true' || raw === '1') return true;
  throw invalidRequest(`${name} must be a boolean`);
}

function parseStringList(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) throw invalidRequest(`${name} must be a list of field names`);
  return raw;
}

function parseSort(raw: unknown): ListParams['sort'] {
  const sortRaw = raw ?? [];
  if (!Array.isArray(sortRaw)) throw invalidRequest('sort must be a list of { field, direction }');
  return sortRaw.map((entry: unknown) => {
    const { field, direction = 'asc' } = (entry ?? {}) as { field?: unknown; direction?: unknown };
    if (typeof field !== 'string' || (direction !== 'asc' && direction !== 'desc')) {
      throw invalidRequest('each sort entry needs a field name and a direction "asc" or "desc"');
    }
    return { field, direction };
  });
}

/** Checks the raw parameters: pageSize 1–100 (default 100), maxRecords ≥ 0, sort, cellFormat, the string ones. */
export function parseParams(raw: Record<string, unknown>): ListParams {
  const pageSize = parseInteger(raw['pageSize'], 'pageSize') ?? 100;
  if (pageSize < 1 || pageSize > 100) {
    throw invalidRequest(`the value of pageSize (${pageSize}) must be between 1 and 100`);
  }
  const maxRecords = parseInteger(raw['maxRecords'], 'maxRecords');
  if (maxRecords !== undefined && maxRecords < 0) throw invalidRequest('maxRecords must not be negative');
  const sort = parseSort(raw['sort']);
  const cellFormat = raw['cellFormat'] ?? 'json';
  if (cellFormat !== 'json' && cellFormat !== 'string') throw invalidRequest('cellFormat must be "json" or "string"');
  const returnFieldsByFieldId = parseBoolean(raw['returnFieldsByFieldId'], 'returnFieldsByFieldId');
  const params: ListParams = { pageSize, sort, cellFormat, returnFieldsByFieldId };
  for (const key of ['offset', 'view', 'filterByFormula', 'timeZone', 'userLocale'] as const) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw invalidRequest(`${key} must be a string`);
    params[key] = value;
  }
  if (maxRecords !== undefined) params.maxRecords = maxRecords;
  const fields = parseStringList(raw['fields'], 'fields');
  if (fields !== undefined) params.fields = fields;
  if (cellFormat === 'string' && (params.timeZone === undefined || params.userLocale === undefined)) {
    throw invalidRequest('cellFormat "string" requires timeZone and userLocale');
  }
  return params;
}
