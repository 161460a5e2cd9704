/** The whole program of an edition as one calendar: /2024_2/schedule.ics */
import type { APIRoute, GetStaticPaths } from 'astro';
import { ICS_HEADERS, programCalendar } from '../../lib/calendar.ts';
import { allEditions, loadEdition, type EditionEntry } from '../../lib/edition.ts';

export const getStaticPaths = (async () =>
  (await allEditions()).map((edition) => ({ params: { edition: edition.id }, props: { edition } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ edition: EditionEntry }> = async ({ props, site }) => {
  const view = await loadEdition(props.edition);
  return new Response(programCalendar(view, view.sessions, site), { headers: ICS_HEADERS });
};
