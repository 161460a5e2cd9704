/** Links from problems to their record or cell: the URLs, how a problem gets one, and how the report lists it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linkKey, reportedProblem, withUrl } from '../../sync/problem-links.ts';
import type { Problem } from '../../sync/problems.ts';
import { blankReport } from '../../sync/report.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { errorLine } from '../../sync/service/error-line.ts';
import { alarmMessage } from '../../sync/service/alarm.ts';
import { airtableRecordUrl, columnLetters, sheetCellUrl } from '../../sync/sources/links.ts';

describe('the URLs', () => {
  test('an Airtable record: base, table id, record id', () => {
    assert.equal(
      airtableRecordUrl('appGosK0pDaC6P1yI', 'tblmGUOF3VktxAEtm', 'recOrg00000000004'),
      'https://airtable.com/appGosK0pDaC6P1yI/tblmGUOF3VktxAEtm/recOrg00000000004',
    );
  });

  test('column letters, past Z', () => {
    const cases: [number, string][] = [
      [0, 'A'],
      [1, 'B'],
      [25, 'Z'],
      [26, 'AA'],
      [27, 'AB'],
      [51, 'AZ'],
      [52, 'BA'],
      [701, 'ZZ'],
      [702, 'AAA'],
      [16_383, 'XFD'],
    ];
    for (const [index, letters] of cases) assert.equal(columnLetters(index), letters, `column ${index}`);
    assert.throws(() => columnLetters(-1), RangeError);
  });

  test('a Google Sheets cell, or a whole row without a column', () => {
    assert.equal(sheetCellUrl('1Abc', 42, 7, 1), 'https://docs.google.com/spreadsheets/d/1Abc/edit#gid=42&range=B7');
    assert.equal(sheetCellUrl('1Abc', 0, 12, 27), 'https://docs.google.com/spreadsheets/d/1Abc/edit#gid=0&range=AB12');
    assert.equal(sheetCellUrl('1Abc', 42, 7), 'https://docs.google.com/spreadsheets/d/1Abc/edit#gid=42&range=7:7');
  });
});

describe('a problem with its link', () => {
  const problem: Problem = {
    severity: 'error',
    source: 'Google Sheets',
    table: 'Schedule',
    where: { row: 7 },
    field: 'End',
    message: 'ends before it starts.',
  };
  const links = new Map([
    [
      linkKey('Google Sheets', 'Schedule'),
      (where: Problem['where'], column?: string) => ('row' in where ? `https://x/${where.row}/${column}` : undefined),
    ],
  ]);

  test('gets the URL of its table’s link builder, for its row and column', () => {
    assert.equal(withUrl(problem, links).url, 'https://x/7/End');
    assert.equal(withUrl({ ...problem, table: 'Papers' }, links).url, undefined, 'another table: no link');
  });

  test('is listed with where as shown, its text as in warnings, and a left-out row’s error as a warning', () => {
    const listed = reportedProblem(withUrl(problem, links), 'warning');
    assert.deepEqual(listed, {
      severity: 'warning',
      source: 'Google Sheets',
      table: 'Schedule',
      where: 'row 7',
      field: 'End',
      message: 'ends before it starts.',
      url: 'https://x/7/End',
      kind: 'row',
      text: 'Google Sheets › Schedule › row 7 › "End": ends before it starts.',
    });
  });

  test('the service’s error line (status, alarm) ends with the first error’s link, even when it is cut', () => {
    const report = blankReport('2024_2');
    const first = reportedProblem({
      ...problem,
      message: `${'a very long message '.repeat(40)}.`,
      url: 'https://docs.google.com/x#gid=1&range=C7',
    });
    report.errors = [first.text];
    report.problems = [first];
    const line = errorLine(new SyncFailed('1 row needs fixing.', report), {} as Parameters<typeof errorLine>[1]);
    assert.ok(line.length <= 600, `${line.length} characters`);
    assert.ok(line.endsWith('… (https://docs.google.com/x#gid=1&range=C7)'), line);
    assert.ok(alarmMessage(3, line, null).endsWith('(https://docs.google.com/x#gid=1&range=C7)'));
  });
});
