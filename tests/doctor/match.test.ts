/**
 * Fields against a table's columns: a column found under another name is proposed for the mapping only when it is the
 * one clear candidate; several candidates make a question, and nothing is written for it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyCheck } from '../../sync/doctor/grid.ts';
import { mappingFound } from '../../sync/doctor/mapping.ts';
import { exactName, fieldAdvice, headerName, matchFields, type Column } from '../../sync/doctor/match.ts';
import { DEFAULT_TEMPLATE } from '../../sync/template.ts';

const columns = (...names: string[]): Column[] => names.map((name) => ({ name }));
const PAPERS = ['Paper ID', 'Authors', 'Status', 'Abstract', 'PDF', 'arXiv', 'Code', 'Award', 'Presentation'];

test('one clear candidate is proposed; the mapping has it', () => {
  const fields = matchFields(DEFAULT_TEMPLATE, 'papers', columns(...PAPERS, 'Paper Title', 'Reviewer notes'), exactName);
  const title = fields.find((f) => f.field === 'title');
  assert.deepEqual({ status: title?.status, column: title?.column }, { status: 'renamed', column: 'Paper Title' });
  const check = { ...emptyCheck('papers', 'airtable', 'Papers'), reachable: true, fields };
  assert.deepEqual(mappingFound(DEFAULT_TEMPLATE, [check]).papers, { columns: { title: 'Paper Title' } });
  assert.match(fieldAdvice('papers', fields).problems.join('\n'), /title: no column "Title"; "Paper Title" is the nearest/);
});

test('several candidates: a question, not a guess, and nothing written for it', () => {
  const fields = matchFields(DEFAULT_TEMPLATE, 'papers', columns(...PAPERS, 'Paper Title', 'Talk Title'), exactName);
  const title = fields.find((f) => f.field === 'title');
  assert.equal(title?.status, 'ambiguous');
  assert.deepEqual(title?.nearest.toSorted(), ['Paper Title', 'Talk Title']);
  assert.match(
    fieldAdvice('papers', fields).problems.join('\n'),
    /title: no column "Title"; is it "(Paper|Talk) Title" or "(Paper|Talk) Title"\?/,
  );
  const check = { ...emptyCheck('papers', 'airtable', 'Papers'), reachable: true, fields };
  assert.equal(mappingFound(DEFAULT_TEMPLATE, [check]).papers, undefined);
});

test('a respelling is clear among other candidates; a column two fields want is a question for both', () => {
  const respelled = matchFields(DEFAULT_TEMPLATE, 'programCommittee', columns('name', 'Nome', 'Affiliation'), exactName);
  assert.equal(respelled.find((f) => f.field === 'name')?.column, 'name');
  // A sheet's header is read in any case: not even a rename.
  assert.equal(matchFields(DEFAULT_TEMPLATE, 'programCommittee', columns('name', 'Affiliation'), headerName)[0]?.status, 'found');

  const contested = matchFields(DEFAULT_TEMPLATE, 'schedule', columns('Date', 'Title', 'Time'), headerName);
  assert.deepEqual(
    contested.filter((f) => f.field === 'start' || f.field === 'end').map((f) => f.status),
    ['missing', 'missing'],
    'Start and End are not alike "Time": missing, not a guess',
  );
});

test('an optional column the table lacks is switched off (null); a required one is a problem', () => {
  const fields = matchFields(DEFAULT_TEMPLATE, 'organizers', columns('Name', 'Affiliation', 'Role', 'Photo', 'Homepage'), exactName);
  assert.equal(fields.find((f) => f.field === 'order')?.status, 'missing');
  const check = { ...emptyCheck('organizers', 'airtable', 'Organizers'), reachable: true, fields };
  assert.deepEqual(mappingFound(DEFAULT_TEMPLATE, [check]).organizers, { columns: { order: null } });
  assert.deepEqual(fieldAdvice('organizers', fields).problems, []);

  const noName = matchFields(DEFAULT_TEMPLATE, 'organizers', columns('Affiliation'), exactName);
  assert.match(fieldAdvice('organizers', noName).problems.join('\n'), /name: no column "Name", and no column is alike: every row needs it/);
});
