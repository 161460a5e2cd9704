/**
 * The template: for each table of an edition, its name (an Airtable table or a sheet tab) and the column for each
 * model field. Every name can be renamed in workshop.config.ts (`template`); which source a table comes from is
 * `tables`. Only the columns named here are ever read into content; every other column stays private.
 *
 * Some columns are required (a person's name, a paper's title): a table without one stops the sync. The others are
 * optional (OPTIONAL_FIELDS): a table without one is read without it, said once as a warning; `null` in
 * workshop.config.ts switches one off, silently (the table has no such column, and that is fine).
 */
import { ConfigError } from './errors.ts';

/** The columns of a table: one for each required field, and one for each optional field not switched off. */
type Columns<R extends string, O extends string> = Record<R, string> & Partial<Record<O, string>>;

/** A table (or tab) name and the column name for each field the mapper reads. */
interface TableTemplate<R extends string, O extends string = never> {
  table: string;
  columns: Columns<R, O>;
  /** Airtable only: read just this view's records (e.g. a "Website" view that hides drafts), in its order. */
  view?: string;
  /** Airtable only: the table's id and its fields' ids (`npm run doctor -- --write`), so that renames do not break the sync. */
  ids?: TableIds<R | O>;
}

/** Airtable ids of a table (`tbl…`) and of the fields it maps (`fld…`), by model field; they survive renames. */
interface TableIds<F extends string> {
  table?: string;
  columns: Partial<Record<F, string>>;
}

/** Model fields read from the Organizers table (role is always `organizer`); only the name is required. */
type OrganizerOptional = 'affiliation' | 'position' | 'photo' | 'homepage' | 'order';
/** Model fields read from the Speakers table; `kind` gives the role. */
type SpeakerOptional = 'affiliation' | 'talkTitle' | 'abstract' | 'bio' | 'photo' | 'homepage' | 'order';
/** Fields read from the Papers table; `status` decides publication and is never published itself. */
type PaperRequired = 'id' | 'title' | 'authors' | 'status';
type PaperOptional = 'abstract' | 'pdf' | 'arxiv' | 'code' | 'award' | 'presentation';
export type PaperField = PaperRequired | PaperOptional;
/** Fields read from the Schedule tab; `date` + `start`/`end` make the local start and end. */
type ScheduleRequired = 'date' | 'start' | 'end' | 'title';
type ScheduleOptional = 'kind' | 'speaker' | 'paper' | 'room';
export type ScheduleField = ScheduleRequired | ScheduleOptional;

/** The whole mapping, one entry per table of an edition. */
export interface Template {
  organizers: TableTemplate<'name', OrganizerOptional>;
  speakers: TableTemplate<'name' | 'kind', SpeakerOptional>;
  /** `accepted`: the Status value that publishes a paper (compared trimmed, case-insensitive). */
  papers: TableTemplate<PaperRequired, PaperOptional> & { accepted: string };
  /** Optional: an edition without this table has no program committee section. */
  programCommittee: TableTemplate<'name', 'affiliation'>;
  /**
   * `dayFirst`: read `18/07/2024` as day/month/year (true) or `7/18/2024` as month/day/year (false). Unset (the
   * default): as the Google Sheet's locale writes dates (en_GB, de_DE, fr_FR… day first), and month first where the
   * source has no locale (a published CSV, local files) or it could not be read. See sync/map/dates.ts.
   */
  schedule: TableTemplate<ScheduleRequired, ScheduleOptional> & { dayFirst?: boolean };
}

/** The tables of an edition, in the order people are numbered (speakers first). */
export type TableKey = keyof Template;
export const TABLE_KEYS = ['speakers', 'organizers', 'programCommittee', 'papers', 'schedule'] as const satisfies readonly TableKey[];

/** The fields a table may lack, by table: every field but the ones a row cannot do without. */
export const OPTIONAL_FIELDS: { readonly [K in TableKey]: readonly string[] } = {
  organizers: ['affiliation', 'position', 'photo', 'homepage', 'order'],
  speakers: ['affiliation', 'talkTitle', 'abstract', 'bio', 'photo', 'homepage', 'order'],
  papers: ['abstract', 'pdf', 'arxiv', 'code', 'award', 'presentation'],
  programCommittee: ['affiliation'],
  schedule: ['kind', 'speaker', 'paper', 'room'],
} satisfies {
  organizers: readonly OrganizerOptional[];
  speakers: readonly SpeakerOptional[];
  papers: readonly PaperOptional[];
  programCommittee: readonly 'affiliation'[];
  schedule: readonly ScheduleOptional[];
};

/** The column each field of `table` is read from, by column name (for messages that name the field). */
export function fieldsByColumn(template: Template, table: TableKey): Map<string, string> {
  return new Map(
    Object.entries<string | undefined>(template[table].columns).flatMap(([field, column]) => (column ? [[column, field] as const] : [])),
  );
}

/** The columns the template reads from `table` (switched-off ones are not there). */
export function columnsOf(template: Template, table: TableKey): string[] {
  return [...new Set(fieldsByColumn(template, table).keys())];
}

/** The columns of `table` that it may lack (its optional fields' columns). */
export function optionalColumnsOf(template: Template, table: TableKey): string[] {
  const optional = new Set(OPTIONAL_FIELDS[table]);
  return [...fieldsByColumn(template, table)].filter(([, field]) => optional.has(field)).map(([column]) => column);
}

/** The template of the issue: the column names organizers see in the shared base and sheet. */
export const DEFAULT_TEMPLATE = {
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
} satisfies Template;

