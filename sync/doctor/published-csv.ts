/**
 * Doctor's check of tabs published to the web as CSV: each tab's link fetched (as the sync fetches it, the web-page
 * link turned into the CSV one), a web page where CSV was expected meaning the tab is not published, then its
 * header row found as the sync finds it.
 */
import type { ResolvedConfig } from '../config.ts';
import { describeFailure } from '../errors.ts';
import { RequestError } from '../http/retry.ts';
import { readCsv } from '../sources/csv.ts';
import { csvLinkOf } from '../sources/published-csv.ts';
import type { TableKey } from '../template.ts';
import { checkGrid, emptyCheck } from './grid.ts';
import { get } from './http.ts';
import type { SourceCheck, TableCheck } from './types.ts';

const LABEL = 'Published CSV';
const PUBLISH = 'In the sheet: File › Share › Publish to web, choose the tab and "Comma-separated values (.csv)", then Publish';

/** The link without its query, for messages. */
function shortUrl(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : url;
}

export async function checkPublishedCsv(
  config: ResolvedConfig,
  keys: readonly TableKey[],
  signal?: AbortSignal,
): Promise<{ source: SourceCheck; tables: TableCheck[] }> {
  const { template } = config;
  const { urls } = config.sources.publishedCsv;
  const source: SourceCheck = {
    kind: 'published-csv',
    label: LABEL,
    target: 'tabs published to the web',
    ok: true,
    facts: [],
    problems: [],
    notes: [],
  };
  const tables = await Promise.all(
    keys.map(async (key) => {
      const check = emptyCheck(key, 'published-csv', template[key].table);
      const url = urls[check.name];
      if (!url || !/^https?:\/\//.test(url)) {
        check.problems.push(
          `No published link for tab "${check.name}": ${PUBLISH}, and set its link as sources.publishedCsv.urls[${JSON.stringify(check.name)}] in workshop.config.ts${key === 'schedule' ? ' (or GOOGLE_SHEETS_CSV_URL)' : ''}.`,
        );
        return check;
      }
      source.facts.push(`tab "${check.name}": ${shortUrl(url)}`);
      try {
        const answer = await get(csvLinkOf(url), `the published tab ${check.name}`, { signal, timeoutMs: config.requestTimeoutMs });
        if (answer.status === 404 || answer.status === 410) {
          check.problems.push(
            `The link answered ${answer.status}: the sheet was unpublished or deleted. ${PUBLISH} again, and update the link.`,
          );
        } else if (answer.status !== 200) {
          check.problems.push(`The link answered ${answer.status}: check it (${shortUrl(url)}), then run doctor again.`);
        } else if (/text\/html/i.test(answer.contentType) || /^\s*<(!doctype|html)/i.test(answer.text)) {
          check.problems.push(`Google answered with a web page, not CSV: the tab is not published. ${PUBLISH}.`);
        } else checkGrid(check, template, key, LABEL, readCsv(answer.text));
      } catch (error) {
        const why = error instanceof RequestError ? describeFailure(error.failure) : (error as Error).message;
        check.problems.push(`The published tab could not be read (${why}): check the link, then run doctor again.`);
      }
      check.ok = check.reachable && check.problems.length === 0;
      return check;
    }),
  );
  source.ok = tables.every((t) => t.reachable);
  return { source, tables };
}
