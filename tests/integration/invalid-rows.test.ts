/**
 * One bad row costs that row, not the site: `npm run sync` (node sync/cli.ts, its own process) against the demo
 * emulators, with the default configuration. A row whose required value breaks after a first sync is left out with a
 * warning naming it, and its last published version stays in content/ (a person's photo too) until the row is fixed;
 * a row that cannot be matched to what was published is removed, said so. With `onInvalidRow: 'fail'` the same rows
 * stop the sync and nothing is written.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoEmulators, DEMO_SPREADSHEET_ID, type DemoEmulators } from '../../dev/demo/emulators.ts';
import type { SyncReport } from '../../sync/report.ts';
import { contentCopy, EDITION, readJson, ROOT, snapshot, runProcess } from './helpers.ts';

let demo: DemoEmulators;
const dir = contentCopy({ empty: true });
const state = mkdtempSync(path.join(tmpdir(), 'invalid-rows-state-'));
const base = () => demo.env['AIRTABLE_BASE_ID']!;
const edition = (file: string) => path.join(dir, EDITION, file);

/** A config file with the defaults, but its own lock (other tests may sync at the same time); `extra` is added. */
function configFile(name: string, extra = ''): string {
  const file = path.join(state, name);
  writeFileSync(file, `export default { ${extra} service: { stateDir: ${JSON.stringify(state)} } };\n`);
  return file;
}

/** `npm run sync -- --json --config <file>`: exit code, the report on stdout, stderr. */
async function sync(config: string): Promise<{ code: number | null; report: SyncReport & { error?: string }; stderr: string }> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [path.join(ROOT, 'sync/cli.ts'), '--json', '--config', config], {
    ...demo.env,
    CONTENT_DIR: dir,
  });
  return { code, report: JSON.parse(stdout) as SyncReport, stderr };
}

type Person = { id: string; name: string; photo?: string };
type Paper = { id: string; title: string };
type Slot = { id: string; end: string; speakers: string[] };

