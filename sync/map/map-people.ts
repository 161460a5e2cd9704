/**
 * Organizers, Speakers and Program Committee rows → person entries, a page at a time. The role comes from the table
 * (Organizers, Program Committee) or the Kind column (Speakers). Ids are slugs of names (a digest of the name for one
 * without Latin letters: never a record id); resolve.ts makes them unique across the three tables. A photo stays an attachment reference
 * beside the person, for the mirroring step to download and turn into the model's file path.
 */
import { createHash } from 'node:crypto';
import { personSchema, type Person, type Role } from '../../src/model/index.ts';
import type { Problem } from '../problems.ts';
import { originOf, type SourceRow } from '../sources/types.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { excerpt, foldName, slugify, type AttachmentRef } from './parse.ts';
import { compact, readRow, validateWith, type WarnedColumns } from './row-reader.ts';
import type { Mapped, MapResult } from './types.ts';

/** A person with the row it came from and, if the row has one, its photo attachment (not yet mirrored). */
export interface MappedPerson extends Mapped<Person> {
  photo?: AttachmentRef;
  /** The column the photo came from, for the messages about it. */
  photoColumn?: string;
}

/** The tables that hold people. */
export type PeopleTable = 'speakers' | 'organizers' | 'programCommittee';

/** The role each table gives; Speakers take theirs from the Kind column. */
const TABLE_ROLES: Record<PeopleTable, Role | undefined> = {
  speakers: undefined,
  organizers: 'organizer',
  programCommittee: 'program-committee',
};

const SPEAKER_KINDS: Record<string, Role> = {
  keynote: 'keynote',
  'keynote speaker': 'keynote',
  'keynote talk': 'keynote',
  invited: 'invited',
  'invited speaker': 'invited',
  'invited talk': 'invited',
  panelist: 'panelist',
  panellist: 'panelist',
  panel: 'panelist',
};

/** The role a Speakers Kind cell names (Keynote, Invited or Panelist, a few synonyms, any case), if any. */
export function speakerRole(kind: string): Role | undefined {
  return SPEAKER_KINDS[foldName(kind)];
}

/**
 * The id of a person whose name has letters or digits but no Latin ones (李明, Ωμέγα): `p-` and a short digest of the
 * name — stable across syncs, the same from any source, and never the record id (ids reach URLs and anchors).
 * Undefined for a name with no letter or digit at all.
 */
function digestId(name: string): string | undefined {
  if (!/[\p{L}\p{N}]/u.test(name)) return undefined;
  return `p-${createHash('sha256').update(foldName(name)).digest('hex').slice(0, 10)}`;
}

type AnyPersonField = 'name' | 'affiliation' | 'position' | 'kind' | 'talkTitle' | 'abstract' | 'bio' | 'photo' | 'homepage' | 'order';

function mapPersonRow(
  row: SourceRow,
  columns: Partial<Record<AnyPersonField, string>>,
  fixedRole: Role | undefined,
  warned: WarnedColumns,
): { entry?: MappedPerson; problems: Problem[] } {
  const r = readRow(row, warned);
  const col = (f: AnyPersonField): string | undefined => columns[f];
  const mapped = Object.values(columns).filter((c): c is string => c !== undefined);
  if (r.allEmpty(mapped)) return { problems: [] };
  const text = (f: AnyPersonField): string | undefined => (col(f) === undefined ? undefined : r.text(col(f)!));
  const name = r.required(columns.name!, `every person needs a name.`);
  let role = fixedRole;
  if (!role && col('kind')) {
    const kind = r.required(col('kind')!, 'write Keynote, Invited or Panelist.');
    if (kind !== undefined) {
      role = speakerRole(kind);
      if (!role) r.error(col('kind')!, `"${excerpt(kind)}" is not a kind of speaker; write Keynote, Invited or Panelist.`);
    }
  }
  const photo = col('photo') === undefined ? undefined : r.attachment(col('photo')!);
  const homepage = col('homepage') === undefined ? undefined : r.link(col('homepage')!);
  let order = col('order') === undefined ? undefined : r.number(col('order')!);
  if (order !== undefined && !Number.isInteger(order)) {
    r.leaveOut(col('order')!, `${order} is not a whole number; number the people 1, 2, 3… (lower comes first).`);
    order = undefined;
  }
  const candidate = compact({
    id: name === undefined ? undefined : slugify(name) || digestId(name),
    name,
    affiliation: text('affiliation'),
    role,
    position: text('position'),
    homepage,
    talkTitle: text('talkTitle'),
    abstract: text('abstract'),
    bio: text('bio'),
    order,
  });
  if (name !== undefined && candidate.id === undefined) {
    r.error(columns.name!, `"${excerpt(name)}" has no letters or digits; write the person's name.`);
  }
  const fieldColumn = (path: readonly PropertyKey[]): string | undefined => {
    const field = String(path[0] ?? '');
    if (field === 'id') return columns.name;
    if (field === 'role') return col('kind');
    return col(field as AnyPersonField);
  };
  const data = validateWith(personSchema, candidate, row, r, fieldColumn);
  if (!data) return { problems: r.problems };
  const entry: MappedPerson = { data, origin: originOf(row) };
  if (photo) Object.assign(entry, { photo, photoColumn: col('photo') });
  return { entry, problems: r.problems };
}

/**
 * Maps rows of one people table (a page, or all of it) to person entries, in row order. Only the template's columns
 * are read. A Kind with several values (a multiple select) gives the first: a person has one role. `warned`: the
 * columns already warned about for the whole table (share one set across its pages).
 */
export function mapPeopleRows(
  rows: readonly SourceRow[],
  table: PeopleTable,
  template: Template = DEFAULT_TEMPLATE,
  warned: WarnedColumns = new Set(),
): MapResult<MappedPerson> {
  const result: MapResult<MappedPerson> = { entries: [], problems: [] };
  const columns = template[table].columns as Partial<Record<AnyPersonField, string>>;
  for (const row of rows) {
    const { entry, problems } = mapPersonRow(row, columns, TABLE_ROLES[table], warned);
    if (entry) result.entries.push(entry);
    result.problems.push(...problems);
  }
  return result;
}
