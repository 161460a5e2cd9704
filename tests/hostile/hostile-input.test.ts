/**
 * Hostile input, end to end: hundreds of generated rows (tests/hostile/rows.ts) in every table of the demo's
 * Airtable base and its Schedule tab: wrong types, empty required cells, 10 MB strings, control characters,
 * bidirectional overrides, OWASP XSS filter-evasion payloads in every text column, obfuscated javascript:/data:/
 * vbscript: links in every URL column, photo file names that climb out of their folder, SVGs with scripts as
 * photos, repeated ids and names. The real clients read them from the emulators; then:
 *
 * 1. With `onInvalidRow: 'fail'` the sync ends with SyncFailed (never another exception) naming every bad row by
 *    source, table, record id or row number and column, and nothing else; nothing is written.
 * 2. By default it ends with a report that names every left-out row; what it writes holds no
 *    control or bidi-override character, no bad row, no link but http(s), no record id, photos only as sanitized
 *    files in content/<edition>/photos/ and never an SVG, and every hostile-but-valid row verbatim (a row with an
 *    invalid optional value less that value).
 * 3. The site built from that content runs none of it in Chromium: no script, no dialog, no event-handler or
 *    script-URL attribute, no request to another origin.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoEmulators, DEMO_SPREADSHEET_ID, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncReport } from '../../sync/report.ts';
import { buildSite, dangerousAttributes, launchBrowser, makeTempDir, removeDir, squish, watchedPage } from '../helpers/browser.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';
import { configFor, contentCopy, EDITION, FAST, snapshot } from '../integration/helpers.ts';
import { FORBIDDEN_IN_TEXT, OWASP_XSS } from './payloads.ts';
import { ABSENT, hostileRows, MIRRORED, tableName, type HostileRow, type TableKey } from './rows.ts';

const UNIQUE = randomBytes(6).toString('hex');
const ROWS = hostileRows(UNIQUE);
const PHOTO_FILE = /^[A-Za-z0-9]+-\d+\.(jpg|png|webp)$/;
/** What the photos and built images may be (file-type names an animated PNG image/apng). */
const IMAGE_TYPE = /^image\/(jpeg|a?png|gif|webp|avif)$/;
const COLLECTION_FILES = ['people.json', 'papers.json', 'schedule.json'] as const;

let demo: DemoEmulators;
/** Each row's location as the sync's messages start it: `Airtable › Speakers › rec…` or `Google Sheets › Schedule › row 12`. */
const located = new Map<HostileRow, string>();
const dirs: string[] = [];

const where = (row: HostileRow): string => located.get(row)!;
const at = (row: HostileRow, column: string): string => `${where(row)} › "${column}": `;
const describeRow = (row: HostileRow): string => `${tableName(row.table)} row "${row.label}" (${where(row)})`;
/** A Google Sheets cell's text: an absent cell is empty (the rows give the Schedule tab text only). */
const sheetCell = (value: unknown): string => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** Whether `entry` holds every field of `match` (MIRRORED: a mirrored photo path; ABSENT: no such field). */
function matches(entry: Record<string, unknown>, match: Record<string, unknown>): boolean {
  return Object.entries(match).every(([key, expected]) => {
    const actual = entry[key];
    if (expected === ABSENT) return actual === undefined;
    if (expected === MIRRORED) return typeof actual === 'string' && /^\.\/photos\/[A-Za-z0-9]+-\d+\.(jpg|png|webp)$/.test(actual);
    try {
      assert.deepEqual(actual, expected);
      return true;
    } catch {
      return false;
    }
  });
}

