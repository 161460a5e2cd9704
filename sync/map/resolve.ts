/** Finds the person a name in the schedule refers to: the exact name first, then ignoring case and accents. */
import type { Person } from '../../src/model/index.ts';
import { foldName } from './parse.ts';

/** Looks names up among people; built once per schedule. */
export interface PersonIndex {
  /** The id of the person called `name`, or undefined when no one is (or two people are, ignoring case/accents). */
  resolve(name: string): string | undefined;
}

/** An index over `people` (only `id` and `name` are used). */
export function indexPeople(people: readonly Pick<Person, 'id' | 'name'>[]): PersonIndex {
  const exact = new Map<string, string>();
  const folded = new Map<string, string | null>();
  for (const person of people) {
    const name = person.name.trim();
    if (!exact.has(name)) exact.set(name, person.id);
    const key = foldName(name);
    const seen = folded.get(key);
    folded.set(key, seen === undefined || seen === person.id ? person.id : null);
  }
  return {
    resolve(name) {
      const trimmed = name.trim();
      return exact.get(trimmed) ?? folded.get(foldName(trimmed)) ?? undefined;
    },
  };
}
