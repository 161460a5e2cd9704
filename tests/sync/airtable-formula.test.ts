/** Formulas built from organizers' names stay one comparison, whatever quotes or braces the names contain. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFormula } from '../../dev/emulators/airtable/formulas.ts';
import { equalsIgnoringCase, fieldRef, stringLiteral } from '../../sync/sources/airtable-formula.ts';

const record = (fields: Record<string, unknown>) => ({ id: 'rec00000000000001', createdTime: '2024-01-01T00:00:00.000Z', fields });

test('escapes braces, quotes and backslashes', () => {
  assert.equal(fieldRef('Status'), '{Status}');
  assert.equal(fieldRef('a}b\\c'), '{a\\}b\\\\c}');
  assert.equal(stringLiteral('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"');
  assert.equal(equalsIgnoringCase('Status', ' Accepted '), 'LOWER(TRIM({Status}))="accepted"');
});

test('matches the value trimmed and in any case, and nothing else', () => {
  const accepted = compileFormula(equalsIgnoringCase('Status', 'Accepted'), new Set(['Status']));
  assert.deepEqual(
    ['Accepted', ' accepted ', 'ACCEPTED', 'Rejected', 'Accepted with changes', undefined].map((Status) =>
      accepted(record(Status === undefined ? {} : { Status })),
    ),
    [true, true, true, false, false, false],
  );
});

test('a value with quotes cannot widen the filter', () => {
  const field = 'Decision "final"}';
  const filter = compileFormula(equalsIgnoringCase(field, '") OR TRUE() OR ("'), new Set([field]));
  assert.equal(filter(record({ [field]: 'Rejected' })), false);
  assert.equal(filter(record({ [field]: '") or true() or ("' })), true);
});
