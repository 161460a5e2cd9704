/** sync/sources/csv.ts: RFC 4180 parsing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, parseCsv } from '../../sync/sources/csv.ts';

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

