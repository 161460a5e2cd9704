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

/** Every warning about `edition`, mapped from `rows` with `template`. Rows that are not published are not quoted. */
export function runChecks(edition: MappedEdition, rows: EditionRows, template: Template = DEFAULT_TEMPLATE): Problem[] {
  const a = template.airtable;
  const people = edition.people.map((p) => p.data);
  return [
    ...mojibakeIn(rows.speakers, a.speakers),
    ...mojibakeIn(rows.organizers, a.organizers),
    ...mojibakeIn(rows.programCommittee, a.programCommittee),
    ...mojibakeIn(rows.papers?.filter((r) => isAccepted(r.fields[a.papers.columns.status], a.papers.accepted)), a.papers),
    ...mojibakeIn(rows.schedule, template.sheets.schedule),
    ...checkDuplicateNames(edition.people, a.speakers.columns.name),
    ...checkReferences(edition.schedule, people, edition.papers.map((p) => p.data), template),
    ...checkSpellings(edition.people, edition.schedule, template),
    ...checkOverlaps(edition.schedule, template),
  ];
}
