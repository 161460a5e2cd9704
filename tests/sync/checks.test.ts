/** sync/checks/: warnings for overlaps, dangling references, duplicates, mojibake and names spelled two ways. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDuplicateIds, checkDuplicateNames } from '../../sync/checks/duplicates.ts';
import { editDistance } from '../../sync/checks/edit-distance.ts';
import { checkMojibake, countTelltales, repairMojibake } from '../../sync/checks/mojibake.ts';
import { checkOverlaps } from '../../sync/checks/overlaps.ts';
import { checkReferences, nearestName } from '../../sync/checks/references.ts';
import { checkSpellings } from '../../sync/checks/spelling.ts';
import { runChecks } from '../../sync/checks/index.ts';
import { airtableRow, lines, mapEdition, mapPeople, mapSchedule, sheetRow } from './fixtures.ts';

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
  const org = (id: string, fields: Record<string, unknown>) => airtableRow('Organizers', id, fields);
  const pc = (id: string, fields: Record<string, unknown>) => airtableRow('Program Committee', id, fields);

  it('warns once about a name spelled two ways in two tables when the affiliation, homepage or photo agrees', () => {
    const mapped = mapPeople({
      speakers: [airtableRow('Speakers', 'recGrace', { Name: 'Grace Hopper', Kind: 'Keynote', Homepage: 'https://hopper.example/' })],
      organizers: [
        org('recAda', { Name: 'Ada Lovelace', Affiliation: 'Analytical Engines Ltd' }),
        org('recOrg', { Name: 'Grace Hoper', Homepage: 'http://www.hopper.example' }),
      ],
      programCommittee: [pc('recPC', { Name: 'Ada Lovelance', Affiliation: 'analytical engines ltd' })],
    });
    assert.deepEqual(mapped.problems, []);
    const problems = checkSpellings(mapped.entries);
    assert.deepEqual(lines(problems), [
      'Airtable › Organizers › recOrg › "Name": "Grace Hoper" is spelled "Grace Hopper" in Airtable › Speakers › recGrace (same homepage); if it is the same person, use one spelling everywhere.',
      'Airtable › Program Committee › recPC › "Name": "Ada Lovelance" is spelled "Ada Lovelace" in Airtable › Organizers › recAda (same affiliation); if it is the same person, use one spelling everywhere.',
    ]);
    assert.ok(problems.every((p) => p.kind === 'spelling'));
  });

  it('takes the same photo (file name and size) as evidence', () => {
    const photo = [{ id: 'att1', url: 'https://example.invalid/1', filename: 'ada.jpg', size: 1234, type: 'image/jpeg' }];
    const other = [{ ...photo[0], id: 'att2', url: 'https://example.invalid/2' }];
    const mapped = mapPeople({
      speakers: [airtableRow('Speakers', 'recS', { Name: 'Ada Lovelace', Kind: 'Keynote', Photo: photo })],
      organizers: [
        org('recO', { Name: 'Ada Lovelance', Photo: other }),
        org('recP', { Name: 'Ada Lovelacy', Photo: [{ ...other[0], size: 99 }] }),
      ],
    });
    assert.deepEqual(lines(checkSpellings(mapped.entries)), [
      'Airtable › Organizers › recO › "Name": "Ada Lovelance" is spelled "Ada Lovelace" in Airtable › Speakers › recS (same photo); if it is the same person, use one spelling everywhere.',
    ]);
  });

  it('does not compare names across tables without evidence', () => {
    const mapped = mapPeople({
      organizers: [org('recAda', { Name: 'Ada Lovelace', Affiliation: 'Analytical Engines Ltd' })],
      programCommittee: [
        pc('recPC', { Name: 'Ada Lovelance', Affiliation: 'Difference Engines Ltd' }),
        pc('recPC2', { Name: 'Ada Lovelacy' }),
      ],
    });
    assert.deepEqual(checkSpellings(mapped.entries), []);
  });

  it('never compares names within one table: Li Wei and Li Wen of one university are two people', () => {
    const mapped = mapPeople({
      programCommittee: [
        pc('recA', { Name: 'Li Wei', Affiliation: 'Tsinghua University' }),
        pc('recB', { Name: 'Li Wen', Affiliation: 'Tsinghua University' }),
        pc('recC', { Name: 'Y. Zhang', Affiliation: 'Tsinghua University' }),
        pc('recD', { Name: 'Y. Zhao', Affiliation: 'Tsinghua University' }),
      ],
    });
    assert.deepEqual(checkSpellings(mapped.entries), []);
  });

  it('never takes names that differ in their numbers for one person, even with evidence', () => {
    const numbered = (table: string, n: number) =>
      airtableRow(table, `rec${table[0]}${n}`, { Name: `Holdout Organizer ${n}`, Affiliation: 'Holdout University' });
    const mapped = mapPeople({
      organizers: Array.from({ length: 131 }, (_, n) => numbered('Organizers', n)),
      programCommittee: Array.from({ length: 20 }, (_, n) => numbered('Program Committee', n + 200)),
    });
    assert.deepEqual(checkSpellings(mapped.entries), []);
  });
});

it('runChecks on the demo\'s "Marc Najork": one warning, the unresolved reference with its suggestion', () => {
  const rows = {
    speakers: [airtableRow('Speakers', 'recMark', { Name: 'Mark Najork', Kind: 'Keynote', Affiliation: 'Google DeepMind' })],
    organizers: [airtableRow('Organizers', 'recAda', { Name: 'Ada Lovelace' })],
    schedule: [sheetRow(3, { Date: '7/18/2024', Start: '9:10 AM', End: '10:00 AM', Title: 'Keynote', Speaker: 'Marc Najork' })],
  };
  const edition = mapEdition(rows);
  const problems = runChecks(edition);
  assert.deepEqual(lines(problems), [
    'Google Sheets › Schedule › row 3 › "Speaker": "Marc Najork" matches no one in Speakers, Organizers or Program Committee; did you mean "Mark Najork"? Use one spelling in both places.',
  ]);
  assert.equal(problems[0]?.kind, 'unresolved-reference');
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
