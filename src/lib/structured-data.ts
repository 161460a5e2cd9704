/**
 * schema.org JSON-LD for search engines: the edition as an Event (sessions as subEvents, the host conference
 * as superEvent), each paper as a ScholarlyArticle, people as Person.
 */
import type { EditionView, PaperEntry, PersonEntry, Session } from './edition.ts';
import { zoneOffsetMs } from './time.ts';

type Json = { [key: string]: unknown };

/** `2024-07-18T09:00:00-04:00`: an instant written in the edition's zone. */
export function isoWithOffset(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMs(instant.getTime(), timeZone);
  const local = new Date(instant.getTime() + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

export function personLd(person: PersonEntry): Json {
  const { name, affiliation, homepage } = person.data;
  return {
    '@type': 'Person',
    name,
    ...(affiliation ? { affiliation: { '@type': 'Organization', name: affiliation } } : {}),
    ...(homepage ? { url: homepage } : {}),
  };
}

export function paperLd(paper: PaperEntry, pageUrl: string, view: Pick<EditionView, 'edition'>): Json {
  const { title, authors, abstract, links } = paper.data;
  return {
    '@type': 'ScholarlyArticle',
    headline: title,
    name: title,
    author: authors.map((name) => ({ '@type': 'Person', name })),
    ...(abstract ? { abstract } : {}),
    url: pageUrl,
    ...(links.pdf || links.arxiv ? { sameAs: [links.pdf, links.arxiv].filter(Boolean) } : {}),
    datePublished: view.edition.data.dates.start,
    isPartOf: { '@type': 'Event', name: view.edition.data.title },
  };
}

function sessionLd(session: Session, timeZone: string, location: Json): Json {
  return {
    '@type': 'Event',
    name: session.title,
    startDate: isoWithOffset(session.start, timeZone),
    endDate: isoWithOffset(session.end, timeZone),
    location: session.room ? { ...location, name: session.room } : location,
    ...(session.speakers.length ? { performer: session.speakers.map(personLd) } : {}),
  };
}

export function editionLd(view: EditionView, pageUrl: string, paperUrl: (paper: PaperEntry) => string): Json {
  const { data } = view.edition;
  const location = {
    '@type': 'Place',
    name: data.venue.name ?? data.venue.city,
    address: {
      '@type': 'PostalAddress',
      addressLocality: data.venue.city,
      ...(data.venue.country ? { addressCountry: data.venue.country } : {}),
    },
  };
  const first = view.sessions[0];
  const last = view.sessions.reduce<Session | undefined>((a, s) => (a && a.end > s.end ? a : s), undefined);
  const event: Json = {
    '@type': 'Event',
    name: data.title,
    url: pageUrl,
    ...(data.description ? { description: data.description } : {}),
    startDate: first ? isoWithOffset(first.start, data.timeZone) : data.dates.start,
    endDate: last ? isoWithOffset(last.end, data.timeZone) : data.dates.end,
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location,
    superEvent: { '@type': 'Event', name: data.hostConference.name, url: data.hostConference.url },
    organizer: view.people.organizer.map(personLd),
    // A person both invited and on the panel is one performer.
    performer: [...new Set([...view.people.keynote, ...view.people.invited, ...view.people.panelist])].map(personLd),
    subEvent: view.sessions.map((s) => sessionLd(s, data.timeZone, location)),
  };
  return {
    '@context': 'https://schema.org',
    // Papers listed on the page; past PAPERS_ON_EDITION_PAGE each paper's own page carries its ScholarlyArticle.
    '@graph': [event, ...(view.papersOnEditionPage ? view.papers.map((p) => paperLd(p, paperUrl(p), view)) : [])],
  };
}

/** JSON for a `<script type="application/ld+json">`: `<` is escaped so no text can close the script. */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
