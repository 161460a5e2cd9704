/**
 * Google Sheets API v4 through the official client (@googleapis/sheets + google-auth-library): a tab is one page,
 * read with `values:batchGet`, with an API key or a service account. The service account signs its own JWT
 * (useJWTAccessWithScope), so no token exchange is needed. gaxios's own retries are off: our one policy retries.
 * Cells come as the sheet shows them (FORMATTED_VALUE), so dates are in the spreadsheet's locale: it is read once per
 * sync (`spreadsheets.get`, in parallel with the values) and handed on with every page (Page.locale). The same request
 * gives the tabs' ids, for links to the cell of a problem (Page.link).
 */
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { GoogleAuth, JWT } from 'google-auth-library';
import { ConfigError, describeFailure, gaveUp, SourceError } from '../errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import { SHEETS_API, SHEETS_READONLY_SCOPE } from './endpoints.ts';
import { sheetCellUrl } from './links.ts';
import { readSheet } from './rows.ts';
import type { Page, Source } from './types.ts';

/** The fields of a service-account key file that signing needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
}

export interface GoogleSheetsSourceOptions {
  /** From the sheet's URL: docs.google.com/spreadsheets/d/<id>/edit. From GOOGLE_SHEETS_ID. */
  spreadsheetId: string | undefined;
  /** An API key (the sheet must be shared with "Anyone with the link"). From GOOGLE_API_KEY. */
  apiKey?: string | undefined;
  /** A service account's key (the sheet shared with its email). From the file GOOGLE_APPLICATION_CREDENTIALS names. */
  serviceAccount?: ServiceAccountKey | undefined;
  /** API origin. From GOOGLE_SHEETS_ROOT_URL; default https://sheets.googleapis.com/. */
  rootUrl?: string | undefined;
  policy?: RetryPolicy;
  timeoutMs?: number;
}

const LABEL = 'Google Sheets';

/** The spreadsheet's own settings that tell how to read its cells, or why they could not be read. */
interface SheetSettings {
  /** `en_US`, `en_GB`, `de_DE`, `fil`…: the order of its dates, the decimal mark of its numbers. */
  locale?: string;
  /** `America/New_York` (CLDR), or a custom zone such as `GMT-07:00`. */
  timeZone?: string;
  /** Each tab's id (the `gid` of its links), by title. */
  sheetIds?: ReadonlyMap<string, number>;
  /** Why they could not be read: said once, as a warning. */
  warning?: string;
}
const SCOPES = [SHEETS_READONLY_SCOPE];

