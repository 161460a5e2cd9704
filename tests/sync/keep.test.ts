/**
 * sync/map/keep.ts through the edition mapper, with the last sync's entries read from a real edition folder
 * (sync/steps/published.ts): a refused row keeps its last published version, said after its errors; it is not kept
 * when nothing can be matched, when another row now has its id, or when it no longer passes the model; a kept slot
 * loses the people and paper that are gone.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Paper } from '../../src/model/index.ts';
import { createEditionMapper, type MappedEdition } from '../../sync/map/edition.ts';
import { formatWhere } from '../../sync/sources/types.ts';
import { publishedEntries } from '../../sync/steps/published.ts';
import { TABLE_KEYS, DEFAULT_TEMPLATE, type TableKey } from '../../sync/template.ts';
import type { SourceRow } from '../../sync/sources/types.ts';
import { airtableRow, sheetRow } from './fixtures.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An edition folder holding what a last sync published, and a photo file for `alan-turing` (not for Grace). */
function editionFolder(published: { people?: unknown[]; papers?: unknown[]; schedule?: unknown[] }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keep-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'photos'));
  writeFileSync(path.join(dir, 'photos', 'attTURING-100.jpg'), 'not read');
  for (const [name, entries] of Object.entries(published)) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(entries));
  return dir;
}

function mapWith(dir: string | undefined, rows: Partial<Record<TableKey, SourceRow[]>>): MappedEdition {
  const mapper = createEditionMapper(DEFAULT_TEMPLATE, dir === undefined ? {} : { published: publishedEntries(dir) });
  for (const key of TABLE_KEYS) if (rows[key]) mapper.add(key, rows[key]);
  return mapper.finish();
}

const storedPapers = (edition: MappedEdition) => JSON.parse([...edition.paperStore.chunks()].join('')) as Paper[];
const outcomes = (edition: MappedEdition) => edition.leftOut.map((r) => `${r.origin.table} › ${formatWhere(r.origin.where)}: ${r.outcome}`);

const turing = { id: 'alan-turing', name: 'Alan Turing', role: 'keynote', photo: './photos/attTURING-100.jpg', talkTitle: 'Machines' };
const hopper = { id: 'grace-hopper', name: 'Grace Hopper', role: 'invited', photo: './photos/attHOPPER-200.jpg' };
const paper12 = { id: '12', title: 'Published title', authors: ['A. Author'], links: {} };
const slot = {
  id: '2024-07-18-0900-keynote',
  start: '2024-07-18T09:00',
  end: '2024-07-18T10:00',
  title: 'Keynote',
  kind: 'keynote',
  speakers: ['alan-turing', 'ada-lovelace'],
  paper: '12',
};

describe('a refused row keeps its last published version', () => {
  const dir = editionFolder({
    people: [turing, hopper],
    papers: [paper12, { id: '13', title: 'Gone', authors: ['B'], links: {} }],
    schedule: [slot],
  });
  const edition = mapWith(dir, {
    speakers: [
      airtableRow('Speakers', 'recTuring', { Name: 'Alan Turing', Kind: 'Chair' }),
      airtableRow('Speakers', 'recHopper', { Name: 'Grace Hopper', Kind: 'Dancer' }),
    ],
    papers: [airtableRow('Papers', 'recP12', { 'Paper ID': 12, Title: '', Authors: 'A. Author', Status: 'Accepted' })],
    schedule: [
      // The slot's end is before its start: refused, its id still made from date, start and title.
      sheetRow(2, { Date: '2024-07-18', Start: '9:00', End: '8:00', Title: 'Keynote', Speaker: 'Alan Turing', 'Paper ID': '12' }),
      // A valid slot naming the kept person and the kept paper finds them.
      sheetRow(3, { Date: '2024-07-18', Start: '10:00', End: '11:00', Title: 'Talk', Speaker: 'Grace Hopper', 'Paper ID': '12' }),
    ],
  });

  it('keeps the person, with the photo whose file is still there (and none where the file is gone)', () => {
    assert.deepEqual(
      edition.people.map((p) => p.data),
      [turing, { id: 'grace-hopper', name: 'Grace Hopper', role: 'invited' }],
    );
    assert.deepEqual(
      edition.people.map((p) => formatWhere(p.origin.where)),
      ['recTuring', 'recHopper'],
      'a kept entry points at the row to fix',
    );
  });

  it('keeps the paper as it was published', () => {
    assert.deepEqual(storedPapers(edition), [paper12]);
    assert.deepEqual(
      edition.papers.map((p) => p.data.id),
      ['12'],
    );
  });

  it('keeps the slot without the speaker no longer published, and resolves other rows against the kept entries', () => {
    assert.deepEqual(
      edition.schedule.map((s) => s.data),
      [
        {
          id: '2024-07-18-1000-talk',
          start: '2024-07-18T10:00',
          end: '2024-07-18T11:00',
          title: 'Talk',
          kind: 'other',
          speakers: ['grace-hopper'],
          paper: '12',
        },
        { ...slot, speakers: ['alan-turing'] },
      ],
    );
  });

  it('says what became of each refused row', () => {
    assert.deepEqual(outcomes(edition), [
      'Speakers › recTuring: Until the row is fixed, it is left out, and "Alan Turing" kept its last published version.',
      'Speakers › recHopper: Until the row is fixed, it is left out, and "Grace Hopper" kept its last published version.',
      'Papers › recP12: Until the row is fixed, it is left out, and "Published title" kept its last published version.',
      'Schedule › row 2: Until the row is fixed, it is left out, and "Keynote" kept its last published version, without the speaker "ada-lovelace" (no longer published).',
    ]);
  });
});