before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: { penaltyMs: 100 } } });
  const baseId = demo.env['AIRTABLE_BASE_ID']!;
  const sheet = demo.sheets.store.spreadsheet(DEMO_SPREADSHEET_ID)?.sheets.find((s) => s.title === tableName('schedule'));
  assert.ok(sheet, 'the demo sheet has a Schedule tab');
  const header = sheet.rows[0] ?? [];
  let next = sheet.rows.length;
  for (const row of ROWS) {
    const cells = Object.fromEntries(Object.entries(row.cells).filter(([, v]) => v !== undefined));
    if (row.table === 'schedule') {
      for (const column of Object.keys(cells)) assert.ok(header.includes(column), `the Schedule tab has a column "${column}"`);
      demo.sheets.store.setRow(
        DEMO_SPREADSHEET_ID,
        tableName('schedule'),
        next,
        header.map((h) => sheetCell(cells[h])),
      );
      located.set(row, `Google Sheets › ${tableName('schedule')} › row ${next + 1}`);
      next++;
    } else {
      const id = demo.airtable.addRecord(baseId, tableName(row.table), cells);
      located.set(row, `Airtable › ${tableName(row.table)} › ${id}`);
    }
  }
});

after(async () => {
  await demo?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('at least 200 generated rows, in every table, of every kind', (t) => {
  const count = (table: TableKey) => ROWS.filter((r) => r.table === table).length;
  const tables: TableKey[] = ['organizers', 'speakers', 'papers', 'programCommittee', 'schedule'];
  t.diagnostic(`rows: ${tables.map((table) => `${tableName(table)} ${count(table)}`).join(', ')}; total ${ROWS.length}`);
  t.diagnostic(
    `outcomes: ${['refused', 'dropped', 'warned', 'published'].map((o) => `${o} ${ROWS.filter((r) => r.expect.outcome === o).length}`).join(', ')}`,
  );
  assert.ok(ROWS.length >= 200, `${ROWS.length} rows`);
  for (const table of tables) {
    assert.ok(
      ROWS.some((r) => r.table === table && r.expect.outcome === 'refused'),
      `no bad row in ${table}`,
    );
    assert.ok(
      ROWS.some((r) => r.table === table && r.expect.outcome === 'published'),
      `no published row in ${table}`,
    );
  }
  assert.equal(new Set(ROWS.map((r) => r.marker)).size, ROWS.length, 'markers are unique');
  assert.ok(OWASP_XSS.length >= 30);
});

test("with onInvalidRow: 'fail' the sync fails with SyncFailed naming every bad row at its column, and nothing else; nothing is written", async (t) => {
  const dir = contentCopy({ empty: true });
  dirs.push(dir);
  const before = snapshot(dir);
  const started = performance.now();
  const error = await runSync(configFor(demo.env, dir, { onInvalidRow: 'fail' }), { policy: FAST }).then(
    () => assert.fail('expected the sync to fail'),
    (e: unknown) => e,
  );
  t.diagnostic(`sync: ${Math.round(performance.now() - started)} ms`);
  assert.ok(error instanceof SyncFailed, `expected SyncFailed, got ${String((error as Error)?.stack ?? error)}`);
  const { errors, warnings } = error.report;
  assert.match(error.message, /^\d+ rows need fixing; nothing was written/);

  const missing = ROWS.flatMap((row) => {
    const { expect } = row;
    if (expect.outcome === 'refused')
      return errors.some((e) => e.startsWith(at(row, expect.column))) ? [] : [`no error for ${describeRow(row)} › "${expect.column}"`];
    if (expect.outcome === 'dropped' || expect.outcome === 'warned') {
      return warnings.some((w) => w.startsWith(at(row, expect.column))) ? [] : [`no warning for ${describeRow(row)} › "${expect.column}"`];
    }
    return [];
  });
  assert.deepEqual(
    missing,
    [],
    `${missing.length} rows not reported:\n${missing.slice(0, 40).join('\n')}\n--- errors:\n${errors.slice(0, 20).join('\n')}`,
  );

  // Every error is about a bad row: none about a valid hostile row or a demo row.
  const bad = ROWS.filter((r) => r.expect.outcome === 'refused').map((r) => `${where(r)} › `);
  const stray = errors.filter((e) => !bad.some((b) => e.startsWith(b)));
  assert.deepEqual(stray, [], 'errors about rows that are not bad');
  // A message quotes at most a short excerpt of a cell, escaping what a terminal would act on.
  for (const line of [...errors, ...warnings]) {
    assert.ok(line.length < 2_000, `a message of ${line.length} characters: ${line.slice(0, 200)}…`);
    assert.doesNotMatch(line, FORBIDDEN_IN_TEXT, `a message with a control character: ${JSON.stringify(line.slice(0, 200))}`);
  }
  assert.deepEqual(snapshot(dir), before, 'the failed sync changed content/');
});

describe('by default (bad rows left out)', () => {
  let content = '';
  let temp = '';
  let out = '';
  let report: SyncReport;
  let published: Record<(typeof COLLECTION_FILES)[number], Record<string, unknown>[]>;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let launching: Promise<unknown> | undefined;
  let page: Page;
  let requests: { foreign: string[]; failed: string[] };
  let dialogs: string[] = [];

  before(async () => {
    launching = launchBrowser().then((b) => (browser = b));
    content = contentCopy({ empty: true });
    dirs.push(content);
    const started = performance.now();
    report = await runSync(configFor(demo.env, content), { policy: FAST });
    const syncMs = performance.now() - started;
    published = Object.fromEntries(
      COLLECTION_FILES.map((f) => [f, JSON.parse(readFileSync(path.join(content, EDITION, f), 'utf8')) as Record<string, unknown>[]]),
    ) as typeof published;
    temp = await makeTempDir('hostile-input');
    const built = performance.now();
    out = (await buildSite(content, path.join(temp, 'dist'))).outDir;
    console.log(`# hostile input: default sync ${Math.round(syncMs)} ms, build ${Math.round(performance.now() - built)} ms`);
    await launching;
    server = await startStaticServer(out);
    ({ page, requests, dialogs } = await watchedPage(browser!, server.url));
  });

  after(async () => {
    await launching?.catch(() => undefined);
    await browser?.close();
    await server?.close();
    await removeDir(temp);
  });

  test('the report names every left-out row at its column; every other row is published as it was written', () => {
    assert.equal(report.ok, true);
    assert.deepEqual(report.errors, []);
    const entries = (collection: string) => published[`${collection}.json` as (typeof COLLECTION_FILES)[number]];
    const problems = ROWS.flatMap((row) => {
      const { expect } = row;
      const prefix = expect.outcome === 'published' ? undefined : at(row, expect.column);
      if (prefix !== undefined && !report.warnings.some((w) => w.startsWith(prefix))) return [`no warning for ${describeRow(row)}`];
      // A left-out row says so (after its last error); none of these rows was published before.
      const leftOut = `Until the row is fixed, it is left out`;
      if (expect.outcome === 'refused' && !report.warnings.some((w) => w.startsWith(`${where(row)} › `) && w.includes(leftOut)))
        return [`${describeRow(row)} is not said to be left out`];
      if (expect.outcome === 'refused' || expect.outcome === 'dropped') return [];
      if (!entries(expect.collection).some((e) => matches(e, expect.match)))
        return [`${describeRow(row)} is not published as ${JSON.stringify(expect.match)}`];
      return [];
    });
    assert.deepEqual(problems, [], `${problems.length} rows:\n${problems.slice(0, 40).join('\n')}`);
  });

  test('content/ holds no bad row, no control or bidi-override character, no unsafe link or record id, and nothing but its JSON and sanitized photos', async () => {
    const texts = COLLECTION_FILES.flatMap((f) => strings(published[f]));
    const leaked = ROWS.filter((r) => r.expect.outcome === 'refused' || r.expect.outcome === 'dropped').filter((r) =>
      texts.some((s) => s.includes(r.marker)),
    );
    assert.deepEqual(leaked.map(describeRow), [], 'bad rows were published');
    const controls = texts.filter((s) => FORBIDDEN_IN_TEXT.test(s));
    assert.deepEqual(
      controls.map((s) => JSON.stringify(s.slice(0, 80))),
      [],
      'published text with control characters',
    );
    assert.ok(Math.max(...texts.map((s) => s.length)) <= 50_000, 'a published text over 50,000 characters');
    // Rows with an unsafe link are published without it: every link left is http(s).
    const links = [
      ...published['people.json'].map((p) => p['homepage']),
      ...published['papers.json'].flatMap((p) => Object.values((p['links'] ?? {}) as Record<string, unknown>)),
    ].filter((link) => link !== undefined);
    assert.ok(links.length > 0, 'no published link');
    assert.deepEqual(
      links.filter((link) => typeof link !== 'string' || !/^https?:\/\/[^\s/]/i.test(link)),
      [],
      'published links that are not http(s)',
    );
    const recordIds = [...located.values()].flatMap((l) => l.match(/\brec[A-Za-z0-9]{14}$/) ?? []);
    assert.ok(recordIds.length > 0, 'no record id to look for');
    const shown = COLLECTION_FILES.flatMap((f) => strings(published[f]));
    assert.deepEqual(
      shown.filter((s) => recordIds.some((id) => s.includes(id))).map((s) => s.slice(0, 80)),
      [],
      'published text with a record id',
    );

    const all = files(content);
    // synced-from.json: the ids of the base and sheet synced from (sync/steps/sources-record.ts), no content.
    const expected = new Set(['edition.json', 'synced-from.json', ...COLLECTION_FILES].map((f) => path.join(EDITION, f)));
    const others = all.filter((f) => !expected.has(f));
    // Papers' mirrored files (the demo's PDF): in files/, a sanitized name, a whole PDF, named by a published paper.
    const paperFiles = others.filter((f) => path.dirname(f) === path.join(EDITION, 'files'));
    const named = published['papers.json'].flatMap((p) => Object.values((p['files'] ?? {}) as Record<string, string>));
    for (const file of paperFiles) {
      assert.match(path.basename(file), /^[A-Za-z0-9._-]+-pdf-[0-9a-f]{10}\.pdf$/, `${file} is not a sanitized file name`);
      assert.equal((await fileTypeFromBuffer(readFileSync(path.join(content, file))))?.mime, 'application/pdf', `${file} is not a PDF`);
      assert.ok(named.includes(`./files/${path.basename(file)}`), `${file} is named by no published paper`);
    }
    const photos = others.filter((f) => !paperFiles.includes(f));
    for (const file of photos) {
      assert.equal(path.dirname(file), path.join(EDITION, 'photos'), `${file} is outside content/${EDITION}/photos/`);
      assert.match(path.basename(file), PHOTO_FILE, `${file} is not a sanitized photo name`);
      const bytes = readFileSync(path.join(content, file));
      assert.match((await fileTypeFromBuffer(bytes))?.mime ?? 'no type', IMAGE_TYPE, `${file} is not an image`);
      assert.ok(!bytes.includes('<svg') && !bytes.includes('<script'), `${file} holds SVG or script`);
    }
    const used = published['people.json'].flatMap((p) => (typeof p['photo'] === 'string' ? [p['photo']] : []));
    assert.ok(used.length >= 5, 'the rows with good photos have them');
    for (const photo of used)
      assert.ok(
        photos.includes(path.join(EDITION, 'photos', path.basename(photo))) && photo === `./photos/${path.basename(photo)}`,
        `${photo}`,
      );
    for (const escaped of [
      `/tmp/hostile-${UNIQUE}.jpg`,
      `/tmp/hostile-abs-${UNIQUE}.jpg`,
      path.resolve(content, '..', `hostile-${UNIQUE}.jpg`),
    ]) {
      assert.ok(!existsSync(escaped), `${escaped} was written`);
    }
  });

  test('the built site holds no bad row, no control character and no SVG but its own favicon', async () => {
    const built = files(out);
    assert.ok(built.some((f) => f.endsWith('.html')) && built.some((f) => f.endsWith('.ics')));
    assert.deepEqual(
      built.filter((f) => /\.svg$/i.test(f)),
      ['favicon.svg'],
      'SVG files in the build',
    );
    assert.doesNotMatch(
      readFileSync(path.join(out, 'favicon.svg'), 'utf8'),
      /<script|<foreignObject|\son\w+=|href=/i,
      'the favicon is ours',
    );
    const markers = ROWS.filter((r) => r.expect.outcome === 'refused' || r.expect.outcome === 'dropped').map((r) => r.marker);
    for (const file of built.filter((f) => /\.(html|ics|xml|txt|json|js|css)$/.test(f))) {
      const body = readFileSync(path.join(out, file), 'utf8');
      assert.doesNotMatch(body, FORBIDDEN_IN_TEXT, `${file} has a control or bidi-override character`);
      const marker = markers.find((m) => body.includes(m));
      assert.equal(marker, undefined, `${file} holds the bad row ${marker}`);
    }
    for (const file of built.filter((f) => /\.(jpe?g|png|webp|gif|avif)$/i.test(f))) {
      assert.match(
        (await fileTypeFromBuffer(readFileSync(path.join(out, file))))?.mime ?? 'no type',
        IMAGE_TYPE,
        `${file} is not an image`,
      );
    }
  });

  /** Pages to load: the home and edition pages, the paper list, the call for papers and every hostile paper's page. */
  const pages = () => [
    '/',
    `/${EDITION}/`,
    `/${EDITION}/papers/`,
    `/${EDITION}/call-for-papers/`,
    ...published['papers.json'].map((p) => `/${EDITION}/papers/${String(p['id'])}/`),
  ];

  test('in Chromium, no page runs a payload, opens a dialog, carries a dangerous attribute or leaves the server', async (t) => {
    const list = pages();
    t.diagnostic(`${list.length} pages`);
    for (const sitePath of list) {
      const url = new URL(sitePath.slice(1), server!.url).href;
      const response = await page.goto(url);
      assert.equal(response?.status(), 200, sitePath);
      await page.locator('details').evaluateAll((els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');
      assert.equal(page.url(), url, `${sitePath} navigated away`);
      assert.equal(
        await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
        undefined,
        `${sitePath}: window.__xss was set`,
      );
      assert.deepEqual(dialogs, [], `${sitePath}: a dialog opened`);
      assert.deepEqual(await dangerousAttributes(page), [], `${sitePath}: event handlers or script URLs`);
      const injected = await page
        .locator(
          'svg, iframe, object, embed, input[type="image" i], body[onload], img[src="x"], img[src="#"], img[src="/"], meta[http-equiv], link[href^="javascript" i], details[ontoggle]',
        )
        .count();
      assert.equal(injected, 0, `${sitePath}: payload elements in the DOM`);
      const scripts = await page.locator('script').evaluateAll((els) => els.map((s) => s.getAttribute('type')));
      assert.deepEqual(
        scripts.filter((type) => type !== 'module' && type !== 'application/ld+json'),
        [],
        `${sitePath}: scripts the site does not write`,
      );
    }
    assert.deepEqual([...requests.foreign, ...requests.failed], [], 'requests to other origins or failed loads');
  });

  test('every payload shows as text on the edition page', async () => {
    await page.goto(new URL(`${EDITION}/`, server!.url).href);
    await page.locator('details').evaluateAll((els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const visible = squish(await page.locator('body').innerText());
    const hidden = OWASP_XSS.filter((payload) => !visible.includes(squish(payload)));
    assert.deepEqual(hidden, [], 'payloads that do not show as text');
  });
});
