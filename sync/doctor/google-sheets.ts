/**
 * Doctor's Google Sheets check, with the sync's client and credentials: `spreadsheets.get` (title, tabs, locale, time
 * zone) says whether the credentials may read the sheet — a 403 with an API key means it is not shared "Anyone with
 * the link", with a service account that it is not shared with the account's email; a 404, a wrong id — then one
 * `values:batchGet` reads the used tabs, whose header rows are found as the sync finds them.
 */
import { sheets } from '@googleapis/sheets';
import type { ResolvedConfig } from '../config.ts';
import { describeFailure } from '../errors.ts';
import { RequestError, withRetry } from '../http/retry.ts';
import { nearestColumns } from '../sources/column-names.ts';
import { SHEETS_API } from '../sources/endpoints.ts';
import { authFor } from '../sources/google-sheets.ts';
import type { TableKey } from '../template.ts';
import { checkGrid, emptyCheck, missingTable } from './grid.ts';
import { DOCTOR_POLICY } from './http.ts';
import { clearCandidate } from './match.ts';
import type { SourceCheck, TableCheck } from './types.ts';

const LABEL = 'Google Sheets';

/** `'My Tab'`: a tab name as an A1 range. */
const tabRange = (name: string) => `'${name.replace(/'/g, "''")}'`;

/** What to do about a refused `spreadsheets.get`, by status and credential. */
function refusal(error: unknown, id: string, account: string | undefined): string {
  if (!(error instanceof RequestError)) return `Google Sheets could not be read (${String(error)}): run doctor again.`;
  const { status } = error.failure;
  if (status === 403 && account) {
    return `The sheet is not shared with the service account (403): in the sheet, Share › add ${account} as a Viewer. (Or, to use GOOGLE_API_KEY instead, share it with "Anyone with the link".)`;
  }
  if (status === 403) {
    return 'The sheet is not shared "Anyone with the link" (403), which an API key needs: in the sheet, Share › General access › "Anyone with the link" (Viewer). Or use a service account (GOOGLE_APPLICATION_CREDENTIALS) and share the sheet with its email.';
  }
  if (status === 404)
    return `There is no spreadsheet ${id} (404): check GOOGLE_SHEETS_ID, the part of the sheet's URL between /d/ and /edit.`;
  if (status === 400 && /API key not valid/i.test(error.message)) {
    return 'Google rejected the API key (400 API_KEY_INVALID): set GOOGLE_API_KEY to a key of a Google Cloud project with the Google Sheets API enabled (console.cloud.google.com › APIs & Services › Credentials).';
  }
  if (status === 401) {
    return `Google rejected the service account's key (401): download a new JSON key for ${account ?? 'the service account'} and point GOOGLE_APPLICATION_CREDENTIALS at it.`;
  }
  return `Google Sheets did not answer as expected (${describeFailure(error.failure)}): run doctor again; if it persists, check GOOGLE_SHEETS_ROOT_URL if it is set.`;
}

