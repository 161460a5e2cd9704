/**
 * A Google Sheet "published to the web" as CSV (File › Share › Publish to web): no credentials, one URL per tab.
 * Redirects are followed; a sign-in page where CSV was expected means the tab is not published.
 */
import { ConfigError, gaveUp, SourceError } from '../errors.ts';
import { HttpStatusError } from '../http/errors.ts';
import { RequestError, withRetry, type RetryPolicy } from '../http/retry.ts';
import { readCsv } from './csv.ts';
import { rowsFromSheet } from './rows.ts';
import type { Source } from './types.ts';

export interface PublishedCsvSourceOptions {
  /** Tab name → its published CSV URL (…/pub?gid=0&single=true&output=csv). GOOGLE_SHEETS_CSV_URL sets `Schedule`. */
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

export function publishedCsvSource(options: PublishedCsvSourceOptions): Source {
  const { urls, policy, timeoutMs = 60_000 } = options;
  for (const [tab, url] of Object.entries(urls)) {
    if (!url || !/^https?:\/\//.test(url)) {
      throw new ConfigError(
        `The published CSV URL of tab "${tab}" must be an http(s) URL (File › Share › Publish to web › the tab › CSV), not "${url ?? ''}".`,
      );
    }
  }

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
    async *pages({ name }, readOptions = {}) {
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
      yield { rows: rowsFromSheet(LABEL, name, grid), waitedMs: 0, retries };
    },
  };
}
