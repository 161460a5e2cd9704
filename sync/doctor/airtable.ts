/**
 * Doctor's Airtable check: the base's schema (metadata API, `GET /v0/meta/bases/{baseId}/tables`), then the first
 * page of each used table, asking for the mapped columns only (so that private columns never leave Airtable). The
 * token's scopes are inferred from the answers: records listed → data.records:read; schema read → schema.bases:read,
 * refused (403) → without it; 401 → the token is not valid; 403 everywhere → the base is not in the token's list.
 */
import { describeFailure } from '../errors.ts';
import type { ResolvedConfig } from '../config.ts';
import { RequestError } from '../http/retry.ts';
import { isBaseSchema, type BaseSchema } from '../sources/airtable-links.ts';
import { fieldType } from '../sources/airtable-types.ts';
import { nearestColumns } from '../sources/column-names.ts';
import { airtableThrottle } from '../sources/index.ts';
import type { TableKey } from '../template.ts';
import { emptyCheck, missingTable } from './grid.ts';
import { get, json, type Answer } from './http.ts';
import { clearCandidate, exactName, fillFields, idsOf, matchFields, type Column } from './match.ts';
import type { SourceCheck, TableCheck } from './types.ts';

const LABEL = 'Airtable';
export const CREATE_TOKEN_URL = 'https://airtable.com/create/tokens';

/** What a failed request was, for a sentence. */
function why(error: unknown): string {
  return error instanceof RequestError ? describeFailure(error.failure) : String(error);
}

