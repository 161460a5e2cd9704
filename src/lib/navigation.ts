/** The edition's navigation, as in the original page: only sections that have content. */
import type { EditionView } from './edition.ts';
import { href } from './site.ts';

/** A link of the header's navigation. */
export interface NavItem {
  label: string;
  href: string;
}

export function editionNav(view: EditionView): NavItem[] {
  const page = href(`${view.edition.id}/`);
  const { people, sessions, papers, edition } = view;
  const items: [boolean, string, string][] = [
    [edition.data.callForPapers !== undefined, 'Call for Papers', href(`${edition.id}/call-for-papers/`)],
    [sessions.length > 0, 'Schedule', `${page}#schedule`],
    [people.keynote.length > 0, 'Keynotes', `${page}#keynote-speakers`],
    [people.invited.length > 0, 'Invited Speakers', `${page}#invited-speakers`],
    [people.panelist.length > 0, 'Panelists', `${page}#panelists`],
    [papers.length > 0, 'Papers', view.papersOnEditionPage ? `${page}#papers` : href(`${edition.id}/papers/`)],
    [people.organizer.length > 0, 'Organization', `${page}#organizers`],
  ];
  return items.filter(([present]) => present).map(([, label, link]) => ({ label, href: link }));
}
