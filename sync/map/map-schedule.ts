/**
 * Schedule rows → schedule items, a page at a time. Date + Start/End become `YYYY-MM-DDTHH:MM` wall-clock times
 * (read as dates.ts reads them: in the sheet's locale, as serial numbers, Airtable's UTC date-times in the edition's zone);
 * Kind is read with synonyms; the Speaker names and Paper ID are kept as the row gives them, for resolve.ts to turn
 * into ids of people and papers. Ids derive from the content (date, start, title), never from the row number, so
 * moving a row keeps its id. Blank rows are skipped. A required column that no row has a value in was renamed or
 * deleted: that is said once, for the column, not once for every row (`ColumnTally`).
 */
import { scheduleItemSchema, type ScheduleItem, type SessionKind } from '../../src/model/index.ts';
import { problemAt, type Problem } from '../problems.ts';
import { originOf, type Origin, type SourceRow } from '../sources/types.ts';
import { DEFAULT_TEMPLATE, type ScheduleField, type Template } from '../template.ts';
import { dateExample, formatTime12, parseDate, parseTime, type DateContext, type DateReading } from './dates.ts';
import { excerpt, foldName, slugify, splitNames } from './parse.ts';
import { compact, readRow, validateWith, type RowReader, type WarnedColumns } from './row-reader.ts';
import { refusedRow } from './keep.ts';
import type { Mapped, MapResult } from './types.ts';

/**
 * A schedule item with the names and paper id its row gave. Until resolve.ts has run, `data.speakers` is empty, there
 * is no `data.paper`, and `data.id` may be taken by an earlier slot; after it, they are the resolved ids (a name or
 * paper id that resolves to nothing stays in `refs` only, and the checks report it).
 */
export interface MappedScheduleItem extends Mapped<ScheduleItem> {
  refs: { speakers: string[]; paper?: string };
}

const KIND_SYNONYMS: Record<string, SessionKind> = {};
const SYNONYMS: Record<SessionKind, string[]> = {
  opening: ['opening', 'opening remarks', 'welcome', 'introduction'],
  keynote: ['keynote', 'keynote talk', 'keynote speech'],
  invited: ['invited', 'invited talk', 'invited speaker'],
  paper: ['paper', 'paper talk', 'paper presentation', 'paper session', 'contributed talk', 'oral'],
  panel: ['panel', 'panel discussion'],
  break: ['break', 'short break', 'coffee break', 'coffee', 'lunch', 'lunch break'],
  poster: ['poster', 'posters', 'poster session'],
  closing: ['closing', 'closing remarks'],
  other: ['other'],
};
for (const [kind, words] of Object.entries(SYNONYMS) as [SessionKind, string[]][]) {
  for (const word of words) KIND_SYNONYMS[word] = kind;
}

/** The session kind a Kind cell names ("Invited Talk" → invited, "Lunch" → break…), or undefined. */
export function sessionKind(text: string): SessionKind | undefined {
  return KIND_SYNONYMS[
    foldName(text)
      .replace(/[^a-z ]/g, '')
      .replace(/ +/g, ' ')
      .trim()
  ];
}

/** `2024-07-18-0900-opening-remarks`: date, start and the title's first words. */
export function scheduleIdBase(start: string, title: string): string {
  const words = slugify(title).split('-').filter(Boolean);
  let slug = '';
  for (const word of words) {
    if (slug && slug.length + word.length + 1 > 40) break;
    slug = slug ? `${slug}-${word}` : word;
  }
  const stamp = start.replace('T', '-').replace(':', '');
  return slug ? `${stamp}-${slug}` : stamp;
}

/** Which columns the non-blank rows of the Schedule tab have, and which of them hold a value in at least one row. */
export interface ColumnTally {
  /** Where the tab is, for the message; unset until a non-blank row was seen. */
  table?: Origin;
  seen: Set<string>;
  valued: Set<string>;
}

export const newColumnTally = (): ColumnTally => ({ seen: new Set(), valued: new Set() });

/** Adds `rows` (a page of the tab) to `tally`. */
export function tallyColumns(tally: ColumnTally, rows: readonly SourceRow[], template: Template = DEFAULT_TEMPLATE): void {
  const columns = Object.values(template.schedule.columns);
  for (const row of rows) {
    const r = readRow(row);
    if (r.allEmpty(columns)) continue;
    tally.table ??= { source: row.source, table: row.table, where: { row: 0 } };
    for (const column of Object.keys(row.fields)) tally.seen.add(column);
    for (const column of columns) if (!r.allEmpty([column])) tally.valued.add(column);
  }
}

