/**
 * Reads the committed content of every edition, `content/<edition>/*.json`, and validates it against the
 * content model, so that a wrong value fails with the file, the entry and the field to fix.
 * Used by the site's collection loader; plain Node, no Astro runtime needed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'astro/zod';
import { editionSchema, FILES, paperSchema, personSchema, scheduleItemSchema, type CollectionName } from '../src/model/index.ts';
import { ContentError } from './errors.ts';

/** One raw entry of a collection, with where it came from. */
export interface ContentEntry {
  /** `<edition>/<id>`: unique across editions. */
  id: string;
  edition: string;
  /** Path relative to the project root, for messages. */
  file: string;
  /** Absolute path, for resolving photos next to the file. */
  absolutePath: string;
  data: Record<string, unknown>;
}

const SCHEMAS: Record<CollectionName, z.ZodType> = {
  editions: editionSchema,
  people: personSchema,
  schedule: scheduleItemSchema,
  papers: paperSchema,
};

/** The content folder: `CONTENT_DIR` (relative to the project root) or `content/`. */
export function contentDir(root: string): string {
  return path.resolve(root, process.env['CONTENT_DIR'] ?? 'content');
}

/** Edition folders, sorted: every subfolder holding an edition.json. */
export function editionFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, FILES.editions)))
    .map((d) => d.name)
    .sort();
}

function formatPath(issuePath: readonly PropertyKey[]): string {
  return issuePath
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

function readJson(absolutePath: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(absolutePath, 'utf8'));
  } catch (error) {
    throw new ContentError(file, '', `is not valid JSON (${(error as Error).message})`);
  }
}

/** One line per problem, worded for the person who has to fix the file. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const where = field ? ` in "${field}"` : '';
    return `${issue.keys.map((k) => `"${k}"`).join(', ')}${where} is not a field of the content model; check the spelling or remove it`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `field "${field}" is missing; add it`;
  return field ? `field "${field}" ${issue.message}` : issue.message;
}

function validate(collection: CollectionName, value: unknown, file: string, where: string): void {
  const result = SCHEMAS[collection].safeParse(value, { reportInput: true });
  if (result.success) return;
  throw new ContentError(file, where, result.error.issues.map(describeIssue).join('; '));
}

/** Reads and validates one collection of one edition. A missing optional file is an empty collection. */
export function readCollection(root: string, edition: string, collection: CollectionName): ContentEntry[] {
  const absolutePath = path.join(contentDir(root), edition, FILES[collection]);
  const file = path.relative(root, absolutePath).split(path.sep).join('/');
  if (!existsSync(absolutePath)) return [];
  const json = readJson(absolutePath, file);
  if (collection === 'editions') {
    validate(collection, json, file, '');
    const data = json as Record<string, unknown>;
    if (data['id'] !== edition) {
      throw new ContentError(file, 'field "id"', `is "${String(data['id'])}" but the folder is "${edition}"; make them equal`);
    }
    return [{ id: edition, edition, file, absolutePath, data }];
  }
  if (!Array.isArray(json)) throw new ContentError(file, '', 'must be a JSON array of entries');
  const seen = new Set<string>();
  return json.map((value: unknown, index) => {
    const localId = typeof value === 'object' && value && 'id' in value ? String(value.id) : '';
    const where = `entry ${index + 1}${localId ? ` (id "${localId}")` : ''}`;
    validate(collection, value, file, where);
    if (seen.has(localId)) throw new ContentError(file, where, `the id "${localId}" is used twice; ids must be unique`);
    seen.add(localId);
    return { id: `${edition}/${localId}`, edition, file, absolutePath, data: value as Record<string, unknown> };
  });
}

/** A set of ids (a Set, or anything that can tell whether it has an id). */
type IdSet = Pick<ReadonlySet<string>, 'has'>;

/** What a schedule item refers to. */
interface ScheduleRefs {
  id?: unknown;
  speakers?: unknown;
  paper?: unknown;
}

/**
 * Checks that every speaker and paper the schedule items of one edition name is among `personIds` and `paperIds`
 * (ids within the edition). `file` names the schedule in the message.
 */
export function checkReferences(file: string, schedule: readonly ScheduleRefs[], personIds: IdSet, paperIds: IdSet): void {
  for (const item of schedule) {
    const where = `entry id "${String(item.id)}"`;
    for (const speaker of Array.isArray(item.speakers) ? (item.speakers as unknown[]).map(String) : []) {
      if (!personIds.has(speaker)) throw new ContentError(file, where, `field "speakers" names "${speaker}", who is not in people.json`);
    }
    if (typeof item.paper === 'string' && !paperIds.has(item.paper)) {
      throw new ContentError(file, where, `field "paper" names "${item.paper}", which is not in papers.json`);
    }
  }
}

/** Checks that every speaker and paper a schedule entry names exists in the same edition. */
export function checkScheduleReferences(schedule: ContentEntry[], people: ContentEntry[], papers: ContentEntry[]): void {
  const idsIn = (entries: ContentEntry[], edition: string) =>
    new Set(entries.filter((e) => e.edition === edition).map((e) => String(e.data['id'])));
  for (const edition of new Set(schedule.map((e) => e.edition))) {
    const items = schedule.filter((e) => e.edition === edition);
    checkReferences(
      items[0]!.file,
      items.map((e) => e.data),
      idsIn(people, edition),
      idsIn(papers, edition),
    );
  }
}
