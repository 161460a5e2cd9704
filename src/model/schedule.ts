/** A slot of the program. Times are wall-clock times in the edition's time zone. */
import { z } from 'astro/zod';
import { idField, localDateTimeField, textField } from './fields.ts';

const SESSION_KINDS = ['opening', 'keynote', 'invited', 'paper', 'panel', 'break', 'poster', 'closing', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** Compare start and end only once both are well-formed, so a bad time yields one message, not two. */
function bothTimesValid(payload: { value: unknown }): boolean {
  const value = payload.value as { start?: unknown; end?: unknown };
  return localDateTimeField.safeParse(value.start).success && localDateTimeField.safeParse(value.end).success;
}

/**
 * Builds the schedule item schema around a reference field: `astro:content`'s `reference()` in the
 * site, a plain id in the sync.
 */
export function createScheduleItemSchema<R extends z.ZodType>(reference: (collection: 'people' | 'papers') => R) {
  return z
    .object({
      /** Stable id, unique within the edition (e.g. `keynote-1`). Also the name of the session's .ics file. */
      id: idField,
      /** Start, `YYYY-MM-DDTHH:MM` in the edition's time zone. */
      start: localDateTimeField,
      /** End, `YYYY-MM-DDTHH:MM` in the edition's time zone. */
      end: localDateTimeField,
      title: textField,
      kind: z.enum(SESSION_KINDS).default('other'),
      /** People (ids in people.json) who speak in this slot. */
      speakers: z.array(reference('people')).default([]),
      /** The paper (id in papers.json) presented in this slot. */
      paper: reference('papers').optional(),
      room: textField.optional(),
      /** Extra line shown under the title, e.g. "virtual talk". */
      note: textField.optional(),
    })
    .refine((s) => s.start < s.end, { message: 'must be after start', path: ['end'], when: bothTimesValid });
}

export const scheduleItemSchema = createScheduleItemSchema(() => idField);
export type ScheduleItem = z.infer<typeof scheduleItemSchema>;
