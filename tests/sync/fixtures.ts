/** Builders of SourceRows for the sync tests. */
import type { SourceRow } from '../../sync/map/types.ts';
import type { Problem } from '../../sync/map/types.ts';
import { formatProblem } from '../../sync/map/types.ts';
import { compareIds } from '../../sync/write/json.ts';

/** An Airtable row of `table` with record id `recordId`. */
export function airtableRow(table: string, recordId: string, fields: Record<string, unknown>): SourceRow {
  return { source: 'Airtable', table, where: { recordId }, fields };
}

/** A Google Sheets Schedule row at sheet row `row`. */
export function sheetRow(row: number, fields: Record<string, unknown>): SourceRow {
  return { source: 'Google Sheets', table: 'Schedule', where: { row }, fields };
}

/** Problems as the lines a person reads. */
export function lines(problems: readonly Problem[]): string[] {
  return problems.map(formatProblem);
}

/** Entries in the order the collection files keep them (sync/write/json.ts `compareIds`). */
export function byId<T extends { id: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => compareIds(a.id, b.id));
}
