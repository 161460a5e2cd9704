/** The GitHub Actions job summary: a markdown table of every problem, safe against what cells hold. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cell, renderJobSummary } from '../../sync/job-summary.ts';

const problem = (over: Record<string, unknown> = {}) => ({
  severity: 'warning',
  source: 'Airtable',
  table: 'Papers',
  where: 'recPaper0000000001',
  field: 'Title',
  message: 'is empty.',
  url: 'https://airtable.com/appA/tblB/recPaper0000000001',
  text: 'Airtable › Papers › recPaper0000000001 › "Title": is empty.',
  ...over,
});

describe('the job summary', () => {
  test('one row per problem, linked to its record', () => {
    const errors = [problem({ severity: 'error', where: 'recPaper0000000002', text: 'e' })];
    const warnings = Array.from({ length: 40 }, (_, i) => problem({ where: `rec${i}`, text: `w${i}` }));
    const md = renderJobSummary({
      ok: false,
      edition: '2024_2',
      summary: 'no changes',
      error: '1 row needs fixing.',
      problems: [...errors, ...warnings],
    });
    const rows = md.split('\n').filter((l) => l.startsWith('| ✗') || l.startsWith('| ⚠'));
    assert.equal(rows.length, 41, md);
    assert.ok(md.startsWith('### Sync failed\n\n2024_2: no changes\n\n1 row needs fixing.\n'), md);
    assert.equal(
      rows[0],
      '| ✗ error | [Airtable › Papers › recPaper0000000002 › "Title"](https://airtable.com/appA/tblB/recPaper0000000001) | is empty. |',
    );
  });

  test('a | or a line break in a message stays in its cell', () => {
    const md = renderJobSummary({ ok: true, problems: [problem({ message: 'Speaker "A | B"\nthen\r\nmore.', url: undefined })] });
    const row = md.split('\n').find((l) => l.startsWith('| ⚠'))!;
    assert.equal(row, '| ⚠ warning | Airtable › Papers › recPaper0000000001 › "Title" | Speaker "A \\| B" then more. |');
    assert.equal(row.split(/(?<!\\)\|/).length, 5, 'three cells');
  });

  test('links only http(s); a cell can add neither links nor HTML', () => {
    const md = renderJobSummary({
      ok: true,
      problems: [
        problem({ url: 'javascript:alert(1)' }),
        problem({ where: 'rec2', url: 'https://example.org/a b' }),
        problem({ where: 'rec3', message: '[click](https://evil.example) <img src=x onerror=alert(1)> ![i](x)' }),
      ],
    });
    assert.ok(!md.includes('javascript:'), md);
    assert.ok(!md.includes('(https://example.org/a b)'), md);
    assert.ok(md.includes('\\[click\\](https://evil.example) &lt;img src=x onerror=alert(1)&gt; !\\[i\\](x)'), md);
  });

  test('errors and warnings that are not among the problems still get a row; no report says so', () => {
    const md = renderJobSummary({ ok: true, warnings: ['Finished the write an interrupted sync left halfway.'], problems: [] });
    assert.match(md, /^\| ⚠ warning \| {2}\| Finished the write an interrupted sync left halfway\. \|$/m);
    assert.match(renderJobSummary(undefined), /^### Sync failed\n\n\?: no report\n$/);
  });

  test('cell escapes backslashes before they can escape the pipe', () => {
    assert.equal(cell('a\\|b'), 'a\\\\\\|b');
  });
});
