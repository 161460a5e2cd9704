/**
 * The whole sync with the real clients (airtable.js, @googleapis/sheets) against the local emulators seeded with
 * the demo spreadsheets: what reaches content/, what never does, and what happens when something is wrong.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncEvent } from '../../sync/report.ts';
import { SourceError } from '../../sync/errors.ts';
import { configFor, contentCopy, EDITION, FAST, readJson, snapshot } from './helpers.ts';

let demo: DemoEmulators;
let clockSkewMs = 0;
let dir = '';
const dirs: string[] = [];
const base = () => demo.env['AIRTABLE_BASE_ID']!;
const edition = (file: string) => path.join(dir, EDITION, file);

before(async () => {
  demo = await startDemoEmulators({ airtable: { now: () => Date.now() + clockSkewMs, rateLimit: { penaltyMs: 100 } } });
});
after(async () => {
  await demo.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  clockSkewMs = 0;
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected the sync to fail'),
    (error: unknown) => error as Error,
  );
}

describe('a first sync into an empty edition', () => {
  before(() => {
    dir = contentCopy({ empty: true });
    dirs.push(dir);
  });

  test('writes people, papers and schedule, and mirrors the photos', async () => {
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(report.ok, true);
    assert.deepEqual(
      [report.collections.people.added.length, report.collections.papers.added.length, report.collections.schedule.added.length],
      [10, 2, 18],
    );
    assert.deepEqual([report.photos.downloaded, report.photos.reused], [2, 0]);
    const people = readJson<{ id: string; photo?: string }[]>(edition('people.json'));
    const photos = people.flatMap((p) => (p.photo ? [p.photo] : []));
    assert.equal(photos.length, 2);
    for (const photo of photos) {
      assert.match(photo, /^\.\/photos\/att[A-Za-z0-9]+-\d+\.jpg$/);
      assert.equal(readFileSync(edition(photo)).subarray(0, 3).toString('hex'), 'ffd8ff', 'a JPEG');
    }
  });

  test('publishes only mapped columns and accepted papers', () => {
    const written = ['people.json', 'papers.json', 'schedule.json'].map((f) => readFileSync(edition(f), 'utf8')).join('\n');
    for (const privateText of ['Email', '@', 'Reviewer', 'Score', 'Rejected', 'Under review']) {
      assert.ok(!written.includes(privateText), `"${privateText}" leaked into content/`);
    }
    const papers = readJson<{ id: string }[]>(edition('papers.json'));
    assert.deepEqual(
      papers.map((p) => p.id),
      ['2', '3'],
    );
  });

  test('asks Airtable only for accepted papers, so the others never leave it', () => {
    const listings = demo.airtable.stats.log
      .filter((l) => l.path.startsWith(`/v0/${base()}/Papers?`))
      .map((l) => new URL(l.path, 'http://x'));
    assert.ok(listings.length > 0);
    for (const url of listings) assert.equal(url.searchParams.get('filterByFormula'), 'LOWER(TRIM({Status}))="accepted"');
  });

  test('the files are deterministic: sorted keys, ids in order, a trailing newline', () => {
    const text = readFileSync(edition('schedule.json'), 'utf8');
    assert.ok(text.endsWith('}\n]\n'));
    const items = JSON.parse(text) as Record<string, unknown>[];
    for (const item of items) assert.deepEqual(Object.keys(item), Object.keys(item).sort());
    const ids = items.map((i) => String(i['id']));
    assert.deepEqual(ids, [...ids].sort());
  });

  test("the demo's oddities are reported as warnings: a speaker who matches no one, overlapping talks, mojibake", async () => {
    const report = await runSync(configFor(demo.env, dir), { policy: FAST, dryRun: true });
    const text = report.warnings.join('\n');
    assert.match(text, /"Marc Najork" matches no one .* did you mean "Mark Najork"\?/);
    assert.match(text, /overlaps "Paper talk - LaMP/);
    assert.match(text, /2024_2\/edition\.json › "overview": looks garbled: "models?â€™"? is probably "models’"/);
    assert.equal(report.errors.length, 0);
  });

  test('syncs back to back share the rate limit of the base: the second cannot start with a burst (0 × 429)', async () => {
    demo.airtable.resetStats();
    await runSync(configFor(demo.env, dir), { policy: FAST });
    await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(demo.airtable.stats.byStatus[429] ?? 0, 0);
    // Each sync: four tables, the schema (Authors links to People) and the People table's names — twelve requests in
    // all, more than the five a second Airtable allows.
    const listed = demo.airtable.stats.log.filter((r) => r.path.startsWith('/v0/')).length;
    assert.equal(listed, 12, 'both syncs listed the four tables and the linked names');
  });

  test('a resync with nothing changed writes nothing and downloads nothing', async () => {
    const before = snapshot(dir);
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.deepEqual([report.changed, report.files, report.summary], [false, [], 'no changes']);
    assert.deepEqual([report.photos.downloaded, report.photos.reused], [0, 2]);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('changes and mistakes in the spreadsheets', () => {
  beforeEach(() => {
    dir = contentCopy();
    dirs.push(dir);
  });
  afterEach(async () => {
    await demo.close();
    demo = await startDemoEmulators({ airtable: { now: () => Date.now() + clockSkewMs, rateLimit: { penaltyMs: 100 } } });
  });

  test('one edited record changes one entry of one file', async () => {
    const [paper] = demo.airtable.records(base(), 'Papers').filter((r) => String(r.fields['Paper ID']) === '3');
    demo.airtable.updateRecord(base(), 'Papers', paper!.id, { Award: 'Best Paper' });
    const before = snapshot(dir);
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.deepEqual(report.collections.papers.changed, ['3']);
    assert.equal(report.files.length, 1);
    assert.match(report.files[0]!, /2024_2\/papers\.json$/);
    const after = snapshot(dir);
    const changed = [...after.keys()].filter((f) => after.get(f)?.bytes !== before.get(f)?.bytes);
    assert.deepEqual(changed, [path.join(EDITION, 'papers.json')]);
    assert.equal(readJson<{ id: string; award?: string }[]>(edition('papers.json')).find((p) => p.id === '3')?.award, 'Best Paper');
  });

  test('more than 100 papers come through pagination, and a blank row does not end the schedule', async () => {
    for (let i = 0; i < 150; i++) {
      demo.airtable.addRecord(base(), 'Papers', {
        'Paper ID': String(100 + i),
        Title: `Paper ${i}`,
        Authors: 'A. Author and B. Author',
        Status: 'Accepted',
      });
    }
    const tables: SyncEvent[] = [];
    const report = await runSync(configFor(demo.env, dir), { policy: FAST, onEvent: (e) => e.type === 'table' && tables.push(e) });
    assert.equal(report.collections.papers.after, 152);
    const papers = tables.filter((e) => e.type === 'table' && e.table === 'Papers').at(-1);
    assert.equal(papers?.type === 'table' ? papers.pages : 0, 2);
    // The demo sheet has a blank row after the panel; the afternoon is still there.
    assert.ok(readJson<{ title: string }[]>(edition('schedule.json')).some((s) => s.title === 'Closing remarks'));
  });

  test('megabytes of papers wait in a private temporary file while the sync runs; it is gone afterwards, written or failed', async () => {
    const abstract = (i: number) => `Paper ${i} studies ${'personalized retrieval with long abstracts, '.repeat(60)}and ends.`;
    for (let i = 0; i < 700; i++) {
      demo.airtable.addRecord(base(), 'Papers', {
        'Paper ID': String(1000 + i),
        Title: `Paper ${i}`,
        Authors: 'A. Author and B. Author',
        Abstract: abstract(i),
        Status: 'Accepted',
      });
    }
    const temps = () => readdirSync(path.join(dir, EDITION)).filter((name) => /^\.papers\.json\.\d+\.[0-9a-f]{8}\.tmp$/.test(name));
    let during: string[] = [];
    const report = await runSync(configFor(demo.env, dir), {
      policy: FAST,
      onEvent: (e) => void (e.type === 'step' && e.step === 'diff' && (during = temps())),
    });
    assert.equal(during.length, 1, 'the papers were spilled to one temporary file');
    assert.deepEqual(temps(), []);
    assert.equal(report.collections.papers.added.length, 700);
    const written = readJson<{ id: string; abstract?: string }[]>(edition('papers.json'));
    assert.equal(written.find((p) => p.id === '1699')?.abstract, abstract(699));
    assert.deepEqual(written.map((p) => p.id).slice(-3), ['1697', '1698', '1699']);

    const [speaker] = demo.airtable.records(base(), 'Speakers');
    demo.airtable.updateRecord(base(), 'Speakers', speaker!.id, { Kind: 'Chair' });
    const before = snapshot(dir);
    await failure(
      runSync(configFor(demo.env, dir, { onInvalidRow: 'fail' }), {
        policy: FAST,
        onEvent: (e) => void (e.type === 'step' && e.step === 'mirror' && (during = temps())),
      }),
    );
    assert.equal(during.length, 1);
    assert.deepEqual(snapshot(dir), before, 'nothing written, no temporary file left');
  });

  test("with onInvalidRow: 'fail', a row whose required value is wrong fails the sync with where and what to fix, and leaves content/ exactly as it was", async () => {
    const [speaker] = demo.airtable.records(base(), 'Speakers');
    demo.airtable.updateRecord(base(), 'Speakers', speaker!.id, { Kind: 'Chair' });
    const before = snapshot(dir);
    const error = await failure(runSync(configFor(demo.env, dir, { onInvalidRow: 'fail' }), { policy: FAST }));
    assert.ok(error instanceof SyncFailed);
    assert.match(error.message, /1 row needs fixing; nothing was written/);
    assert.equal(error.report.errors.length, 1);
    assert.match(error.report.errors[0]!, new RegExp(`^Airtable › Speakers › ${speaker!.id} › "Kind": "Chair" is not a kind of speaker`));
    assert.deepEqual(snapshot(dir), before);
  });

  test('one bad cell costs that cell: a javascript: homepage is left out with a warning, the person and the rest are published', async () => {
    const speaker = demo.airtable.records(base(), 'Speakers')[0]!;
    demo.airtable.updateRecord(base(), 'Speakers', speaker.id, { Homepage: 'javascript:alert(1)' });
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.warnings.filter((w) => w.includes('javascript:')),
      [
        `Airtable › Speakers › ${speaker.id} › "Homepage": "javascript:alert(1)" is a javascript: link; only http:// and https:// links are published (e.g. "https://example.org"). Until it is fixed, the row is published without it.`,
      ],
    );
    const person = readJson<{ name: string; homepage?: string }[]>(edition('people.json')).find((p) => p.name === speaker.fields['Name']);
    assert.ok(person, 'the person is still on the site');
    assert.equal(person.homepage, undefined);
    assert.doesNotMatch(readFileSync(edition('people.json'), 'utf8'), /javascript:/);
  });

  test('by default, the bad row is left out with a warning, its last published version kept, and the rest is written', async () => {
    const [speaker] = demo.airtable.records(base(), 'Speakers').filter((r) => r.fields['Name'] === 'Julian McAuley');
    const published = readJson<{ id: string }[]>(edition('people.json')).find((p) => p.id === 'julian-mcauley');
    assert.ok(published);
    demo.airtable.updateRecord(base(), 'Speakers', speaker!.id, { Kind: 'Chair', Affiliation: 'Not published while the row is wrong' });
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.deepEqual(
      report.warnings.filter((w) => w.startsWith(`Airtable › Speakers › ${speaker!.id}`)),
      [
        `Airtable › Speakers › ${speaker!.id} › "Kind": "Chair" is not a kind of speaker; write Keynote, Invited or Panelist. Until the row is fixed, it is left out, and "Julian McAuley" kept its last published version.`,
      ],
    );
    assert.deepEqual(
      readJson<{ id: string }[]>(edition('people.json')).find((p) => p.id === 'julian-mcauley'),
      published,
    );
  });

  test('a configured Airtable view limits a table to the records the view shows', async () => {
    const speakers = demo.airtable.records(base(), 'Speakers');
    const hidden = speakers.find((r) => r.fields['Name'] === 'Julian McAuley')!;
    demo.airtable.setView(
      base(),
      'Speakers',
      'Website',
      speakers.filter((r) => r !== hidden).map((r) => r.id),
    );
    const report = await runSync(configFor(demo.env, dir, { template: { speakers: { view: 'Website' } } }), { policy: FAST });
    assert.deepEqual(report.collections.people.removed, ['julian-mcauley']);
    assert.ok(demo.airtable.stats.log.some((l) => l.path.startsWith(`/v0/${base()}/Speakers?`) && l.path.includes('view=Website')));
    const missing = await failure(runSync(configFor(demo.env, dir, { template: { speakers: { view: 'Webstie' } } }), { policy: FAST }));
    assert.match(missing.message, /^Airtable › Speakers: .*422 VIEW_NAME_NOT_FOUND.*view/);
  });

  test("Authors linked to another table are published as the linked records' names: the schema once, the primary field once", async () => {
    // As in a real base, the whole column links to a table of people (here: the Speakers table).
    const people = demo.airtable.records(base(), 'Speakers');
    const papers = demo.airtable.records(base(), 'Papers');
    const linked = papers.map((_paper, i) => [people[i % people.length]!, people[(i + 1) % people.length]!] as const);
    papers.forEach((paper, i) => demo.airtable.updateRecord(base(), 'Papers', paper.id, { Authors: linked[i]!.map((p) => p.id) }));
    demo.airtable.resetStats();
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(report.ok, true);
    const published = readJson<{ id: string; authors: string[] }[]>(edition('papers.json'));
    assert.ok(published.length > 0);
    for (const paper of published) {
      const i = papers.findIndex((p) => String(p.fields['Paper ID']) === paper.id);
      assert.deepEqual(
        paper.authors,
        linked[i]!.map((p) => p.fields['Name']),
        `paper ${paper.id}: the names, in the cell's order`,
      );
    }
    assert.doesNotMatch(readFileSync(edition('papers.json'), 'utf8'), /rec[A-Za-z0-9]{14}/, 'no record id is published');
    const paths = demo.airtable.stats.log.map((l) => decodeURIComponent(l.path));
    assert.equal(paths.filter((p) => p.startsWith(`/v0/meta/bases/${base()}/tables`)).length, 1, 'the schema is read once');
    const primary = paths.filter((p) => /^\/v0\/app\w+\/tbl\w+\?/.test(p));
    assert.equal(primary.length, 1, `the linked table is listed once, a page of 100 (${primary.join(', ')})`);
    assert.match(primary[0]!, /fields\[\]=Name(&|$)/);
    assert.doesNotMatch(primary[0]!, /fields\[\]=(?!Name)/, 'only its primary field');
  });

  test('without the schema scope, linked Authors are never published as record ids: the rows say how to fix it', async () => {
    const strict = await startDemoEmulators({ airtable: { schemaAccess: false } });
    try {
      const baseId = strict.env['AIRTABLE_BASE_ID']!;
      const people = strict.airtable.records(baseId, 'Speakers');
      for (const paper of strict.airtable.records(baseId, 'Papers')) {
        strict.airtable.updateRecord(baseId, 'Papers', paper.id, { Authors: [people[0]!.id] });
      }
      // Pages enough for the schema's answer (no access) to have to be remembered from one page to the next.
      for (let i = 0; i < 120; i++) {
        strict.airtable.addRecord(baseId, 'Papers', { 'Paper ID': 5000 + i, Title: `P${i}`, Authors: [people[1]!.id], Status: 'Accepted' });
      }
      const before = snapshot(dir);
      // By default each such row is left out with a warning (the published ones keep their last version)…
      const report = await runSync(configFor(strict.env, dir), { policy: FAST });
      const leftOut = report.warnings.filter((line) => line.includes('Until the row is fixed, it is left out'));
      assert.equal(leftOut.length, 122, report.warnings.join('\n'));
      assert.ok(
        leftOut.every((line) => /^Airtable › Papers › rec\w+ › "Authors": .*schema\.bases:read/.test(line)),
        leftOut.join('\n'),
      );
      assert.deepEqual(snapshot(dir), before, 'content/ is untouched: the two published papers kept, no record id anywhere');
      // …and with onInvalidRow: 'fail' they stop the sync.
      const failed = await failure(runSync(configFor(strict.env, dir, { onInvalidRow: 'fail' }), { policy: FAST }));
      assert.ok(failed instanceof SyncFailed);
      assert.equal(failed.report.errors.length, 122);
      assert.ok(
        failed.report.errors.every((line) => /^Airtable › Papers › rec\w+ › "Authors": .*schema\.bases:read/.test(line)),
        failed.report.errors.join('\n'),
      );
      assert.deepEqual(snapshot(dir), before, 'content/ is untouched');
      assert.equal(
        strict.airtable.stats.log.filter((l) => l.path.startsWith('/v0/meta/')).length,
        2,
        'the schema was asked for once a sync, not once a page',
      );
    } finally {
      await strict.close();
    }
  });

  test("a base without links reads its schema once all the same (the columns' field types), and no linked table", async () => {
    for (const paper of demo.airtable.records(base(), 'Papers')) {
      demo.airtable.updateRecord(base(), 'Papers', paper.id, { Authors: 'A. Author and B. Author' });
    }
    demo.airtable.resetStats();
    await runSync(configFor(demo.env, dir), { policy: FAST });
    const paths = demo.airtable.stats.log.map((l) => decodeURIComponent(l.path));
    assert.equal(paths.filter((p) => p.startsWith('/v0/meta/')).length, 1);
    assert.deepEqual(
      paths.filter((p) => /^\/v0\/app\w+\/tbl\w+\?/.test(p)),
      [],
      'no linked table listed',
    );
  });

  test('a base without the optional Program Committee table (403, as tokens are told): one warning, the rest synced', async () => {
    const committee = readJson<{ id: string; role: string }[]>(edition('people.json')).filter((p) => p.role === 'program-committee');
    assert.ok(committee.length > 0, 'the demo has a program committee');
    const report = await runSync(configFor(demo.env, dir, { template: { programCommittee: { table: 'Committee' } } }), { policy: FAST });
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.warnings.filter((w) => w.startsWith('Airtable › Committee')),
      [
        'Airtable › Committee: there is no "Committee" table, so the site shows no program committee. Add the table, or set tables.programCommittee to \'none\' in workshop.config.ts.',
      ],
    );
    assert.deepEqual(report.collections.people.removed.sort(), committee.map((p) => p.id).sort());
    // A 403 for a required table still stops the sync: it may be the token, not the table.
    const papers = await failure(runSync(configFor(demo.env, dir, { template: { papers: { table: 'Submissions' } } }), { policy: FAST }));
    assert.match(papers.message, /^Airtable › Submissions: .*\(403\)/);
  });

  test('a sync that would remove more than half of a collection is refused unless forced', async () => {
    for (const record of demo.airtable.records(base(), 'Program Committee').slice(0, 2))
      demo.airtable.deleteRecord(base(), 'Program Committee', record.id);
    for (const record of demo.airtable.records(base(), 'Organizers')) demo.airtable.deleteRecord(base(), 'Organizers', record.id);
    for (const record of demo.airtable.records(base(), 'Speakers')) demo.airtable.deleteRecord(base(), 'Speakers', record.id);
    const before = snapshot(dir);
    const error = await failure(runSync(configFor(demo.env, dir), { policy: FAST }));
    assert.ok(error instanceof SyncFailed);
    assert.match(error.message, /would remove more than 50% of people \(9 of 10\).*--force/);
    assert.deepEqual(snapshot(dir), before);
    const forced = await runSync(configFor(demo.env, dir), { policy: FAST, force: true });
    assert.deepEqual(forced.collections.people.removed.length, 9);
    assert.equal(forced.photos.removed, 2, 'the photos nobody uses any more are deleted');
    assert.deepEqual(readdirSync(edition('photos')), []);
  });

  test('an expired attachment URL is refreshed by reading the record again', async () => {
    const empty = contentCopy({ empty: true });
    dirs.push(empty);
    // The listing hands out URLs valid 2 hours. The photo downloads (which start as soon as the people tables are
    // in) are held until every table is read; then the clock jumps 3 hours and they go on, to expired URLs.
    demo.airtable.inject({ kind: 'hold', path: '/attachments/', times: 2 });
    const report = await runSync(configFor(demo.env, empty), {
      policy: FAST,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 'map') {
          clockSkewMs = 3 * 3600_000;
          demo.airtable.faults.releaseHeld();
        }
      },
    });
    assert.equal(report.photos.downloaded, 2);
    assert.ok(demo.airtable.stats.expiredAttachmentUrls >= 2, 'the old URLs were refused');
  });

  test('a 503 burst is retried; a rejected token ends in one line that says what to do, without the token', async () => {
    demo.airtable.inject({ kind: 'status', status: 503, times: 2, path: `/v0/${base()}/Papers` });
    const ok = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(ok.ok, true);
    const secret = 'patSECRETsecret1234.abcdef0123456789';
    const error = await failure(runSync(configFor({ ...demo.env, AIRTABLE_TOKEN: secret }, dir), { policy: FAST }));
    assert.ok(error instanceof SourceError);
    assert.match(
      error.message,
      /^Airtable › \w[\w ]*: Airtable rejected the token \(401\)\. Set AIRTABLE_TOKEN to a personal access token/,
    );
    assert.ok(!error.message.includes(secret) && !JSON.stringify(error).includes(secret));
  });

  test('a renamed tab is named, with the tabs the sheet has', async () => {
    demo.sheets.store.renameSheet(demo.env['GOOGLE_SHEETS_ID']!, 'Schedule', 'Program');
    const error = await failure(runSync(configFor(demo.env, dir), { policy: FAST }));
    assert.ok(error instanceof SourceError);
    assert.match(error.message, /^Google Sheets › Schedule: the sheet has no tab "Schedule" \(it has "Program"\)\. Rename the tab back/);
  });
});
