/** An edition of the workshop: its settings, overview and call for papers. */
import { z } from 'astro/zod';
import { dateField, idField, linkField, markdownField, textField, timeField, timeZoneField, webUrlField } from './fields.ts';

/** A dated milestone of the call for papers. Deadlines are stated in Anywhere-on-Earth (UTC−12). */
const importantDateSchema = z.strictObject({
  /** What happens, e.g. "Paper submission deadline". */
  label: textField,
  /** The day, `YYYY-MM-DD`. */
  date: dateField,
  /** `deadline`: ends at `time` AoE on that day; `event`: a day in the calendar (e.g. the workshop). */
  kind: z.enum(['deadline', 'event']).default('deadline'),
  /** For deadlines: the AoE time of day; defaults to 23:59. */
  time: timeField.default('23:59'),
});

export const editionSchema = z
  .object({
    /** The edition's id, as its folder under content/, e.g. `2024_2`. It becomes the URL `/2024_2/`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, "_" or "-" (e.g. "2024_2")'),
    /** Full title, e.g. "2nd Workshop on Large Language Models for Individuals, Groups, and Society". */
    title: textField,
    /** Short title for the browser tab and the header, e.g. "LLM for Individuals, Groups, and Society". */
    shortTitle: textField,
    /** One-line description used in previews (Open Graph) and search results. */
    description: textField.optional(),
    /** First and last day of the edition, in its time zone. */
    dates: z.strictObject({ start: dateField, end: dateField }),
    /** Where it takes place. */
    venue: z.strictObject({ name: textField.optional(), city: textField, country: textField.optional() }),
    /** The conference the workshop is held in conjunction with. */
    hostConference: z.strictObject({ name: textField, url: webUrlField }),
    /** IANA time zone of the venue; every schedule time is in this zone. */
    timeZone: timeZoneField,
    /** The overview, in markdown. */
    overview: markdownField,
    /** Topics of interest, one markdown line each. */
    topics: z.array(markdownField).default([]),
    /** How to reach the organizers. */
    contact: z.strictObject({ label: textField.default('Contact the organizers'), url: linkField }).optional(),
    /** The call for papers: its text and important dates. */
    callForPapers: z
      .object({
        text: markdownField,
        submissionUrl: webUrlField.optional(),
        importantDates: z.array(importantDateSchema).default([]),
      })
      .optional(),
    /** Past and other editions; an `edition` id links inside this site, a `url` elsewhere. */
    otherEditions: z.array(z.strictObject({ title: textField, edition: idField.optional(), url: webUrlField.optional() })).default([]),
  })
  .refine((e) => e.dates.start <= e.dates.end, {
    message: 'must not be before dates.start',
    path: ['dates', 'end'],
    when: (payload) => {
      const dates = (payload.value as { dates?: { start?: unknown; end?: unknown } }).dates;
      return dateField.safeParse(dates?.start).success && dateField.safeParse(dates?.end).success;
    },
  });

export type Edition = z.infer<typeof editionSchema>;
export type ImportantDate = z.infer<typeof importantDateSchema>;
