/** Builders of SourceRows for the sync tests. */
import { compareIds } from '../../content-store/json.ts';
import type { Paper } from '../../src/model/index.ts';
import { checkDuplicateIds } from '../../sync/checks/duplicates.ts';
import { runChecks } from '../../sync/checks/index.ts';
import { checkMojibake } from '../../sync/checks/mojibake.ts';
import { createEditionMapper, type MappedEdition } from '../../sync/map/edition.ts';
import { isAccepted } from '../../sync/map/map-papers.ts';
import type { MappedPerson, PeopleTable } from '../../sync/map/map-people.ts';
import { mapScheduleRows, missingColumns, newColumnTally, tallyColumns, type MappedScheduleItem } from '../../sync/map/map-schedule.ts';
import { resolveSchedule } from '../../sync/map/resolve.ts';
import type { MapResult } from '../../sync/map/types.ts';
import { formatProblem, type Problem } from '../../sync/problems.ts';
import type { SourceRow } from '../../sync/sources/types.ts';
import { DEFAULT_TEMPLATE, TABLE_KEYS, type TableKey, type Template } from '../../sync/template.ts';

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

/** Entries in the order the collection files keep them (content-store/json.ts `compareIds`). */
export function byId<T extends { id: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => compareIds(a.id, b.id));
}

type Rows = Partial<Record<TableKey, readonly SourceRow[]>>;

/** Each table's rows as one page through the sync's edition mapper; then ids and references resolved. */
function mapAll(rows: Rows, template: Template): MappedEdition {
  const mapper = createEditionMapper(template);
  for (const key of TABLE_KEYS) if (rows[key]) mapper.add(key, rows[key]);
  return mapper.finish();
}

/** The people tables mapped as the sync maps them: entries with unique ids, and the problems, table by table. */
export function mapPeople(rows: Pick<Rows, PeopleTable>, template: Template = DEFAULT_TEMPLATE): MapResult<MappedPerson> {
  const edition = mapAll(rows, template);
  return {
    entries: edition.people,
    problems: [...edition.problems.speakers, ...edition.problems.organizers, ...edition.problems.programCommittee],
  };
}

/** The Schedule tab mapped as the sync maps it, resolving names and paper ids against `context`. */
export function mapSchedule(
  rows: readonly SourceRow[],
  context: { people: readonly { id: string; name: string }[]; papers: readonly { id: string }[] },
  template: Template = DEFAULT_TEMPLATE,
): MapResult<MappedScheduleItem> {
  const tally = newColumnTally();
  tallyColumns(tally, rows, template);
  const missing = missingColumns(tally, template);
  if (missing.length > 0) return { entries: [], problems: missing };
  const mapped = mapScheduleRows(rows, template);
  const papers = new Set(context.papers.map((p) => p.id));
  resolveSchedule(mapped.entries, context.people, (id) => papers.has(id));
  return mapped;
}

/** A whole edition mapped in memory: the papers with their data (the first of each ID), the mapping's problems. */
export function mapEdition(rows: Rows, template: Template = DEFAULT_TEMPLATE) {
  const edition = mapAll(rows, template);
  const stored = new Map((JSON.parse([...edition.paperStore.chunks()].join('')) as Paper[]).map((p) => [p.id, p] as const));
  const papers = edition.papers.filter((p, i) => edition.papers.findIndex((q) => q.data.id === p.data.id) === i);
  return {
    ...edition,
    papers: papers.map((p) => ({ data: stored.get(p.data.id)!, origin: p.origin })),
    problems: [
      ...(['speakers', 'organizers', 'programCommittee', 'papers'] as const).flatMap((key) => edition.problems[key]),
      ...checkDuplicateIds(edition.papers, template.papers.columns.id),
      ...edition.problems.schedule,
    ],
  };
}

/** Every warning the checks give on `edition`: garbled text in the published rows of each table, then runChecks. */
export function checkEdition(
  edition: Pick<MappedEdition, 'people' | 'papers' | 'schedule'>,
  rows: Rows,
  template: Template = DEFAULT_TEMPLATE,
): Problem[] {
  const { columns, accepted } = template.papers;
  const published = (key: TableKey) =>
    key === 'papers' ? (rows.papers ?? []).filter((r) => isAccepted(r.fields[columns.status], accepted)) : (rows[key] ?? []);
  return [
    ...TABLE_KEYS.flatMap((key) => checkMojibake(published(key), Object.values<string>(template[key].columns))),
    ...runChecks(edition, template),
  ];
}
