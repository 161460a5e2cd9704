/**
 * content/<edition>/synced-from.json records which base and sheet the edition was synced from. A sync from other
 * sources is that edition's first sync from them: it says so, and the removal guard leaves the collections those
 * tables fill alone; the guard still protects an edition from its own sources being emptied.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { demoSheet } from '../../dev/demo/load.ts';
import { resolveConfig } from '../../sync/config.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import { currentSources } from '../../sync/steps/sources-record.ts';
import { configFor, contentCopy, EDITION, FAST, ROOT, snapshot } from './helpers.ts';

const OLD_BASE = 'appOldWorkshop00001';
let demo: DemoEmulators;
let dir = '';
const dirs: string[] = [];
const record = () => path.join(dir, EDITION, 'synced-from.json');
const base = () => demo.env['AIRTABLE_BASE_ID']!;
const committedRecord = readFileSync(path.join(ROOT, 'content', EDITION, 'synced-from.json'), 'utf8');

/** The edition's record says its Airtable tables came from another base; the schedule from the demo's sheet. */
function recordOtherBase(): void {
  const recorded = JSON.parse(committedRecord) as Record<string, string>;
  for (const key of ['organizers', 'speakers', 'programCommittee', 'papers']) recorded[key] = `airtable:${OLD_BASE}`;
  writeFileSync(record(), JSON.stringify(recorded));
}

/** Nine of the ten people go: every organizer and speaker, and two of the three in the program committee. */
function removePeople(): void {
  for (const r of demo.airtable.records(base(), 'Program Committee').slice(0, 2))
    demo.airtable.deleteRecord(base(), 'Program Committee', r.id);
  for (const table of ['Organizers', 'Speakers'])
    for (const r of demo.airtable.records(base(), table)) demo.airtable.deleteRecord(base(), table, r.id);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected the sync to stop'),
    (error: unknown) => error as Error,
  );
}

beforeEach(async () => {
  demo = await startDemoEmulators();
  dir = contentCopy();
  dirs.push(dir);
});
afterEach(() => demo.close());
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the record of the sources', () => {
  test('the committed demo content is recorded as synced from the demo base and sheet: a demo sync writes nothing', async () => {
    assert.deepEqual(JSON.parse(committedRecord), currentSources(configFor(demo.env, dir)));
    const before = snapshot(dir);
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.deepEqual([report.changed, report.files, report.firstSync], [false, [], undefined]);
    assert.deepEqual(snapshot(dir), before);
  });

  test('a sync from another base is a first sync: no --force needed, one line says so, the record is updated', async () => {
    recordOtherBase();
    removePeople();
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(report.ok, true);
    assert.equal(report.collections.people.removed.length, 9);
    assert.equal(
      report.firstSync,
      `first sync of 2024_2 from Airtable base ${base()} (was Airtable base ${OLD_BASE}): the entries from the old sources are replaced, without the removal guard, for people, papers.`,
    );
    assert.ok(report.files.some((f) => f.endsWith('2024_2/synced-from.json')));
    assert.equal(readFileSync(record(), 'utf8'), committedRecord, 'the new sources are recorded');
    // From now on the new base is the edition's own: emptying it is guarded again.
    for (const r of demo.airtable.records(base(), 'Program Committee')) demo.airtable.deleteRecord(base(), 'Program Committee', r.id);
    const again = await failure(runSync(configFor(demo.env, dir), { policy: FAST }));
    assert.match(again.message, /would remove more than 50% of people \(1 of 1\)/);
    assert.equal((again as SyncFailed).report.firstSync, undefined);
  });

  test('the guard still protects the collections whose source did not change', async () => {
    recordOtherBase();
    removePeople();
    demo.sheets.store.setRows(demo.env['GOOGLE_SHEETS_ID']!, 'Schedule', demoSheet().values.slice(0, 5));
    const before = snapshot(dir);
    const error = await failure(runSync(configFor(demo.env, dir), { policy: FAST }));
    assert.ok(error instanceof SyncFailed);
    assert.match(error.message, /^this sync would remove more than 50% of schedule \(14 of 18\)\. /);
    assert.deepEqual(snapshot(dir), before, 'nothing written, not even the record');
  });

  test('an edition without a record counts as synced from the current sources: guarded, then recorded', async () => {
    rmSync(record());
    removePeople();
    const error = await failure(runSync(configFor(demo.env, dir), { policy: FAST }));
    assert.match(error.message, /would remove more than 50% of people \(9 of 10\).*--force/);
    assert.equal(existsSync(record()), false);
    await demo.close();
    demo = await startDemoEmulators();
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.deepEqual([report.summary, report.firstSync], ['no changes', undefined]);
    assert.deepEqual(report.files, [path.relative(ROOT, record()).split(path.sep).join('/')]);
    assert.equal(readFileSync(record(), 'utf8'), committedRecord);
  });

  test('npm run sync prints the first-sync line', async () => {
    recordOtherBase();
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AIRTABLE|GOOGLE)_/.test(k) && k !== 'NODE_TEST_CONTEXT'),
    );
    const child = spawn(process.execPath, [path.join(ROOT, 'sync/cli.ts')], {
      cwd: ROOT,
      env: { ...clean, ...demo.env, CONTENT_DIR: dir, NO_PROXY: '127.0.0.1,localhost' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^  first sync of 2024_2 from Airtable base ${base()} \\(was Airtable base ${OLD_BASE}\\): `, 'm'));
  });

  test('a published CSV is recorded by its address and tab, without its query (where a token could be)', () => {
    const config = resolveConfig({}, ROOT, {
      GOOGLE_SHEETS_CSV_URL: 'http://user:pw@127.0.0.1:9/spreadsheets/d/e/2PACX-1vQ/pub?gid=7&single=true&output=csv&key=secret',
      AIRTABLE_BASE_ID: 'appNewWorkshop00001',
    });
    assert.deepEqual(currentSources(config), {
      speakers: 'airtable:appNewWorkshop00001',
      organizers: 'airtable:appNewWorkshop00001',
      programCommittee: 'airtable:appNewWorkshop00001',
      papers: 'airtable:appNewWorkshop00001',
      schedule: 'published-csv:http://127.0.0.1:9/spreadsheets/d/e/2PACX-1vQ/pub?gid=7',
    });
  });
});
