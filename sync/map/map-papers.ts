/**
 * Papers rows → paper entries. Only rows whose Status is the template's accepted value (trimmed, any case) are
 * published; every other row is private and is dropped without a word, whatever it holds.
 */
import { idField, paperSchema, PRESENTATIONS, type Paper } from '../../src/model/index.ts';
import { originOf, type SourceRow } from '../sources/types.ts';
import { DEFAULT_TEMPLATE, type PaperField, type Template } from '../template.ts';
import { excerpt, foldName, parseAuthors } from './parse.ts';
import { compact, readRow, validateWith } from './row-reader.ts';
import type { Mapped, MapResult } from './types.ts';

/** True when a Status cell publishes the paper. */
export function isAccepted(status: unknown, accepted: string = DEFAULT_TEMPLATE.papers.accepted): boolean {
  const value: unknown = Array.isArray(status) ? status[0] : status;
  return typeof value === 'string' && foldName(value) === foldName(accepted);
}

const LINK_FIELDS = ['pdf', 'arxiv', 'code'] as const;

/** Maps rows of the Papers table (a page, or all of it) to the accepted papers, in row order. */
export function mapPaperRows(rows: readonly SourceRow[], template: Template = DEFAULT_TEMPLATE): MapResult<Mapped<Paper>> {
  const { columns, accepted } = template.papers;
  const result: MapResult<Mapped<Paper>> = { entries: [], problems: [] };
  for (const row of rows) {
    if (!isAccepted(row.fields[columns.status], accepted)) continue;
    const r = readRow(row);
    const id = r.required(columns.id, 'every accepted paper needs its ID from the submission system.');
    if (id !== undefined && !idField.safeParse(id).success) {
      r.error(
        columns.id,
        `"${excerpt(id)}" cannot be an ID; use the submission system's number (e.g. "12"): letters, digits, "-", "_" or ".".`,
      );
    }
    const title = r.required(columns.title, 'every accepted paper needs a title.');
    const rawAuthors = row.fields[columns.authors];
    let authors: string[] | undefined;
    // A list (a lookup or linked field): one author per item.
    if (Array.isArray(rawAuthors) && rawAuthors.every((a) => typeof a === 'string' || (typeof a === 'number' && Number.isFinite(a)))) {
      authors = rawAuthors.map((a) => String(a).trim()).filter((a) => a !== '');
      if (authors.length === 0) authors = undefined;
    } else {
      authors = r.parse(columns.authors, parseAuthors);
    }
    if (authors === undefined && !r.problems.some((p) => p.field === columns.authors))
      r.error(columns.authors, 'is empty; list the authors as "A, B and C".');
    const links: Partial<Record<(typeof LINK_FIELDS)[number], string>> = {};
    for (const field of LINK_FIELDS) {
      const link = r.link(columns[field]);
      if (link !== undefined) links[field] = link;
    }
    const presentationText = r.text(columns.presentation, 'first');
    const presentation = presentationText === undefined ? undefined : foldName(presentationText);
    if (presentation !== undefined && !(PRESENTATIONS as readonly string[]).includes(presentation)) {
      r.error(columns.presentation, `"${excerpt(presentationText!)}" is not a kind of presentation; write Oral, Poster or Lightning.`);
    }
    const candidate = compact({
      id,
      title,
      authors,
      abstract: r.text(columns.abstract),
      links,
      award: r.text(columns.award),
      presentation,
    });
    const columnOf = (path: readonly PropertyKey[]): string | undefined => {
      const field = String(path[path[0] === 'links' ? 1 : 0] ?? '');
      return (columns as Record<string, string>)[field as PaperField];
    };
    const data = validateWith(paperSchema, candidate, row, r, columnOf);
    result.problems.push(...r.problems);
    if (data) result.entries.push({ data, origin: originOf(row) });
  }
  return result;
}
