/**
 * Warns about one name spelled two ways across tables (people tables and the schedule's Speaker column): distinct
 * names within two edits of each other, compared ignoring case and accents.
 */
import type { MappedScheduleItem } from '../map/map-schedule.ts';
import type { MappedPerson } from '../map/map-people.ts';
import { foldName } from '../map/parse.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { problemAt, type Problem } from '../problems.ts';
import { formatWhere, type Origin } from '../sources/types.ts';
import { editDistance } from './edit-distance.ts';

interface Spelling {
  name: string;
  origin: Origin;
  column: string;
}

/** One warning per pair of near spellings, at the later one, quoting where the other is. */
export function checkSpellings(
  people: readonly MappedPerson[],
  schedule: readonly MappedScheduleItem[],
  template: Template = DEFAULT_TEMPLATE,
  maxDistance = 2,
): Problem[] {
  const nameColumn = (table: string): string => {
    const a = template;
    if (table === a.organizers.table) return a.organizers.columns.name;
    if (table === a.programCommittee.table) return a.programCommittee.columns.name;
    return a.speakers.columns.name;
  };
  const spellings: Spelling[] = [];
  const seen = new Set<string>();
  const add = (name: string, origin: Origin, column: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    spellings.push({ name, origin, column });
  };
  for (const p of people) add(p.data.name, p.origin, nameColumn(p.origin.table));
  for (const item of schedule) for (const name of item.refs.speakers) add(name, item.origin, template.schedule.columns.speaker ?? '');
  const problems: Problem[] = [];
  const folded = spellings.map((s) => foldName(s.name));
  spellings.forEach((later, j) => {
    for (const [i, earlier] of spellings.slice(0, j).entries()) {
      const [a, b] = [folded[i]!, folded[j]!];
      if (a === b) continue;
      if (editDistance(a, b, maxDistance) > maxDistance) continue;
      const { source, table, where } = earlier.origin;
      problems.push(
        problemAt(
          later.origin,
          'warning',
          later.column,
          `"${later.name}" is spelled "${earlier.name}" in ${source} › ${table} › ${formatWhere(where)}; if it is the same person, use one spelling everywhere.`,
        ),
      );
    }
  });
  return problems;
}
