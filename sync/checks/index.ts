/** Runs every check on a mapped edition: warnings only, never errors. (Repeated Paper IDs are reported by mapEdition.) */
import type { EditionRows, MappedEdition } from '../map/map-edition.ts';
import { isAccepted } from '../map/map-papers.ts';
import { DEFAULT_TEMPLATE, type TableTemplate, type Template } from '../map/template.ts';
import type { Problem, SourceRow } from '../map/types.ts';
import { checkDuplicateNames } from './duplicates.ts';
import { checkMojibake } from './mojibake.ts';
import { checkOverlaps } from './overlaps.ts';
import { checkReferences } from './references.ts';
import { checkSpellings } from './spelling.ts';

function mojibakeIn(rows: readonly SourceRow[] | undefined, table: TableTemplate<string>): Problem[] {
  return checkMojibake(rows ?? [], Object.values(table.columns));
}

/** Garbled text in the accepted papers among `rows` (a page of the Papers table, or all of it). */
export function checkPapersMojibake(rows: readonly SourceRow[], template: Template = DEFAULT_TEMPLATE): Problem[] {
  const { columns, accepted } = template.airtable.papers;
  return mojibakeIn(rows.filter((r) => isAccepted(r.fields[columns.status], accepted)), template.airtable.papers);
}

/**
 * Every warning about `edition`, mapped from `rows` with `template`. Rows that are not published are not quoted.
 * Without `rows.papers` (mapped page by page while fetched), the papers' garbled text is checked by the caller.
 */
export function runChecks(edition: MappedEdition<{ id: string }>, rows: EditionRows, template: Template = DEFAULT_TEMPLATE): Problem[] {
  const a = template.airtable;
  const people = edition.people.map((p) => p.data);
  return [
    ...mojibakeIn(rows.speakers, a.speakers),
    ...mojibakeIn(rows.organizers, a.organizers),
    ...mojibakeIn(rows.programCommittee, a.programCommittee),
    ...checkPapersMojibake(rows.papers ?? [], template),
    ...mojibakeIn(rows.schedule, template.sheets.schedule),
    ...checkDuplicateNames(edition.people, a.speakers.columns.name),
    ...checkReferences(edition.schedule, people, edition.papers.map((p) => p.data), template),
    ...checkSpellings(edition.people, edition.schedule, template),
    ...checkOverlaps(edition.schedule, template),
  ];
}
