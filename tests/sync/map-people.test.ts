/** sync/map/map-people.ts: people tables → person entries, with roles, unique ids, photos aside, private columns dropped. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { speakerRole } from '../../sync/map/map-people.ts';
import { customizeTemplate } from '../../sync/template.ts';
import { airtableRow, lines, mapPeople } from './fixtures.ts';

const photo = [
  {
    id: 'attPHOTO000000001',
    url: 'http://127.0.0.1:9/attachments/x/ada.jpg',
    filename: 'ada.jpg',
    size: 1234,
    type: 'image/jpeg',
    width: 480,
    height: 480,
  },
];

describe('mapPeople', () => {
  it('maps speakers with their kind, and organizers and program committee with the table’s role', () => {
    const { entries, problems } = mapPeople({
      speakers: [
        airtableRow('Speakers', 'recS1', {
          Name: 'Ada Lovelace',
          Affiliation: 'Analytical Engines',
          Kind: 'Keynote',
          'Talk Title': 'Notes',
          Abstract: 'On **engines**.',
          Bio: 'Mathematician.',
          Homepage: 'https://example.org/ada',
          Order: 2,
        }),
        airtableRow('Speakers', 'recS2', { Name: 'Alan Turing', Kind: ' invited ' }),
        airtableRow('Speakers', 'recS3', { Name: 'Grace Hopper', Kind: 'Panelist' }),
      ],
      organizers: [airtableRow('Organizers', 'recO1', { Name: 'Edsger Dijkstra', Affiliation: 'TU Eindhoven', Photo: photo, Order: 1 })],
      programCommittee: [airtableRow('Program Committee', 'recP1', { Name: 'Barbara Liskov', Affiliation: 'MIT' })],
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      entries.map((e) => e.data),
      [
        {
          id: 'ada-lovelace',
          name: 'Ada Lovelace',
          affiliation: 'Analytical Engines',
          role: 'keynote',
          homepage: 'https://example.org/ada',
          talkTitle: 'Notes',
          abstract: 'On **engines**.',
          bio: 'Mathematician.',
          order: 2,
        },
        { id: 'alan-turing', name: 'Alan Turing', role: 'invited' },
        { id: 'grace-hopper', name: 'Grace Hopper', role: 'panelist' },
        { id: 'edsger-dijkstra', name: 'Edsger Dijkstra', affiliation: 'TU Eindhoven', role: 'organizer', order: 1 },
        { id: 'barbara-liskov', name: 'Barbara Liskov', affiliation: 'MIT', role: 'program-committee' },
      ],
    );
    assert.deepEqual(entries[3]?.photo, {
      attachmentId: 'attPHOTO000000001',
      filename: 'ada.jpg',
      url: 'http://127.0.0.1:9/attachments/x/ada.jpg',
      size: 1234,
      type: 'image/jpeg',
    });
    assert.equal('photo' in entries[3].data, false, 'the photo is not in the person until it is mirrored');
    assert.deepEqual(entries[1]?.origin, { source: 'Airtable', table: 'Speakers', where: { recordId: 'recS2' } });
  });

  it('never passes unmapped columns such as Email or Reviewer notes', () => {
    const { entries } = mapPeople({
      organizers: [
        airtableRow('Organizers', 'recO1', {
          Name: 'Ada Lovelace',
          Email: 'ada@secret.example',
          'Reviewer notes': 'private note',
          Role: 'Chair',
        }),
      ],
    });
    const out = JSON.stringify(entries);
    assert.ok(!out.includes('ada@secret.example') && !out.includes('private note') && !out.includes('Email') && !out.includes('Reviewer'));
    assert.deepEqual(Object.keys(entries[0]!.data).sort(), ['id', 'name', 'position', 'role']);
    assert.equal(entries[0]!.data.position, 'Chair', "an organizer's Role column is their public position");
  });

  it('gives people with the same name unique ids in source order', () => {
    const { entries } = mapPeople({
      speakers: [airtableRow('Speakers', 'recS1', { Name: 'José Núñez', Kind: 'Invited' })],
      organizers: [airtableRow('Organizers', 'recO1', { Name: 'Jose Nunez' }), airtableRow('Organizers', 'recO2', { Name: 'José  Núñez' })],
    });
    assert.deepEqual(
      entries.map((e) => e.data.id),
      ['jose-nunez', 'jose-nunez-2', 'jose-nunez-3'],
    );
  });

  it('skips empty records and reports bad rows with record id, column and what to fix', () => {
    const { entries, problems } = mapPeople({
      speakers: [
        airtableRow('Speakers', 'recEmpty', {}),
        airtableRow('Speakers', 'recPrivateOnly', { Email: 'x@example.org' }),
        airtableRow('Speakers', 'recS1', { Affiliation: 'Nowhere', Kind: 'Keynote' }),
        airtableRow('Speakers', 'recS2', { Name: 'Ada Lovelace', Kind: 'Chair' }),
        airtableRow('Speakers', 'recS3', { Name: 'Alan Turing' }),
        airtableRow('Speakers', 'recS4', { Name: 'Grace Hopper', Kind: 'Keynote', Homepage: 'javascript:alert(1)', Order: 'first' }),
        airtableRow('Speakers', 'recS5', { Name: 'Line\nBreak', Kind: 'Keynote' }),
        airtableRow('Speakers', 'recS7', { Name: 'Ada Byron', Kind: 'Keynote', Order: 1.5 }),
      ],
    });
    // recS4 and recS7 have only optional values wrong: they are published without them, with a warning each.
    assert.deepEqual(
      entries.map((e) => e.data),
      [
        { id: 'grace-hopper', name: 'Grace Hopper', role: 'keynote' },
        { id: 'ada-byron', name: 'Ada Byron', role: 'keynote' },
      ],
    );
    assert.deepEqual(lines(problems), [
      'Airtable › Speakers › recS1 › "Name": is empty; every person needs a name.',
      'Airtable › Speakers › recS2 › "Kind": "Chair" is not a kind of speaker; write Keynote, Invited or Panelist.',
      'Airtable › Speakers › recS3 › "Kind": is empty; write Keynote, Invited or Panelist.',
      'Airtable › Speakers › recS4 › "Homepage": "javascript:alert(1)" is a javascript: link; only http:// and https:// links are published (e.g. "https://example.org"). Until it is fixed, the row is published without it.',
      'Airtable › Speakers › recS4 › "Order": "first" is not a number; write a number such as 1. Until it is fixed, the row is published without it.',
      'Airtable › Speakers › recS5 › "Name": must be a single line.',
      'Airtable › Speakers › recS7 › "Order": 1.5 is not a whole number; number the people 1, 2, 3… (lower comes first). Until it is fixed, the row is published without it.',
    ]);
    assert.deepEqual(
      problems.map((p) => p.severity),
      ['error', 'error', 'error', 'warning', 'warning', 'error', 'warning'],
    );
  });

  it('leaves out an Order too large to count exactly (past 2^53) with a message a person understands', () => {
    const { entries, problems } = mapPeople({
      speakers: [airtableRow('Speakers', 'recS1', { Name: 'Ada Lovelace', Kind: 'Keynote', Order: 2 ** 53 + 2 })],
    });
    assert.deepEqual(
      entries.map((e) => e.data),
      [{ id: 'ada-lovelace', name: 'Ada Lovelace', role: 'keynote' }],
    );
    assert.deepEqual(lines(problems), [
      'Airtable › Speakers › recS1 › "Order": 9007199254740994 is too large a number; number the people 1, 2, 3… (lower comes first). Until it is fixed, the row is published without it.',
    ]);
  });

  it('gives a name without Latin letters an id from its digest, never the record id, the same from any source', () => {
    const fromAirtable = mapPeople({ programCommittee: [airtableRow('Program Committee', 'recCJK0000000001', { Name: '李明' })] }).entries;
    const sheet = (row: number, name: string) => ({
      source: 'Google Sheets',
      table: 'Speakers',
      where: { row },
      fields: { Name: name, Kind: 'Keynote' },
    });
    const fromSheet = mapPeople({ speakers: [sheet(3, '李明'), sheet(4, 'Ωμέγα Αλφα')] }).entries;
    const id = fromAirtable[0]?.data.id;
    assert.match(id ?? '', /^p-[0-9a-f]{10}$/);
    assert.deepEqual(
      fromAirtable.map((e) => e.data),
      [{ id, name: '李明', role: 'program-committee' }],
    );
    assert.equal(fromSheet[0]?.data.id, id, 'the same name gives the same id from another source and row');
    assert.match(fromSheet[1]?.data.id ?? '', /^p-[0-9a-f]{10}$/);
    assert.notEqual(fromSheet[1]?.data.id, id);
    assert.deepEqual(lines(mapPeople({ speakers: [sheet(5, '***')] }).problems), [
      'Google Sheets › Speakers › row 5 › "Name": "***" has no letters or digits; write the person\'s name.',
    ]);
  });

  it('reads renamed columns and knows speaker kind synonyms', () => {
    const template = customizeTemplate({ speakers: { table: 'Talks', columns: { name: 'Full name', kind: 'Type' } } });
    const { entries } = mapPeople(
      { speakers: [airtableRow('Talks', 'recT1', { 'Full name': 'Ada Lovelace', Type: 'Keynote Speaker', Name: 'ignored' })] },
      template,
    );
    assert.deepEqual(
      entries.map((e) => e.data),
      [{ id: 'ada-lovelace', name: 'Ada Lovelace', role: 'keynote' }],
    );
    assert.equal(speakerRole('Panellist'), 'panelist');
    assert.equal(speakerRole('Invited Talk'), 'invited');
    assert.equal(speakerRole('Chair'), undefined);
  });
});

describe('a speaker Kind with several values (a multiple select)', () => {
  const speaker = (recordId: string, kind: unknown) => airtableRow('Speakers', recordId, { Name: `Speaker ${recordId}`, Kind: kind });
  const roles = (kind: unknown) => {
    const { entries, problems } = mapPeople({ speakers: [speaker('recS1', kind)] });
    const data = entries[0]?.data;
    return {
      roles: data && { role: data.role, otherRoles: data.otherRoles },
      lines: lines(problems),
      severities: problems.map((p) => p.severity),
    };
  };

  it('gives every role, the first in the order of the page’s sections as `role`, whatever the cell’s order', () => {
    assert.deepEqual(roles(['Invited', 'Panelist']), { roles: { role: 'invited', otherRoles: ['panelist'] }, lines: [], severities: [] });
    assert.deepEqual(roles(['Panelist', 'Invited']), { roles: { role: 'invited', otherRoles: ['panelist'] }, lines: [], severities: [] });
    assert.deepEqual(roles(['Panel', 'Invited talk', 'Keynote']), {
      roles: { role: 'keynote', otherRoles: ['invited', 'panelist'] },
      lines: [],
      severities: [],
    });
  });

  it('one person entry: one id, the other roles beside the role, nothing else changed', () => {
    const { entries } = mapPeople({
      speakers: [airtableRow('Speakers', 'recS1', { Name: 'Ada Lovelace', Kind: ['Invited', 'Panelist'] })],
    });
    assert.deepEqual(
      entries.map((e) => e.data),
      [{ id: 'ada-lovelace', name: 'Ada Lovelace', role: 'invited', otherRoles: ['panelist'] }],
    );
  });

  it('ignores repeats, synonyms and case included; one role is just `role`', () => {
    assert.deepEqual(roles(['Invited', 'invited', 'Invited speaker']), {
      roles: { role: 'invited', otherRoles: undefined },
      lines: [],
      severities: [],
    });
    assert.deepEqual(roles(['Panelist', 'Invited', 'Panelist']), {
      roles: { role: 'invited', otherRoles: ['panelist'] },
      lines: [],
      severities: [],
    });
  });

  it('keeps the known values of a cell with unknown ones, with a warning naming the unknown values and the column', () => {
    assert.deepEqual(roles(['Invited', 'Dancer']), {
      roles: { role: 'invited', otherRoles: undefined },
      lines: [
        'Airtable › Speakers › recS1 › "Kind": "Dancer" is not a kind of speaker; make each value Keynote, Invited or Panelist, or remove it from the cell. Until it is fixed, the row is published without it.',
      ],
      severities: ['warning'],
    });
    assert.deepEqual(roles(['Dancer', 'Panelist', 'Juggler', 'Dancer', 'Invited']), {
      roles: { role: 'invited', otherRoles: ['panelist'] },
      lines: [
        'Airtable › Speakers › recS1 › "Kind": "Dancer", "Juggler" are not kinds of speaker; make each value Keynote, Invited or Panelist, or remove it from the cell. Until it is fixed, the row is published without it.',
      ],
      severities: ['warning'],
    });
  });

  it('leaves the row out with an error when no value is a kind of speaker, as an empty Kind', () => {
    assert.deepEqual(roles(['Dancer', 'Juggler']), {
      roles: undefined,
      lines: ['Airtable › Speakers › recS1 › "Kind": "Dancer", "Juggler" are not kinds of speaker; write Keynote, Invited or Panelist.'],
      severities: ['error'],
    });
    assert.deepEqual(roles([]), {
      roles: undefined,
      lines: ['Airtable › Speakers › recS1 › "Kind": is empty; write Keynote, Invited or Panelist.'],
      severities: ['error'],
    });
  });

  it('gives Organizers and Program Committee their table’s role alone, whatever their columns hold', () => {
    const { entries } = mapPeople({
      organizers: [airtableRow('Organizers', 'recO1', { Name: 'Edsger Dijkstra', Kind: ['Invited', 'Panelist'] })],
      programCommittee: [airtableRow('Program Committee', 'recP1', { Name: 'Barbara Liskov', Kind: ['Keynote'] })],
    });
    assert.deepEqual(
      entries.map((e) => [e.data.role, e.data.otherRoles]),
      [
        ['organizer', undefined],
        ['program-committee', undefined],
      ],
    );
  });
});