/** A renamed table, its renamed columns (`null`: an optional column the table does not have) and, for Airtable, a view. */
interface TableOverride<R extends string, O extends string = never> {
  table?: string;
  columns?: Partial<Record<R, string>> & Partial<Record<O, string | null>>;
  view?: string;
  /** Airtable only (ignored for other sources): the table's id and its fields' ids, by model field. */
  ids?: { table?: string; columns?: Partial<Record<R | O, string>> };
}

/** Renames: any table name or column, leaving the rest as in the default template. */
export interface TemplateOverrides {
  organizers?: TableOverride<'name', OrganizerOptional>;
  speakers?: TableOverride<'name' | 'kind', SpeakerOptional>;
  papers?: TableOverride<PaperRequired, PaperOptional> & { accepted?: string };
  programCommittee?: TableOverride<'name', 'affiliation'>;
  schedule?: TableOverride<ScheduleRequired, ScheduleOptional> & { dayFirst?: boolean };
}

const TABLE_ID = /^tbl[A-Za-z0-9]{14}$/;
const FIELD_ID = /^fld[A-Za-z0-9]{14}$/;

/** The ids of `base` with those of `override`, checked; a field without a column (switched off) has no id. */
function mergeIds(
  key: TableKey,
  base: TableIds<string> | undefined,
  override: { table?: unknown; columns?: unknown } | undefined,
  columns: Readonly<Record<string, string | undefined>>,
): TableIds<string> | undefined {
  if (override !== undefined && (typeof override !== 'object' || override === null)) {
    throw new ConfigError(`workshop.config.ts: template.${key}.ids must be an object { table?, columns? } of Airtable ids.`);
  }
  const table = override?.table ?? base?.table;
  if (table !== undefined && (typeof table !== 'string' || !TABLE_ID.test(table))) {
    throw new ConfigError(
      `workshop.config.ts: template.${key}.ids.table must be an Airtable table id such as tblXXXXXXXXXXXXXX (from npm run doctor -- --write), not ${JSON.stringify(table)}.`,
    );
  }
  const overrideColumns = override?.columns ?? {};
  if (typeof overrideColumns !== 'object' || overrideColumns === null) {
    throw new ConfigError(`workshop.config.ts: template.${key}.ids.columns must be an object of field ids by field.`);
  }
  const ids: Partial<Record<string, string>> = { ...base?.columns };
  for (const [field, id] of Object.entries(overrideColumns as Record<string, unknown>)) {
    const where = `template.${key}.ids.columns.${field}`;
    if (!(field in DEFAULT_TEMPLATE[key].columns)) {
      const known = Object.keys(DEFAULT_TEMPLATE[key].columns).join(', ');
      throw new ConfigError(`workshop.config.ts: ${where} is not a field of this table; its fields are ${known}.`);
    }
    if (id === undefined) continue;
    if (typeof id !== 'string' || !FIELD_ID.test(id)) {
      throw new ConfigError(
        `workshop.config.ts: ${where} must be an Airtable field id such as fldXXXXXXXXXXXXXX (from npm run doctor -- --write), not ${JSON.stringify(id)}.`,
      );
    }
    ids[field] = id;
  }
  for (const field of Object.keys(ids)) if (columns[field] === undefined) delete ids[field];
  if (table === undefined && Object.keys(ids).length === 0) return undefined;
  return { ...(table === undefined ? {} : { table }), columns: ids };
}

function mergeTable<T extends TableTemplate<string, string>>(
  key: TableKey,
  base: T,
  override: { table?: string; view?: string; columns?: Partial<Record<string, string | null>>; ids?: object } | undefined,
): T {
  if (!override) return base;
  const columns: Record<string, string | undefined> = { ...base.columns };
  for (const [field, column] of Object.entries(override.columns ?? {})) {
    const where = `template.${key}.columns.${field}`;
    if (!(field in base.columns) && !OPTIONAL_FIELDS[key].includes(field)) {
      const known = Object.keys(DEFAULT_TEMPLATE[key].columns).join(', ');
      throw new ConfigError(`workshop.config.ts: ${where} is not a field of this table; its fields are ${known}.`);
    }
    if (column === null) {
      if (!OPTIONAL_FIELDS[key].includes(field)) {
        throw new ConfigError(`workshop.config.ts: ${where} cannot be null: every row needs it. Name the column that holds it instead.`);
      }
      delete columns[field];
    } else if (typeof column === 'string' && column.trim() !== '') columns[field] = column;
    else if (column !== undefined) {
      throw new ConfigError(
        `workshop.config.ts: ${where} must be the name of a column${OPTIONAL_FIELDS[key].includes(field) ? ', or null for none' : ''}.`,
      );
    }
  }
  const ids = mergeIds(key, base.ids, override.ids, columns);
  const { ids: _baseIds, ...rest } = base;
  return {
    ...rest,
    ...(override.table === undefined ? {} : { table: override.table }),
    ...(override.view === undefined ? {} : { view: override.view }),
    columns: columns as T['columns'],
    ...(ids ? { ids } : {}),
  } as T;
}

/** The default template with some tables or columns renamed, and optional columns switched off (`null`). */
export function customizeTemplate(overrides: TemplateOverrides, base: Template = DEFAULT_TEMPLATE): Template {
  const { papers, schedule } = overrides;
  return {
    organizers: mergeTable('organizers', base.organizers, overrides.organizers),
    speakers: mergeTable('speakers', base.speakers, overrides.speakers),
    papers: { ...mergeTable('papers', base.papers, papers), ...(papers?.accepted === undefined ? {} : { accepted: papers.accepted }) },
    programCommittee: mergeTable('programCommittee', base.programCommittee, overrides.programCommittee),
    schedule: {
      ...mergeTable('schedule', base.schedule, schedule),
      ...(schedule?.dayFirst === undefined ? {} : { dayFirst: schedule.dayFirst }),
    },
  };
}
