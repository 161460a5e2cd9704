/**
 * The template's fields against the columns a table has: each field's column found (by its Airtable id, then by its
 * name), or proposed (the nearest name, when it is the one clear candidate), or missing, or a question (several
 * candidates); and what each outcome asks of the organizer, as sentences.
 */
import { fold, nearestColumns } from '../sources/column-names.ts';
import { DEFAULT_TEMPLATE, OPTIONAL_FIELDS, type TableKey, type Template } from '../template.ts';
import type { FieldCheck, TableCheck } from './types.ts';

/** A column of a table as a source shows it. */
export interface Column {
  name: string;
  /** Airtable: the field type (`singleLineText`, `formula (number)`). */
  type?: string;
  /** Airtable: the field id. */
  id?: string;
  /** Sheets, CSV: the column's letter. */
  letter?: string;
}

/** How a source compares names: Airtable exactly, a sheet's header trimmed and in any case. */
export type SameName = (wanted: string, have: string) => boolean;

export const exactName: SameName = (wanted, have) => wanted === have;
export const headerName: SameName = (wanted, have) => wanted.trim().toLowerCase() === have.trim().toLowerCase();

/** The one clear candidate among the nearest names (a respelling of `wanted`, or the only one alike), if any. */
export function clearCandidate(wanted: string, nearest: readonly string[]): string | undefined {
  const respelled = nearest.filter((name) => fold(name) === fold(wanted));
  if (respelled.length === 1) return respelled[0];
  return nearest.length === 1 ? nearest[0] : undefined;
}

/** The Airtable field ids of a table's template, by model field (template.<table>.ids.columns), if any. */
export function idsOf(template: Template, key: TableKey): { table?: string; columns: Partial<Record<string, string>> } {
  const ids = (template[key] as { ids?: { table?: string; columns?: Partial<Record<string, string>> } }).ids;
  return { ...(ids?.table ? { table: ids.table } : {}), columns: ids?.columns ?? {} };
}

/** Each field of `key`, in the template's order, against the columns the table has. */
export function matchFields(template: Template, key: TableKey, have: readonly Column[], same: SameName): FieldCheck[] {
  const columns: Partial<Record<string, string>> = template[key].columns;
  const optional = new Set(OPTIONAL_FIELDS[key]);
  const ids = idsOf(template, key).columns;
  const fields = Object.keys(DEFAULT_TEMPLATE[key].columns);
  const checks = new Map<string, FieldCheck>();
  const claimed = new Set<string>();
  const describe = (column: Column) => ({
    column: column.name,
    ...(column.type ? { type: column.type } : {}),
    ...(column.id ? { fieldId: column.id } : {}),
    ...(column.letter ? { letter: column.letter } : {}),
  });
  // First the fields found by id or by name: their columns are taken.
  for (const field of fields) {
    const expected = columns[field];
    const base = { field, required: !optional.has(field), expected, nearest: [] };
    if (expected === undefined) {
      checks.set(field, { ...base, status: 'off' });
      continue;
    }
    const id = ids[field];
    const found = (id ? have.find((c) => c.id === id) : undefined) ?? have.find((c) => same(expected, c.name));
    if (found) {
      checks.set(field, { ...base, status: 'found', ...describe(found) });
      claimed.add(found.name);
    }
  }
  // Then the others, among the columns left: the nearest names.
  const left = have.filter((c) => !claimed.has(c.name));
  const proposed = new Map<string, string[]>();
  for (const field of fields) {
    const expected = columns[field];
    if (expected === undefined || checks.has(field)) continue;
    const nearest = nearestColumns(
      expected,
      left.map((c) => c.name),
    );
    const candidate = clearCandidate(expected, nearest);
    const base = { field, required: !optional.has(field), expected, nearest };
    checks.set(field, { ...base, status: nearest.length === 0 ? 'missing' : 'ambiguous' });
    if (candidate) proposed.set(candidate, [...(proposed.get(candidate) ?? []), field]);
  }
  // A column that is the clear candidate of one field only is that field's.
  for (const [name, wanting] of proposed) {
    const [field] = wanting;
    const column = have.find((c) => c.name === name);
    if (wanting.length !== 1 || field === undefined || !column) continue;
    checks.set(field, { ...checks.get(field)!, status: 'renamed', ...describe(column) });
  }
  return fields.map((field) => checks.get(field)!);
}

/** What each field's outcome asks of the organizer: problems (a sync would fail), notes and questions. */
export function fieldAdvice(key: TableKey, fields: readonly FieldCheck[]): { problems: string[]; notes: string[]; questions: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const questions: string[] = [];
  const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(' or ');
  const setting = (field: string) => `template.${key}.columns.${field}`;
  for (const f of fields) {
    const what = `${f.field}: no column "${f.expected ?? ''}"`;
    switch (f.status) {
      case 'renamed': {
        const fix = `is the nearest: npm run doctor -- --write saves it as ${setting(f.field)}, or rename the column back to "${f.expected ?? ''}".`;
        if (f.required) problems.push(`${what}; "${f.column ?? ''}" ${fix}`);
        else notes.push(`${what}; "${f.column ?? ''}" ${fix} Until then the sync reads the table without it.`);
        break;
      }
      case 'ambiguous': {
        const ask = `${what}; is it ${quoted(f.nearest)}? Write that column's name as ${setting(f.field)} in workshop.config.ts, or rename it to "${f.expected ?? ''}".`;
        if (f.required) problems.push(ask);
        else questions.push(`${ask} Until then the sync reads the table without it.`);
        break;
      }
      case 'missing':
        if (f.required) {
          problems.push(
            `${what}, and no column is alike: every row needs it. Add the column, or write the name of the column that holds it as ${setting(f.field)} in workshop.config.ts.`,
          );
        } else {
          notes.push(
            `${what} (optional): the site goes without it. npm run doctor -- --write switches it off (null) in workshop.config.ts.`,
          );
        }
        break;
      case 'found':
      case 'off':
        break;
    }
  }
  return { problems, notes, questions };
}

/**
 * Fills a table's check from the columns it has: each field's match (`same` compares names as the source does), the
 * problems, notes and questions they raise, and the columns read into content.
 */
export function fillFields(check: TableCheck, template: Template, key: TableKey, have: readonly Column[], same: SameName): void {
  check.fields = matchFields(template, key, have, same);
  const advice = fieldAdvice(key, check.fields);
  check.problems.push(...advice.problems);
  check.notes.push(...advice.notes);
  check.questions.push(...advice.questions);
  check.published = [
    ...new Set(check.fields.flatMap((f) => ((f.status === 'found' || f.status === 'renamed') && f.column ? [f.column] : []))),
  ];
}
