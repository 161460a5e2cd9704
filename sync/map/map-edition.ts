/**
 * Maps every table of an edition in one go: people first (the schedule refers to them), then papers (a repeated
 * Paper ID keeps its first row, with a warning), then the schedule. The other checks (sync/checks/index.ts) run on
 * the result separately.
 */
import type { Paper } from '../../src/model/index.ts';
import { checkDuplicateIds } from '../checks/duplicates.ts';
import { mapPapers } from './map-papers.ts';
import { mapPeople, type MappedPerson } from './map-people.ts';
import { mapSchedule, type MappedScheduleItem } from './map-schedule.ts';
import { DEFAULT_TEMPLATE, type Template } from './template.ts';
import type { Mapped, MapResult, Problem, SourceRow } from './types.ts';

/** The rows of every configured table and tab; a missing one is empty. */
export interface EditionRows {
  organizers?: readonly SourceRow[];
  speakers?: readonly SourceRow[];
  papers?: readonly SourceRow[];
  programCommittee?: readonly SourceRow[];
  schedule?: readonly SourceRow[];
}

/** The mapped collections of an edition and every problem the mappers found. */
export interface MappedEdition<P extends { id: string } = Paper> {
  people: MappedPerson[];
  papers: Mapped<P>[];
  schedule: MappedScheduleItem[];
  problems: Problem[];
}

/** Maps all rows of an edition with `template`. */
export function mapEdition(rows: EditionRows, template?: Template): MappedEdition;
/**
 * The same, with the Papers table mapped already (page by page while it was fetched: steps/papers-stream.ts), so
 * `rows.papers` is not read; the papers come back as they were given (e.g. only their ids).
 */
export function mapEdition<P extends { id: string }>(rows: EditionRows, template: Template, mappedPapers: MapResult<Mapped<P>>): MappedEdition<P>;
export function mapEdition(rows: EditionRows, template: Template = DEFAULT_TEMPLATE, mappedPapers?: MapResult<Mapped<{ id: string }>>): MappedEdition<{ id: string }> {
  const people = mapPeople(rows, template);
  const papers = mappedPapers ?? mapPapers(rows.papers ?? [], template);
  const duplicates = checkDuplicateIds(papers.entries, template.airtable.papers.columns.id);
  const seen = new Set<string>();
  const uniquePapers = papers.entries.filter((p) => !seen.has(p.data.id) && seen.add(p.data.id));
  const schedule = mapSchedule(
    rows.schedule ?? [],
    { people: people.entries.map((p) => p.data), papers: uniquePapers.map((p) => p.data) },
    template,
  );
  return {
    people: people.entries,
    papers: uniquePapers,
    schedule: schedule.entries,
    problems: [...people.problems, ...papers.problems, ...duplicates, ...schedule.problems],
  };
}
