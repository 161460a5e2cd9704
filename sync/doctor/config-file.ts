/**
 * workshop.config.ts as a file: a complete one for a new workshop (`npm run setup`), and the mapping block that
 * `npm run doctor -- --write` replaces in an existing one. The block sits between two marker comments, so that
 * writing touches nothing else of the file — the organizer's own settings and comments stay as they are:
 *
 *   // doctor:mapping:start
 *   const mapping = { papers: { columns: { title: 'Paper Title' } } } satisfies TemplateOverrides;
 *   // doctor:mapping:end
 *   export default defineConfig({ …, template: mapping });
 *
 * The output is deterministic (tables and fields in the template's order, every object one key a line) and is what
 * prettier writes: prettier keeps an object that starts on a new line expanded.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import { DEFAULT_TEMPLATE, type TemplateOverrides } from '../template.ts';

/** The project root, where sync/config.ts is. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MAPPING_START = '// doctor:mapping:start';
const MAPPING_END = '// doctor:mapping:end';

type Table = 'organizers' | 'speakers' | 'papers' | 'programCommittee' | 'schedule';
const TABLE_ORDER: readonly Table[] = ['organizers', 'speakers', 'papers', 'programCommittee', 'schedule'];
/** The keys of a table's override, in the order they are written. */
const TABLE_KEY_ORDER = ['table', 'view', 'accepted', 'dayFirst', 'columns', 'ids'];

/** What a new config file says. */
export interface ConfigFileSettings {
  edition?: string;
  sources: {
    airtable?: { baseId: string };
    googleSheets?: { spreadsheetId: string };
    publishedCsv?: { urls: Record<string, string> };
  };
  tables: Partial<Record<Table, string>>;
  mapping: TemplateOverrides;
}

/** A string as prettier writes it: single quotes, unless double quotes need fewer escapes. */
function quote(text: string): string {
  const json = JSON.stringify(text);
  const singles = (text.match(/'/g) ?? []).length;
  const doubles = (text.match(/"/g) ?? []).length;
  if (singles > doubles) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A key as prettier writes it (quoteProps as-needed): bare when it is an identifier. */
function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

/** `keys` in the order of `preferred`, any others after them in alphabetical order. */
function ordered(keys: readonly string[], preferred: readonly string[]): string[] {
  const rank = (k: string) => {
    const i = preferred.indexOf(k);
    return i < 0 ? preferred.length : i;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The order of the keys of the object at `trail` (the keys that lead to it from the mapping). */
function keyOrder(trail: readonly string[]): readonly string[] {
  const [table, part, sub] = trail;
  if (table === undefined) return TABLE_ORDER;
  if (part === undefined) return TABLE_KEY_ORDER;
  const fields = TABLE_ORDER.includes(table as Table) ? Object.keys(DEFAULT_TEMPLATE[table as Table].columns) : [];
  if (part === 'columns' && sub === undefined) return fields;
  if (part === 'ids' && sub === undefined) return ['table', 'columns'];
  if (part === 'ids' && sub === 'columns') return fields;
  return [];
}

/** A value as TypeScript source, objects expanded one key a line; undefined values are left out. */
function literal(value: unknown, indent: string, order: (trail: readonly string[]) => readonly string[], trail: string[] = []): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`cannot write ${typeof value} in a config file`);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const byKey = new Map(entries);
  const lines = ordered([...byKey.keys()], order(trail)).map(
    (k) => `${inner}${key(k)}: ${literal(byKey.get(k), inner, order, [...trail, k])},`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The marked block: the mapping as a `const`, between the markers. */
function mappingBlock(mapping: TemplateOverrides): string {
  return [MAPPING_START, `const mapping = ${literal(mapping, '', keyOrder)} satisfies TemplateOverrides;`, MAPPING_END].join('\n');
}

/** `./sync/config.ts`, `../../work/main/sync/config.ts`: the path of this project's `file` as imported from `from`. */
function importPath(from: string, file: string): string {
  const relative = path
    .relative(path.dirname(path.resolve(from)), path.join(ROOT, file))
    .split(path.sep)
    .join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** A complete workshop.config.ts for `file` (its imports relative to it), with the settings and the mapping block. */
export function renderConfigFile(file: string, settings: ConfigFileSettings): string {
  const { edition, sources, tables, mapping } = settings;
  const config: Record<string, unknown> = {
    ...(edition === undefined ? {} : { edition }),
    ...(Object.values(sources).some((s) => s !== undefined) ? { sources } : {}),
    ...(Object.keys(tables).length > 0 ? { tables } : {}),
  };
  const body = literal(config, '', (trail) =>
    trail.length === 0 ? ['edition', 'sources', 'tables'] : trail[0] === 'tables' ? TABLE_ORDER : [],
  );
  // The config object without its closing brace, to add `template: mapping` and the comments after its settings.
  const open = body === '{}' ? '{\n' : `${body.slice(0, -1)}`;
  return [
    '/**',
    " * The sync's configuration: where each table comes from and what the columns are called. Every field is optional;",
    ' * the defaults are the template documented in docs/sync.md. Credentials never go here: they come from the',
    ' * environment (AIRTABLE_TOKEN, GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS), e.g. from a .env file.',
    ' */',
    `import { defineConfig } from ${quote(importPath(file, 'sync/config.ts'))};`,
    `import type { TemplateOverrides } from ${quote(importPath(file, 'sync/template.ts'))};`,
    '',
    '// Renamed tables and columns, optional columns the tables lack (null), and Airtable ids (tbl…, fld…), by table.',
    '// `npm run doctor -- --write` replaces what is between these two markers with the mapping it finds.',
    mappingBlock(mapping),
    '',
    `export default defineConfig(${open}  template: mapping,`,
    '  // A row without a required value is left out with a warning, its last published version kept until it is fixed',
    "  // ('skip', the default); 'fail' stops the sync instead, and nothing is written.",
    "  // onInvalidRow: 'fail',",
    '});',
    '',
  ].join('\n');
}

/**
 * Replaces the mapping block of `file` with `mapping`, touching nothing else. A file without the markers is left as
 * it is: the ConfigError says what to paste where, with the block.
 */
export function writeMapping(file: string, mapping: TemplateOverrides): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(MAPPING_START);
  const end = text.indexOf(MAPPING_END);
  const block = mappingBlock(mapping);
  if (start < 0 || end < start || text.indexOf(MAPPING_START, start + 1) >= 0) {
    throw new ConfigError(
      `${file} has no ${MAPPING_START} … ${MAPPING_END} block, so it was left as it is. Paste this block above \`export default defineConfig(\`, ` +
        `add \`import type { TemplateOverrides } from '${importPath(file, 'sync/template.ts')}';\` to its imports, and write ` +
        '`template: mapping,` in defineConfig({ … }) in place of any `template:` there; then run doctor --write again:\n\n' +
        `${block}\n`,
    );
  }
  const updated = `${text.slice(0, start)}${block}${text.slice(end + MAPPING_END.length)}`;
  if (updated === text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, updated);
  renameSync(temporary, file);
}
