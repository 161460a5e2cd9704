/** The edition's program as calendar events: one per session, breaks included in the whole-program file. */
import type { EditionView, Session } from './edition.ts';
import { buildStamp, renderCalendar, type CalendarEvent } from './ics.ts';
import { absoluteUrl } from './site.ts';

function sessionEvent(view: EditionView, session: Session, site: URL | undefined): CalendarEvent {
  const { edition } = view;
  const host = new URL(absoluteUrl('', site)).host;
  const speakers = session.speakers.map((p) => (p.data.affiliation ? `${p.data.name} (${p.data.affiliation})` : p.data.name));
  const description = [
    speakers.length ? `Speakers: ${speakers.join(', ')}` : '',
    session.paper ? `Paper: ${session.paper.data.title} — ${session.paper.data.authors.join(', ')}` : '',
    session.note ?? '',
    edition.data.title,
  ].filter(Boolean);
  const venue = [edition.data.venue.name, edition.data.venue.city, edition.data.venue.country].filter(Boolean).join(', ');
  return {
    uid: `${edition.id}-${session.id}@${host}`,
    start: session.start,
    end: session.end,
    summary: session.title,
    description: description.join('\n'),
    location: [session.room, venue].filter(Boolean).join(', '),
    url: absoluteUrl(`${edition.id}/#session-${session.id}`, site),
  };
}

export function programCalendar(view: EditionView, sessions: Session[], site: URL | undefined): string {
  return renderCalendar({
    name: `${view.edition.data.shortTitle} (${view.edition.data.hostConference.name})`,
    stamp: buildStamp(),
    events: sessions.map((s) => sessionEvent(view, s, site)),
  });
}

export const ICS_HEADERS = { 'Content-Type': 'text/calendar; charset=utf-8' };
