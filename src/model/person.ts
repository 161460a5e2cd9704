/** A person shown on the site: speaker, panelist, organizer or program committee member. */
import { z } from 'astro/zod';
import { idField, markdownField, textField, webUrlField } from './fields.ts';

/** Roles, in the order their sections appear on an edition page. */
export const ROLES = ['keynote', 'invited', 'panelist', 'organizer', 'program-committee'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A person's roles in the order of the edition page's sections: `role`, then `otherRoles`. The first is the section
 * whose card carries the person's anchor (`#person-<id>`), the one the program links to.
 */
export function rolesOf(person: { role: Role; otherRoles?: readonly Role[] | undefined }): Role[] {
  const roles = new Set<Role>([person.role, ...(person.otherRoles ?? [])]);
  return ROLES.filter((role) => roles.has(role));
}

/** Refuses further roles that repeat a role or hold the person's `role`, so that each section shows a person once. */
function checkOtherRoles(person: { role: Role; otherRoles?: readonly Role[] | undefined }, ctx: z.RefinementCtx): void {
  const others = person.otherRoles ?? [];
  const repeated = others.filter((role, i) => others.indexOf(role) !== i);
  if (repeated.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['otherRoles'], message: `repeats "${repeated[0]}"; list each role once` });
  }
  if (others.includes(person.role)) {
    ctx.addIssue({
      code: 'custom',
      path: ['otherRoles'],
      message: `holds the person's role "${person.role}"; list only the further roles here`,
    });
  }
}

/**
 * Builds the person schema around a photo field: `astro:assets`' `image()` in the site,
 * a relative file path in the sync.
 */
export function createPersonSchema<P extends z.ZodType>(photo: P) {
  return z
    .strictObject({
      /** Stable id, unique within the edition (e.g. `mark-najork`). */
      id: idField,
      /** Full name as it should appear. */
      name: textField,
      affiliation: textField.optional(),
      /**
       * The person's role; with `otherRoles`, the first of them in ROLES order (the sync writes it so; see
       * docs/content-model.md).
       */
      role: z.enum(ROLES),
      /**
       * Further roles (a speaker both invited and on the panel): the person is shown in each of their sections, one
       * entry, one photo. Each role once, never `role` itself; the sync writes them in ROLES order.
       */
      otherRoles: z.array(z.enum(ROLES)).min(1, 'is empty; leave it out when the person has one role').optional(),
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
    })
    .superRefine(checkOtherRoles);
}

export const personSchema = createPersonSchema(z.string());
export type Person = z.infer<typeof personSchema>;
