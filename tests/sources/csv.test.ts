/** sync/sources/csv.ts and grid.ts: RFC 4180 parsing, and rows with their sheet row numbers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, parseCsv } from '../../sync/sources/csv.ts';
import { rowsFromGrid } from '../../sync/sources/grid.ts';

test('quoted fields keep commas, doubled quotes and line breaks; CRLF and LF both end a row; a BOM is dropped', () => {
  const text = '\ufeffTitle,Speaker\r\n"Keynote, part 1","Mark ""the"" Najork"\r\n"Two\nlines",x\nlast,row';
  assert.deepEqual(parseCsv(text), [
    ['Title', 'Speaker'],
    ['Keynote, part 1', 'Mark "the" Najork'],
    ['Two\nlines', 'x'],
    ['last', 'row'],
  ]);
});

test('empty cells and a trailing line break', () => {
  assert.deepEqual(parseCsv('a,,c\n,,\n'), [
    ['a', '', 'c'],
    ['', '', ''],
  ]);
});

test('an unclosed quote is an error, not a silently merged row', () => {
  assert.throws(() => parseCsv('Title\n"cut off'), CsvError);
});

test('rowsFromGrid: header names, blank cells left out, blank rows skipped but counted', () => {
  const rows = rowsFromGrid('Google Sheets', 'Schedule', [
    [' Date ', 'Start', 'Title'],
    ['7/18/2024', '9:00 AM', 'Opening'],
    [],
    ['', '  ', ''],
    ['7/18/2024', '', 'Keynote'],
  ]);
  assert.deepEqual(rows, [
    { source: 'Google Sheets', table: 'Schedule', where: { row: 2 }, fields: { Date: '7/18/2024', Start: '9:00 AM', Title: 'Opening' } },
    { source: 'Google Sheets', table: 'Schedule', where: { row: 5 }, fields: { Date: '7/18/2024', Title: 'Keynote' } },
  ]);
});

test('rowsFromGrid: cells under a blank header are dropped; a repeated header keeps its first column', () => {
  const rows = rowsFromGrid('x', 't', [
    ['Name', '', 'Name'],
    ['first', 'secret', 'second'],
  ]);
  assert.deepEqual(rows[0]?.fields, { Name: 'first' });
});
