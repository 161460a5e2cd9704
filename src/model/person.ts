/** A person shown on the site: speaker, panelist, organizer or program committee member. */
import { z } from 'astro/zod';
import { idField, markdownField, textField, webUrlField } from './fields.ts';

/** Roles, in the order their sections appear on an edition page. */
export const ROLES = ['keynote', 'invited', 'panelist', 'organizer', 'program-committee'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Builds the person schema around a photo field: `astro:assets`' `image()` in the site,
 * a relative file path in the sync.
 */
export function createPersonSchema<P extends z.ZodType>(photo: P) {
  return z.strictObject({
    /** Stable id, unique within the edition (e.g. `mark-najork`). */
    id: idField,
    /** Full name as it should appear. */
    name: textField,
    affiliation: textField.optional(),
    role: z.enum(ROLES),
    /** An organizer's position in the team (e.g. `General chair`), shown under the name. */
    position: textField.optional(),
    /** A photo next to this edition's JSON (e.g. `./photos/mark-najork.jpg`). */
    photo: photo.optional(),
    /** Personal homepage, http(s) only. */
    homepage: webUrlField.optional(),
    /** Keynote, invited talk or panel contribution title. */
    talkTitle: textField.optional(),
    /** Talk abstract, markdown. */
    abstract: markdownField.optional(),
    /** Short biography, markdown. */
    bio: markdownField.optional(),
    /** Position within the role's section; lower comes first, then by name. */
    order: z.number().int().optional(),
  });
}

export const personSchema = createPersonSchema(z.string());
export type Person = z.infer<typeof personSchema>;
