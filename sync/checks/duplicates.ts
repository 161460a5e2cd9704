/** Warns about ids used twice in a collection and about one person listed twice (same name, ignoring case/accents). */
import { foldName } from '../map/parse.ts';
import { problemAt, type Problem } from '../problems.ts';
import { formatWhere } from '../sources/types.ts';
import type { Mapped } from '../map/types.ts';

function place(entry: Mapped<unknown>): string {
  const { source, table, where } = entry.origin;
  return `${source} › ${table} › ${formatWhere(where)}`;
}

/** One warning per repeated id, at the later row, naming the first. `column` is where the id is typed. */
export function checkDuplicateIds(entries: readonly Mapped<{ id: string }>[], column: string): Problem[] {
  const first = new Map<string, Mapped<{ id: string }>>();
  const problems: Problem[] = [];
  for (const entry of entries) {
    const seen = first.get(entry.data.id);
    if (!seen) {
      first.set(entry.data.id, entry);
      continue;
    }
    problems.push(
      problemAt(
        entry.origin,
        'warning',
        column,
        `"${entry.data.id}" is also the ID of ${place(seen)}; give each its own ID (only the first can be published).`,
        'duplicate-id',
      ),
    );
  }
  return problems;
}

/** One warning per person whose name (ignoring case and accents) appears in an earlier row too. */
export function checkDuplicateNames(people: readonly Mapped<{ id: string; name: string }>[], column = 'Name'): Problem[] {
  const first = new Map<string, Mapped<{ id: string; name: string }>>();
  const problems: Problem[] = [];
  for (const person of people) {
    const key = foldName(person.data.name);
    const seen = first.get(key);
    if (!seen) {
      first.set(key, person);
      continue;
    }
    problems.push(
      problemAt(
        person.origin,
        'warning',
        column,
        `"${person.data.name}" is also listed in ${place(seen)}, so they appear twice (as "${seen.data.id}" and "${person.data.id}"); remove one row if it is the same person.`,
        'duplicate-name',
      ),
    );
  }
  return problems;
}
