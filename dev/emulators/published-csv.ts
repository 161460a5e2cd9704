/**
 * An emulator of Google Sheets' "Publish to the web" CSV links (and of the `export?format=csv` link), for a
 * client that reads tabs with plain `fetch` and no credentials.
 *
 *   const sheetsApi = await startSheetsEmulator({ spreadsheets });            // optional: share its data
 *   const csv = await startPublishedCsvEmulator({ store: sheetsApi.store, publications: { '2PACX-1': { spreadsheetId: 'abc' } } });
 *   await fetch(csv.csvUrl('2PACX-1', 0));                                    // 307 → CSV, fetch follows it
 *
 * Its own server (own port), sharing the data: pass the Sheets emulator's `store` and both serve the same
 * spreadsheets, edits included (pass `spreadsheets` instead for a store of its own). Published CSV has no API-key
 * semantics, so a separate server keeps each emulator's stats, faults and 404s to itself.
 *
 * Endpoints (GET):
 * - `/spreadsheets/d/e/{pubId}/pub?gid={sheetId}&single=true&output=csv`: with `redirect` (default true) first a
 *   307 to `/pub-content/{token}?…` on the same server (Google answers with a redirect to
 *   *.googleusercontent.com), which serves the CSV; without, the CSV directly. No `gid` = the first tab.
 * - `/spreadsheets/d/e/{pubId}/pubhtml?gid={sheetId}&single=true` (and `…/pubhtml/sheet?gid=…`): the web page
 *   "Publish to web › Web page" links to and an iframe embeds (`widget=true&headers=false` accepted) — 200
 *   `text/html` with the tab as a table, never CSV; no redirect. No `gid` = the first tab.
 * - `/spreadsheets/d/{spreadsheetId}/export?format=csv&gid={sheetId}`: the CSV if the spreadsheet is `public`.
 * CSV: `text/csv; charset=utf-8`, RFC 4180 — a field containing a comma, a double quote, CR or LF is quoted and its
 * quotes doubled; records end with CRLF, without one after the last; trailing blank rows are dropped and every
 * record has as many fields as the widest kept row (blank cells as empty fields).
 * Not readable — publication off (`unpublish`), tab not among the published `gids`, or an export of a spreadsheet
 * that is not public — is a **200 `text/html` sign-in page**, as Google answers: the client must check that it got
 * CSV. Unknown pubId or spreadsheet: 404 `text/html`; an unknown gid or an output other than csv: 400 `text/html`.
 * Faults (`faults.ts`) apply to every request, the redirect and its target alike (match `path` to pick one).
 * Not emulated: the ~5 minute lag of published content behind edits (the emulator serves the current data).
 */
import type { ServerResponse } from 'node:http';
import { FaultPlan, withFaults, type RequestHandler } from './faults.ts';
import { counting, startHttpServer } from './http-server.ts';
import { SpreadsheetStore, type SpreadsheetSeed } from './google-sheets.ts';

interface Publication {
  spreadsheetId: string;
  /** Tabs published (sheetIds); default: every tab ("Entire document"). */
  gids?: number[];
  /** Default true; false answers the sign-in page, as after "Stop publishing". */
  published?: boolean;
}

export interface PublishedCsvOptions {
  /** Shared data, e.g. `sheetsEmulator.store`. */
  store?: SpreadsheetStore;
  /** A store of its own, when `store` is not given. */
  spreadsheets?: Record<string, SpreadsheetSeed>;
  /** By publication id (the `2PACX-…` part of the link). */
  publications?: Record<string, Publication>;
  /** Answer `/pub` with a 307 to the content URL first (default true). */
  redirect?: boolean;
  faults?: FaultPlan;
}

interface PublishedCsvStats {
  requests: number;
  redirects: number;
  /** Answers that were CSV. */
  csv: number;
  /** Sign-in pages served (200 text/html). */
  signIn: number;
  byStatus: Record<number, number>;
}

export interface PublishedCsvEmulator {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  store: SpreadsheetStore;
  faults: FaultPlan;
  stats: PublishedCsvStats;
  /** The publish-to-the-web link of one tab: `…/spreadsheets/d/e/{pubId}/pub?gid=…&single=true&output=csv`. */
  csvUrl(pubId: string, gid?: number): string;
  /** The web-page link an iframe embeds: `…/spreadsheets/d/e/{pubId}/pubhtml?gid=…&single=true`. */
  pubhtmlUrl(pubId: string, gid?: number): string;
  /** The export link: `…/spreadsheets/d/{spreadsheetId}/export?format=csv&gid=…`. */
  exportUrl(spreadsheetId: string, gid?: number): string;
  /** Adds or replaces a publication. */
  publish(pubId: string, publication: Publication): void;
  /** "Stop publishing": the link then serves the sign-in page. */
  unpublish(pubId: string): void;
  close(): Promise<void>;
}