/** `'My Tab'` — a tab name as an A1 range, quoted, quotes doubled. */
function tabRange(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** Google answers an unknown API key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID (not 401 or 403). */
function isBadApiKey(error: RequestError): boolean {
  const details = (error.cause as { response?: { data?: { error?: { details?: unknown } } } } | undefined)?.response?.data?.error?.details;
  const reasons = Array.isArray(details) ? details.map((d: { reason?: unknown } | null) => d?.reason) : [];
  return reasons.includes('API_KEY_INVALID') || /API key not valid/i.test(error.message);
}

/** gaxios hands back the text of a body that is not JSON (e.g. cut short): that is a failed try, not empty tabs. */
function isBatch(data: unknown, ranges: number): boolean {
  const valueRanges = typeof data === 'object' && data !== null ? (data as { valueRanges?: unknown }).valueRanges : undefined;
  return Array.isArray(valueRanges) && valueRanges.length === ranges;
}

/** The client's credentials: a service account's signed JWT, or the API key. */
export function authFor(options: GoogleSheetsSourceOptions): GoogleAuth | JWT | string {
  if (options.serviceAccount) {
    const { client_email: email, private_key: key } = options.serviceAccount;
    if (!email || !key)
      throw new ConfigError(
        'The service-account key file has no client_email or private_key: download a JSON key of the service account again.',
      );
    const jwt = new JWT({ email, key, scopes: SCOPES });
    jwt.useJWTAccessWithScope = true;
    return jwt;
  }
  // The key goes in the X-Goog-Api-Key header, not the URL, so it cannot end up in a logged URL. A project id
  // keeps google-auth-library from probing the Cloud metadata server first (seconds, offline).
  if (options.apiKey) return new GoogleAuth({ apiKey: options.apiKey, projectId: 'workshop-site' });
  throw new ConfigError(
    'No Google credentials. Set GOOGLE_API_KEY (for a sheet shared with "Anyone with the link") or GOOGLE_APPLICATION_CREDENTIALS (a service-account JSON key; share the sheet with its email).',
  );
}

export function googleSheetsSource(options: GoogleSheetsSourceOptions): Source {
  const { spreadsheetId, policy } = options;
  if (!spreadsheetId)
    throw new ConfigError("Missing GOOGLE_SHEETS_ID: the id in the sheet's URL, docs.google.com/spreadsheets/d/<id>/edit.");
  const client = sheets({
    version: 'v4',
    auth: authFor(options),
    rootUrl: options.rootUrl ?? SHEETS_API,
    retry: false,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });

  /** The spreadsheet's locale and time zone, read once per sync (see `settings`). */
  let settings: Promise<SheetSettings> | undefined;
  let settingsWarned = false;

  /**
   * The spreadsheet's locale (the order its dates are shown in) and time zone: one `spreadsheets.get` per sync, under
   * the same retry policy as the values. A failure is a warning, not the end of the sync: dates are then read as
   * template.schedule.dayFirst says, or month first.
   */
  function readSettings(signal: AbortSignal | undefined): Promise<SheetSettings> {
    settings ??= withRetry(
      async () => {
        const answer = await client.spreadsheets.get(
          { spreadsheetId: spreadsheetId!, fields: 'properties(locale,timeZone),sheets.properties(sheetId,title)' },
          signal ? { signal } : {},
        );
        const data: unknown = answer.data;
        if (typeof data !== 'object' || data === null) throw new SyntaxError('the answer is not a spreadsheet');
        const spreadsheet = data as sheets_v4.Schema$Spreadsheet;
        return { ...spreadsheet.properties, sheets: spreadsheet.sheets ?? [] };
      },
      {
        ...(policy ? { policy } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(signal ? { signal } : {}),
      },
    ).then(
      ({ locale, timeZone, sheets }): SheetSettings => ({
        ...(typeof locale === 'string' && locale !== '' ? { locale } : {}),
        ...(typeof timeZone === 'string' && timeZone !== '' ? { timeZone } : {}),
        sheetIds: new Map(
          sheets.flatMap(({ properties: tab }) =>
            typeof tab?.title === 'string' && typeof tab.sheetId === 'number' ? [[tab.title, tab.sheetId] as const] : [],
          ),
        ),
      }),
      (error: unknown): SheetSettings => {
        const why = error instanceof RequestError ? describeFailure(error.failure) : String(error);
        return {
          warning: `could not read the spreadsheet's locale (${why}), so its dates are read month first (7/18/2024) unless template.schedule.dayFirst is set in workshop.config.ts. If the sheet writes days first (18/07/2024), set template.schedule.dayFirst to true.`,
        };
      },
    );
    return settings;
  }

  /** The tab names the sheet really has, to suggest the right one. */
  async function tabNames(): Promise<string[]> {
    const response = await client.spreadsheets
      .get({ spreadsheetId: spreadsheetId!, fields: 'sheets.properties.title' })
      .catch(() => undefined);
    return (response?.data.sheets ?? []).map((s) => s.properties?.title ?? '').filter(Boolean);
  }

  async function explain(error: unknown, tab: string): Promise<SourceError> {
    if (!(error instanceof RequestError)) return new SourceError(LABEL, tab, `unexpected error: ${String(error)}`, undefined, error);
    const { failure } = error;
    const say = (message: string) => new SourceError(LABEL, tab, message, failure, error);
    switch (failure.status) {
      case 400: {
        if (isBadApiKey(error)) {
          return say(
            'Google rejected the API key (400 API_KEY_INVALID). Set GOOGLE_API_KEY to a valid key of a project with the Google Sheets API enabled.',
          );
        }
        const have = await tabNames();
        if (!have.includes(tab)) {
          return say(
            `the sheet has no tab "${tab}" (it has ${have.map((t) => `"${t}"`).join(', ') || 'none that we can see'}). Rename the tab back, or update the tab name in workshop.config.ts.`,
          );
        }
        return say(`Google Sheets rejected the request (400): ${error.message}.`);
      }
      case 401:
      case 403:
        return say(
          `no access to spreadsheet ${spreadsheetId} (${failure.status} ${failure.code ?? ''}). With GOOGLE_API_KEY, share the sheet with "Anyone with the link can view"; with a service account, share it with the account's email.`,
        );
      case 404:
        return say(`there is no spreadsheet ${spreadsheetId} (404). Check GOOGLE_SHEETS_ID: the id in the sheet's URL.`);
      default:
        return failure.retryable
          ? say(gaveUp(failure, error.attempts))
          : say(`Google Sheets answered ${failure.status ?? failure.kind}: ${error.message}.`);
    }
  }

  return {
    label: LABEL,
    async *pages({ name, columns, optional }, readOptions = {}) {
      let retries = 0;
      // In parallel with the values; never rejects.
      const sheet = readSettings(readOptions.signal);
      const response = await withRetry(
        async () => {
          const answer = await client.spreadsheets.values.batchGet(
            { spreadsheetId, ranges: [tabRange(name)], majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
            readOptions.signal ? { signal: readOptions.signal } : {},
          );
          if (!isBatch(answer.data, 1)) throw new SyntaxError('the answer is not a complete values:batchGet result');
          return answer;
        },
        {
          ...(policy ? { policy } : {}),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          ...(readOptions.signal ? { signal: readOptions.signal } : {}),
          onRetry: () => {
            retries++;
          },
        },
      ).catch(async (error: unknown) => {
        throw await explain(error, name);
      });
      const range: sheets_v4.Schema$ValueRange | undefined = response.data.valueRanges?.[0];
      const grid = (range?.values ?? []).map((cells) => cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
      const { rows, missing, columnIndex } = readSheet(LABEL, name, grid, { columns, ...(optional ? { optional } : {}) });
      const { warning, sheetIds, ...locale } = await sheet;
      const warnings = warning !== undefined && !settingsWarned ? [warning] : [];
      if (warning !== undefined) settingsWarned = true;
      const sheetId = sheetIds?.get(name);
      const link: Page['link'] =
        sheetId === undefined
          ? undefined
          : (where, column) =>
              'row' in where && where.row > 0
                ? sheetCellUrl(spreadsheetId, sheetId, where.row, column === undefined ? undefined : columnIndex.get(column))
                : undefined;
      yield { rows, missing, ...locale, ...(link ? { link } : {}), ...(warnings.length > 0 ? { warnings } : {}), waitedMs: 0, retries };
    },
  };
}
