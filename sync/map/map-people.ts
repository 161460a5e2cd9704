/**
 * Organizers, Speakers and Program Committee rows → person entries, a page at a time. The role comes from the table
 * (Organizers, Program Committee) or the Kind column (Speakers). Ids are slugs of names (a digest of the name for one
 * without Latin letters: never a record id); resolve.ts makes them unique across the three tables. A photo stays an attachment reference
 * beside the person, for the mirroring step to download and turn into the model's file path.
 */
import { createHash } from 'node:crypto';
import { personSchema, ROLES, type Person, type Role } from '../../src/model/index.ts';
import type { Problem } from '../problems.ts';
import { originOf, type SourceRow } from '../sources/types.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { excerpt, foldName, slugify, type AttachmentRef } from './parse.ts';
import { compact, readRow, validateWith, type RowReader, type WarnedColumns } from './row-reader.ts';
import type { CellContext } from './typed-cells.ts';
import { refusedRow } from './keep.ts';
import type { Mapped, MapResult, RefusedRow } from './types.ts';

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

const KINDS_HINT = 'write Keynote, Invited or Panelist.';

/** `"Chair" is not a kind of speaker` or `"Chair", "Dancer" are not kinds of speaker`, naming at most five values. */
function notKinds(values: readonly string[]): string {
  const named = values.slice(0, 5).map((v) => `"${excerpt(v, 60)}"`);
  const list = named.join(', ') + (values.length > 5 ? ', …' : '');
  return values.length === 1 ? `${list} is not a kind of speaker` : `${list} are not kinds of speaker`;
}

/**
 * The roles a Speakers Kind cell names: one value, or several (a multiple select such as Invited + Panelist, shown in
 * both sections). `role` is the first of them in ROLES order (the order of the page's sections, whatever the cell's
 * order), `otherRoles` the others in that order; a role named twice counts once. Values that name no kind of speaker
 * are left out with one warning when another value names one; when none does, the row has an error.
 */
function readSpeakerRoles(r: RowReader, column: string): { role: Role; otherRoles?: Role[] } | undefined {
  const kinds = r.list(column, KINDS_HINT);
  if (kinds === undefined) return undefined;
  const named = new Set(kinds.map(speakerRole));
  const unknown = [...new Set(kinds.filter((kind) => speakerRole(kind) === undefined))];
  const [role, ...otherRoles] = ROLES.filter((known) => named.has(known));
  if (role === undefined) {
    r.error(column, `${notKinds(unknown)}; ${KINDS_HINT}`);
    return undefined;
  }
  if (unknown.length > 0) {
    r.leaveOut(column, `${notKinds(unknown)}; make each value Keynote, Invited or Panelist, or remove it from the cell.`);
  }
  return otherRoles.length > 0 ? { role, otherRoles } : { role };
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
  cells: CellContext,
): { entry?: MappedPerson; problems: Problem[]; refused?: RefusedRow } {
  const r = readRow(row, warned, cells);
  const col = (f: AnyPersonField): string | undefined => columns[f];
  const mapped = Object.values(columns).filter((c): c is string => c !== undefined);
  if (r.allEmpty(mapped)) return { problems: [] };
  const text = (f: AnyPersonField): string | undefined => r.text(col(f));
  const name = r.required(columns.name!, `every person needs a name.`);
  const roles = fixedRole ? { role: fixedRole } : col('kind') ? readSpeakerRoles(r, col('kind')!) : undefined;
  const photo = r.attachment(col('photo'));
  const homepage = r.link(col('homepage'));
  let order = r.number(col('order'));
  if (order !== undefined && !Number.isSafeInteger(order)) {
    const wrong = Number.isInteger(order) ? 'is too large a number' : 'is not a whole number';
    r.leaveOut(col('order')!, `${order} ${wrong}; number the people 1, 2, 3… (lower comes first).`);
    order = undefined;
  }
  const candidate = compact({
    id: name === undefined ? undefined : slugify(name) || digestId(name),
    name,
    affiliation: text('affiliation'),
    role: roles?.role,
    otherRoles: roles?.otherRoles,
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
    if (field === 'role' || field === 'otherRoles') return col('kind');
    return col(field as AnyPersonField);
  };
  const data = validateWith(personSchema, candidate, row, r, fieldColumn);
  if (!data) return { problems: r.problems, refused: refusedRow(row, candidate.id) };
  const entry: MappedPerson = { data, origin: originOf(row) };
  if (photo) Object.assign(entry, { photo, photoColumn: col('photo') });
  return { entry, problems: r.problems };
}

/**
 * Maps rows of one people table (a page, or all of it) to person entries, in row order. Only the template's columns
 * are read. A Kind with several values (a multiple select) gives every role it names (see readSpeakerRoles). `warned`: the
 * columns already warned about for the whole table (share one set across its pages); `cells`: the edition's time zone,
 * for date-times in text.
 */
export function mapPeopleRows(
  rows: readonly SourceRow[],
  table: PeopleTable,
  template: Template = DEFAULT_TEMPLATE,
  warned: WarnedColumns = new Set(),
  cells: CellContext = {},
): MapResult<MappedPerson> {
  const result: MapResult<MappedPerson> = { entries: [], problems: [], refused: [] };
  const columns = template[table].columns as Partial<Record<AnyPersonField, string>>;
  for (const row of rows) {
    const { entry, problems, refused } = mapPersonRow(row, columns, TABLE_ROLES[table], warned, cells);
    if (entry) result.entries.push(entry);
    if (refused) result.refused!.push(refused);
    result.problems.push(...problems);
  }
  return result;
}
