/**
 * One bad row costs that row, not what the site shows of it: a row the mapping refused (a required value missing or
 * invalid) is left out until it is fixed, and the entry the last sync published for it stays as it was. The entry is
 * found by the id the row would have had (a paper's ID, the slug of a person's name, a slot's date, start and title);
 * it is not kept when another row now has that id, nor when it no longer passes the model's checks; a kept slot loses
 * the speakers and the paper that are no longer published. What became of each refused row is one sentence, said
 * after its errors (`LeftOutRow`).
 */
import type { z } from 'astro/zod';
import { paperSchema, personSchema, scheduleItemSchema, type Paper, type Person, type ScheduleItem } from '../../src/model/index.ts';
import type { Collection } from '../report.ts';
import { formatWhere, type Origin } from '../sources/types.ts';
import type { MappedScheduleItem } from './map-schedule.ts';
import { excerpt } from './parse.ts';
import type { Mapped, RefusedRow } from './types.ts';

/** The entries the last sync published, found by id. */
export interface PublishedEntries {
  /** The entries of `collection` whose ids are in `ids`, as its file holds them (not validated). */
  find(collection: Collection, ids: ReadonlySet<string>): ReadonlyMap<string, unknown>;
}

/** A refused row and what became of it, as a sentence to say after its errors. */
export interface LeftOutRow {
  origin: Origin;
  outcome: string;
}

export interface Kept<T> {
  kept: Mapped<T>[];
  leftOut: LeftOutRow[];
}

interface KeepSpec<T> {
  collection: Collection;
  schema: z.ZodType;
  /** What a row needs for its id to be made: "a name", "a valid ID"… */
  idNeeds: string;
  /** How a message names the entry: a person's name, a paper's or a slot's title. */
  label: (entry: T) => string;
  /** The row that now has `id`, if one does. */
  holder: (id: string) => Origin | undefined;
  /** The entry without what it can no longer refer to, and how a message names what was dropped. */
  trim?: (entry: T) => { entry: T; dropped: string[] };
}

const place = (origin: Origin) => [origin.source, origin.table, formatWhere(origin.where)].filter(Boolean).join(' › ');

/** For each refused row, its last published entry (kept, unless another row has its id) and what became of it. */
function keepPublished<T extends { id: string }>(refused: readonly RefusedRow[], published: PublishedEntries, spec: KeepSpec<T>): Kept<T> {
  const ids = new Set(refused.flatMap((row) => (row.id === undefined ? [] : [row.id])));
  const found = ids.size === 0 ? new Map<string, unknown>() : published.find(spec.collection, ids);
  const keptBy = new Map<string, Origin>();
  const result: Kept<T> = { kept: [], leftOut: [] };
  for (const row of refused) {
    const say = (rest: string) =>
      void result.leftOut.push({ origin: row.origin, outcome: `Until the row is fixed, it is left out${rest}` });
    const { id } = row;
    if (id === undefined) {
      say(`; without ${spec.idNeeds}, no published entry can be matched to it, so an earlier version of it is not kept.`);
      continue;
    }
    const last = found.get(id);
    if (last === undefined) {
      say(` (nothing published has its id "${id}").`);
      continue;
    }
    const holder = spec.holder(id) ?? keptBy.get(id);
    if (holder) {
      say(`; its last published version ("${id}") is not kept, as ${place(holder)} now has that id.`);
      continue;
    }
    const checked = spec.schema.safeParse(last);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const why = issue ? `${issue.path.join('.') || 'the entry'}: ${issue.message}` : 'it is invalid';
      say(`; its last published version ("${id}") is not kept, as it no longer passes the checks (${why}).`);
      continue;
    }
    const valid = checked.data as T;
    const { entry, dropped } = spec.trim ? spec.trim(valid) : { entry: valid, dropped: [] };
    keptBy.set(id, row.origin);
    result.kept.push({ data: entry, origin: row.origin });
    const without = dropped.length > 0 ? `, without ${dropped.join(' and ')} (no longer published)` : '';
    say(`, and "${excerpt(spec.label(entry), 80)}" kept its last published version${without}.`);
  }
  return result;
}

/** Where each id is now (the first row that has it), for the `holder` of a spec; indexed when first asked. */
const holders = (entries: readonly Mapped<{ id: string }>[]) => {
  let map: Map<string, Origin> | undefined;
  return (id: string) => {
    if (!map) {
      map = new Map();
      for (const entry of entries) if (!map.has(entry.data.id)) map.set(entry.data.id, entry.origin);
    }
    return map.get(id);
  };
};

/** Refused people rows; `people`: every person mapped, ids already unique (resolve.ts `allocatePersonIds`). */
export function keepPeople(refused: readonly RefusedRow[], published: PublishedEntries, people: readonly Mapped<Person>[]): Kept<Person> {
  return keepPublished<Person>(refused, published, {
    collection: 'people',
    schema: personSchema,
    idNeeds: 'a name with letters or digits',
    label: (person) => person.name,
    holder: holders(people),
  });
}

/** Refused papers rows; `papers`: every accepted paper mapped (the first of each ID is published). */
export function keepPapers(
  refused: readonly RefusedRow[],
  published: PublishedEntries,
  papers: readonly Mapped<{ id: string }>[],
): Kept<Paper> {
  return keepPublished<Paper>(refused, published, {
    collection: 'papers',
    schema: paperSchema,
    idNeeds: 'a valid ID',
    label: (paper) => paper.title,
    holder: holders(papers),
  });
}

/**
 * Refused schedule rows; `schedule`: the slots mapped, ids already unique (resolve.ts `resolveSchedule`). A kept slot
 * keeps only the speakers in `personIds` and a paper `hasPaper` knows: the others are no longer published.
 */
export function keepSchedule(
  refused: readonly RefusedRow[],
  published: PublishedEntries,
  schedule: readonly MappedScheduleItem[],
  personIds: ReadonlySet<string>,
  hasPaper: (id: string) => boolean,
): Kept<ScheduleItem> {
  return keepPublished<ScheduleItem>(refused, published, {
    collection: 'schedule',
    schema: scheduleItemSchema,
    idNeeds: 'a valid date, start and title',
    label: (item) => item.title,
    holder: holders(schedule),
    trim(item) {
      const gone = item.speakers.filter((id) => !personIds.has(id));
      const dropped = gone.map((id) => `the speaker "${id}"`);
      const entry: ScheduleItem = { ...item, speakers: item.speakers.filter((id) => personIds.has(id)) };
      if (item.paper !== undefined && !hasPaper(item.paper)) {
        dropped.push(`the paper "${item.paper}"`);
        delete entry.paper;
      }
      return { entry, dropped };
    },
  });
}

/** The refused row `row`, with the id its entry would have had, when the row gives one. */
export function refusedRow(row: Origin, id: string | undefined): RefusedRow {
  const origin = { source: row.source, table: row.table, where: row.where };
  return id === undefined ? { origin } : { origin, id };
}
