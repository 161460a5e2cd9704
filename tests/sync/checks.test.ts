/** sync/checks/: warnings for overlaps, dangling references, duplicates, mojibake and names spelled two ways. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDuplicateIds, checkDuplicateNames } from '../../sync/checks/duplicates.ts';
import { editDistance } from '../../sync/checks/edit-distance.ts';
import { checkMojibake, countTelltales, repairMojibake } from '../../sync/checks/mojibake.ts';
import { checkOverlaps } from '../../sync/checks/overlaps.ts';
import { checkReferences, nearestName } from '../../sync/checks/references.ts';
import { checkSpellings } from '../../sync/checks/spelling.ts';
import { airtableRow, lines, mapPeople, mapSchedule, sheetRow } from './fixtures.ts';

const people = mapPeople({
  speakers: [airtableRow('Speakers', 'recMark', { Name: 'Mark Najork', Kind: 'Keynote' })],
  organizers: [airtableRow('Organizers', 'recAda', { Name: 'Ada Lovelace' })],
}).entries;
const personData = people.map((p) => p.data);

function schedule(rows: Record<string, unknown>[]) {
  const mapped = mapSchedule(
    rows.map((fields, i) => sheetRow(i + 2, { Date: '7/18/2024', ...fields })),
    { people: personData, papers: [{ id: '2' }] },
  );
  assert.deepEqual(mapped.problems, []);
  return mapped.entries;
}

describe('checkOverlaps', () => {
  it('warns when slots overlap in the same room or without a room, at the later slot', () => {
    const items = schedule([
      { Start: '2:45 PM', End: '3:30 PM', Title: 'LaMP' },
      { Start: '3:00 PM', End: '3:15 PM', Title: 'Teach' },
      { Start: '3:30 PM', End: '4:00 PM', Title: 'Break' },
      { Start: '9:00 AM', End: '10:00 AM', Title: 'Track A', Room: 'A' },
      { Start: '9:00 AM', End: '10:00 AM', Title: 'Track B', Room: 'B' },
      { Start: '9:30 AM', End: '9:45 AM', Title: 'Also in A', Room: 'A' },
    ]);
    const problems = checkOverlaps(items);
    assert.deepEqual(lines(problems), [
      'Google Sheets › Schedule › row 7 › "Start": "Also in A" (9:30 AM–9:45 AM) overlaps "Track A" (9:00 AM–10:00 AM, row 5); if they run in parallel give them different rooms, otherwise fix the times.',
      'Google Sheets › Schedule › row 3 › "Start": "Teach" (3:00 PM–3:15 PM) overlaps "LaMP" (2:45 PM–3:30 PM, row 2); if they run in parallel give them different rooms, otherwise fix the times.',
    ]);
    assert.ok(problems.every((p) => p.severity === 'warning'));
  });

  it('does not warn about back-to-back slots', () => {
    assert.deepEqual(
      checkOverlaps(
        schedule([
          { Start: '9:00', End: '10:00', Title: 'A' },
          { Start: '10:00', End: '11:00', Title: 'B' },
        ]),
      ),
      [],
    );
  });
});

describe('checkReferences', () => {
  it('warns about a speaker who matches no one and suggests the near match', () => {
    const items = schedule([
      { Start: '9:10 AM', End: '10:00 AM', Title: 'Keynote by Marc Najork', Speaker: 'Marc Najork' },
      { Start: '10:00 AM', End: '11:00 AM', Title: 'Talk', Speaker: 'Someone Else' },
      { Start: '11:00 AM', End: '11:30 AM', Title: 'Talk', Speaker: 'mark najork', 'Paper ID': '7' },
    ]);
    assert.deepEqual(lines(checkReferences(items, personData, [{ id: '2' }])), [
      'Google Sheets › Schedule › row 2 › "Speaker": "Marc Najork" matches no one in Speakers, Organizers or Program Committee; did you mean "Mark Najork"? Use one spelling in both places.',
      'Google Sheets › Schedule › row 3 › "Speaker": "Someone Else" matches no one in Speakers, Organizers or Program Committee; add them to Speakers or fix the name.',
      'Google Sheets › Schedule › row 4 › "Paper ID": "7" matches no accepted paper in Papers; check the ID (only accepted papers are published).',
    ]);
  });

  it('nearestName: within two edits, ignoring case and accents, none on a tie', () => {
    assert.equal(nearestName('Marc Najork', ['Ada Lovelace', 'Mark Najork']), 'Mark Najork');
    assert.equal(nearestName('JOSE NUNES', ['José Núñez']), 'José Núñez');
    assert.equal(nearestName('Marc Najork', ['Ada Lovelace']), undefined);
    assert.equal(nearestName('Li Wen', ['Li Wei', 'Li Wan']), undefined);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });
});

describe('checkDuplicateIds and checkDuplicateNames', () => {
  it('warns about an id used twice, at the later row, naming the first', () => {
    const origin = (recordId: string) => ({ source: 'Airtable', table: 'Papers', where: { recordId } });
    const entries = [
      { data: { id: '2' }, origin: origin('recA') },
      { data: { id: '3' }, origin: origin('recB') },
      { data: { id: '2' }, origin: origin('recC') },
    ];
    assert.deepEqual(lines(checkDuplicateIds(entries, 'Paper ID')), [
      'Airtable › Papers › recC › "Paper ID": "2" is also the ID of Airtable › Papers › recA; give each its own ID (only the first can be published).',
    ]);
  });

  it('warns about one person listed twice', () => {
    const twice = mapPeople({
      speakers: [airtableRow('Speakers', 'recS', { Name: 'José Núñez', Kind: 'Invited' })],
      organizers: [airtableRow('Organizers', 'recO', { Name: 'jose nunez' })],
    }).entries;
    assert.deepEqual(lines(checkDuplicateNames(twice)), [
      'Airtable › Organizers › recO › "Name": "jose nunez" is also listed in Airtable › Speakers › recS, so they appear twice (as "jose-nunez" and "jose-nunez-2"); remove one row if it is the same person.',
    ]);
  });
});

describe('mojibake', () => {
  it('repairs UTF-8 read as Windows-1252, and leaves correct text alone', () => {
    assert.equal(repairMojibake('the modelsâ€™ ability'), 'the models’ ability');
    assert.equal(repairMojibake('â€œquotedâ€\u009d'), '“quoted”');
    assert.equal(repairMojibake('CafÃ© in MÃ¼nchen'), 'Café in München');
    assert.equal(repairMojibake('price:Â\u00a010 â€” fine ’ already'), 'price:\u00a010 — fine ’ already');
    for (const fine of ['José Núñez', 'SÃO PAULO', 'It’s “fine”', 'plain ascii', 'Ångström']) {
      assert.equal(repairMojibake(fine), undefined, fine);
    }
    assert.equal(countTelltales('Â, Ã©, â€™'), 3);
  });

  it('warns once per garbled cell of a mapped column, with the repair', () => {
    const rows = [
      airtableRow('Speakers', 'recS', { Name: 'Ada', Bio: 'The modelsâ€™ ability and â€œmoreâ€', Email: 'Ã© private' }),
      airtableRow('Speakers', 'recT', { Name: 'Grace', Bio: 'Clean text’s fine' }),
    ];
    assert.deepEqual(lines(checkMojibake(rows, ['Name', 'Bio'])), [
      'Airtable › Speakers › recS › "Bio": looks garbled: "modelsâ€™" is probably "models’"; the text went through the wrong character encoding, so retype it or paste it again.',
    ]);
  });
});

describe('checkSpellings', () => {
  it('warns about a name spelled two ways across tables and the schedule', () => {
    const items = schedule([{ Start: '9:10 AM', End: '10:00 AM', Title: 'Keynote', Speaker: 'Marc Najork' }]);
    const pc = mapPeople({ programCommittee: [airtableRow('Program Committee', 'recPC', { Name: 'Ada Lovelance' })] }).entries;
    assert.deepEqual(lines(checkSpellings([...people, ...pc], items)), [
      'Airtable › Program Committee › recPC › "Name": "Ada Lovelance" is spelled "Ada Lovelace" in Airtable › Organizers › recAda; if it is the same person, use one spelling everywhere.',
      'Google Sheets › Schedule › row 2 › "Speaker": "Marc Najork" is spelled "Mark Najork" in Airtable › Speakers › recMark; if it is the same person, use one spelling everywhere.',
    ]);
  });

  it('does not warn about different people or the same spelling', () => {
    const items = schedule([{ Start: '9:10 AM', End: '10:00 AM', Title: 'Keynote', Speaker: 'Mark Najork' }]);
    assert.deepEqual(checkSpellings(people, items), []);
  });
});

it('editDistance with a bound: exact within it, bound + 1 beyond it, and fast on huge strings', () => {
  assert.equal(editDistance('kitten', 'sitting', 3), 3);
  assert.equal(editDistance('kitten', 'sitting', 2), 3);
  assert.equal(editDistance('Mark Najork', 'Marc Najork', 2), 1);
  assert.equal(editDistance('abc', 'abcdef', 2), 3);
  assert.equal(editDistance('abcdef', 'badcfe', 2), 3);
  assert.equal(editDistance('abcdef', 'badcfe'), 4);
  const huge = 'x'.repeat(2_000_000);
  assert.equal(editDistance(huge, `${huge}yz`, 2), 2);
  assert.equal(editDistance(huge, `y${huge.slice(1)}`, 2), 1);
  assert.equal(editDistance(huge, 'Ada', 2), 3);
});
