/** sync/map/map-schedule.ts: Schedule rows → schedule items with local times, kinds, references and stable ids. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleIdBase, sessionKind } from '../../sync/map/map-schedule.ts';
import { customizeTemplate } from '../../sync/template.ts';
import { lines, mapSchedule, sheetRow } from './fixtures.ts';

const context = {
  people: [
    { id: 'mark-najork', name: 'Mark Najork' },
    { id: 'jose-nunez', name: 'José Núñez' },
    { id: 'ada-lovelace', name: 'Ada Lovelace' },
  ],
  papers: [{ id: '2' }, { id: '3' }],
};

const slot = (row: number, fields: Record<string, unknown>) =>
  sheetRow(row, { Date: '7/18/2024', Start: '9:00 AM', End: '9:10 AM', Title: 'Opening remarks', ...fields });

describe('mapSchedule', () => {
  it('maps a row to an item with local times, kind, speakers, paper and room', () => {
    const { entries, problems } = mapSchedule(
      [
        slot(2, {
          Start: '2:45 PM',
          End: '3:30 PM',
          Title: 'Paper talk - LaMP',
          Kind: 'Paper',
          Speaker: 'Mark Najork',
          'Paper ID': '2',
          Room: ' Room 1 ',
        }),
      ],
      context,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      entries.map((e) => e.data),
      [
        {
          id: '2024-07-18-1445-paper-talk-lamp',
          start: '2024-07-18T14:45',
          end: '2024-07-18T15:30',
          title: 'Paper talk - LaMP',
          kind: 'paper',
          speakers: ['mark-najork'],
          paper: '2',
          room: 'Room 1',
        },
      ],
    );
    assert.deepEqual(entries[0]?.refs, { speakers: ['Mark Najork'], paper: '2' });
    assert.deepEqual(entries[0]?.origin.where, { row: 2 });
  });

  it('resolves speakers by exact name, then ignoring case and accents; keeps unresolved names for the checks', () => {
    const { entries } = mapSchedule(
      [slot(2, { Title: 'Panel', Kind: 'Panel', Speaker: 'jose nunez, ADA LOVELACE and Marc Najork' })],
      context,
    );
    assert.deepEqual(entries[0]?.data.speakers, ['jose-nunez', 'ada-lovelace']);
    assert.deepEqual(entries[0]?.refs.speakers, ['jose nunez', 'ADA LOVELACE', 'Marc Najork']);
  });

  it('leaves out a Paper ID that matches no accepted paper (the checks warn about it)', () => {
    const { entries, problems } = mapSchedule([slot(2, { 'Paper ID': '99' })], context);
    assert.deepEqual(problems, []);
    assert.equal('paper' in entries[0]!.data, false);
    assert.equal(entries[0]?.refs.paper, '99');
  });

  it('reads kinds with synonyms and defaults to other', () => {
    const cases: [string, string][] = [
      ['Keynote', 'keynote'],
      ['Invited Talk', 'invited'],
      ['Paper', 'paper'],
      ['Break', 'break'],
      ['Coffee break', 'break'],
      ['Lunch', 'break'],
      ['Opening', 'opening'],
      ['Closing Remarks', 'closing'],
      ['Panel', 'panel'],
      ['Poster(s)', 'poster'],
      ['Posters', 'poster'],
    ];
    for (const [text, kind] of cases) assert.equal(sessionKind(text), kind, text);
    const { entries, problems } = mapSchedule([slot(2, {}), slot(3, { Start: '9:10 AM', End: '9:20 AM', Kind: 'Workshop' })], context);
    assert.deepEqual(
      entries.map((e) => e.data.kind),
      ['other', 'other'],
    );
    assert.deepEqual(lines(problems), [
      'Google Sheets › Schedule › row 3 › "Kind": "Workshop" is not a kind of session, so it is shown as Other; write Opening, Keynote, Invited Talk, Paper, Panel, Break, Lunch, Poster, Closing or Other.',
    ]);
    assert.equal(problems[0]?.severity, 'warning');
  });

  it('derives stable ids from date, start and title, never from the row, deduplicated in order', () => {
    const a = mapSchedule([slot(2, {}), slot(9, {})], context).entries.map((e) => e.data.id);
    assert.deepEqual(a, ['2024-07-18-0900-opening-remarks', '2024-07-18-0900-opening-remarks-2']);
    const moved = mapSchedule([sheetRow(40, { Date: '2024-07-18', Start: '09:00', End: '09:10', Title: 'Opening remarks' })], context);
    assert.equal(moved.entries[0]?.data.id, '2024-07-18-0900-opening-remarks');
    assert.equal(
      scheduleIdBase('2024-07-18T17:00', 'Paper talk - Automated Evaluation of Personalized Text Generation using Large Language Models'),
      '2024-07-18-1700-paper-talk-automated-evaluation-of',
    );
    assert.equal(scheduleIdBase('2024-07-18T12:00', '☕'), '2024-07-18-1200');
  });

  it('skips blank rows and reports bad cells with the sheet row, column and how to write it', () => {
    const { entries, problems } = mapSchedule(
      [
        sheetRow(2, { Date: '', Start: '', Title: ' ' }),
        slot(3, { Start: '25:00' }),
        slot(4, { Date: '2/30/2024' }),
        slot(5, { Start: '10:00 AM', End: '9:00 AM' }),
        slot(6, { Title: '' }),
        sheetRow(7, { Title: 'Lunch' }),
        slot(8, { Title: 'Two\nlines' }),
      ],
      context,
    );
    assert.deepEqual(entries, []);
    assert.deepEqual(lines(problems), [
      'Google Sheets › Schedule › row 3 › "Start": "25:00" is not a time; write it as 9:00 AM or 09:00.',
      'Google Sheets › Schedule › row 4 › "Date": "2/30/2024" is not a day in the calendar; check the day and the month.',
      'Google Sheets › Schedule › row 5 › "End": 9:00 AM is not after the start (10:00 AM); check both times.',
      'Google Sheets › Schedule › row 6 › "Title": is empty; every slot needs a title.',
      'Google Sheets › Schedule › row 7 › "Date": is empty; write the day as 2024-07-18 or 7/18/2024.',
      'Google Sheets › Schedule › row 7 › "Start": is empty; write the time as 9:00 AM or 09:00.',
      'Google Sheets › Schedule › row 7 › "End": is empty; write the time as 9:00 AM or 09:00.',
      'Google Sheets › Schedule › row 8 › "Title": must be a single line.',
    ]);
  });

  it('reads day-first dates and renamed columns when configured; unmapped columns never pass', () => {
    const template = customizeTemplate({ schedule: { dayFirst: true, table: 'Programme', columns: { start: 'From', end: 'To' } } });
    const { entries } = mapSchedule(
      [
        sheetRow(2, {
          Date: '18/07/2024',
          From: '09:00',
          To: '09:10',
          Title: 'Opening',
          Email: 'x@secret.example',
          'Reviewer notes': 'private',
        }),
      ],
      context,
      template,
    );
    assert.equal(entries[0]?.data.start, '2024-07-18T09:00');
    const out = JSON.stringify(entries);
    assert.ok(!out.includes('secret') && !out.includes('private') && !out.includes('Email') && !out.includes('Reviewer'));
  });
});
