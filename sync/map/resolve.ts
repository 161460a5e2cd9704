/**
 * Step 4, resolve: once every table is mapped, people get ids unique across their tables (speakers, then organizers,
 * then the program committee, each in row order: the first `mark-najork` keeps it, the next is `mark-najork-2`), and
 * each schedule slot gets a unique id and the ids of the people and the paper its row names. Names are found by the
 * exact name first, then ignoring case and accents; a name or paper id that matches nothing stays in the slot's
 * `refs` only (the checks report it).
 */
import type { Person } from '../../src/model/index.ts';
import type { MappedPerson } from './map-people.ts';
import type { MappedScheduleItem } from './map-schedule.ts';
import { createIdAllocator, foldName } from './parse.ts';

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

/** Gives `people` (in the order speakers, organizers, program committee) unique ids, in place. */
export function allocatePersonIds(people: readonly MappedPerson[]): void {
  const ids = createIdAllocator();
  for (const person of people) person.data.id = ids.allocate(person.data.id);
}

/** Gives each slot a unique id and the ids its speakers and paper resolve to, in place. */
export function resolveSchedule(
  schedule: readonly MappedScheduleItem[],
  people: readonly Pick<Person, 'id' | 'name'>[],
  isPaper: (id: string) => boolean,
): void {
  const index = indexPeople(people);
  const ids = createIdAllocator();
  for (const item of schedule) {
    item.data.id = ids.allocate(item.data.id);
    item.data.speakers = [...new Set(item.refs.speakers.map((name) => index.resolve(name)).filter((id): id is string => id !== undefined))];
    const paper = item.refs.paper;
    if (paper !== undefined && isPaper(paper)) item.data.paper = paper;
  }
}
