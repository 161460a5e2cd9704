/**
 * The GitHub Actions job summary of a sync: its outcome, then a table of every problem — severity, where (a link to
 * the record or cell when the report has one) and what to do. The workflow (.github/workflows/sync.yml) runs
 *
 *   node sync/job-summary.ts report.json >>"$GITHUB_STEP_SUMMARY"
 *
 * on the report `npm run sync -- --json` printed. The report is read as untrusted text: a cell's `|`, line breaks,
 * brackets and HTML are escaped, so a spreadsheet can neither break the table nor add links or markup; only http(s)
 * links are made.
 */
import { readFileSync } from 'node:fs';
import { isWebLink } from './hyperlinks.ts';

/** GitHub takes up to 1 MiB of summary per step; past this many characters the table stops, saying how many it left. */
const MAX_CHARS = 900_000;

/** One row of the table. */
interface Row {
  severity: string;
  where: string;
  url?: string | undefined;
  message: string;
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);

/** Text for one table cell: on one line; `|`, backslashes, backticks and brackets (links, images) escaped; HTML as entities. */
export function cell(value: string): string {
  return value
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\|[\]`]/g, '\\$&')
    .trim();
}

/** `[text](url)` for an http(s) url, else the text alone. */
function linked(label: string, url: string | undefined): string {
  if (url === undefined || !isWebLink(url)) return label;
  return `[${label}](${url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)})`;
}

/** The rows: the report's structured problems, then its errors and warnings that are not among them. */
function rowsOf(report: Record<string, unknown>): Row[] {
  const rows: Row[] = [];
  const told = new Set<string>();
  for (const p of list(report['problems'])) {
    if (typeof p !== 'object' || p === null) continue;
    const problem = p as Record<string, unknown>;
    told.add(text(problem['text']));
    const field = text(problem['field']);
    const where = [text(problem['source']), text(problem['table']), text(problem['where']), field && `"${field}"`]
      .filter(Boolean)
      .join(' › ');
    const url = typeof problem['url'] === 'string' ? problem['url'] : undefined;
    rows.push({ severity: text(problem['severity']), where, url, message: text(problem['message']) });
  }
  for (const [severity, lines] of [
    ['error', report['errors']],
    ['warning', report['warnings']],
  ] as const) {
    for (const line of list(lines).map(text)) if (!told.has(line)) rows.push({ severity, where: '', message: line });
  }
  return rows;
}

/** The job summary of `report` (the parsed output of `npm run sync -- --json`; anything else says there is none). */
export function renderJobSummary(report: unknown): string {
  const r = typeof report === 'object' && report !== null ? (report as Record<string, unknown>) : { ok: false };
  const failed = r['ok'] === false;
  const oneLine = (value: unknown) => cell(text(value));
  const lines = [`### Sync ${failed ? 'failed' : 'done'}`, '', `${oneLine(r['edition']) || '?'}: ${oneLine(r['summary']) || 'no report'}`];
  if (failed && text(r['error'])) lines.push('', oneLine(r['error']));
  const rows = rowsOf(r);
  if (rows.length === 0) return `${lines.join('\n')}\n`;
  lines.push('', `#### Problems (${rows.length})`, '', '| | Where | Problem |', '|---|---|---|');
  let size = lines.join('\n').length;
  for (const [i, row] of rows.entries()) {
    const line = `| ${row.severity === 'error' ? '✗ error' : '⚠ warning'} | ${linked(cell(row.where), row.url)} | ${cell(row.message)} |`;
    if (size + line.length > MAX_CHARS) {
      lines.push('', `…and ${rows.length - i} more: the sync's --json report lists every one.`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
  } catch {
    report = { ok: false, error: 'the sync printed no report; see its output above' };
  }
  process.stdout.write(renderJobSummary(report));
}
