/**
 * Every problem links to its record or cell: `npm run sync -- --json` (its own process) against the demo emulators.
 * An Airtable problem's link has the table's id from the base's schema; a Google Sheets problem's has the tab's gid
 * (from spreadsheets.get) and the A1 cell of its column's header. Without schema access, an Airtable problem has no
 * link. A human report printed to a pipe carries no terminal escapes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startDemoEmulators, DEMO_SPREADSHEET_ID, type DemoEmulators } from '../../dev/demo/emulators.ts';
import type { ReportedProblem, SyncReport } from '../../sync/report.ts';
import { contentCopy, ROOT, runProcess, type Finished } from './helpers.ts';

const dir = contentCopy({ empty: true });
const state = mkdtempSync(path.join(tmpdir(), 'problem-links-state-'));
const TAB = 'Program';
const GID = 1_234_567;
const demoBase = JSON.parse(readFileSync(path.join(ROOT, 'dev/demo/airtable-base.json'), 'utf8')) as {
  tables: { name: string; id: string }[];
};
const ORGANIZERS_ID = demoBase.tables.find((t) => t.name === 'Organizers')!.id;

/** The demo with a broken organizer (a name on two lines) and, in a tab of its own, a slot that ends before it starts. */
async function brokenDemo(options: Parameters<typeof startDemoEmulators>[0] = {}): Promise<{ demo: DemoEmulators; organizer: string }> {
  const demo = await startDemoEmulators(options);
  const base = demo.env['AIRTABLE_BASE_ID']!;
  const alex = demo.airtable.records(base, 'Organizers').find((r) => r.fields['Name'] === 'Alex Example')!;
  demo.airtable.updateRecord(base, 'Organizers', alex.id, { Name: 'Alex\nExample' });
  const rows = demo.sheets.store.spreadsheet(DEMO_SPREADSHEET_ID)!.sheets[0]!.rows.map((row) => [...row]);
  rows[2]![2] = '9:00 AM'; // row 3, column C (End): before its start, 9:10 AM
  demo.sheets.store.addSheet(DEMO_SPREADSHEET_ID, { title: TAB, sheetId: GID, rows });
  return { demo, organizer: alex.id };
}

const config = path.join(state, 'links.config.ts');
writeFileSync(config, `export default { template: { schedule: { table: '${TAB}' } }, service: { stateDir: ${JSON.stringify(state)} } };\n`);

/** `npm run sync -- --dry-run [--json]` against `demo`: exit code, stdout, stderr. */
function sync(demo: DemoEmulators, json: boolean): Promise<Finished> {
  const args = [path.join(ROOT, 'sync/cli.ts'), '--dry-run', ...(json ? ['--json'] : []), '--config', config];
  return runProcess(process.execPath, args, { ...demo.env, CONTENT_DIR: dir, TERM: 'xterm-256color' }, ['NO_COLOR']);
}

const find = (problems: readonly ReportedProblem[], source: string, where: string, field: string) =>
  problems.find((p) => p.source === source && p.where === where && p.field === field);

after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

describe('with schema access', () => {
  let demo: DemoEmulators;
  after(() => demo?.close());

  test('--json lists each problem with the link to its Airtable record or its Google Sheets cell', async () => {
    const broken = await brokenDemo();
    demo = broken.demo;
    const { code, stdout, stderr } = await sync(demo, true);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as SyncReport;
    const organizer = find(report.problems, 'Airtable', broken.organizer, 'Name');
    assert.ok(organizer, JSON.stringify(report.problems, null, 2));
    assert.equal(organizer.url, `https://airtable.com/${demo.env['AIRTABLE_BASE_ID']}/${ORGANIZERS_ID}/${broken.organizer}`);
    assert.ok(report.warnings.includes(organizer.text), 'its text is the line in warnings');
    const slot = find(report.problems, 'Google Sheets', 'row 3', 'End');
    assert.ok(slot, JSON.stringify(report.problems, null, 2));
    assert.equal(slot.url, `https://docs.google.com/spreadsheets/d/${DEMO_SPREADSHEET_ID}/edit#gid=${GID}&range=C3`);
    assert.equal(slot.table, TAB);
  });

  test('the human report on a pipe (a log) has no terminal escapes', async () => {
    const { code, stdout, stderr } = await sync(demo, false);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Google Sheets › Program › row 3 › "End"/);
    assert.ok(!stdout.includes('\u001B'), JSON.stringify(stdout));
  });
});

describe('without schema access', () => {
  let demo: DemoEmulators;
  after(() => demo?.close());

  test('an Airtable problem has no link (its table id is unknown); a Sheets problem still has its cell', async () => {
    const broken = await brokenDemo({ airtable: { schemaAccess: false } });
    demo = broken.demo;
    const { code, stdout, stderr } = await sync(demo, true);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as SyncReport;
    const organizer = find(report.problems, 'Airtable', broken.organizer, 'Name');
    assert.ok(organizer, JSON.stringify(report.problems, null, 2));
    assert.equal(organizer.url, undefined);
    assert.match(find(report.problems, 'Google Sheets', 'row 3', 'End')?.url ?? '', /#gid=1234567&range=C3$/);
  });
});
