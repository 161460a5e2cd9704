/**
 * Reads one edition from the content collections and shapes it for the pages: people by role, the program
 * by day with UTC instants, papers in id order, and each paper's session. A build shapes each edition once.
 */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { ROLES, rolesOf, type Role } from '../model/index.ts';
import { dayOf, zonedToUtc } from './time.ts';

export type EditionEntry = CollectionEntry<'editions'>;
export type PersonEntry = CollectionEntry<'people'>;
export type PaperEntry = CollectionEntry<'papers'>;

/**
 * Past this many papers the edition page shows a summary and links to /<edition>/papers/, so that the page a
 * visitor lands on stays light however large the conference.
 */
const PAPERS_ON_EDITION_PAGE = 100;
/** Past this many papers /<edition>/papers/ leaves abstracts to each paper's own page. */
export const ABSTRACTS_IN_PAPER_LIST = 300;

export interface Session {
  /** The item's own id (unique within the edition). */
  id: string;
  title: string;
  kind: CollectionEntry<'schedule'>['data']['kind'];
  start: Date;
  end: Date;
  /** Local `YYYY-MM-DD` in the edition's zone. */
  day: string;
  room: string | undefined;
  note: string | undefined;
  speakers: PersonEntry[];
  paper: PaperEntry | undefined;
}

export interface EditionView {
  edition: EditionEntry;
  /** The people of each role's section: a person with `otherRoles` is in each of their roles. */
  people: Record<Role, PersonEntry[]>;
  /** Sessions grouped by local day, days and sessions in time order. */
  days: { day: string; sessions: Session[] }[];
  sessions: Session[];
  papers: PaperEntry[];
  /** The session presenting each paper, by paper entry id (the earliest, when several do). */
  sessionOfPaper: Map<string, Session>;
  /** Whether the edition page lists every paper (else it links to /<edition>/papers/). */
  papersOnEditionPage: boolean;
}

const byNumericId = new Intl.Collator('en', { numeric: true });

/** Every edition, newest first. */
export async function allEditions(): Promise<EditionEntry[]> {
  const editions = await getCollection('editions');
  return editions.sort((a, b) => b.data.dates.start.localeCompare(a.data.dates.start) || b.id.localeCompare(a.id));
}

function inEdition<T extends { id: string }>(entries: T[], edition: string): T[] {
  return entries.filter((e) => e.id.startsWith(`${edition}/`));
}

function byOrderThenName(a: PersonEntry, b: PersonEntry): number {
  const order = (a.data.order ?? Number.MAX_SAFE_INTEGER) - (b.data.order ?? Number.MAX_SAFE_INTEGER);
  return order || a.data.name.localeCompare(b.data.name, 'en');
}

/**
 * Each edition's view, derived once per build: every route of an edition needs it (some twice), and each derivation
 * reads every collection of every edition. Content cannot change during a build; `astro dev` derives it on each
 * request instead, so that edits show.
 */
const views = new Map<string, Promise<EditionView>>();

export function loadEdition(edition: EditionEntry): Promise<EditionView> {
  if (import.meta.env.DEV) return deriveEdition(edition);
  let view = views.get(edition.id);
  if (!view) {
    view = deriveEdition(edition);
    views.set(edition.id, view);
  }
  return view;
}

async function deriveEdition(edition: EditionEntry): Promise<EditionView> {
  const timeZone = edition.data.timeZone;
  const people = inEdition(await getCollection('people'), edition.id).sort(byOrderThenName);
  const papers = inEdition(await getCollection('papers'), edition.id).sort((a, b) => byNumericId.compare(a.id, b.id));
  const items = inEdition(await getCollection('schedule'), edition.id);

  const sessions: Session[] = await Promise.all(
    items.map(async ({ data }) => ({
      id: data.id,
      title: data.title,
      kind: data.kind,
      start: zonedToUtc(data.start, timeZone),
      end: zonedToUtc(data.end, timeZone),
      day: dayOf(data.start),
      room: data.room,
      note: data.note,
      speakers: (await Promise.all(data.speakers.map(async (ref) => await getEntry('people', ref.id)))).filter((p) => p !== undefined),
      paper: data.paper ? await getEntry('papers', data.paper.id) : undefined,
    })),
  );
  sessions.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime() || a.id.localeCompare(b.id));

  const days = [...new Set(sessions.map((s) => s.day))].map((day) => ({
    day,
    sessions: sessions.filter((s) => s.day === day),
  }));
  // One pass over the program, so that a paper's page looks its session up instead of scanning the whole program.
  const sessionOfPaper = new Map<string, Session>();
  for (const session of sessions) {
    if (session.paper && !sessionOfPaper.has(session.paper.id)) sessionOfPaper.set(session.paper.id, session);
  }
  // A person with several roles (`otherRoles`) is in each of their sections.
  const inRole = (role: Role) => people.filter((p) => rolesOf(p.data).includes(role));
  const byRole = Object.fromEntries(ROLES.map((role) => [role, inRole(role)])) as Record<Role, PersonEntry[]>;
  return { edition, people: byRole, days, sessions, papers, sessionOfPaper, papersOnEditionPage: papers.length <= PAPERS_ON_EDITION_PAGE };
}
