/**
 * Schedule rows → schedule items. Date + Start/End become `YYYY-MM-DDTHH:MM` wall-clock times; Kind is read with
 * synonyms; Speaker names and Paper IDs become ids of people and papers. Ids derive from the content (date, start,
 * title), never from the row number, so moving a row keeps its id. Blank rows are skipped. A required column that
 * no row has a value in was renamed or deleted: that is said once, for the column, not once for every row.
 */
import { scheduleItemSchema, type ScheduleItem, type SessionKind } from '../../src/model/index.ts';
import {
  createIdAllocator,
  excerpt,
  foldName,
  formatTime12,
  parseDate,
  parseTime,
  slugify,
  splitNames,
  type IdAllocator,
} from './parse.ts';
import { indexPeople } from './resolve.ts';
import { compact, readRow, validateWith } from './row-reader.ts';
import { DEFAULT_TEMPLATE, type ScheduleField, type Template } from './template.ts';
import { originOf, problemAt, type Mapped, type MapResult, type Problem, type SourceRow } from './types.ts';

/** A schedule item with the names and paper id its row gave, resolved or not (the checks report the misses). */
export interface MappedScheduleItem extends Mapped<ScheduleItem> {
  refs: { speakers: string[]; paper?: string };
}

/** What a schedule can refer to. */
export interface ScheduleContext {
  people: readonly { id: string; name: string }[];
  papers: readonly { id: string }[];
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
  return KIND_SYNONYMS[foldName(text).replace(/[^a-z ]/g, '').replace(/ +/g, ' ').trim()];
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

/** One error per required column that no row has a value in (renamed or deleted), naming the columns there are. */
function missingColumns(rows: readonly SourceRow[], required: readonly string[]): Problem[] {
  const first = rows[0];
  if (!first) return [];
  const missing = required.filter((column) => rows.every((row) => readRow(row).allEmpty([column])));
  const seen = [...new Set(rows.flatMap((row) => Object.keys(row.fields)))].map((c) => `"${c}"`).join(', ');
  const table = { source: first.source, table: first.table, where: { row: 0 } };
  return missing.map((column) =>
    problemAt(table, 'error', column, `no row has a value in this column, so it was probably renamed or deleted (the columns with values: ${seen}). Rename it back, or put its new name under template in workshop.config.ts.`),
  );
}

const KIND_HINT = 'write Opening, Keynote, Invited Talk, Paper, Panel, Break, Lunch, Poster, Closing or Other';

/** Maps the Schedule tab to schedule items, in row order, resolving speakers and papers against `context`. */
export function mapSchedule(
  rows: readonly SourceRow[],
  context: ScheduleContext,
  template: Template = DEFAULT_TEMPLATE,
  ids: IdAllocator = createIdAllocator(),
): MapResult<MappedScheduleItem> {
  const { columns } = template.sheets.schedule;
  const dateOptions = { dayFirst: template.sheets.dayFirst };
  const people = indexPeople(context.people);
  const paperIds = new Set(context.papers.map((p) => p.id));
  const result: MapResult<MappedScheduleItem> = { entries: [], problems: [] };
  const filled = rows.filter((row) => !readRow(row).allEmpty(Object.values(columns)));
  const missing = missingColumns(filled, [columns.date, columns.start, columns.end, columns.title]);
  if (missing.length > 0) return { entries: [], problems: missing };
  for (const row of rows) {
    const r = readRow(row);
    if (r.allEmpty(Object.values(columns))) continue;
    const dateHint = `write the day as 2024-07-18 or ${dateOptions.dayFirst ? '18/07/2024' : '7/18/2024'}.`;
    const date = r.parseRequired(columns.date, (t) => parseDate(t, dateOptions), dateHint);
    const startTime = r.parseRequired(columns.start, parseTime, 'write the time as 9:00 AM or 09:00.');
    const endTime = r.parseRequired(columns.end, parseTime, 'write the time as 9:00 AM or 09:00.');
    if (startTime !== undefined && endTime !== undefined && endTime <= startTime) {
      r.error(columns.end, `${formatTime12(endTime)} is not after the start (${formatTime12(startTime)}); check both times.`);
    }
    const title = r.required(columns.title, 'every slot needs a title.');
    const kindText = r.text(columns.kind, 'first');
    let kind: SessionKind = 'other';
    if (kindText !== undefined) {
      const known = sessionKind(kindText);
      if (known) kind = known;
      else r.warn(columns.kind, `"${excerpt(kindText)}" is not a kind of session, so it is shown as Other; ${KIND_HINT}.`);
    }
    const speakerText = r.text(columns.speaker, 'first');
    const speakerNames = speakerText === undefined ? [] : splitNames(speakerText).filter((n) => n !== '');
    const speakers = speakerNames.map((n) => people.resolve(n)).filter((id): id is string => id !== undefined);
    const paperRef = r.text(columns.paper, 'first');
    const start = date && startTime ? `${date}T${startTime}` : undefined;
    const end = date && endTime ? `${date}T${endTime}` : undefined;
    const candidate = compact({
      id: start && title ? scheduleIdBase(start, title) : undefined,
      start,
      end,
      title,
      kind,
      speakers: [...new Set(speakers)],
      paper: paperRef !== undefined && paperIds.has(paperRef) ? paperRef : undefined,
      room: r.text(columns.room, 'first'),
    });
    const columnOf = (path: readonly PropertyKey[]): string | undefined => {
      const field = String(path[0] ?? '');
      if (field === 'id') return columns.title;
      if (field === 'speakers') return columns.speaker;
      return (columns as Record<string, string>)[field as ScheduleField];
    };
    const data = validateWith(scheduleItemSchema, candidate, row, r, columnOf);
    result.problems.push(...r.problems);
    if (!data) continue;
    data.id = ids.allocate(data.id);
    const refs: MappedScheduleItem['refs'] = { speakers: speakerNames };
    if (paperRef !== undefined) refs.paper = paperRef;
    result.entries.push({ data, origin: originOf(row), refs });
  }
  return result;
}
