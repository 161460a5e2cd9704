/**
 * The progress display: on a terminal, what the person sees after the escapes are applied is one current line per
 * table and one for photos; in a log, one plain line per change and no escapes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncEvent } from '../../sync/report.ts';
import { createProgress } from '../../sync/progress.ts';

/** Collects writes; `screen()` applies the two escapes the display uses (cursor up, erase line) to show the result. */
function fakeTerminal() {
  let written = '';
  const stream = { write: (chunk: string) => ((written += chunk), true), isTTY: true } as unknown as NodeJS.WriteStream;
  const screen = (): string[] => {
    const lines: string[] = [];
    let row = 0;
    for (const part of written.split(/(\x1b\[\d*[AK]|\n)/)) {
      const up = /^\x1b\[(\d+)A$/.exec(part);
      if (up) row -= Number(up[1]);
      else if (part === '\x1b[2K') lines[row] = '';
      else if (part === '\n') row += 1;
      else if (part) lines[row] = (lines[row] ?? '') + part;
    }
    return lines;
  };
  return { stream, screen, written: () => written };
}

const page = (table: string, pages: number, records: number, waitedMs = 0, retries = 0): SyncEvent => ({
  type: 'table',
  source: 'Airtable',
  table,
  pages,
  records,
  waitedMs,
  retries,
});

test('a terminal shows the latest state of each table, redrawn in place', () => {
  const term = fakeTerminal();
  const progress = createProgress(term.stream);
  progress.onEvent(page('Papers', 1, 100));
  progress.onEvent(page('Speakers', 1, 12));
  progress.onEvent(page('Papers', 2, 200, 1500, 1));
  progress.onEvent(page('Papers', 3, 250, 2500, 2));
  progress.onEvent({ type: 'photos', done: 3, total: 5 });
  progress.onEvent({ type: 'step', step: 'diff' });
  assert.deepEqual(term.screen(), [
    'Airtable › Papers: 250 records, 3 pages, 2.5 s waiting on the rate limit, 2 retries',
    'Airtable › Speakers: 12 records, 1 page',
    'Photos: 3 of 5 mirrored',
  ]);
  assert.match(term.written(), /\x1b\[2A/, 'moved up over the two lines drawn before');
});

test('a log gets one plain line per change, without escapes', () => {
  const log = fakeTerminal();
  const progress = createProgress(log.stream, false);
  progress.onEvent(page('Papers', 1, 100));
  progress.onEvent(page('Papers', 1, 100));
  progress.onEvent(page('Papers', 2, 180));
  assert.equal(log.written(), 'Airtable › Papers: 100 records, 1 page\nAirtable › Papers: 180 records, 2 pages\n');
});
