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
import type { Mapped, Problem, SourceRow } from './types.ts';

/** The rows of every configured table and tab; a missing one is empty. */
export interface EditionRows {
  organizers?: readonly SourceRow[];
  speakers?: readonly SourceRow[];
  papers?: readonly SourceRow[];
  programCommittee?: readonly SourceRow[];
  schedule?: readonly SourceRow[];
}

/** The mapped collections of an edition and every problem the mappers found. */
export interface MappedEdition {
  people: MappedPerson[];
  papers: Mapped<Paper>[];
  schedule: MappedScheduleItem[];
  problems: Problem[];
}

/** Maps all rows of an edition with `template`. */
export function mapEdition(rows: EditionRows, template: Template = DEFAULT_TEMPLATE): MappedEdition {
  const people = mapPeople(rows, template);
  const papers = mapPapers(rows.papers ?? [], template);
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
