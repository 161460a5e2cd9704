/**
 * The report as text: on a terminal that supports hyperlinks a table's line links to the table in Airtable or the tab
 * in the sheet; elsewhere (a log, a pipe) there is no escape in it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport } from '../../sync/doctor/format.ts';
import { emptyCheck } from '../../sync/doctor/grid.ts';
import type { DoctorReport } from '../../sync/doctor/types.ts';

const URL = 'https://airtable.com/appAAAAAAAAAAAAAA/tblBBBBBBBBBBBBBB';

function report(): DoctorReport {
  const papers = { ...emptyCheck('papers', 'airtable', 'Papers'), reachable: true, ok: true, tableId: 'tblBBBBBBBBBBBBBB', url: URL };
  papers.records = { count: 1, more: false };
  return { ok: true, sources: [], tables: [papers], mapping: {} };
}

test('a table line is a hyperlink to the table only when hyperlinks are on', () => {
  const linked = formatReport(report(), { hyperlinks: true });
  assert.ok(
    linked.includes(
      `✓ \u001B]8;;${URL}\u001B\\Papers — Airtable table "Papers" (tblBBBBBBBBBBBBBB), 1 record on the first page\u001B]8;;\u001B\\`,
    ),
  );
  const plain = formatReport(report());
  assert.ok(!plain.includes('\u001B'), 'no escape without hyperlinks');
  assert.match(plain, /^✓ Papers — Airtable table "Papers" \(tblBBBBBBBBBBBBBB\), 1 record on the first page$/m);
  assert.match(plain, /✓ A sync would succeed\./);
});

test("a sheet's names cannot send a terminal escape or a bidirectional override", () => {
  const hostile = report();
  const papers = hostile.tables[0]!;
  papers.name = 'Papers\u001B]8;;https://evil.example\u0007';
  papers.private = ['Notes\u202Egnp.exe', 'Tab\tbed'];
  const text = formatReport(hostile, { hyperlinks: true });
  assert.ok(!/\u001B\]8;;https:\/\/evil|\u0007|\u202E/.test(text), text);
  assert.match(text, /Airtable table "Papers�\]8;;https:\/\/evil\.example�"/);
  assert.match(text, /private \(never read into content\): "Notes�gnp\.exe", "Tab\tbed"/);
});