describe('a refused row whose last published version cannot be kept', () => {
  const dir = editionFolder({
    people: [{ id: 'ada-lovelace', name: 'Ada Lovelace', role: 'keynote' }],
    papers: [{ id: '7', title: 'Old', authors: ['A'], links: {}, extra: 'not in the model' }],
    schedule: [{ ...slot, speakers: [], paper: '99' }],
  });
  const edition = mapWith(dir, {
    speakers: [
      airtableRow('Speakers', 'recNoName', { Name: '', Kind: 'Keynote', Affiliation: 'Somewhere' }),
      airtableRow('Speakers', 'recAda', { Name: 'Ada Lovelace', Kind: 'Chair' }),
      airtableRow('Speakers', 'recNew', { Name: 'New Person', Kind: 'Chair' }),
    ],
    organizers: [airtableRow('Organizers', 'recOrgAda', { Name: 'Ada Lovelace' })],
    papers: [
      airtableRow('Papers', 'recBadId', { 'Paper ID': 'no spaces allowed', Title: 'T', Authors: 'A', Status: 'Accepted' }),
      airtableRow('Papers', 'recP7', { 'Paper ID': 7, Title: '', Authors: 'A', Status: 'Accepted' }),
    ],
    schedule: [sheetRow(2, { Date: '2024-07-18', Start: '9:00', End: '8:00', Title: 'Keynote' })],
  });

  it('keeps nothing it should not, and says why for each row', () => {
    assert.deepEqual(
      edition.people.map((p) => [p.data.id, formatWhere(p.origin.where)]),
      [['ada-lovelace', 'recOrgAda']],
    );
    assert.deepEqual(storedPapers(edition), []);
    assert.deepEqual(
      edition.schedule.map((s) => s.data.paper),
      [undefined],
      'the kept slot lost the paper that is not published',
    );
    assert.deepEqual(outcomes(edition), [
      'Speakers › recNoName: Until the row is fixed, it is left out; without a name with letters or digits, no published entry can be matched to it, so an earlier version of it is not kept.',
      'Speakers › recAda: Until the row is fixed, it is left out; its last published version ("ada-lovelace") is not kept, as Airtable › Organizers › recOrgAda now has that id.',
      'Speakers › recNew: Until the row is fixed, it is left out (nothing published has its id "new-person").',
      'Papers › recBadId: Until the row is fixed, it is left out; without a valid ID, no published entry can be matched to it, so an earlier version of it is not kept.',
      'Papers › recP7: Until the row is fixed, it is left out; its last published version ("7") is not kept, as it no longer passes the checks (the entry: Unrecognized key: "extra").',
      'Schedule › row 2: Until the row is fixed, it is left out, and "Keynote" kept its last published version, without the paper "99" (no longer published).',
    ]);
  });
});

describe('without the last published entries (a strict sync)', () => {
  it('keeps nothing and says nothing about refused rows: their errors stop the sync', () => {
    const dir = editionFolder({ people: [turing] });
    const rows = { speakers: [airtableRow('Speakers', 'recTuring', { Name: 'Alan Turing', Kind: 'Chair' })] };
    const strict = mapWith(undefined, rows);
    assert.deepEqual([strict.people, strict.leftOut], [[], []]);
    assert.equal(strict.problems.speakers[0]?.severity, 'error');
    assert.equal(mapWith(dir, rows).people.length, 1, 'the same rows keep it when given the published entries');
  });

  it('finds nothing in a damaged or missing collection file', () => {
    const dir = editionFolder({});
    writeFileSync(path.join(dir, 'people.json'), '[{"id": "alan-turing", ');
    const edition = mapWith(dir, { speakers: [airtableRow('Speakers', 'recTuring', { Name: 'Alan Turing', Kind: 'Chair' })] });
    assert.deepEqual(edition.people, []);
    assert.match(edition.leftOut[0]!.outcome, /nothing published has its id "alan-turing"/);
  });
});
