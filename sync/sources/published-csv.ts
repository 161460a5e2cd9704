/**
 * A Google Sheet "published to the web" as CSV (File › Share › Publish to web): no credentials, one URL per tab,
 * given as either link organizers have (see csvLinkOf). Redirects are followed; a sign-in page where CSV was expected
 * means the tab is not published.
 */
import { ConfigError, gaveUp, SourceError } from '../errors.ts';
import { HttpStatusError } from '../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import { readCsv } from './csv.ts';
import { readSheet } from './rows.ts';
import type { Source } from './types.ts';

export interface PublishedCsvSourceOptions {
  /**
   * Tab name → its published link: the CSV link (…/pub?gid=0&single=true&output=csv) or the web-page link an iframe
   * embeds (…/pubhtml?gid=0&single=true). GOOGLE_SHEETS_CSV_URL sets `Schedule`.
   */
  urls: Record<string, string | undefined>;
  policy?: RetryPolicy;
  timeoutMs?: number;
}

const LABEL = 'Published CSV';

/** The URL without its query, for messages: enough to recognise it, nothing more. */
function shortUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** A sheet's publish-to-the-web path: `/spreadsheets/d/e/{pubId}` (or a legacy `/spreadsheets/d/{id}`), then the page. */
const PUBLISHED_PAGE = /^(\/spreadsheets\/d\/(?:e\/)?[^/]+)\/(pubhtml|pub)(?:\/sheet)?$/;

/**
 * The CSV link of a published tab, from either link organizers have. The web-page link (`…/pubhtml?gid=123&single=true`,
 * what an iframe embeds, `widget` and `headers` included) and a `…/pub` link of another output become
 * `…/pub?gid=123&single=true&output=csv`: the tab of the link's `gid`, or without a `gid`, `…/pub?output=csv`, which
 * Google answers with the first tab. A CSV link (`…/pub?…output=csv`) and any other URL are returned as they are.
 */
export function csvLinkOf(link: string): string {
  if (!URL.canParse(link)) return link;
  const url = new URL(link);
  const page = PUBLISHED_PAGE.exec(url.pathname);
  if (!page?.[1] || (page[2] === 'pub' && url.searchParams.get('output') === 'csv')) return link;
  const gid = url.searchParams.get('gid');
  const query = gid ? `gid=${encodeURIComponent(gid)}&single=true&output=csv` : 'output=csv';
  return `${url.origin}${page[1]}/pub?${query}`;
}

/** Tab → CSV link, each checked to be an http(s) URL. */
function csvLinks(urls: Record<string, string | undefined>): Record<string, string> {
  const links: Record<string, string> = {};
  for (const [tab, url] of Object.entries(urls)) {
    if (!url || !/^https?:\/\//.test(url)) {
      throw new ConfigError(
        `The published CSV URL of tab "${tab}" must be an http(s) URL (File › Share › Publish to web › the tab › "Comma-separated values (.csv)" or "Web page"), not "${url ?? ''}".`,
      );
    }
    links[tab] = csvLinkOf(url);
  }
  return links;
}

/** The published-CSV source; each tab's link is checked and turned into its CSV link here, before any request. */
export function publishedCsvSource(options: PublishedCsvSourceOptions): Source {
  const { policy, timeoutMs = 60_000 } = options;
  const urls = csvLinks(options.urls);

  async function fetchTab(tab: string, url: string, signal: AbortSignal | undefined): Promise<string> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, { redirect: 'follow', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!response.ok) throw new HttpStatusError(shortUrl(url), response);
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text)) {
      throw new SourceError(
        LABEL,
        tab,
        'Google answered with a web page, not CSV: the tab is not published. In the sheet: File › Share › Publish to web, choose the tab and "Comma-separated values (.csv)", then Publish.',
      );
    }
    return text;
  }

  return {
    label: LABEL,
    async *pages({ name, columns, optional }, readOptions = {}) {
      const url = urls[name];
      if (!url) throw new SourceError(LABEL, name, `no published CSV URL for tab "${name}" in workshop.config.ts.`);
      let retries = 0;
      const text = await withRetry(() => fetchTab(name, url, readOptions.signal), {
        ...(policy ? { policy } : {}),
        ...(readOptions.signal ? { signal: readOptions.signal } : {}),
        onRetry: () => {
          retries++;
        },
      }).catch((error: unknown) => {
        const cause = error instanceof RequestError ? error.cause : error;
        if (cause instanceof SourceError) throw cause;
        if (!(error instanceof RequestError)) throw error;
        const { failure } = error;
        if (failure.status === 404 || failure.status === 410) {
          throw new SourceError(
            LABEL,
            name,
            `${shortUrl(url)} answered ${failure.status}: the sheet was unpublished or deleted. Publish it again and update the URL.`,
            failure,
            error,
          );
        }
        throw new SourceError(LABEL, name, failure.retryable ? gaveUp(failure, error.attempts) : `${error.message}.`, failure, error);
      });
      let grid: string[][];
      try {
        grid = readCsv(text);
      } catch (error) {
        throw new SourceError(LABEL, name, `${(error as Error).message}.`, undefined, error);
      }
      const { rows, missing } = readSheet(LABEL, name, grid, { columns, ...(optional ? { optional } : {}) });
      yield { rows, missing, waitedMs: 0, retries };
    },
  };
}
