/** Clickable problems: OSC 8 hyperlinks only on a terminal with colour, only for http(s) links. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hyperlink, problemLinker, supportsHyperlinks } from '../../sync/hyperlinks.ts';
import type { ReportedProblem } from '../../sync/report.ts';

const url = 'https://airtable.com/appA/tblB/recC';
const line = 'Airtable › Organizers › recC › "Homepage": is not a web address.';
const problems: ReportedProblem[] = [
  {
    severity: 'warning',
    source: 'Airtable',
    table: 'Organizers',
    where: 'recC',
    field: 'Homepage',
    message: 'is not a web address.',
    url,
    kind: 'row',
    text: line,
  },
];

describe('hyperlinks', () => {
  test('only on a TTY, and not with NO_COLOR or a dumb terminal', () => {
    assert.equal(supportsHyperlinks({ isTTY: true }, { TERM: 'xterm-256color' }), true);
    assert.equal(supportsHyperlinks({ isTTY: false }, { TERM: 'xterm-256color' }), false);
    assert.equal(supportsHyperlinks({}, {}), false);
    assert.equal(supportsHyperlinks({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(supportsHyperlinks({ isTTY: true }, { TERM: 'dumb' }), false);
  });

  test('a problem’s line becomes an OSC 8 link; other lines and disabled output stay plain', () => {
    assert.equal(problemLinker(problems, true)(line), `\u001B]8;;${url}\u001B\\${line}\u001B]8;;\u001B\\`);
    assert.equal(problemLinker(problems, true)(line), hyperlink(line, url));
    assert.equal(problemLinker(problems, true)('another line'), 'another line');
    assert.equal(problemLinker(problems, false)(line), line);
  });

  test('a link that is not http(s), or holds a control character, is not made', () => {
    for (const bad of ['file:///etc/passwd', `https://x/\u0007y`, 'https://x/ y'])
      assert.equal(problemLinker([{ ...problems[0]!, url: bad }], true)(line), line, bad);
  });
});