/** One error per required column that no row has a value in (renamed or deleted), naming the columns there are. */
export function missingColumns(tally: ColumnTally, template: Template = DEFAULT_TEMPLATE): Problem[] {
  const { columns } = template.schedule;
  const { table } = tally;
  if (!table) return [];
  const missing = [columns.date, columns.start, columns.end, columns.title].filter((column) => !tally.valued.has(column));
  const seen = [...tally.seen].map((c) => `"${c}"`).join(', ');
  return missing.map((column) =>
    problemAt(
      table,
      'error',
      column,
      `no row has a value in this column, so it was probably renamed or deleted (the columns with values: ${seen}). Rename it back, or put its new name under template in workshop.config.ts.`,
    ),
  );
}

const KIND_HINT = 'write Opening, Keynote, Invited Talk, Paper, Panel, Break, Lunch, Poster, Closing or Other';

/** The speakers' names: one per value of a list cell (a lookup, a multiple select), or split from "A, B and C". */
function readSpeakers(row: SourceRow, r: RowReader, column: string | undefined): string[] {
  if (column === undefined) return [];
  if (Array.isArray(row.fields[column])) return r.list(column) ?? [];
  const text = r.text(column, 'first');
  return text === undefined ? [] : splitNames(text).filter((n) => n !== '');
}

/**
 * Maps rows of the Schedule tab (a page, or all of it) to schedule items, in row order (see MappedScheduleItem).
 * `warned`: the columns already warned about for the whole tab (share one set across its pages). `dates`: the
 * sheet's locale (its dates are read day first if it writes them so, unless template.schedule.dayFirst says) and the
 * edition's time zone (a date-time with an offset, as Airtable gives them, is read on its clocks); see dates.ts.
 */
export function mapScheduleRows(
  rows: readonly SourceRow[],
  template: Template = DEFAULT_TEMPLATE,
  warned: WarnedColumns = new Set(),
  dates: DateContext = {},
): MapResult<MappedScheduleItem> {
  const { columns, dayFirst } = template.schedule;
  const reading: DateReading = { ...dates, dayFirst };
  const readTime = (text: string) => parseTime(text, reading);
  const result: MapResult<MappedScheduleItem> = { entries: [], problems: [], refused: [] };
  for (const row of rows) {
    const r = readRow(row, warned, { timeZone: dates.timeZone });
    if (r.allEmpty(Object.values(columns))) continue;
    const dateHint = `write the day as 2024-07-18 or ${dateExample(reading)}.`;
    const date = r.parseRequired(columns.date, (t) => parseDate(t, reading), dateHint);
    const startTime = r.parseRequired(columns.start, readTime, 'write the time as 9:00 AM or 09:00.');
    const endTime = r.parseRequired(columns.end, readTime, 'write the time as 9:00 AM or 09:00.');
    if (startTime !== undefined && endTime !== undefined && endTime <= startTime) {
      r.error(columns.end, `${formatTime12(endTime)} is not after the start (${formatTime12(startTime)}); check both times.`);
    }
    const title = r.required(columns.title, 'every slot needs a title.');
    const kindText = r.text(columns.kind, 'first');
    let kind: SessionKind = 'other';
    if (kindText !== undefined) {
      const known = sessionKind(kindText);
      if (known) kind = known;
      else r.warn(columns.kind!, `"${excerpt(kindText)}" is not a kind of session, so it is shown as Other; ${KIND_HINT}.`);
    }
    const speakers = readSpeakers(row, r, columns.speaker);
    const paperRef = r.id(columns.paper);
    const start = date && startTime ? `${date}T${startTime}` : undefined;
    const end = date && endTime ? `${date}T${endTime}` : undefined;
    const candidate = compact({
      id: start && title ? scheduleIdBase(start, title) : undefined,
      start,
      end,
      title,
      kind,
      room: r.text(columns.room, 'first'),
    });
    const columnOf = (path: readonly PropertyKey[]): string | undefined => {
      const field = String(path[0] ?? '');
      if (field === 'id') return columns.title;
      return (columns as Record<string, string>)[field as ScheduleField];
    };
    const data = validateWith(scheduleItemSchema, candidate, row, r, columnOf);
    result.problems.push(...r.problems);
    if (!data) {
      result.refused!.push(refusedRow(row, candidate.id));
      continue;
    }
    const refs: MappedScheduleItem['refs'] = { speakers };
    if (paperRef !== undefined) refs.paper = paperRef;
    result.entries.push({ data, origin: originOf(row), refs });
  }
  return result;
}
