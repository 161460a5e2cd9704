/**
 * The content model: the single definition of an edition, a person, a schedule item and a paper.
 * `src/content.config.ts` builds the site's collections from it; the sync validates what it writes with it.
 * Content lives as JSON under `content/<edition>/` (see FILES).
 */
export * from './fields.ts';
export * from './edition.ts';
export * from './person.ts';
export * from './paper.ts';
export * from './schedule.ts';

/** The files of one edition folder, `content/<edition>/<file>`, by collection. */
export const FILES = {
  editions: 'edition.json',
  people: 'people.json',
  schedule: 'schedule.json',
  papers: 'papers.json',
} as const;

export type CollectionName = keyof typeof FILES;
