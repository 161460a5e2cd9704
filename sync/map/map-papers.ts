/**
 * Papers rows → paper entries. Only rows whose Status is the template's accepted value (trimmed, any case) are
 * published; every other row is private and is dropped without a word, whatever it holds. Authors are a list when the
 * cell is one (a lookup, linked names, a multiple select), otherwise "A, B and C"; a checked Award checkbox gives the
 * column's own name as the award (a checkbox column "Best Paper" → award "Best Paper").
 */
import { idField, paperSchema, PRESENTATIONS } from '../../src/model/index.ts';
import { originOf, type SourceRow } from '../sources/types.ts';
import { DEFAULT_TEMPLATE, type PaperField, type Template } from '../template.ts';
import { excerpt, foldName, isChecked, parseAuthors } from './parse.ts';
import { compact, readRow, validateWith, type RowReader, type WarnedColumns } from './row-reader.ts';
import type { CellContext } from './typed-cells.ts';
import { refusedRow } from './keep.ts';
import { readLinkFile, type MappedPaper, type PaperFileRef } from './paper-files.ts';
import type { MapResult } from './types.ts';

/** True when a Status cell publishes the paper. */
export function isAccepted(status: unknown, accepted: string = DEFAULT_TEMPLATE.papers.accepted): boolean {
  const value: unknown = Array.isArray(status) ? status[0] : status;
  return typeof value === 'string' && foldName(value) === foldName(accepted);
}

const LINK_FIELDS = ['pdf', 'arxiv', 'code'] as const;

const AUTHORS_HINT = 'list the authors as "A, B and C".';

/** The authors: one per value of a list cell, or parsed from "A, B and C". */
function readAuthors(row: SourceRow, r: RowReader, column: string): string[] | undefined {
  if (Array.isArray(row.fields[column])) return r.list(column, AUTHORS_HINT);
  return r.parseRequired(column, parseAuthors, AUTHORS_HINT);
}

/** The award: a checked checkbox gives the column's name (e.g. "Best Paper"), any other cell its text. */
function readAward(row: SourceRow, r: RowReader, column: string | undefined): string | undefined {
  if (column === undefined) return undefined;
  return isChecked(row.fields[column]) ? column : r.text(column);
}

/**
 * Maps rows of the Papers table (a page, or all of it) to the accepted papers, in row order. `warned`: the columns
 * already warned about for the whole table (share one set across its pages); `cells`: the edition's time zone, for
 * date-times in text.
 */
export function mapPaperRows(
  rows: readonly SourceRow[],
  template: Template = DEFAULT_TEMPLATE,
  warned: WarnedColumns = new Set(),
  cells: CellContext = {},
): MapResult<MappedPaper> {
  const { columns, accepted } = template.papers;
  const result: MapResult<MappedPaper> = { entries: [], problems: [], refused: [] };
  for (const row of rows) {
    if (!isAccepted(row.fields[columns.status], accepted)) continue;
    const r = readRow(row, warned, cells);
    const id = r.id(columns.id, 'every accepted paper needs its ID from the submission system.');
    if (id !== undefined && !idField.safeParse(id).success) {
      r.error(
        columns.id,
        `"${excerpt(id)}" cannot be an ID; use the submission system's number (e.g. "12"): letters, digits, "-", "_" or ".".`,
      );
    }
    const title = r.required(columns.title, 'every accepted paper needs a title.');
    const authors = readAuthors(row, r, columns.authors);
    const links: Partial<Record<(typeof LINK_FIELDS)[number], string>> = {};
    const files: PaperFileRef[] = [];
    for (const field of LINK_FIELDS) {
      // A file attached in Airtable is mirrored (steps/paper-files.ts); any other cell is read as a link.
      const attachment = readLinkFile(row, r, columns[field]);
      if (attachment) files.push({ kind: field, column: columns[field]!, attachment });
      const link = attachment ? undefined : r.link(columns[field]);
      if (link !== undefined) links[field] = link;
    }
    const presentationText = r.text(columns.presentation, 'first');
    let presentation = presentationText === undefined ? undefined : foldName(presentationText);
    if (presentation !== undefined && !(PRESENTATIONS as readonly string[]).includes(presentation)) {
      r.leaveOut(columns.presentation!, `"${excerpt(presentationText!)}" is not a kind of presentation; write Oral, Poster or Lightning.`);
      presentation = undefined;
    }
    const candidate = compact({
      id,
      title,
      authors,
      abstract: r.text(columns.abstract),
      links,
      award: readAward(row, r, columns.award),
      presentation,
    });
    const columnOf = (path: readonly PropertyKey[]): string | undefined => {
      const field = String(path[path[0] === 'links' ? 1 : 0] ?? '');
      return (columns as Record<string, string>)[field as PaperField];
    };
    const data = validateWith(paperSchema, candidate, row, r, columnOf);
    result.problems.push(...r.problems);
    if (data) result.entries.push({ data, origin: originOf(row), ...(files.length > 0 ? { files } : {}) });
    else result.refused!.push(refusedRow(row, id !== undefined && idField.safeParse(id).success ? id : undefined));
  }
  return result;
}