/** Airtable's error type (`UNKNOWN_FIELD_NAME`) and message, from its error body. */
function airtableError(answer: Answer): { type: string; message: string } {
  const error = (json(answer) as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return { type: error, message: '' };
  const typed = (error ?? {}) as { type?: unknown; message?: unknown };
  return { type: typeof typed.type === 'string' ? typed.type : '', message: typeof typed.message === 'string' ? typed.message : '' };
}

/** `singleLineText`, `formula (number)`. */
function typeText(field: { type?: unknown; options?: unknown }): string | undefined {
  const type = fieldType(field);
  return type && (type.result ? `${type.type} (${type.result.type})` : type.type);
}

/** A table check that read nothing. */
function unread(table: TableKey, name: string, problem: string): TableCheck {
  const check = emptyCheck(table, 'airtable', name);
  check.problems.push(problem);
  return check;
}

export async function checkAirtable(
  config: ResolvedConfig,
  keys: readonly TableKey[],
  signal?: AbortSignal,
): Promise<{ source: SourceCheck; tables: TableCheck[] }> {
  const { template } = config;
  const token = config.secrets.airtableToken;
  const { baseId, endpointUrl } = config.sources.airtable;
  const source: SourceCheck = {
    kind: 'airtable',
    label: LABEL,
    target: `base ${baseId ?? '(none)'}`,
    ok: false,
    facts: [],
    problems: [],
    notes: [],
  };
  const notChecked = (why: string) => ({ source, tables: keys.map((key) => unread(key, template[key].table, `not checked: ${why}`)) });
  if (!token) {
    source.problems.push(
      `No Airtable token: set AIRTABLE_TOKEN (in .env or the environment) to a personal access token with the scopes data.records:read and schema.bases:read and this base in its access list. Create one at ${CREATE_TOKEN_URL}.`,
    );
    return notChecked('no Airtable token (AIRTABLE_TOKEN).');
  }
  if (!baseId || !/^app[A-Za-z0-9]{14}$/.test(baseId)) {
    source.problems.push(
      `The base id must look like appXXXXXXXXXXXXXX, not "${baseId ?? ''}": set AIRTABLE_BASE_ID (or sources.airtable.baseId in workshop.config.ts) to the part of the base's URL that starts with app (https://airtable.com/appXXXXXXXXXXXXXX/…).`,
    );
    return notChecked('no valid base id.');
  }
  const baseRef: string = baseId;
  const api = (endpointUrl ?? '').replace(/\/+$/, '');
  // The base's throttle for the whole process: a check run again right after (setup's, after saving the mapping)
  // or a sync in the same process shares Airtable's 5 requests a second with it.
  const throttle = airtableThrottle(endpointUrl, baseId);
  const options = { headers: { authorization: `Bearer ${token}` }, throttle, signal, timeoutMs: config.requestTimeoutMs };
  const base = `${api}/v0/${encodeURIComponent(baseId)}`;

  // The schema: field names, types and ids; the scope schema.bases:read.
  let schema: BaseSchema | undefined;
  let schemaStatus: number;
  try {
    const answer = await get(`${api}/v0/meta/bases/${encodeURIComponent(baseId)}/tables`, 'the metadata API', options);
    schemaStatus = answer.status;
    const body = json(answer);
    if (answer.status === 200 && isBaseSchema(body)) schema = body;
  } catch (error) {
    source.problems.push(
      `Airtable did not answer (${why(error)}): check the network, and AIRTABLE_ENDPOINT_URL if it is set; then run doctor again.`,
    );
    return notChecked('Airtable did not answer.');
  }
  if (schemaStatus === 401) {
    source.problems.push(
      `Airtable rejected the token (401): AIRTABLE_TOKEN is not a valid personal access token (mistyped, expired or deleted). Create one at ${CREATE_TOKEN_URL} with the scopes data.records:read and schema.bases:read and this base in its access list.`,
    );
    return notChecked('the token was rejected.');
  }

  /**
   * Lists the first page of `ref` (a table's id or name), of its `view` if one is set, asking for `fields` only; a 422
   * for an unknown one drops it.
   */
  async function firstPage(
    ref: string,
    fields: readonly string[],
    view: string | undefined,
  ): Promise<{ answer: Answer; unknown: string[] }> {
    const asked = [...fields];
    const unknown: string[] = [];
    for (;;) {
      const query = new URLSearchParams({ pageSize: '100' });
      for (const field of asked) query.append('fields[]', field);
      if (view !== undefined) query.set('view', view);
      const answer = await get(`${base}/${encodeURIComponent(ref)}?${query}`, `the table ${ref}`, options);
      const error = airtableError(answer);
      const named = /"(.*)"/.exec(error.message)?.[1];
      if (answer.status !== 422 || error.type !== 'UNKNOWN_FIELD_NAME' || named === undefined || !asked.includes(named)) {
        return { answer, unknown };
      }
      asked.splice(asked.indexOf(named), 1);
      unknown.push(named);
    }
  }

  const statuses: number[] = [];
  async function checkTable(key: TableKey): Promise<TableCheck> {
    const configured = template[key].table;
    const check = emptyCheck(key, 'airtable', configured);
    let columns: Column[];
    let ref = configured;
    if (schema) {
      const tableId = idsOf(template, key).table;
      let table = schema.tables.find((t) => t.id === tableId) ?? schema.tables.find((t) => t.name === configured);
      if (!table) {
        const names = schema.tables.map((t) => t.name);
        const nearest = nearestColumns(configured, names);
        const candidate = clearCandidate(configured, nearest);
        if (!candidate) {
          const listed = names.map((n) => `"${n}"`).join(', ') || 'none';
          const guess = nearest.length > 0 ? ` Is it ${nearest.map((n) => `"${n}"`).join(' or ')}?` : '';
          missingTable(
            check,
            `There is no table "${configured}" in base ${baseId}; its tables are ${listed}.${guess} Rename the table back, or write its name as template.${key}.table in workshop.config.ts.`,
          );
          check.ok = check.absent === true;
          return check;
        }
        check.problems.push(
          `There is no table "${configured}" in base ${baseId}; "${candidate}" is the nearest: npm run doctor -- --write saves it as template.${key}.table, or rename the table back to "${configured}".`,
        );
        table = schema.tables.find((t) => t.name === candidate)!;
      }
      check.name = table.name;
      check.tableId = table.id;
      check.url = `https://airtable.com/${encodeURIComponent(baseRef)}/${encodeURIComponent(table.id)}`;
      ref = table.id;
      columns = table.fields.map((f) => ({ name: f.name, id: f.id, ...(typeText(f) ? { type: typeText(f)! } : {}) }));
    } else columns = [];

    // Without the schema, the columns are learnt by asking for the template's: Airtable names each unknown one.
    const expected = Object.values<string | undefined>(template[key].columns).filter((c): c is string => c !== undefined);
    const wanted = schema
      ? matchFields(template, key, columns, exactName).flatMap((f) =>
          f.column && (f.status === 'found' || f.status === 'renamed') ? [f.column] : [],
        )
      : expected;
    let page: { answer: Answer; unknown: string[] };
    try {
      page = await firstPage(ref, [...new Set(wanted)], template[key].view);
    } catch (error) {
      check.problems.push(`Airtable did not answer for this table (${why(error)}): run doctor again.`);
      return check;
    }
    const { answer } = page;
    statuses.push(answer.status);
    if (answer.status !== 200) {
      const { type } = airtableError(answer);
      check.problems.push(
        answer.status === 403 && schema
          ? `The token may read the base's schema but not its records (403 ${type}): give it the data.records:read scope at ${CREATE_TOKEN_URL}.`
          : answer.status === 422 && type === 'VIEW_NAME_NOT_FOUND'
            ? `There is no view "${template[key].view ?? ''}" in this table (422 ${type}): create it in Airtable, or fix template.${key}.view in workshop.config.ts (views are named as in Airtable, case counts).`
            : answer.status === 403 || answer.status === 404
              ? `No table "${configured}" in base ${baseId}, or no access to the base (${answer.status} ${type}): check the table's name (case counts) and that the token lists this base under Access at ${CREATE_TOKEN_URL}.`
              : `Airtable answered ${answer.status} ${type} for this table: run doctor again; if it persists, check the table and its columns in workshop.config.ts.`,
      );
      return check;
    }
    const listing = (json(answer) ?? {}) as { records?: unknown[]; offset?: unknown };
    const records = (listing.records ?? []).length;
    const more = typeof listing.offset === 'string';
    if (!schema) {
      // The columns asked for that Airtable knows, and, for the nearest names of the others, those the first
      // records have values in (Airtable leaves empty cells out; the values themselves are not kept).
      const present = expected.filter((c) => !page.unknown.includes(c));
      let seen: string[] = [];
      if (page.unknown.length > 0) {
        const all = await get(`${base}/${encodeURIComponent(ref)}?pageSize=100`, `the table ${ref}`, options).catch(() => undefined);
        const body = all && all.status === 200 ? (json(all) as { records?: { fields?: Record<string, unknown> }[] }) : undefined;
        seen = [...new Set((body?.records ?? []).flatMap((r) => Object.keys(r.fields ?? {})))];
      }
      columns = [...new Set([...present, ...seen])].map((name) => ({ name }));
    }
    check.reachable = true;
    check.records = { count: records, more };
    fillFields(check, template, key, columns, exactName);
    // Without the schema, the table's other columns are unknown (and their values are not asked for).
    check.private = schema ? columns.map((c) => c.name).filter((name) => !check.published.includes(name)) : [];
    if (!schema) check.privateListed = false;
    check.ok = check.problems.length === 0;
    return check;
  }

  const tables = await Promise.all(keys.map(checkTable));
  const listed = statuses.some((s) => s === 200);
  // Without the schema, a 403 where other tables were listed means no such table: optional for the program committee.
  const committee = tables.find((t) => t.table === 'programCommittee' && !t.reachable && !schema);
  if (committee && listed && committee.problems.length === 1 && /^No table /.test(committee.problems[0] ?? '')) {
    const [problem] = committee.problems.splice(0, 1);
    missingTable(committee, problem ?? '');
    committee.ok = true;
  }
  source.access = { records: statuses.length === 0 ? undefined : listed, schema: schema !== undefined };
  if (schema) source.facts.push(`base ${baseId}: ${schema.tables.length} tables (${schema.tables.map((t) => `"${t.name}"`).join(', ')})`);
  // Refused everywhere, the schema too: the base is not in the token's list (or there is no such base).
  const noBase = !listed && !schema && statuses.length > 0 && statuses.every((s) => s === 403 || s === 404);
  if (noBase) {
    source.problems.push(
      `The token has no access to base ${baseId} (${schemaStatus}): add the base to the token's access list (${CREATE_TOKEN_URL} › the token › Access › add a base), or check the base id (AIRTABLE_BASE_ID).`,
    );
    for (const table of tables) table.problems = [`not checked: the token has no access to base ${baseId}.`];
  }
  if (listed) source.facts.push('token: data.records:read ✓ (records listed)');
  if (schema) source.facts.push('token: schema.bases:read ✓ (field types, ids, linked records)');
  else if (noBase) {
    // Nothing can be said about the scopes until the base is in the token's list.
  } else if (schemaStatus === 403 || schemaStatus === 404) {
    source.notes.push(
      `The token lacks the schema.bases:read scope (${schemaStatus}), which costs: linked records' names (without it, a link column such as Authors is left out), field types (numbers, durations, dates shown as Airtable shows them), links from each problem to its record, and the ids that npm run doctor -- --write saves. Add the scope at ${CREATE_TOKEN_URL}.`,
    );
  } else if (!schema)
    source.notes.push(`The base's schema could not be read (${schemaStatus}): field types, record links and ids are unknown.`);
  source.ok = source.problems.length === 0 && listed;
  return { source, tables };
}
