/**
 * A tab as a grid of cells (Google Sheets, a published CSV, a local CSV file) against the template: the header row
 * found as the sync finds it (rows.ts: the top row holding the most of the template's columns, title rows above it
 * skipped), each field's header cell and column letter, and the rows under it.
 */
import { SourceError } from '../errors.ts';
import { columnLetters } from '../sources/links.ts';
import { readSheet } from '../sources/rows.ts';
import type { TableKey, Template } from '../template.ts';
import { fillFields, headerName, type Column } from './match.ts';
import type { TableCheck } from './types.ts';

/** Fills `check` from the tab's cells: its header row, fields, published and private columns, rows and advice. */
export function checkGrid(check: TableCheck, template: Template, key: TableKey, label: string, grid: readonly (readonly string[])[]): void {
  const expected = Object.values<string | undefined>(template[key].columns).filter((c): c is string => c !== undefined);
  let table;
  try {
    // Every column optional: the header is found, and nothing stops at a missing column; matching says what is missing.
    table = readSheet(label, check.name, grid, { columns: expected, optional: expected });
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    check.problems.push(error.message.replace(`${label} › ${check.name}: `, ''));
    return;
  }
  const headerRow = table.headerRow ?? 1;
  const columns: Column[] = (grid[headerRow - 1] ?? []).flatMap((cell, i) =>
    cell.trim() === '' ? [] : [{ name: cell.trim(), letter: columnLetters(i) }],
  );
  check.reachable = true;
  check.headerRow = headerRow;
  check.records = { count: table.rows.length, more: false };
  fillFields(check, template, key, columns, headerName);
  check.private = [...new Set(columns.map((c) => c.name))].filter((name) => !check.published.includes(name));
}

/** A table check before anything is read. */
export function emptyCheck(key: TableKey, source: TableCheck['source'], name: string): TableCheck {
  return {
    table: key,
    source,
    name,
    reachable: false,
    fields: [],
    published: [],
    private: [],
    problems: [],
    notes: [],
    questions: [],
    ok: false,
  };
}

/**
 * A table that does not exist: a problem, but for the program committee, which an edition may go without (the sync
 * then says so in a warning): a note.
 */
export function missingTable(check: TableCheck, message: string): void {
  if (check.table !== 'programCommittee') {
    check.problems.push(message);
    return;
  }
  check.absent = true;
  check.notes.push(
    `${message} The program committee is optional: without it the site has no program committee section (set tables.programCommittee to 'none' in workshop.config.ts to say so).`,
  );
}
