/** An accepted paper. Only accepted papers ever reach content/. */
import { z } from 'astro/zod';
import { editionFileField, idField, markdownField, textField, webUrlField } from './fields.ts';

export const PRESENTATIONS = ['oral', 'poster', 'lightning'] as const;
export const LINK_KINDS = ['pdf', 'arxiv', 'code', 'data', 'slides', 'video'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const paperSchema = z.strictObject({
  /** The paper's id in the submission system (e.g. `2`); stays the same when rows move. */
  id: idField,
  title: textField,
  /** Authors in order. */
  authors: z.array(textField).min(1, 'list at least one author'),
  /** Abstract, markdown. */
  abstract: markdownField.optional(),
  /** Links, http(s) only. */
  links: z.partialRecord(z.enum(LINK_KINDS), webUrlField).default({}),
  /**
   * Files served by the site itself, next to this edition's JSON (e.g. `{ "pdf": "./files/12-pdf-1a2b3c4d.pdf" }`: a
   * PDF attached in Airtable, mirrored by the sync). Shown as the link of their kind, in place of `links`.
   */
  files: z.partialRecord(z.enum(LINK_KINDS), editionFileField).optional(),
  /** An award, e.g. "Best Paper". */
  award: textField.optional(),
  presentation: z.enum(PRESENTATIONS).optional(),
});

export type Paper = z.infer<typeof paperSchema>;
