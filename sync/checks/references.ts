/**
 * Warns about schedule Speaker names and Paper IDs that match no person or accepted paper, suggesting the nearest
 * name when one is a small edit away ("Marc Najork" → "Mark Najork").
 */
import type { MappedScheduleItem } from '../map/map-schedule.ts';
import { foldName } from '../map/parse.ts';
import { indexPeople } from '../map/resolve.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { problemAt, type Problem } from '../problems.ts';
import { editDistance } from './edit-distance.ts';

/** The closest name within `max` edits (compared ignoring case and accents), if exactly one is closest. */
export function nearestName(name: string, names: readonly string[], max = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  const folded = foldName(name);
  for (const candidate of names) {
    const d = editDistance(folded, foldName(candidate), max);
    if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
    else if (d === bestDistance && candidate !== best) tie = true;
  }
  return tie ? undefined : best;
}

/** One warning per Speaker name or Paper ID of the schedule that resolves to nothing. */
export function checkReferences(
  schedule: readonly MappedScheduleItem[],
  people: readonly { name: string; id: string }[],
  papers: readonly { id: string }[],
  template: Template = DEFAULT_TEMPLATE,
): Problem[] {
  const { columns } = template.schedule;
  const a = template;
  const tables = `${a.speakers.table}, ${a.organizers.table} or ${a.programCommittee.table}`;
  const index = indexPeople(people);
  const names = people.map((p) => p.name);
  const paperIds = new Set(papers.map((p) => p.id));
  const problems: Problem[] = [];
  for (const item of schedule) {
    for (const name of item.refs.speakers) {
      if (index.resolve(name) !== undefined) continue;
      const near = nearestName(name, names);
      const hint = near ? `did you mean "${near}"? Use one spelling in both places.` : `add them to ${a.speakers.table} or fix the name.`;
      const message = `"${name}" matches no one in ${tables}; ${hint}`;
      problems.push(problemAt(item.origin, 'warning', columns.speaker, message, 'unresolved-reference'));
    }
    const paper = item.refs.paper;
    if (paper !== undefined && !paperIds.has(paper)) {
      problems.push(
        problemAt(
          item.origin,
          'warning',
          columns.paper,
          `"${paper}" matches no accepted paper in ${a.papers.table}; check the ID (only accepted papers are published).`,
          'unresolved-reference',
        ),
      );
    }
  }
  return problems;
}
