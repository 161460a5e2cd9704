/**
 * Steps 2–4 for a whole edition: each page of each table is mapped (template columns → model fields) and validated
 * as it arrives, in whatever order the pages of the tables interleave; `finish` then resolves ids and references
 * (resolve.ts). Papers, the table that can be large, go straight into an EntryStore as their JSON text: per paper only
 * its id and origin stay as objects, so memory does not grow with the table.
 */
import { EntryStore } from '../../content-store/entry-store.ts';
import type { Problem } from '../problems.ts';
import type { SourceRow } from '../sources/types.ts';
import type { TableKey, Template } from '../template.ts';
import { isAccepted, mapPaperRows } from './map-papers.ts';
import { mapPeopleRows, type MappedPerson, type PeopleTable } from './map-people.ts';
import {
  mapScheduleRows,
  missingColumns,
  newColumnTally,
  tallyColumns,
  type ColumnTally,
  type MappedScheduleItem,
} from './map-schedule.ts';
import { allocatePersonIds, resolveSchedule } from './resolve.ts';
import type { Mapped } from './types.ts';

/** An edition's mapped collections, ids and references resolved. */
export interface MappedEdition {
  /** Speakers, organizers, program committee, each in row order. */
  people: MappedPerson[];
  /** Every accepted paper's id and origin, in row order (a repeated ID too: the checks report it). */
  papers: Mapped<{ id: string }>[];
  /** The accepted papers, the first of each ID, as the papers file holds them. */
  paperStore: EntryStore;
  schedule: MappedScheduleItem[];
  /** What the mapping found wrong, by table. */
  problems: Record<TableKey, Problem[]>;
}

export interface EditionMapper {
  /** Maps a page of `table`; returns the rows of the page that may be published (of Papers, the accepted ones). */
  add(table: TableKey, rows: readonly SourceRow[]): readonly SourceRow[];
  /** Forgets what `table` gave so far: its listing starts again. */
  restart(table: TableKey): void;
  /** Resolves ids and references. Call it once, when every table is in. */
  finish(): MappedEdition;
  /** Frees the papers' store (removes its spill file). */
  close(): void;
}

export interface EditionMapperOptions {
  /** Makes the store the accepted papers go into (e.g. one that spills to a temporary file); default in memory. */
  paperStore?: () => EntryStore;
}

const PEOPLE_TABLES: readonly PeopleTable[] = ['speakers', 'organizers', 'programCommittee'];
const isPeopleTable = (table: TableKey): table is PeopleTable => (PEOPLE_TABLES as readonly string[]).includes(table);

export function createEditionMapper(template: Template, options: EditionMapperOptions = {}): EditionMapper {
  const newStore = options.paperStore ?? (() => new EntryStore());
  const problems: Record<TableKey, Problem[]> = { speakers: [], organizers: [], programCommittee: [], papers: [], schedule: [] };
  const people: Record<PeopleTable, MappedPerson[]> = { speakers: [], organizers: [], programCommittee: [] };
  let papers: Mapped<{ id: string }>[] = [];
  let paperStore = newStore();
  let schedule: MappedScheduleItem[] = [];
  let tally: ColumnTally = newColumnTally();
  /** Per table, the columns already warned about once for the whole table (record ids in a text column). */
  const warned: Record<TableKey, Set<string>> = {
    speakers: new Set(),
    organizers: new Set(),
    programCommittee: new Set(),
    papers: new Set(),
    schedule: new Set(),
  };

  function addPapers(rows: readonly SourceRow[]): readonly SourceRow[] {
    const page = mapPaperRows(rows, template, warned.papers);
    for (const { data, origin } of page.entries) {
      paperStore.add(data);
      papers.push({ data: { id: data.id }, origin });
    }
    problems.papers.push(...page.problems);
    const { columns, accepted } = template.papers;
    return rows.filter((row) => isAccepted(row.fields[columns.status], accepted));
  }

  return {
    add(table, rows) {
      if (table === 'papers') return addPapers(rows);
      if (isPeopleTable(table)) {
        const page = mapPeopleRows(rows, table, template, warned[table]);
        people[table].push(...page.entries);
        problems[table].push(...page.problems);
        return rows;
      }
      const page = mapScheduleRows(rows, template, warned.schedule);
      schedule.push(...page.entries);
      problems.schedule.push(...page.problems);
      tallyColumns(tally, rows, template);
      return rows;
    },
    restart(table) {
      problems[table] = [];
      warned[table] = new Set();
      if (isPeopleTable(table)) people[table] = [];
      else if (table === 'schedule') [schedule, tally] = [[], newColumnTally()];
      else {
        paperStore.close();
        [papers, paperStore] = [[], newStore()];
      }
    },
    finish() {
      const everyone = PEOPLE_TABLES.flatMap((table) => people[table]);
      allocatePersonIds(everyone);
      const missing = missingColumns(tally, template);
      if (missing.length > 0) [schedule, problems.schedule] = [[], missing];
      resolveSchedule(
        schedule,
        everyone.map((p) => p.data),
        (id) => paperStore.has(id),
      );
      return { people: everyone, papers, paperStore, schedule, problems };
    },
    close: () => paperStore.close(),
  };
}
