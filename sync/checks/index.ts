/**
 * The checks that look at a mapped edition as a whole: one person listed twice, schedule names and paper ids that
 * match nothing, one person spelled two ways in two tables (spelling.ts), overlapping slots. Warnings only, never errors. (Repeated paper IDs:
 * duplicates.ts; garbled text, checked page by page on the rows: mojibake.ts.)
 */
import type { MappedEdition } from '../map/edition.ts';
import type { Problem } from '../problems.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { checkDuplicateNames } from './duplicates.ts';
import { checkOverlaps } from './overlaps.ts';
import { checkReferences } from './references.ts';
import { checkSpellings } from './spelling.ts';

export function runChecks(
  edition: Pick<MappedEdition, 'people' | 'papers' | 'schedule'>,
  template: Template = DEFAULT_TEMPLATE,
): Problem[] {
  const people = edition.people.map((p) => p.data);
  return [
    ...checkDuplicateNames(edition.people, template.speakers.columns.name),
    ...checkReferences(
      edition.schedule,
      people,
      edition.papers.map((p) => p.data),
      template,
    ),
    ...checkSpellings(edition.people, template),
    ...checkOverlaps(edition.schedule, template),
  ];
}
