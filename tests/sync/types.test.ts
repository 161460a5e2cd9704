/** sync/problems.ts, template.ts, sources/rows.ts: problem lines, renameable template, API payloads → rows with provenance. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem, problemAt } from '../../sync/problems.ts';
import { customizeTemplate, DEFAULT_TEMPLATE } from '../../sync/template.ts';
import { SourceError } from '../../sync/errors.ts';
import { rowsFromAirtable, rowsFromSheet } from '../../sync/sources/rows.ts';

describe('formatProblem', () => {
  it("quotes a cell's line breaks, control characters and bidi overrides as escapes: one line, shown as it is", () => {
    const origin = { source: 'Google Sheets', table: 'Schedule', where: { row: 4 } };
    const line = formatProblem(problemAt(origin, 'error', 'Title', '"a\nFAKE LOG LINE\u0007\u202Eb\t" is wrong.'));
    assert.equal(line, 'Google Sheets › Schedule › row 4 › "Title": "a\\nFAKE LOG LINE\\u0007\\u202Eb\\t" is wrong.');
    assert.doesNotMatch(line, /[\u0000-\u001F\u202A-\u202E]/);
  });

  it('writes one actionable line with source, table, record and column', () => {
    const origin = { source: 'Airtable', table: 'Papers', where: { recordId: 'rec123' } };
    assert.equal(
      formatProblem(problemAt(origin, 'error', 'Authors', 'is empty; list the authors as "A, B and C".')),
      'Airtable › Papers › rec123 › "Authors": is empty; list the authors as "A, B and C".',
    );
    const sheet = { source: 'Google Sheets', table: 'Schedule', where: { row: 7 } };
    assert.equal(
      formatProblem(problemAt(sheet, 'error', 'Start', '"25:00" is not a time; write it as 9:00 AM or 09:00.')),
      'Google Sheets › Schedule › row 7 › "Start": "25:00" is not a time; write it as 9:00 AM or 09:00.',
    );
    assert.equal(formatProblem(problemAt(sheet, 'warning', undefined, 'check it.')), 'Google Sheets › Schedule › row 7: check it.');
    assert.equal('field' in problemAt(sheet, 'warning', undefined, 'x'), false);
  });
});

describe('template', () => {
  it('has the issue’s tables and columns', () => {
    assert.equal(DEFAULT_TEMPLATE.papers.columns.id, 'Paper ID');
    assert.equal(DEFAULT_TEMPLATE.speakers.columns.talkTitle, 'Talk Title');
    assert.equal(DEFAULT_TEMPLATE.programCommittee.table, 'Program Committee');
    assert.equal(DEFAULT_TEMPLATE.schedule.columns.paper, 'Paper ID');
    assert.ok(!('dayFirst' in DEFAULT_TEMPLATE.schedule), "dates are read as the sheet's locale writes them");
    const all = JSON.stringify(DEFAULT_TEMPLATE);
    assert.ok(!all.includes('Email') && !all.includes('Reviewer'), 'private columns are not in the template');
  });

  it('renames a table or a column and keeps the rest', () => {
    const t = customizeTemplate({
      papers: { table: 'Submissions', accepted: 'Accept', columns: { id: 'Submission #' } },
      schedule: { dayFirst: true, columns: { start: 'From' } },
    });
    assert.equal(t.papers.table, 'Submissions');
    assert.equal(t.papers.accepted, 'Accept');
    assert.equal(t.papers.columns.id, 'Submission #');
    assert.equal(t.papers.columns.title, 'Title');
    assert.equal(t.schedule.table, 'Schedule');
    assert.equal(t.schedule.columns.start, 'From');
    assert.equal(t.schedule.dayFirst, true);
    assert.equal(DEFAULT_TEMPLATE.papers.columns.id, 'Paper ID', 'the default is not modified');
  });
});

describe('rows from API payloads', () => {
  it('Airtable records keep their record id', () => {
    const rows = rowsFromAirtable('Airtable', 'Papers', [
      { id: 'recAAAAAAAAAAAAAA', createdTime: '2024-01-01T00:00:00.000Z', fields: { Title: 'T' } },
    ]);
    assert.deepEqual(rows, [{ source: 'Airtable', table: 'Papers', where: { recordId: 'recAAAAAAAAAAAAAA' }, fields: { Title: 'T' } }]);
  });

  it('sheet rows are keyed by header, numbered as in the sheet, and blank rows are skipped, not the end', () => {
    const rows = rowsFromSheet('Google Sheets', 'Schedule', [
      [' Date ', 'Start', 'Title'],
      ['7/18/2024', '9:00 AM', 'Opening'],
      [],
      ['', '  ', ''],
      ['7/18/2024', '', 'Keynote', 'extra cell without header'],
    ]);
    assert.deepEqual(
      rows.map((r) => [r.where, r.fields]),
      [
        [{ row: 2 }, { Date: '7/18/2024', Start: '9:00 AM', Title: 'Opening' }],
        [{ row: 5 }, { Date: '7/18/2024', Start: '', Title: 'Keynote' }],
      ],
    );
    assert.deepEqual(rowsFromSheet('G', 'S', undefined), []);
    assert.deepEqual(rowsFromSheet('G', 'S', [['Date'], ['x']], { firstRow: 3 })[0]?.where, { row: 4 });
  });

  const SCHEDULE_COLUMNS = ['Date', 'Start', 'End', 'Title', 'Speaker'];

  it('a header on row 1 reads as before when the columns are given', () => {
    const values = [
      ['Date', 'Start', 'Title', 'Notes'],
      ['7/18/2024', '9:00 AM', 'Opening', 'private'],
      [],
      ['7/18/2024', '10:00 AM', 'Keynote'],
    ];
    const found = rowsFromSheet('Google Sheets', 'Schedule', values, { columns: SCHEDULE_COLUMNS });
    assert.deepEqual(found, rowsFromSheet('Google Sheets', 'Schedule', values));
    assert.deepEqual(
      found.map((r) => r.where),
      [{ row: 2 }, { row: 4 }],
    );
  });

  it('finds the header below a title row and blank rows, and keeps the sheet row numbers', () => {
    const rows = rowsFromSheet(
      'Google Sheets',
      'Schedule',
      [
        ['KDD 2024 Workshop — program (times in PDT)'],
        [],
        ['', '', '', ''],
        ['Date', 'Start', 'Title', 'Speaker'],
        ['7/18/2024', '9:00 AM', 'Opening'],
        [],
        ['7/18/2024', '9:10 AM', 'Keynote', 'Mark Najork'],
      ],
      { columns: SCHEDULE_COLUMNS },
    );
    assert.deepEqual(
      rows.map((r) => [r.where, r.fields]),
      [
        [{ row: 5 }, { Date: '7/18/2024', Start: '9:00 AM', Title: 'Opening' }],
        [{ row: 7 }, { Date: '7/18/2024', Start: '9:10 AM', Title: 'Keynote', Speaker: 'Mark Najork' }],
      ],
    );
  });

  it('takes the row holding the most expected columns, even below a note that names one of them', () => {
    const rows = rowsFromSheet(
      'G',
      'Schedule',
      [
        ['Title', 'Our program'],
        ['DATE ', ' start', 'Title', 'Room'],
        ['7/18/2024', '9:00 AM', 'Opening', 'A1'],
      ],
      { columns: SCHEDULE_COLUMNS },
    );
    assert.deepEqual(rows, [
      { source: 'G', table: 'Schedule', where: { row: 3 }, fields: { Date: '7/18/2024', Start: '9:00 AM', Title: 'Opening', Room: 'A1' } },
    ]);
  });

  it('does not read the column under a blank header cell', () => {
    const rows = rowsFromSheet(
      'G',
      'Schedule',
      [
        ['Date', '', 'Title', '  '],
        ['7/18/2024', 'scribble', 'Opening', 'more'],
      ],
      { columns: SCHEDULE_COLUMNS },
    );
    assert.deepEqual(rows[0]?.fields, { Date: '7/18/2024', Title: 'Opening' });
  });

  it('looks only at the first 10 non-blank rows for the header', () => {
    const notes = Array.from({ length: 10 }, (_, i) => [`note ${i + 1}`]);
    const values = [[], ...notes, ['Date', 'Start', 'Title'], ['7/18/2024', '9:00 AM', 'Opening']];
    assert.throws(() => rowsFromSheet('G', 'Schedule', values, { columns: SCHEDULE_COLUMNS }), SourceError);
    assert.equal(rowsFromSheet('G', 'Schedule', values.slice(2), { columns: SCHEDULE_COLUMNS }).length, 1);
  });

  it('no header among the first rows: a SourceError naming the headers looked for, the first rows seen, what to do', () => {
    const values = [
      [],
      ['Workshop program', 'draft — ask ada@example.org before editing'],
      ['When', 'What', 'Who'],
      ['July 18, 2024 at nine in the morning, in the big room downstairs next to the coffee machine', 'Opening'],
      ['July 18', 'Keynote'],
    ];
    assert.throws(
      () => rowsFromSheet('Google Sheets', 'Schedule', values, { columns: ['Date', 'Start', 'Title'] }),
      (error: unknown) => {
        assert.ok(error instanceof SourceError, String(error));
        assert.equal(error.table, 'Schedule');
        assert.equal(
          error.message,
          'Google Sheets › Schedule: no header row: none of the first 10 non-blank rows holds any of the columns the template reads ("Date", "Start", "Title"); ' +
            'its first rows are row 2: "Workshop program | draft — ask [email] before editing"; row 3: "When | What | Who"; ' +
            'row 4: "July 18, 2024 at nine in the morning, in the big room downstairs next to the co…". ' +
            'Put the column names in one row near the top of the tab, or put the names the tab uses under template in workshop.config.ts.',
        );
        return true;
      },
    );
    assert.throws(
      () => rowsFromSheet('G', 'Schedule', undefined, { columns: ['Date'] }),
      /no header row: .*; the tab is empty\. Put the column names/,
    );
  });
});
