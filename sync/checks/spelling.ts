/**
 * Warns about one person spelled two ways across the people tables (a speaker "Ada Lovelance" who is the organizer
 * "Ada Lovelace"). Precision before recall: two names are compared only when they come from different tables and
 * something else says they are one person (the same affiliation, homepage or photo); names within one table are
 * never compared (Li Wei and Li Wen are two people), and names whose numbers differ ("Organizer 8" / "Organizer 9")
 * never match. Schedule names that match no one are references.ts's, with their suggestion.
 */
import type { MappedPerson } from '../map/map-people.ts';
import { foldName } from '../map/parse.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { problemAt, type Problem } from '../problems.ts';
import { formatWhere } from '../sources/types.ts';
import { editDistance } from './edit-distance.ts';

type Evidence = 'affiliation' | 'homepage' | 'photo';

/** What can say two rows are one person, as comparable keys. */
function evidenceOf(person: MappedPerson): [Evidence, string][] {
  const keys: [Evidence, string][] = [];
  const { affiliation, homepage } = person.data;
  if (affiliation !== undefined && foldName(affiliation) !== '') keys.push(['affiliation', foldName(affiliation)]);
  if (homepage !== undefined) {
    const url = homepage
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\/(www\.)?/, '')
      .replace(/\/+$/, '');
    if (url !== '') keys.push(['homepage', url]);
  }
  const photo = person.photo;
  if (photo) keys.push(['photo', photo.size === undefined ? photo.url : `${photo.filename}\u0000${photo.size}`]);
  return keys;
}

const digits = (name: string): string => (name.match(/\d+/g) ?? []).join(' ');

/** One warning per pair of near spellings in different tables with evidence, at the later row, quoting the other. */
export function checkSpellings(people: readonly MappedPerson[], template: Template = DEFAULT_TEMPLATE, maxDistance = 2): Problem[] {
  const nameColumn = (table: string): string => {
    const a = template;
    if (table === a.organizers.table) return a.organizers.columns.name;
    if (table === a.programCommittee.table) return a.programCommittee.columns.name;
    return a.speakers.columns.name;
  };
  const folded = people.map((p) => foldName(p.data.name));
  const buckets = new Map<string, number[]>();
  const problems: Problem[] = [];
  people.forEach((later, j) => {
    const matched = new Set<number>();
    for (const [evidence, key] of evidenceOf(later)) {
      const bucketKey = `${evidence}\u0000${key}`;
      const bucket = buckets.get(bucketKey) ?? [];
      for (const i of bucket) {
        if (matched.has(i)) continue;
        const earlier = people[i]!;
        const [a, b] = [folded[i]!, folded[j]!];
        if (earlier.origin.table === later.origin.table || a === b || digits(a) !== digits(b)) continue;
        if (editDistance(a, b, maxDistance) > maxDistance) continue;
        matched.add(i);
        const { source, table, where } = earlier.origin;
        problems.push(
          problemAt(
            later.origin,
            'warning',
            nameColumn(later.origin.table),
            `"${later.data.name}" is spelled "${earlier.data.name}" in ${source} › ${table} › ${formatWhere(where)} (same ${evidence}); if it is the same person, use one spelling everywhere.`,
            'spelling',
          ),
        );
      }
      bucket.push(j);
      buckets.set(bucketKey, bucket);
    }
  });
  return problems;
}