export async function checkGoogleSheets(
  config: ResolvedConfig,
  keys: readonly TableKey[],
  signal?: AbortSignal,
): Promise<{ source: SourceCheck; tables: TableCheck[] }> {
  const { template } = config;
  const { spreadsheetId, rootUrl } = config.sources.googleSheets;
  const { googleApiKey: apiKey, googleServiceAccount: serviceAccount } = config.secrets;
  const account = serviceAccount?.client_email;
  const source: SourceCheck = {
    kind: 'google-sheets',
    label: LABEL,
    target: `spreadsheet ${spreadsheetId ?? '(none)'}`,
    ok: false,
    facts: [],
    problems: [],
    notes: [],
  };
  const tables = keys.map((key) => emptyCheck(key, 'google-sheets', template[key].table));
  const stop = (problem: string, why: string) => {
    source.problems.push(problem);
    for (const t of tables) t.problems.push(`not checked: ${why}`);
    return { source, tables };
  };
  if (!spreadsheetId) {
    return stop(
      "No spreadsheet id: set GOOGLE_SHEETS_ID (or sources.googleSheets.spreadsheetId in workshop.config.ts) to the id in the sheet's URL, docs.google.com/spreadsheets/d/<id>/edit.",
      'no spreadsheet id.',
    );
  }
  if (!apiKey && !serviceAccount) {
    return stop(
      'No Google credentials: set GOOGLE_API_KEY (the sheet shared with "Anyone with the link") or GOOGLE_APPLICATION_CREDENTIALS (the path of a service account\'s JSON key; share the sheet with its email). Without credentials, publish the tab to the web as CSV and set GOOGLE_SHEETS_CSV_URL.',
      'no Google credentials.',
    );
  }
  const client = sheets({
    version: 'v4',
    auth: authFor({ spreadsheetId, apiKey, serviceAccount }),
    rootUrl: rootUrl ?? SHEETS_API,
    retry: false,
  });
  const retry = { policy: DOCTOR_POLICY, timeoutMs: config.requestTimeoutMs, ...(signal ? { signal } : {}) };
  const request = signal ? { signal } : {};

  let spreadsheet;
  try {
    const answer = await withRetry(
      () =>
        client.spreadsheets.get({ spreadsheetId, fields: 'properties(title,locale,timeZone),sheets.properties(sheetId,title)' }, request),
      retry,
    );
    spreadsheet = answer.data;
  } catch (error) {
    return stop(refusal(error, spreadsheetId, account), 'the spreadsheet could not be read.');
  }
  const title = spreadsheet.properties?.title ?? '';
  const tabs = (spreadsheet.sheets ?? []).flatMap((s) => (typeof s.properties?.title === 'string' ? [s.properties.title] : []));
  source.target = `spreadsheet "${title}" (${spreadsheetId})`;
  source.facts.push(
    account ? `readable by the service account ${account}` : 'readable with the API key: shared with "Anyone with the link"',
  );
  source.facts.push(`tabs: ${tabs.map((t) => `"${t}"`).join(', ') || 'none'}`);
  const { locale, timeZone } = spreadsheet.properties ?? {};
  if (locale || timeZone) source.facts.push(`locale ${locale ?? 'unknown'}, time zone ${timeZone ?? 'unknown'}`);
  source.ok = true;

  // The tab of each table, or the nearest name when it is the one clear candidate.
  for (const check of tables) {
    if (tabs.includes(check.name)) continue;
    const nearest = nearestColumns(check.name, tabs);
    const candidate = clearCandidate(check.name, nearest);
    const setting = `template.${check.table}.table`;
    if (candidate) {
      check.problems.push(
        `There is no tab "${check.name}"; "${candidate}" is the nearest: npm run doctor -- --write saves it as ${setting}, or rename the tab back to "${check.name}".`,
      );
      check.name = candidate;
    } else {
      const guess = nearest.length > 0 ? ` Is it ${nearest.map((n) => `"${n}"`).join(' or ')}?` : '';
      missingTable(
        check,
        `There is no tab "${check.name}"; the sheet's tabs are ${tabs.map((t) => `"${t}"`).join(', ') || 'none'}.${guess} Rename the tab, or write its name as ${setting} in workshop.config.ts.`,
      );
    }
  }
  const readable = tables.filter((t) => tabs.includes(t.name));
  if (readable.length > 0) {
    try {
      const answer = await withRetry(
        () =>
          client.spreadsheets.values.batchGet(
            { spreadsheetId, ranges: readable.map((t) => tabRange(t.name)), majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
            request,
          ),
        retry,
      );
      readable.forEach((check, i) => {
        const sheetId = spreadsheet.sheets?.find((t) => t.properties?.title === check.name)?.properties?.sheetId;
        if (typeof sheetId === 'number')
          check.url = `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/edit#gid=${sheetId}`;
        const values = answer.data.valueRanges?.[i]?.values ?? [];
        const grid = values.map((cells) => cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
        checkGrid(check, template, check.table, LABEL, grid);
      });
    } catch (error) {
      const what = error instanceof RequestError ? describeFailure(error.failure) : String(error);
      for (const t of readable) t.problems.push(`The tab could not be read (${what}): run doctor again.`);
    }
  }
  for (const t of tables) t.ok = (t.reachable || t.absent === true) && t.problems.length === 0;
  return { source, tables };
}
