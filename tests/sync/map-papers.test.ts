/** sync/map/map-papers.ts: only accepted papers are published, with parsed authors and safe links. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAccepted, mapPaperRows as mapPapers } from '../../sync/map/map-papers.ts';
import { airtableRow, lines } from './fixtures.ts';

const paper = (recordId: string, fields: Record<string, unknown>) => airtableRow('Papers', recordId, fields);

describe('mapPapers', () => {
  it('maps an accepted paper with every mapped column', () => {
    const { entries, problems } = mapPapers([
      paper('recP1', {
        'Paper ID': 12,
        Title: ' A Paper ',
        Authors: 'Ada Lovelace, Alan Turing, and Grace Hopper',
        Abstract: 'We *show*.',
        PDF: 'https://example.org/12.pdf',
        arXiv: 'https://arxiv.org/abs/2406.01702',
        Code: 'https://github.com/example/code',
        Status: ' accepted ',
        Award: 'Best Paper',
        Presentation: 'Oral',
      }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      entries.map((e) => e.data),
      [
        {
          id: '12',
          title: 'A Paper',
          authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
          abstract: 'We *show*.',
          links: { pdf: 'https://example.org/12.pdf', arxiv: 'https://arxiv.org/abs/2406.01702', code: 'https://github.com/example/code' },
          award: 'Best Paper',
          presentation: 'oral',
        },
      ],
    );
    assert.deepEqual(entries[0]?.origin.where, { recordId: 'recP1' });
  });

  it('drops every paper that is not accepted, silently, even when it is invalid', () => {
    const { entries, problems } = mapPapers([
      paper('recR', { 'Paper ID': 1, Title: 'Rejected', Authors: 'A', Status: 'Rejected' }),
      paper('recU', { 'Paper ID': 2, Title: 'Under review', Authors: 'B', Status: 'Under review' }),
      paper('recN', { 'Paper ID': 3, Title: 'No status', Authors: 'C' }),
      paper('recX', { Title: '', Authors: '', PDF: 'javascript:x', Status: 'Accepted with revisions' }),
      paper('recA', { 'Paper ID': 4, Title: 'Accepted', Authors: ['D', 'E'], Status: ['Accepted'] }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      entries.map((e) => [e.data.id, e.data.authors]),
      [['4', ['D', 'E']]],
    );
    assert.equal(isAccepted('ACCEPTED'), true);
    assert.equal(isAccepted('Accept'), false);
    assert.equal(isAccepted('Accept', 'accept'), true);
  });

  it('never passes unmapped columns such as Email, Score or Reviewer notes', () => {
    const { entries } = mapPapers([
      paper('recA', {
        'Paper ID': 4,
        Title: 'T',
        Authors: 'A',
        Status: 'Accepted',
        Email: 'author@secret.example',
        Score: 4.5,
        'Reviewer notes': 'weak reject',
      }),
    ]);
    const out = JSON.stringify(entries);
    for (const secret of ['author@secret.example', '4.5', 'weak reject', 'Email', 'Reviewer', 'Score'])
      assert.ok(!out.includes(secret), secret);
  });

  it('reports bad accepted rows with record id, column and what to fix', () => {
    const { entries, problems } = mapPapers([
      paper('rec123', { 'Paper ID': 5, Title: 'T', Status: 'Accepted' }),
      paper('rec124', { Title: 'T', Authors: 'A, , B', Status: 'Accepted' }),
      paper('rec125', { 'Paper ID': 'P 7', Title: 'T', Authors: 'A', Status: 'Accepted', arXiv: 'arxiv.org/abs/1', Presentation: 'Talk' }),
    ]);
    assert.deepEqual(entries, []);
    assert.deepEqual(lines(problems), [
      'Airtable › Papers › rec123 › "Authors": is empty; list the authors as "A, B and C".',
      'Airtable › Papers › rec124 › "Paper ID": is empty; every accepted paper needs its ID from the submission system.',
      'Airtable › Papers › rec124 › "Authors": "A, , B" has an empty name; list the authors as "A, B and C".',
      'Airtable › Papers › rec125 › "Paper ID": "P 7" cannot be an ID; use the submission system\'s number (e.g. "12"): letters, digits, "-", "_" or ".".',
      'Airtable › Papers › rec125 › "arXiv": "arxiv.org/abs/1" has no http:// or https://; write it as "https://arxiv.org/abs/1". Until it is fixed, the row is published without it.',
      'Airtable › Papers › rec125 › "Presentation": "Talk" is not a kind of presentation; write Oral, Poster or Lightning. Until it is fixed, the row is published without it.',
    ]);
    assert.deepEqual(
      problems.map((p) => p.severity),
      ['error', 'error', 'error', 'error', 'warning', 'warning'],
      'a required value missing or wrong is an error; a bad optional value costs only itself',
    );
  });

  it('a value the model refuses in an optional field (a control character in the abstract) costs that field only', () => {
    const { entries, problems } = mapPapers([
      paper('rec127', { 'Paper ID': 9, Title: 'T', Authors: 'A', Status: 'Accepted', Abstract: 'bell \u0007 here' }),
    ]);
    assert.deepEqual(
      entries.map((e) => e.data),
      [{ id: '9', title: 'T', authors: ['A'], links: {} }],
    );
    assert.deepEqual(
      problems.map((p) => [p.severity, p.field]),
      [['warning', 'Abstract']],
    );
    assert.match(problems[0]!.message, /Until it is fixed, the row is published without it\.$/);
  });

  it('one bad cell costs that cell: a paper whose only faults are optional values is published without them', () => {
    const { entries, problems } = mapPapers([
      paper('rec126', {
        'Paper ID': 8,
        Title: 'T',
        Authors: 'A',
        Status: 'Accepted',
        arXiv: 'javascript:alert(1)',
        Code: 'https://example.org/c',
        Presentation: 'Talk',
      }),
    ]);
    assert.deepEqual(
      entries.map((e) => e.data),
      [{ id: '8', title: 'T', authors: ['A'], links: { code: 'https://example.org/c' } }],
    );
    assert.deepEqual(
      problems.map((p) => [p.severity, p.field]),
      [
        ['warning', 'arXiv'],
        ['warning', 'Presentation'],
      ],
    );
  });
});

describe('mapPapers: files attached in link columns', () => {
  const attachment = (id: string, filename: string, type = 'application/pdf') => ({
    id,
    url: `http://127.0.0.1:9/v3/u/29/29/1721300000000/${id}`,
    filename,
    size: 48213,
    type,
  });

  it('keeps an attached PDF as a file reference beside the paper (for the mirror step), not as a link', () => {
    const { entries, problems } = mapPapers([
      paper('recF1', {
        'Paper ID': 12,
        Title: 'A Paper',
        Authors: 'Ada Lovelace',
        PDF: [attachment('attPdf0000000001', '12.pdf')],
        arXiv: 'https://arxiv.org/abs/2406.01702',
        Code: [attachment('attZip0000000001', 'code.zip', 'application/zip')],
        Status: 'Accepted',
      }),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(entries[0]?.data.links, { arxiv: 'https://arxiv.org/abs/2406.01702' });
    assert.equal(entries[0]?.data.files, undefined, 'the model gets the file once it is mirrored');
    assert.deepEqual(
      entries[0]?.files?.map((f) => [
        f.kind,
        f.column,
        f.attachment.attachmentId,
        f.attachment.filename,
        f.attachment.type,
        f.attachment.size,
      ]),
      [
        ['pdf', 'PDF', 'attPdf0000000001', '12.pdf', 'application/pdf', 48213],
        ['code', 'Code', 'attZip0000000001', 'code.zip', 'application/zip', 48213],
      ],
    );
  });

  it('takes the first of several files, with a warning naming the others; a paper without files has none', () => {
    const { entries, problems } = mapPapers([
      paper('recF2', {
        'Paper ID': 13,
        Title: 'Two PDFs',
        Authors: 'Alan Turing',
        PDF: [attachment('attPdf0000000002', 'main.pdf'), attachment('attPdf0000000003', 'appendix.pdf')],
        Status: 'Accepted',
      }),
      paper('recF3', { 'Paper ID': 14, Title: 'A link', Authors: 'Grace Hopper', PDF: 'https://example.org/14.pdf', Status: 'Accepted' }),
    ]);
    assert.deepEqual(lines(problems), [
      'Airtable › Papers › recF2 › "PDF": holds 2 files; only the first, "main.pdf", is published and "appendix.pdf" left out. Keep one file in this cell.',
    ]);
    assert.deepEqual(
      entries.map((e) => [e.data.id, e.files?.map((f) => f.attachment.filename), e.data.links]),
      [
        ['13', ['main.pdf'], {}],
        ['14', undefined, { pdf: 'https://example.org/14.pdf' }],
      ],
    );
  });
});
