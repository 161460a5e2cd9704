/** sync/map/map-edition.ts + sync/checks/index.ts: every table at once, references across tables, all warnings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { airtableRow, checkEdition, lines, mapEdition, sheetRow } from './fixtures.ts';

describe('mapEdition and runChecks', () => {
  const rows = {
    speakers: [
      airtableRow('Speakers', 'recS1', { Name: 'Ada Lovelace', Kind: 'Keynote', Bio: 'Her notesâ€™ fame.', Email: 'ada@secret.example' }),
    ],
    organizers: [airtableRow('Organizers', 'recO1', { Name: 'Ada Lovelace', Email: 'ada2@secret.example' })],
    papers: [
      airtableRow('Papers', 'recP1', { 'Paper ID': 7, Title: 'First', Authors: 'A', Status: 'Accepted' }),
      airtableRow('Papers', 'recP2', { 'Paper ID': 7, Title: 'Second', Authors: 'B', Status: 'Accepted' }),
      airtableRow('Papers', 'recP3', {
        'Paper ID': 8,
        Title: 'Garbled â€œtitleâ€',
        Authors: 'C',
        Status: 'Rejected',
        'Reviewer notes': 'â€™ private',
      }),
    ],
    schedule: [
      sheetRow(2, { Date: '2024-07-18', Start: '9:00', End: '10:00', Title: 'Keynote', Kind: 'Keynote', Speaker: 'Ada Lovelace' }),
      sheetRow(4, { Date: '2024-07-18', Start: '10:00', End: '10:30', Title: 'Paper', Kind: 'Paper', 'Paper ID': '7' }),
    ],
  };
  const edition = mapEdition(rows);
  const warnings = checkEdition(edition, rows);

  it('keeps the first of two papers with one ID and warns', () => {
    assert.deepEqual(
      edition.papers.map((p) => p.data.title),
      ['First'],
    );
    assert.deepEqual(lines(edition.problems), [
      'Airtable › Papers › recP2 › "Paper ID": "7" is also the ID of Airtable › Papers › recP1; give each its own ID (only the first can be published).',
    ]);
  });

  it('resolves schedule speakers and papers against the mapped tables', () => {
    assert.deepEqual(
      edition.schedule.map((s) => [s.data.speakers, s.data.paper]),
      [
        [['ada-lovelace'], undefined],
        [[], '7'],
      ],
    );
  });

  it('runs every check, quoting only published rows', () => {
    assert.deepEqual(lines(warnings), [
      'Airtable › Speakers › recS1 › "Bio": looks garbled: "notesâ€™" is probably "notes’"; the text went through the wrong character encoding, so retype it or paste it again.',
      'Airtable › Organizers › recO1 › "Name": "Ada Lovelace" is also listed in Airtable › Speakers › recS1, so they appear twice (as "ada-lovelace" and "ada-lovelace-2"); remove one row if it is the same person.',
    ]);
    assert.ok(!JSON.stringify(edition).includes('secret.example'));
  });
});
