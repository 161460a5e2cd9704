/** One session as a calendar: /2024_2/schedule/keynote-najork.ics */
import type { APIRoute, GetStaticPaths } from 'astro';
import { ICS_HEADERS, programCalendar } from '../../../lib/calendar.ts';
import { allEditions, loadEdition, type EditionView, type Session } from '../../../lib/edition.ts';

export const getStaticPaths = (async () => {
  const paths = [];
  for (const edition of await allEditions()) {
    const view = await loadEdition(edition);
    for (const session of view.sessions) {
      if (session.kind !== 'break') paths.push({ params: { edition: edition.id, session: session.id }, props: { view, session } });
    }
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ view: EditionView; session: Session }> = ({ props, site }) =>
  new Response(programCalendar(props.view, [props.session], site), { headers: ICS_HEADERS });
