/**
 * The site's collections, built from the one content model in src/model/ (shared with the sync).
 * Every collection reads content/<edition>/<file>.json; ids are `<edition>/<id>`.
 */
import { defineCollection, reference } from 'astro:content';
import { createPersonSchema, createScheduleItemSchema, editionSchema, paperSchema } from './model/index.ts';
import { editionContentLoader } from './lib/content-loader.ts';

export const collections = {
  /** content/<edition>/edition.json: title, dates, venue, time zone, overview, call for papers. */
  editions: defineCollection({ loader: editionContentLoader('editions'), schema: editionSchema }),
  /** content/<edition>/people.json: speakers, panelists, organizers, program committee; photos via astro:assets. */
  people: defineCollection({
    loader: editionContentLoader('people'),
    schema: ({ image }) => createPersonSchema(image()),
  }),
  /** content/<edition>/schedule.json: the program, referencing people and papers. */
  schedule: defineCollection({
    loader: editionContentLoader('schedule'),
    schema: createScheduleItemSchema((collection) => reference(collection)),
  }),
  /** content/<edition>/papers.json: accepted papers only. */
  papers: defineCollection({ loader: editionContentLoader('papers'), schema: paperSchema }),
};
