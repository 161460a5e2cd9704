/** sync/sources/airtable-links.ts: record ids in link columns become the linked records' primary-field text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkedNames, type BaseSchema } from '../../sync/sources/airtable-links.ts';
import type { SourceRow } from '../../sync/sources/types.ts';

const SCHEMA: BaseSchema = {
  tables: [
    {
      id: 'tblPapers00000001',
      name: 'Papers',
      primaryFieldId: 'fldTitle000000001',
      fields: [
        { id: 'fldTitle000000001', name: 'Title', type: 'singleLineText' },
        { id: 'fldAuthors0000001', name: 'Authors', type: 'multipleRecordLinks', options: { linkedTableId: 'tblPeople00000001' } },
      ],
    },
    {
      id: 'tblPeople00000001',
      name: 'People',
      primaryFieldId: 'fldName0000000001',
      fields: [{ id: 'fldName0000000001', name: 'Name', type: 'singleLineText' }],
    },
  ],
};
const person = (id: string, name: unknown): SourceRow => ({
  source: 'Airtable',
  table: 'tblPeople00000001',
  where: { recordId: id },
  fields: { Name: name },
});
const paper = (authors: unknown): SourceRow => ({
  source: 'Airtable',
  table: 'Papers',
  where: { recordId: 'recPaper000000001' },
  fields: { Title: 'T', Authors: authors },
});
const spec = { name: 'Papers', columns: ['Title', 'Authors'] };

test('ids become names in the cell order; an id whose record is gone goes; a value that is not an id stays; one listing per linked table', async () => {
  const listings: string[] = [];
  const links = linkedNames(
    () => Promise.resolve(SCHEMA),
    async function* (tableId, field) {
      listings.push(`${tableId}:${field}`);
      await Promise.resolve();
      yield [person('recAda00000000001', 'Ada Lovelace'), person('recAlan0000000001', ' Alan Turing '), person('recNum00000000001', 42)];
    },
  );
  const rows = [paper(['recAlan0000000001', 'recAda00000000001', 'recGone0000000001']), paper(['recAda00000000001', 'Grace Hopper'])];
  await links.resolve(spec, rows);
  await links.resolve(spec, [paper(['recNum00000000001'])]);
  assert.deepEqual(
    rows.map((r) => r.fields['Authors']),
    [
      ['Alan Turing', 'Ada Lovelace'],
      ['Ada Lovelace', 'Grace Hopper'],
    ],
  );
  assert.deepEqual(listings, ['tblPeople00000001:Name'], 'the linked table is listed once, its primary field only');
});

test('a page without record ids never asks for the schema; without schema access the ids are left for the mapping to refuse', async () => {
  let asked = 0;
  const never = linkedNames(
    () => {
      asked++;
      return Promise.resolve(SCHEMA);
    },
    () => assert.fail('no listing'),
  );
  await never.resolve(spec, [paper('A, B and C'), paper(['Grace Hopper'])]);
  assert.equal(asked, 0);
  const denied = linkedNames(
    () => Promise.resolve(undefined),
    () => assert.fail('no listing'),
  );
  const rows = [paper(['recAda00000000001'])];
  await denied.resolve(spec, rows);
  assert.deepEqual(rows[0]?.fields['Authors'], ['recAda00000000001']);
});
