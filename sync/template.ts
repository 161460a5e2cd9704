/**
 * The template: for each table of an edition, its name (an Airtable table or a sheet tab) and the column for each
 * model field. Every name can be renamed in workshop.config.ts (`template`); which source a table comes from is
 * `tables`. Only the columns named here are ever read into content; every other column stays private.
 */

/** A table (or tab) name and the column name for each field the mapper reads. */
interface TableTemplate<F extends string> {
  table: string;
  columns: Record<F, string>;
  /** Airtable only: read just this view's records (e.g. a "Website" view that hides drafts), in its order. */
  view?: string;
}

/** Model fields read from the Organizers table (role is always `organizer`). */
type OrganizerField = 'name' | 'affiliation' | 'position' | 'photo' | 'homepage' | 'order';
/** Model fields read from the Speakers table; `kind` gives the role. */
type SpeakerField = 'name' | 'affiliation' | 'kind' | 'talkTitle' | 'abstract' | 'bio' | 'photo' | 'homepage' | 'order';
/** Fields read from the Papers table; `status` decides publication and is never published itself. */
export type PaperField = 'id' | 'title' | 'authors' | 'abstract' | 'pdf' | 'arxiv' | 'code' | 'status' | 'award' | 'presentation';
/** Fields read from the Program Committee table (role is always `program-committee`). */
type CommitteeField = 'name' | 'affiliation';
/** Fields read from the Schedule tab; `date` + `start`/`end` make the local start and end. */
export type ScheduleField = 'date' | 'start' | 'end' | 'title' | 'kind' | 'speaker' | 'paper' | 'room';

/** The whole mapping, one entry per table of an edition. */
export interface Template {
  organizers: TableTemplate<OrganizerField>;
  speakers: TableTemplate<SpeakerField>;
  /** `accepted`: the Status value that publishes a paper (compared trimmed, case-insensitive). */
  papers: TableTemplate<PaperField> & { accepted: string };
  /** Optional: an edition without this table has no program committee section. */
  programCommittee: TableTemplate<CommitteeField>;
  /** `dayFirst`: read `18/07/2024` as day/month/year. Default false (month first, as Sheets shows dates in en-US). */
  schedule: TableTemplate<ScheduleField> & { dayFirst: boolean };
}

/** The tables of an edition, in the order people are numbered (speakers first). */
export type TableKey = keyof Template;
export const TABLE_KEYS = ['speakers', 'organizers', 'programCommittee', 'papers', 'schedule'] as const satisfies readonly TableKey[];

/** The template of the issue: the column names organizers see in the shared base and sheet. */
export const DEFAULT_TEMPLATE: Template = {
  organizers: {
    table: 'Organizers',
    columns: { name: 'Name', affiliation: 'Affiliation', position: 'Role', photo: 'Photo', homepage: 'Homepage', order: 'Order' },
  },
  speakers: {
    table: 'Speakers',
    columns: {
      name: 'Name',
      affiliation: 'Affiliation',
      kind: 'Kind',
      talkTitle: 'Talk Title',
      abstract: 'Abstract',
      bio: 'Bio',
      photo: 'Photo',
      homepage: 'Homepage',
      order: 'Order',
    },
  },
  papers: {
    table: 'Papers',
    accepted: 'Accepted',
    columns: {
      id: 'Paper ID',
      title: 'Title',
      authors: 'Authors',
      abstract: 'Abstract',
      pdf: 'PDF',
      arxiv: 'arXiv',
      code: 'Code',
      status: 'Status',
      award: 'Award',
      presentation: 'Presentation',
    },
  },
  programCommittee: { table: 'Program Committee', columns: { name: 'Name', affiliation: 'Affiliation' } },
  schedule: {
    table: 'Schedule',
    dayFirst: false,
    columns: {
      date: 'Date',
      start: 'Start',
      end: 'End',
      title: 'Title',
      kind: 'Kind',
      speaker: 'Speaker',
      paper: 'Paper ID',
      room: 'Room',
    },
  },
};

/** A renamed table, its renamed columns and, for Airtable, a view. */
interface TableOverride<F extends string> {
  table?: string;
  columns?: Partial<Record<F, string>>;
  view?: string;
}

/** Renames: any table name or column, leaving the rest as in the default template. */
export interface TemplateOverrides {
  organizers?: TableOverride<OrganizerField>;
  speakers?: TableOverride<SpeakerField>;
  papers?: TableOverride<PaperField> & { accepted?: string };
  programCommittee?: TableOverride<CommitteeField>;
  schedule?: TableOverride<ScheduleField> & { dayFirst?: boolean };
}

function mergeTable<F extends string, T extends TableTemplate<F>>(base: T, override: TableOverride<F> | undefined): T {
  if (!override) return base;
  const columns = { ...base.columns };
  for (const [field, column] of Object.entries(override.columns ?? {}) as [F, string | undefined][]) {
    if (column !== undefined) columns[field] = column;
  }
  return {
    ...base,
    ...(override.table === undefined ? {} : { table: override.table }),
    ...(override.view === undefined ? {} : { view: override.view }),
    columns,
  };
}

/** The default template with some tables or columns renamed. */
export function customizeTemplate(overrides: TemplateOverrides, base: Template = DEFAULT_TEMPLATE): Template {
  const { papers, schedule } = overrides;
  return {
    organizers: mergeTable(base.organizers, overrides.organizers),
    speakers: mergeTable(base.speakers, overrides.speakers),
    papers: { ...mergeTable(base.papers, papers), ...(papers?.accepted === undefined ? {} : { accepted: papers.accepted }) },
    programCommittee: mergeTable(base.programCommittee, overrides.programCommittee),
    schedule: { ...mergeTable(base.schedule, schedule), ...(schedule?.dayFirst === undefined ? {} : { dayFirst: schedule.dayFirst }) },
  };
}
