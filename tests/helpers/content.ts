/** The demo edition's content (content/2024_2/*.json), read as plain JSON so tests can compare pages with it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Edition, Paper, Person, ScheduleItem } from '../../src/model/index.ts';
import { PROJECT_ROOT } from './static-server.ts';

export const DEMO_EDITION = '2024_2';
export const DEMO_CONTENT_DIR = path.join(PROJECT_ROOT, 'content', DEMO_EDITION);

export interface EditionContent {
  edition: Edition;
  people: Person[];
  papers: Paper[];
  schedule: ScheduleItem[];
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
}

/** Reads an edition folder (the demo edition by default). */
export function readEditionContent(dir = DEMO_CONTENT_DIR): EditionContent {
  return {
    edition: readJson<Edition>(dir, 'edition.json'),
    people: readJson<Person[]>(dir, 'people.json'),
    papers: readJson<Paper[]>(dir, 'papers.json'),
    schedule: readJson<ScheduleItem[]>(dir, 'schedule.json'),
  };
}

/** Names of the people with a role (as `role` or among `otherRoles`), in the order the site shows them (by `order`, then by name). */
export function namesInRole(people: Person[], role: Person['role']): string[] {
  return people
    .filter((p) => p.role === role || p.otherRoles?.includes(role))
    .sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name, 'en'))
    .map((p) => p.name);
}

/**
 * The one schedule item that starts at `start` (venue-local, as in schedule.json: "2024-07-18T09:10"), of `kind`
 * when given. Schedule ids derive from the content, so tests find the rows they pin by time rather than by id.
 */
export function sessionAt(schedule: ScheduleItem[], start: string, kind?: ScheduleItem['kind']): ScheduleItem {
  const found = schedule.filter((s) => s.start === start && (kind === undefined || s.kind === kind));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${kind ?? 'schedule item'} starting at ${start}, found ${found.length}: ${found.map((s) => s.id).join(', ')}`,
    );
  }
  return found[0]!;
}

/** The CSS selector of a schedule item's row on the edition page (`#session-<id>`). */
export function sessionRow(item: Pick<ScheduleItem, 'id'>): string {
  return `#session-${item.id}`;
}
