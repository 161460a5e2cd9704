/** sync/warning-groups.ts: many warnings of one kind said as a few, the rest counted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupLines, groupWarnings } from '../../sync/warning-groups.ts';

const kindOfLine = (line: string) => line.split(':')[0];

test('a kind repeated more than 5 times shows its first 3 and "… and N more like this", in place', () => {
  const lines = ['b: 1', ...Array.from({ length: 40 }, (_, i) => `a: ${i}`), 'c: 1', 'c: 2'];
  assert.deepEqual(groupLines(lines, kindOfLine), ['b: 1', 'a: 0', 'a: 1', 'a: 2', '… and 37 more like this', 'c: 1', 'c: 2']);
});

test('up to 5 of a kind, and lines without a kind, are all shown', () => {
  const five = Array.from({ length: 5 }, (_, i) => `a: ${i}`);
  assert.deepEqual(groupLines(five, kindOfLine), five);
  const six = Array.from({ length: 6 }, (_, i) => `x${i}`);
  assert.deepEqual(
    groupLines(six, () => undefined),
    six,
  );
  assert.deepEqual(groupLines(['a: 1', 'a: 2', 'a: 3'], kindOfLine, { max: 2, few: 1 }), ['a: 1', '… and 2 more like this']);
});

test("groupWarnings takes each line's kind from the report's problems", () => {
  const spelled = Array.from({ length: 8 }, (_, i) => `Airtable › Organizers › rec${i} › "Name": spelled ${i}`);
  const report = {
    warnings: ['Recovered an interrupted write.', ...spelled],
    problems: spelled.map((text) => ({ text, kind: 'spelling', source: 'Airtable', table: 'Organizers', field: 'Name' })),
  };
  assert.deepEqual(groupWarnings(report), ['Recovered an interrupted write.', ...spelled.slice(0, 3), '… and 5 more like this']);
  // The same kind in another table is another group.
  const other = { ...report.problems[7]!, table: 'Speakers' };
  assert.deepEqual(groupWarnings({ ...report, problems: [...report.problems.slice(0, 7), other] }), [
    'Recovered an interrupted write.',
    ...spelled.slice(0, 3),
    '… and 4 more like this',
    spelled[7],
  ]);
  assert.equal(report.warnings.length, 9, 'the report keeps every line');
});
