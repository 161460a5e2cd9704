/** sync/sources/csv.ts: CSV through csv-parse with the options the sheet exports need. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCsv } from '../../sync/sources/csv.ts';

test('quoted fields keep commas, doubled quotes and line breaks; CRLF, LF and CR all end a row; a BOM is dropped', () => {
  const text = '\ufeffTitle,Speaker\r\n"Keynote, part 1","Mark ""the"" Najork"\r\n"Two\nlines",x\nlast,row\rcr,end';
  assert.deepEqual(readCsv(text), [
    ['Title', 'Speaker'],
    ['Keynote, part 1', 'Mark "the" Najork'],
    ['Two\nlines', 'x'],
    ['last', 'row'],
    ['cr', 'end'],
  ]);
});

test("empty cells, rows of other lengths, a blank line kept (row numbers stay the sheet's) and a trailing line break", () => {
  assert.deepEqual(readCsv('a,,c\n\n,,\nd\n'), [['a', '', 'c'], [''], ['', '', ''], ['d']]);
});

test('a stray quote inside a cell is kept as it is', () => {
  assert.deepEqual(readCsv('Title\n5" screens\n'), [['Title'], ['5" screens']]);
});

test('an unclosed quote is an error that says so, not a silently merged row', () => {
  assert.throws(() => readCsv('Title\n"cut off'), /a quoted field is not closed/);
});
