/** sync/problems.ts, template.ts, sources/rows.ts: problem lines, renameable template, API payloads → rows with provenance. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem, problemAt } from '../../sync/problems.ts';
import { customizeTemplate, DEFAULT_TEMPLATE } from '../../sync/template.ts';
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
    assert.equal(DEFAULT_TEMPLATE.schedule.dayFirst, false);
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
    assert.deepEqual(rowsFromSheet('G', 'S', [['Date'], ['x']], 3)[0]?.where, { row: 4 });
  });
});
