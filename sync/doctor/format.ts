/**
 * Doctor's report as text for a terminal: each source (what it is, the token's scopes or the sheet's sharing), then
 * each table, one line per template field — the column found and its type, or what is missing and the nearest names —
 * its published and private columns, and what to do; last, one line saying whether a sync would succeed.
 *
 *   Papers — Airtable table "Papers" (tbl…), 2 records on the first page
 *     ✓ id            "Paper ID" (singleLineText)
 *     ✗ title         no column "Title" — "Paper Title"?
 */
import { hyperlink, isWebLink } from '../hyperlinks.ts';
import type { TableKey } from '../template.ts';
import type { DoctorReport, FieldCheck, SourceCheck, TableCheck } from './types.ts';

/** How organizers name each table in the report. */
const TITLES: Record<TableKey, string> = {
  organizers: 'Organizers',
  speakers: 'Speakers',
  papers: 'Papers',
  programCommittee: 'Program committee',
  schedule: 'Schedule',
};

const SOURCE_NAMES: Record<TableCheck['source'], string> = {
  airtable: 'Airtable table',
  'google-sheets': 'Google Sheets tab',
  'published-csv': 'published tab',
  'local-files': 'local file',
};

/**
 * A line with the controls a terminal would obey (escapes, bidirectional overrides) shown as `�`: names come from
 * spreadsheets, whose text is untrusted.
 */
const printable = (line: string) => line.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '�');
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** What a field's column is: its type (Airtable) or its letter (a sheet). */
function columnDetail(f: FieldCheck): string {
  const parts = [f.type, f.letter ? `column ${f.letter}` : undefined].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function fieldLine(f: FieldCheck, width: number): string {
  const name = f.field.padEnd(width);
  const near = f.nearest.length > 0 ? ` — ${f.nearest.map((n) => `"${n}"`).join(' or ')}?` : '';
  switch (f.status) {
    case 'found':
      return `✓ ${name}  "${f.column ?? ''}"${columnDetail(f)}`;
    case 'renamed':
      return `${f.required ? '✗' : '~'} ${name}  no column "${f.expected ?? ''}": found as "${f.column ?? ''}"${columnDetail(f)}, saved by --write`;
    case 'ambiguous':
      return `${f.required ? '✗' : '?'} ${name}  no column "${f.expected ?? ''}"${near}${f.required ? '' : ' (optional)'}`;
    case 'missing':
      return f.required
        ? `✗ ${name}  no column "${f.expected ?? ''}" (required)`
        : `- ${name}  no column "${f.expected ?? ''}" (optional: left empty)`;
    case 'off':
      return `- ${name}  switched off (null in workshop.config.ts)`;
  }
}

function sourceLines(source: SourceCheck): string[] {
  return [
    `${source.ok ? '✓' : '✗'} ${source.label}: ${source.target}`,
    ...source.facts.map((fact) => `    ${fact}`),
    ...source.notes.map((note) => `  ! ${note}`),
    ...source.problems.map((problem) => `  ✗ ${problem}`),
  ].map(printable);
}

function tableLines(table: TableCheck, links: boolean): string[] {
  const where = `${SOURCE_NAMES[table.source]} "${table.name}"${table.tableId ? ` (${table.tableId})` : ''}`;
  const facts = [
    table.headerRow === undefined ? undefined : `header in row ${table.headerRow}`,
    table.records === undefined
      ? undefined
      : table.source === 'airtable'
        ? `${table.records.count}${table.records.more ? '+' : ''} ${plural(table.records.count, 'record')} on the first page`
        : `${table.records.count} ${plural(table.records.count, 'row')}`,
  ].filter(Boolean);
  const title = printable(`${TITLES[table.table]} — ${where}${facts.length > 0 ? `, ${facts.join(', ')}` : ''}`);
  const head = `${table.ok ? '✓' : '✗'} ${links && table.url && isWebLink(table.url) ? hyperlink(title, table.url) : title}`;
  const width = Math.max(0, ...table.fields.map((f) => f.field.length));
  const lines = table.fields.map((f) => `    ${fieldLine(f, width)}`);
  if (table.reachable) {
    lines.push(`    read into content: ${quoted(table.published) || 'none'}`);
    lines.push(
      table.privateListed === false
        ? '    private (never read into content): every other column (not listed without the schema.bases:read scope)'
        : `    private (never read into content): ${quoted(table.private) || 'none'}`,
    );
  }
  lines.push(...table.problems.map((p) => `  ✗ ${p}`), ...table.questions.map((q) => `  ? ${q}`), ...table.notes.map((n) => `  ! ${n}`));
  // The head may carry our own hyperlink escape; its text was made printable above.
  return [head, ...lines.map(printable)];
}

/**
 * The report as text. `writeHint`: end with the line that `--write` would save the mapping found — only when it
 * differs from the config's (the caller knows; default: shown).
 */
export function formatReport(report: DoctorReport, options: { hyperlinks?: boolean; writeHint?: boolean } = {}): string {
  const links = options.hyperlinks === true;
  const blocks = [...report.sources.map(sourceLines), ...report.tables.map((t) => tableLines(t, links))];
  const problems = [...report.sources, ...report.tables].reduce((n, c) => n + c.problems.length, 0);
  const verdict = report.ok
    ? '✓ A sync would succeed.'
    : `✗ A sync would fail: ${problems} ${problems === 1 ? 'problem' : 'problems'} (✗ above). Fix them, then run npm run doctor again.`;
  const write = 'npm run doctor -- --write saves the mapping found (with Airtable ids) into workshop.config.ts.';
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n\n${verdict}\n${options.writeHint === false ? '' : `${write}\n`}`;
}
