/**
 * Steps 2–4 for a whole edition: each page of each table is mapped (template columns → model fields) and validated
 * as it arrives, in whatever order the pages of the tables interleave; `finish` then resolves ids and references
 * (resolve.ts) and, given the last sync's entries, keeps those of the rows refused (keep.ts). Papers, the table that can be large, go straight into an EntryStore as their JSON text: per paper only
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
import { keepPapers, keepPeople, keepSchedule, type LeftOutRow, type PublishedEntries } from './keep.ts';
import type { PaperFile } from './paper-files.ts';
import { allocatePersonIds, resolveSchedule } from './resolve.ts';
import type { Mapped, RefusedRow } from './types.ts';

/** An edition's mapped collections, ids and references resolved. */
export interface MappedEdition {
  /** Speakers, organizers, program committee, each in row order. */
  people: MappedPerson[];
  /** Every accepted paper's id and origin, in row order (a repeated ID too: the checks report it). */
  papers: Mapped<{ id: string }>[];
  /** The accepted papers, the first of each ID, as the papers file holds them. */
  paperStore: EntryStore;
  /** The files attached in those papers' link columns, for the mirror step (paper-files.ts). */
  paperFiles: PaperFile[];
  schedule: MappedScheduleItem[];
  /** What the mapping found wrong, by table. */
  problems: Record<TableKey, Problem[]>;
  /**
   * With `published`: each refused row (its errors are in `problems`) and what became of it; its last published
   * entry, when kept, is among the collections above (see keep.ts). Without: none.
   */
  leftOut: LeftOutRow[];
}

export interface EditionMapper {
  /**
   * Maps a page of `table`; returns the rows of the page that may be published (of Papers, the accepted ones).
   * `locale`: the locale the page's source writes dates in (a Google Sheet's; see Page.locale).
   */
  add(table: TableKey, rows: readonly SourceRow[], locale?: string): readonly SourceRow[];
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
  /** The last sync's entries: a refused row's entry found there is kept as it was published (see keep.ts). */
  published?: PublishedEntries;
  /** The edition's IANA time zone (edition.json): date-times with an offset (Airtable's) are read and shown on its clocks. */
  timeZone?: string | undefined;
}

const PEOPLE_TABLES: readonly PeopleTable[] = ['speakers', 'organizers', 'programCommittee'];
const isPeopleTable = (table: TableKey): table is PeopleTable => (PEOPLE_TABLES as readonly string[]).includes(table);

export function createEditionMapper(template: Template, options: EditionMapperOptions = {}): EditionMapper {
  const newStore = options.paperStore ?? (() => new EntryStore());
  const problems: Record<TableKey, Problem[]> = { speakers: [], organizers: [], programCommittee: [], papers: [], schedule: [] };
  const refused: Record<TableKey, RefusedRow[]> = { speakers: [], organizers: [], programCommittee: [], papers: [], schedule: [] };
  const people: Record<PeopleTable, MappedPerson[]> = { speakers: [], organizers: [], programCommittee: [] };
  let papers: Mapped<{ id: string }>[] = [];
  let paperStore = newStore();
  let paperFiles: PaperFile[] = [];
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
    const page = mapPaperRows(rows, template, warned.papers, { timeZone: options.timeZone });
    for (const { data, origin, files } of page.entries) {
      if (paperStore.add(data)) for (const file of files ?? []) paperFiles.push({ ...file, paperId: data.id, origin });
      papers.push({ data: { id: data.id }, origin });
    }
    problems.papers.push(...page.problems);
    refused.papers.push(...(page.refused ?? []));
    const { columns, accepted } = template.papers;
    return rows.filter((row) => isAccepted(row.fields[columns.status], accepted));
  }

  return {
    add(table, rows, locale) {
      if (table === 'papers') return addPapers(rows);
      if (isPeopleTable(table)) {
        const page = mapPeopleRows(rows, table, template, warned[table], { timeZone: options.timeZone });
        people[table].push(...page.entries);
        problems[table].push(...page.problems);
        refused[table].push(...(page.refused ?? []));
        return rows;
      }
      const page = mapScheduleRows(rows, template, warned.schedule, { locale, timeZone: options.timeZone });
      schedule.push(...page.entries);
      problems.schedule.push(...page.problems);
      refused.schedule.push(...(page.refused ?? []));
      tallyColumns(tally, rows, template);
      return rows;
    },
    restart(table) {
      problems[table] = [];
      refused[table] = [];
      warned[table] = new Set();
      if (isPeopleTable(table)) people[table] = [];
      else if (table === 'schedule') [schedule, tally] = [[], newColumnTally()];
      else {
        paperStore.close();
        [papers, paperStore, paperFiles] = [[], newStore(), []];
      }
    },
    finish() {
      const everyone = PEOPLE_TABLES.flatMap((table) => people[table]);
      allocatePersonIds(everyone);
      const missing = missingColumns(tally, template);
      if (missing.length > 0) [schedule, problems.schedule, refused.schedule] = [[], missing, []];
      const { published } = options;
      const leftOut: LeftOutRow[] = [];
      // Kept people and papers before the schedule is resolved, so that its rows find them; kept slots after.
      if (published) {
        const keptPeople = keepPeople(
          PEOPLE_TABLES.flatMap((table) => refused[table]),
          published,
          everyone,
        );
        everyone.push(...keptPeople.kept);
        const keptPapers = keepPapers(refused.papers, published, papers);
        for (const { data, origin } of keptPapers.kept) {
          paperStore.add(data);
          papers.push({ data: { id: data.id }, origin });
        }
        leftOut.push(...keptPeople.leftOut, ...keptPapers.leftOut);
      }
      resolveSchedule(
        schedule,
        everyone.map((p) => p.data),
        (id) => paperStore.has(id),
      );
      if (published) {
        const personIds = new Set(everyone.map((p) => p.data.id));
        const kept = keepSchedule(refused.schedule, published, schedule, personIds, (id) => paperStore.has(id));
        schedule.push(...kept.kept.map((item) => ({ ...item, refs: { speakers: [] } })));
        leftOut.push(...kept.leftOut);
      }
      return { people: everyone, papers, paperStore, paperFiles, schedule, problems, leftOut };
    },
    close: () => paperStore.close(),
  };
}