before(async () => {
  demo = await startDemoEmulators();
});
after(async () => {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

describe('by default, a row that breaks after it was published', () => {
  const defaults = () => configFile('defaults.config.ts');
  const record = (table: string, name: string, column = 'Name') =>
    demo.airtable.records(base(), table).find((r) => r.fields[column] === name)!;
  let papers: { id: string; title: string }[] = [];

  test('a first sync publishes the demo', async () => {
    const { code, stderr } = await sync(defaults());
    assert.equal(code, 0, stderr);
    papers = demo.airtable
      .records(base(), 'Papers')
      .flatMap((r) => (r.fields['Status'] === 'Accepted' ? [{ id: r.id, title: String(r.fields['Title']) }] : []));
    assert.equal(papers.length, 2);
  });

  test('is left out with a warning naming it, and its last published version stays until it is fixed', async () => {
    const alex = record('Organizers', 'Alex Example');
    const sam = record('Organizers', 'Sam Sample');
    const before = {
      people: readJson<Person[]>(edition('people.json')),
      papers: readJson<Paper[]>(edition('papers.json')),
      schedule: readJson<Slot[]>(edition('schedule.json')),
    };
    const alexBefore = before.people.find((p) => p.id === 'alex-example')!;
    assert.ok(alexBefore.photo && existsSync(edition(alexBefore.photo)));
    // Every accepted paper loses its title: were they removed, the mass-removal guard would stop the sync.
    for (const paper of papers) demo.airtable.updateRecord(base(), 'Papers', paper.id, { Title: '' });
    // A name pasted with a line break (its id is still alex-example), and a name deleted (nothing to match).
    demo.airtable.updateRecord(base(), 'Organizers', alex.id, { Name: 'Alex\nExample' });
    demo.airtable.updateRecord(base(), 'Organizers', sam.id, { Name: '' });
    // A slot whose end is before its start (sheet row 3: the keynote, 9:10 AM).
    demo.sheets.store.setCell(DEMO_SPREADSHEET_ID, 'Schedule', 'C3', '9:00 AM');

    const { code, report, stderr } = await sync(defaults());
    assert.equal(code, 0, stderr);
    assert.deepEqual(report.errors, []);
    const kept = (where: string) => report.warnings.filter((w) => w.startsWith(where) && w.includes('kept its last published version'));
    for (const paper of papers) {
      assert.equal(kept(`Airtable › Papers › ${paper.id} › "Title": is empty`).length, 1, report.warnings.join('\n'));
    }
    assert.deepEqual(kept(`Airtable › Organizers › ${alex.id} › "Name"`), [
      `Airtable › Organizers › ${alex.id} › "Name": must be a single line. Until the row is fixed, it is left out, and "Alex Example" kept its last published version.`,
    ]);
    assert.equal(kept('Google Sheets › Schedule › row 3 › "End"').length, 1, report.warnings.join('\n'));
    assert.ok(
      report.warnings.includes(
        `Airtable › Organizers › ${sam.id} › "Name": is empty; every person needs a name. Until the row is fixed, it is left out; without a name with letters or digits, no published entry can be matched to it, so an earlier version of it is not kept.`,
      ),
      report.warnings.join('\n'),
    );

    assert.deepEqual(readJson<Paper[]>(edition('papers.json')), before.papers, 'both papers as they were');
    assert.deepEqual(readJson<Slot[]>(edition('schedule.json')), before.schedule, 'the slot as it was');
    const people = readJson<Person[]>(edition('people.json'));
    assert.deepEqual(
      people.find((p) => p.id === 'alex-example'),
      alexBefore,
      'Alex as published, photo included',
    );
    assert.ok(existsSync(edition(alexBefore.photo)), 'and the photo file is still there');
    assert.deepEqual(report.collections.people.removed, ['sam-sample'], 'only the row that matched nothing is removed');
    assert.deepEqual([report.collections.papers.removed, report.collections.schedule.removed], [[], []]);
  });

  test('once fixed, the rows are published again as they now are', async () => {
    papers.forEach((paper, i) => demo.airtable.updateRecord(base(), 'Papers', paper.id, { Title: `Fixed title ${i}` }));
    demo.airtable.updateRecord(base(), 'Organizers', record('Organizers', 'Alex\nExample').id, { Name: 'Alex Example', Order: 7 });
    demo.airtable.updateRecord(base(), 'Organizers', record('Organizers', '').id, { Name: 'Sam Sample' });
    demo.sheets.store.setCell(DEMO_SPREADSHEET_ID, 'Schedule', 'C3', '10:00 AM');
    const { code, report, stderr } = await sync(defaults());
    assert.equal(code, 0, stderr);
    assert.ok(!report.warnings.some((w) => w.includes('kept its last published version')), report.warnings.join('\n'));
    assert.deepEqual(
      readJson<Paper[]>(edition('papers.json'))
        .map((p) => p.title)
        .sort(),
      ['Fixed title 0', 'Fixed title 1'],
    );
    const people = readJson<(Person & { order?: number })[]>(edition('people.json'));
    assert.equal(people.find((p) => p.id === 'alex-example')?.order, 7);
    assert.deepEqual(report.collections.people.added, ['sam-sample']);
  });
});

describe("with onInvalidRow: 'fail'", () => {
  test('the same kind of row stops the sync, says which, and nothing is written', async () => {
    const paper = demo.airtable.records(base(), 'Papers').find((r) => r.fields['Status'] === 'Accepted')!;
    demo.airtable.updateRecord(base(), 'Papers', paper.id, { Title: '' });
    const before = snapshot(dir);
    const { code, report, stderr } = await sync(configFile('strict.config.ts', "onInvalidRow: 'fail',"));
    assert.equal(code, 1);
    assert.match(stderr, /^Sync failed: 1 row needs fixing; nothing was written and the site keeps its current content\./m);
    assert.deepEqual(report.errors, [`Airtable › Papers › ${paper.id} › "Title": is empty; every accepted paper needs a title.`]);
    assert.deepEqual(snapshot(dir), before);
  });
});