/** One RFC 4180 field. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows as Google's CSV: trailing blank rows dropped, rows padded to the widest, CRLF between records. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const kept = [...rows];
  while (kept.length > 0 && (kept.at(-1) ?? []).every((cell) => cell === '')) kept.pop();
  const trimmedWidth = (row: readonly string[]): number => {
    let end = row.length;
    while (end > 0 && (row[end - 1] ?? '') === '') end--;
    return end;
  };
  const width = kept.reduce((max, row) => Math.max(max, trimmedWidth(row)), 0);
  return kept.map((row) => Array.from({ length: width }, (_, c) => csvField(row[c] ?? '')).join(',')).join('\r\n');
}

const SIGN_IN_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>
<body><form action="https://accounts.google.com/v3/signin/identifier" method="post"><h1>Sign in</h1>
<p>to continue to Sheets</p><input type="email" name="identifier" aria-label="Email or phone"></form></body></html>`;

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function page(title: string, text: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><p>${text}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A tab as the published web page shows it: an HTML table, row numbers down the side. */
function tabPage(title: string, rows: readonly (readonly string[])[]): string {
  const body = rows.map((row, r) => `<tr><th>${r + 1}</th>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><table class="waffle">${body}</table></body></html>`;
}

export async function startPublishedCsvEmulator(options: PublishedCsvOptions = {}): Promise<PublishedCsvEmulator> {
  const store = options.store ?? new SpreadsheetStore(options.spreadsheets);
  const publications = new Map(Object.entries(options.publications ?? {}));
  const redirect = options.redirect ?? true;
  const faults = options.faults ?? new FaultPlan();
  const stats: PublishedCsvStats = { requests: 0, redirects: 0, csv: 0, signIn: 0, byStatus: {} };
  let url = '';

  /**
   * Serves one tab as CSV (or, `asPage`, as the published web page), or the sign-in / error page.
   */
  function serveTab(
    res: ServerResponse,
    spreadsheetId: string,
    query: URLSearchParams,
    allowed: (gid: number) => boolean,
    asPage = false,
  ): void {
    const spreadsheet = store.spreadsheet(spreadsheetId);
    if (!spreadsheet) return html(res, 404, page('Page Not Found', 'Sorry, unable to open the file at this time.'));
    const output = asPage ? 'html' : (query.get('output') ?? query.get('format') ?? 'csv');
    if (!asPage && output !== 'csv') return html(res, 400, page('Bad Request', `This emulator only serves output=csv, not "${output}".`));
    const gidText = query.get('gid');
    const sheet = gidText === null ? spreadsheet.sheets[0] : spreadsheet.sheets.find((s) => String(s.sheetId) === gidText);
    if (!sheet) return html(res, 400, page('Bad Request', `No tab with gid ${gidText ?? '(none)'}.`));
    if (!allowed(sheet.sheetId)) {
      stats.signIn += 1;
      return html(res, 200, SIGN_IN_PAGE);
    }
    if (asPage) return html(res, 200, tabPage(`${spreadsheet.title} - ${sheet.title}`, sheet.rows));
    const body = toCsv(sheet.rows);
    stats.csv += 1;
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'content-disposition': `attachment; filename="${sheet.title.replace(/["\\\r\n]/g, '_')}.csv"`,
      'cache-control': 'private, max-age=300',
    });
    res.end(body);
  }

  function publication(pubId: string): Publication | undefined {
    return publications.get(pubId);
  }

  const handler: RequestHandler = (req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = parsed.searchParams;
    if (req.method !== 'GET') return html(res, 405, page('Method Not Allowed', 'GET only.'));
    const pub = /^\/spreadsheets\/d\/e\/([^/]+)\/pub$/.exec(parsed.pathname);
    const webPage = /^\/spreadsheets\/d\/e\/([^/]+)\/pubhtml(?:\/sheet)?$/.exec(parsed.pathname);
    const content = /^\/pub-content\/([^/]+)$/.exec(parsed.pathname);
    const exported = /^\/spreadsheets\/d\/([^/]+)\/export$/.exec(parsed.pathname);
    const linked = pub ?? webPage;
    const pubId =
      linked?.[1] !== undefined
        ? decodeURIComponent(linked[1])
        : content?.[1]
          ? Buffer.from(content[1], 'base64url').toString('utf8')
          : undefined;
    if (pubId !== undefined) {
      const found = publication(pubId);
      if (!found) return html(res, 404, page('Page Not Found', 'Sorry, unable to open the file at this time.'));
      if (pub && redirect) {
        stats.redirects += 1;
        const target = new URL(`pub-content/${Buffer.from(pubId).toString('base64url')}${parsed.search}`, url);
        res.writeHead(307, { location: target.href, 'content-length': 0 });
        res.end();
        return;
      }
      const isPublished = found.published ?? true;
      const allowed = (gid: number): boolean => isPublished && (found.gids?.includes(gid) ?? true);
      return serveTab(res, found.spreadsheetId, query, allowed, webPage !== null);
    }
    if (exported?.[1]) {
      const id = decodeURIComponent(exported[1]);
      return serveTab(res, id, query, () => store.spreadsheet(id)?.public ?? false);
    }
    return html(res, 404, page('Page Not Found', 'The requested URL was not found on this server.'));
  };

  const faulty = withFaults(faults, handler);
  const server = await startHttpServer(counting(stats, faulty));
  url = `${server.origin}/`;

  const gidQuery = (gid: number | undefined): string => (gid === undefined ? '' : `gid=${gid}&`);
  return {
    url,
    port: server.port,
    store,
    faults,
    stats,
    csvUrl: (pubId, gid) => `${url}spreadsheets/d/e/${encodeURIComponent(pubId)}/pub?${gidQuery(gid)}single=true&output=csv`,
    pubhtmlUrl: (pubId, gid) => `${url}spreadsheets/d/e/${encodeURIComponent(pubId)}/pubhtml?${gidQuery(gid)}single=true`,
    exportUrl: (spreadsheetId, gid) =>
      `${url}spreadsheets/d/${encodeURIComponent(spreadsheetId)}/export?format=csv${gid === undefined ? '' : `&gid=${gid}`}`,
    publish: (pubId, p) => {
      publications.set(pubId, p);
    },
    unpublish: (pubId) => {
      const found = publications.get(pubId);
      if (found) publications.set(pubId, { ...found, published: false });
    },
    close: () => {
      faults.releaseStalled();
      return server.close();
    },
  };
}
