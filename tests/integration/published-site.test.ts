/**
 * End to end: the demo spreadsheets (Airtable and Google Sheets emulators, real clients) → sync → astro build →
 * headless Chromium. Proves two requirements of the sync:
 * (1) private columns and papers that are not accepted reach neither content/ nor any file of the built site;
 * (2) XSS payloads in every text column the template maps stay inert text, and a javascript:/data: link in an
 *     optional URL column costs only itself: the sync leaves it out with a warning naming the record and the column,
 *     and publishes the rest of the row. A fault in a required field leaves its row out by default (with a warning;
 *     nothing of it is published), or fails the sync with `onInvalidRow: 'fail'` (nothing written).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoBase } from '../../dev/demo/load.ts';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { isAccepted } from '../../sync/map/map-papers.ts';
import { splitNames } from '../../sync/map/parse.ts';
import { DEFAULT_TEMPLATE } from '../../sync/template.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncReport } from '../../sync/report.ts';
import { buildSite, dangerousAttributes, launchBrowser, makeTempDir, removeDir, squish, watchedPage } from '../helpers/browser.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';
import { configFor, contentCopy, EDITION, FAST, snapshot } from './helpers.ts';

const AIRTABLE = DEFAULT_TEMPLATE;
const SCHEDULE = DEFAULT_TEMPLATE.schedule;
type TableKey = 'organizers' | 'speakers' | 'papers' | 'programCommittee';
const TABLES: readonly TableKey[] = ['organizers', 'speakers', 'papers', 'programCommittee'];
/** Template fields that are not free text: links, numbers, attachments, choices, ids, dates and references. */
const NOT_TEXT = new Set([
  'photo',
  'homepage',
  'order',
  'kind',
  'id',
  'status',
  'presentation',
  'pdf',
  'arxiv',
  'code',
  'date',
  'start',
  'end',
  'paper',
]);

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=1">';
const SVG = '"><svg onload=window.__xss=1>';
const CLOSE = '</script><script>alert(1)</script>';
const BOLD = '<b onmouseover=window.__xss=1>bold</b>';

/** A cell's hostile value and the texts a visitor must then see. */
interface Hostile {
  value: string;
  shown: string[];
}
const text = (value: string): Hostile => ({ value, shown: [value] });
/** Raw HTML, javascript:/encoded/data: links and a block-level tag, each with its own marker. */
const markdown = (m: string, inline: string): Hostile => ({
  value:
    `${m}a ${inline}\n\n[${m}b link](javascript:window.__xss=1) [${m}c encoded](&#106;avascript:alert(1)) ` +
    `[${m}d data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n${IMG}\n${m}e`,
  shown: [`${m}a ${inline}`, `${m}b link ${m}c encoded ${m}d data`, `${IMG} ${m}e`],
});
const authors = (...names: string[]): Hostile => ({ value: names.join(', ').replace(/, ([^,]*)$/, ' and $1'), shown: names });

const MARK = `m07 ${IMG} Najork`;
/** Payloads by table, record (index in the demo base) and template field. */
const RECORDS: { table: TableKey; index: number; fields: Record<string, Hostile> }[] = [
  {
    table: 'organizers',
    index: 0, // has a photo: the name also lands in its alt text
    fields: {
      name: text(`m01 ${SVG}`),
      affiliation: text(`m02 ${SCRIPT}`),
      position: text(`m03 ${IMG}`),
      homepage: { value: 'https://example.org/m04"><svg/onload=window.__xss=1>', shown: [] }, // http(s), so published
    },
  },
  { table: 'organizers', index: 1, fields: { name: text(`m05 ${CLOSE}`), position: text(`m06 ${BOLD}`) } },
  {
    table: 'speakers',
    index: 0,
    fields: {
      name: text(MARK),
      affiliation: text(`m08 ${SVG}`),
      talkTitle: text(`m09 ${CLOSE}`),
      abstract: markdown('m10', SCRIPT),
      bio: markdown('m11', SVG),
    },
  },
  { table: 'speakers', index: 2, fields: { name: text(`m12 ${SCRIPT}`), talkTitle: text(`m13 ${BOLD}`) } },
  {
    table: 'papers',
    index: 1,
    fields: {
      title: text(`m14 ${SVG} title`),
      authors: authors(`m15 ${IMG}`, 'Navid Mehrdad', `m16 ${SVG}`),
      abstract: markdown('m17', CLOSE),
      award: text(`m18 ${IMG}`),
    },
  },
  {
    table: 'papers',
    index: 2,
    fields: { title: text(`m19 ${SCRIPT}`), authors: authors(`m20 ${CLOSE}`, 'Tao Chen'), award: text(`m21 ${BOLD}`) },
  },
  { table: 'programCommittee', index: 0, fields: { name: text(`m22 ${IMG}`), affiliation: text(`m23 ${CLOSE}`) } },
];
/** Payloads in the Schedule tab, by the row's demo title. */
const ROWS: { title: string; fields: Record<string, Hostile> }[] = [
  { title: 'Opening remarks', fields: { title: text(`m24 ${SCRIPT}`), room: text(`m25 ${SVG}`) } },
  { title: 'Keynote by Marc Najork', fields: { title: text(`m26 ${CLOSE}`), speaker: { value: MARK, shown: [] } } },
  { title: 'Invited Talk by Derek Cheng', fields: { title: text(`m27 ${BOLD} [m27](javascript:alert(1))`) } },
];

/**
 * Rows whose only fault is a javascript:/data: link in an optional column: published without it, with a warning.
 * `shown` is the text that identifies the entry; each URL is unique (9101…9105), so a leak cannot hide among the
 * markdown payloads, which hold javascript: links as text.
 */
const BAD_LINKS: { table: TableKey; field: string; url: string; shown: string; fields: Record<string, unknown> }[] = [
  { table: 'organizers', field: 'homepage', url: 'javascript:alert(9101)', shown: 'Linkless row u1', fields: { name: 'Linkless row u1' } },
  {
    table: 'speakers',
    field: 'homepage',
    url: `data:text/html;base64,${Buffer.from('<script>alert(9102)</script>').toString('base64')}`,
    shown: 'Linkless row u2',
    fields: { name: 'Linkless row u2', kind: 'Invited' },
  },
  {
    table: 'papers',
    field: 'pdf',
    url: '  JavaScript:window.__xss=9103',
    shown: 'Linkless row u3',
    fields: { id: 901, title: 'Linkless row u3', authors: 'Ada Lovelace', status: 'Accepted' },
  },
  {
    table: 'papers',
    field: 'arxiv',
    url: 'data:text/html,<script>alert(9104)</script>',
    shown: 'Linkless row u4',
    fields: { id: 902, title: 'Linkless row u4', authors: 'Ada Lovelace', status: 'Accepted' },
  },
  {
    table: 'papers',
    field: 'code',
    url: 'javascript://%0aalert(9105)',
    shown: 'Linkless row u5',
    fields: { id: 903, title: 'Linkless row u5', authors: 'Ada Lovelace', status: 'Accepted' },
  },
];
/** How the warning about a value left out of an optional field ends. */
const LEFT_OUT = ' Until it is fixed, the row is published without it.';

/** Rows with an invalid value in a required field: left out by default, or they fail the sync with `onInvalidRow: 'fail'`. */
const REQUIRED_FAULTS: { table: TableKey; field: string; message: string; fields: Record<string, unknown> }[] = [
  {
    table: 'papers',
    field: 'id',
    message: '"javascript:alert(9201)" cannot be an ID; use the submission system\'s number',
    fields: { id: 'javascript:alert(9201)', title: 'Refused row r1', authors: 'Ada Lovelace', status: 'Accepted' },
  },
  {
    table: 'speakers',
    field: 'kind',
    message: '"Lecturer" is not a kind of speaker; write Keynote, Invited or Panelist.',
    fields: { name: 'Refused row r2', kind: 'Lecturer', homepage: 'https://example.org/r2' },
  },
];

const column = (table: TableKey, field: string): string => {
  const name = (AIRTABLE[table].columns as Record<string, string>)[field];
  assert.ok(name, `the template maps ${table}.${field}`);
  return name;
};
const withColumns = (table: TableKey, fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([field, value]) => [column(table, field), value]));

/** Every text file under `dir` (photos and other binaries left out), by path relative to `dir`. */
function textFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(html|ics|xml|txt|json|js|css)$/.test(name)) files.set(path.relative(dir, file), readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** The text a file says once its escapes are undone (HTML entities, JSON \u escapes, iCalendar folding), so no escape hides a leak. */
function reveal(file: string, body: string): string {
  const unfolded = file.endsWith('.ics')
    ? body
        .replace(/\r?\n[ \t]/g, '')
        .replace(/\\([,;\\])/g, '$1')
        .replace(/\\n/gi, '\n')
    : body;
  return unfolded
    .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);|&#x([0-9a-f]+);/gi, (_, dec?: string, hex?: string) =>
      String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex!, 16)),
    )
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}

/** The entries of one collection file of the edition in `content`. */
function entries(content: string, file: 'people.json' | 'papers.json' | 'schedule.json'): Record<string, unknown>[] {
  return JSON.parse(readFileSync(path.join(content, EDITION, file), 'utf8')) as Record<string, unknown>[];
}

/** The entry a BAD_LINKS row became, and the value its bad link's field holds there (undefined when left out). */
function publishedBadLink(content: string, bad: (typeof BAD_LINKS)[number]): { entry: Record<string, unknown> | undefined; link: unknown } {
  if (bad.table !== 'papers') {
    const entry = entries(content, 'people.json').find((p) => p['name'] === bad.fields['name']);
    return { entry, link: entry?.[bad.field] };
  }
  const entry = entries(content, 'papers.json').find((p) => p['id'] === String(bad.fields['id']));
  return { entry, link: (entry?.['links'] as Record<string, unknown> | undefined)?.[bad.field] };
}

/** Every link field (a homepage, a paper's links) in `content` that is not http(s), as "file: value". */
function unsafeLinkFields(content: string): string[] {
  const people = entries(content, 'people.json').map((p) => ['people.json', p['homepage']] as const);
  const papers = entries(content, 'papers.json').flatMap((p) =>
    Object.values((p['links'] ?? {}) as Record<string, unknown>).map((l) => ['papers.json', l] as const),
  );
  return [...people, ...papers]
    .filter(([, link]) => link !== undefined && !(typeof link === 'string' && /^https?:\/\//.test(link)))
    .map(([file, link]) => `${file}: ${JSON.stringify(link)}`);
}

/** The BAD_LINKS URLs found in a file (raw or with its escapes undone), case-insensitively. */
function badUrlsIn(file: string, body: string): string[] {
  const text = `${body}\n${reveal(file, body)}`.toLowerCase();
  return BAD_LINKS.map((b) => b.url.trim()).filter((url) => text.includes(url.toLowerCase()));
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

let demo: DemoEmulators;
const base = () => demo.env['AIRTABLE_BASE_ID']!;
const dirs: string[] = [];
/** What no file may contain: unmapped cells of every record and every cell of papers that are not accepted. */
let secrets: string[] = [];
/** Paper ids that are not accepted: no page, no sitemap entry. */
const unpublishedIds: string[] = [];
/** Record ids of the BAD_LINKS rows, in order. */
let badIds: string[] = [];
/** The paper whose own page is loaded: the one of RECORDS' papers at index 1. */
const shownPaperId = String(
  demoBase().tables.find((t) => t.name === AIRTABLE.papers.table)?.records[1]?.fields[AIRTABLE.papers.columns.id],
);

before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: { penaltyMs: 100 } } });
  const at = demo.airtable;
  for (const { table, index, fields } of RECORDS) {
    const record = at.records(base(), AIRTABLE[table].table)[index];
    assert.ok(record, `${AIRTABLE[table].table} has a record ${index}`);
    at.updateRecord(
      base(),
      AIRTABLE[table].table,
      record.id,
      withColumns(table, Object.fromEntries(Object.entries(fields).map(([f, h]) => [f, h.value]))),
    );
  }
  badIds = BAD_LINKS.map(({ table, field, url, fields }) =>
    at.addRecord(base(), AIRTABLE[table].table, withColumns(table, { ...fields, [field]: url })),
  );

  const sheetId = demo.env['GOOGLE_SHEETS_ID']!;
  const sheet = demo.sheets.store.spreadsheet(sheetId)?.sheets.find((s) => s.title === SCHEDULE.table);
  assert.ok(sheet);
  const header = sheet.rows[0] ?? [];
  for (const { title, fields } of ROWS) {
    const row = sheet.rows.findIndex((r) => r[header.indexOf(SCHEDULE.columns.title)] === title);
    assert.ok(row > 0, `the Schedule tab has a row "${title}"`);
    for (const [field, { value }] of Object.entries(fields)) {
      const col = header.indexOf((SCHEDULE.columns as Record<string, string>)[field] ?? '');
      assert.ok(col >= 0, `the Schedule tab has a column for ${field}`);
      demo.sheets.store.setCell(sheetId, SCHEDULE.table, [row, col], value);
    }
  }

  // The secrets, read from the base as seeded from dev/demo/airtable-base.json. Numbers (Score) get values no page
  // could hold by chance; one private note gets a payload too.
  const notes = at.records(base(), AIRTABLE.papers.table)[1]!;
  at.updateRecord(base(), AIRTABLE.papers.table, notes.id, { 'Reviewer notes': `${String(notes.fields['Reviewer notes'])} pv1 ${SCRIPT}` });
  let n = 0;
  for (const table of TABLES) {
    const mapped = new Set(Object.values(AIRTABLE[table].columns as Record<string, string>));
    for (const record of at.records(base(), AIRTABLE[table].table)) {
      const hidden = table === 'papers' && !isAccepted(record.fields[AIRTABLE.papers.columns.status]);
      if (hidden) unpublishedIds.push(String(record.fields[AIRTABLE.papers.columns.id]));
      for (const [name, value] of Object.entries(record.fields)) {
        if (mapped.has(name) && !hidden) continue;
        if (typeof value === 'number' && name !== AIRTABLE.papers.columns.id) {
          const unique = 97_531 + ++n / 1000;
          at.updateRecord(base(), AIRTABLE[table].table, record.id, { [name]: unique });
          secrets.push(String(unique));
        }
        // Linked authors of an unpublished paper: their names are read (the People table's primary field) but private.
        if (hidden && name === AIRTABLE.papers.columns.authors && Array.isArray(value)) {
          const people = at.records(base(), 'People');
          secrets.push(
            ...value
              .flatMap((id) => people.find((p) => p.id === id)?.fields['Name'] ?? [])
              .filter((n): n is string => typeof n === 'string'),
          );
        }
        if (typeof value !== 'string') continue;
        secrets.push(value);
        if (name === AIRTABLE.papers.columns.authors) secrets.push(...splitNames(value));
      }
    }
  }
  secrets = [...new Set(secrets)];
});

after(async () => {
  await demo.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test("the secrets are the demo base's private cells: emails, reviewer notes, scores, unaccepted papers", () => {
  const base = readFileSync(new URL('../../dev/demo/airtable-base.json', import.meta.url), 'utf8');
  for (const expected of [
    'alex@example.org',
    'casey@example.org',
    'Reject: the evaluation is too small. (private)',
    'A Fictional Submission Still Under Review',
    'Drew Confidential',
  ]) {
    assert.ok(base.includes(expected) && secrets.includes(expected), `"${expected}" is a secret`);
  }
  assert.ok(
    secrets.some((s) => s.endsWith(`pv1 ${SCRIPT}`)),
    'a private note with a payload',
  );
  assert.ok(secrets.filter((s) => /^97531\.\d+$/.test(s)).length >= 4, "every paper's Score");
  assert.ok(unpublishedIds.length >= 2, 'the demo has papers that are not accepted');
});

test('the payloads cover every text column of the template', () => {
  for (const table of TABLES) {
    const covered = new Set(RECORDS.filter((r) => r.table === table).flatMap((r) => Object.keys(r.fields)));
    for (const field of Object.keys(AIRTABLE[table].columns)) {
      if (!NOT_TEXT.has(field)) assert.ok(covered.has(field), `no payload in ${AIRTABLE[table].table} › ${column(table, field)}`);
    }
  }
  const covered = new Set(ROWS.flatMap((r) => Object.keys(r.fields)));
  for (const field of Object.keys(SCHEDULE.columns)) {
    if (!NOT_TEXT.has(field)) assert.ok(covered.has(field), `no payload in ${SCHEDULE.table} › ${field}`);
  }
});

/** The warning that says the bad link of `BAD_LINKS[i]` was left out, naming the record and the column. */
const leftOutWarning = (i: number): string => {
  const { table, field, url } = BAD_LINKS[i]!;
  const link = url.trim();
  const scheme = link.slice(0, link.indexOf(':')).toLowerCase();
  return (
    `Airtable › ${AIRTABLE[table].table} › ${badIds[i]} › "${column(table, field)}": "${link}" is a ${scheme}: link; ` +
    `only http:// and https:// links are published (e.g. "https://example.org").${LEFT_OUT}`
  );
};

/** Each BAD_LINKS row has exactly its one warning that its link was left out. */
function assertLeftOutWarnings(warnings: readonly string[]): void {
  for (const i of BAD_LINKS.keys()) {
    const expected = leftOutWarning(i);
    assert.equal(warnings.filter((w) => w === expected).length, 1, `not once: ${expected}\n${warnings.join('\n')}`);
  }
}

describe('a fault in a required field', () => {
  let faultIds: string[] = [];
  before(() => {
    faultIds = REQUIRED_FAULTS.map(({ table, fields }) =>
      demo.airtable.addRecord(base(), AIRTABLE[table].table, withColumns(table, fields)),
    );
  });
  after(() => {
    for (const [i, { table }] of REQUIRED_FAULTS.entries()) demo.airtable.deleteRecord(base(), AIRTABLE[table].table, faultIds[i]!);
  });
  const where = (i: number) => {
    const { table, field } = REQUIRED_FAULTS[i]!;
    return `Airtable › ${AIRTABLE[table].table} › ${faultIds[i]} › "${column(table, field)}": ${REQUIRED_FAULTS[i]!.message}`;
  };

  test("with onInvalidRow: 'fail', fails the sync, naming the record and the column, and nothing is written; bad optional links are only warnings", async () => {
    const dir = contentCopy({ empty: true });
    dirs.push(dir);
    const before = snapshot(dir);
    const error = await runSync(configFor(demo.env, dir, { onInvalidRow: 'fail' }), { policy: FAST }).then(
      () => assert.fail('expected the sync to fail'),
      (e: unknown) => e as Error,
    );
    assert.ok(error instanceof SyncFailed, String(error));
    assert.match(error.message, new RegExp(`^${REQUIRED_FAULTS.length} rows need fixing; nothing was written`));
    assert.equal(error.report.errors.length, REQUIRED_FAULTS.length, error.report.errors.join('\n'));
    for (const i of REQUIRED_FAULTS.keys())
      assert.ok(
        error.report.errors.some((e) => e.startsWith(where(i))),
        `no error starts with ${where(i)}\n${error.report.errors.join('\n')}`,
      );
    assertLeftOutWarnings(error.report.warnings);
    assert.deepEqual(snapshot(dir), before);
  });

  test('by default, its row is left out with a warning naming the record and the column, and the rest is written', async () => {
    const dir = contentCopy({ empty: true });
    dirs.push(dir);
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });
    assert.equal(report.ok, true);
    assert.deepEqual(report.errors, []);
    for (const i of REQUIRED_FAULTS.keys())
      assert.ok(
        report.warnings.some((w) => w.startsWith(where(i)) && w.includes('Until the row is fixed, it is left out')),
        `no warning starts with ${where(i)} and says the row is left out\n${report.warnings.join('\n')}`,
      );
    assertLeftOutWarnings(report.warnings);
    for (const [file, body] of textFiles(dir)) {
      assert.ok(!/Refused row r\d|alert\(9201\)/.test(`${body}\n${reveal(file, body)}`), `${file} contains a skipped row`);
      assert.deepEqual(badUrlsIn(file, body), [], `${file} contains a javascript:/data: link of a cell`);
    }
    for (const bad of BAD_LINKS) assert.ok(publishedBadLink(dir, bad).entry, `${bad.shown} was published`);
  });
});

describe('the site built by default from rows with javascript:/data: links in optional fields', () => {
  let temp = '';
  let content = '';
  let out = '';
  let report: SyncReport;
  let server: StaticServer;
  let browser: Browser | undefined;
  let launching: Promise<unknown> | undefined;
  let page: Page;
  let requests: { foreign: string[]; failed: string[] };
  let dialogs: string[] = [];

  before(async () => {
    launching = launchBrowser().then((b) => (browser = b));
    content = contentCopy({ empty: true });
    dirs.push(content);
    report = await runSync(configFor(demo.env, content), { policy: FAST });
    temp = await makeTempDir('published-site');
    out = (await buildSite(content, path.join(temp, 'dist'))).outDir;
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

  test('the sync succeeds; each bad-link row is published without its link, with a warning naming its record and column', () => {
    assert.equal(report.ok, true);
    assert.deepEqual(report.errors, []);
    assert.ok(!report.warnings.some((w) => w.startsWith('skipped:')), report.warnings.join('\n'));
    assertLeftOutWarnings(report.warnings);
    for (const bad of BAD_LINKS) {
      const { entry, link } = publishedBadLink(content, bad);
      assert.ok(entry, `${bad.shown} is not in content/`);
      assert.equal(link, undefined, `${bad.shown} kept its ${bad.field}`);
      if (bad.table === 'papers') assert.equal(entry['title'], bad.fields['title']);
      else assert.equal(entry['role'], bad.table === 'organizers' ? 'organizer' : 'invited');
    }
    assert.deepEqual(unsafeLinkFields(content), []);
  });

  test('every text payload reaches content/ verbatim', () => {
    const written = new Set((['people.json', 'papers.json', 'schedule.json'] as const).flatMap((f) => strings(entries(content, f))));
    for (const { fields } of [...RECORDS, ...ROWS]) {
      for (const [field, { value }] of Object.entries(fields)) {
        const expected = field === 'authors' ? splitNames(value) : [value];
        for (const v of expected) assert.ok(written.has(v), `${JSON.stringify(v)} is not in content/`);
      }
    }
  });

  test('no private cell or unaccepted paper is in content/ or in any file of the build', () => {
    const files = [...textFiles(content), ...textFiles(out)];
    const kinds = new Set(files.map(([f]) => path.extname(f)));
    for (const kind of ['.json', '.html', '.ics', '.xml', '.txt']) assert.ok(kinds.has(kind), `no ${kind} file was scanned`);
    const all = files.map(([file, body]) => [file, `${body}\n${reveal(file, body)}`] as const);
    // The scan sees through escapes: the payloads, escaped in each kind of file, are found.
    for (const [kind, needle] of [
      ['.html', `m14 ${SVG} title`],
      ['.ics', `m24 ${SCRIPT}`],
      ['.json', `m19 ${SCRIPT}`],
    ] as const) {
      assert.ok(
        all.some(([f, body]) => f.endsWith(kind) && body.includes(needle)),
        `the ${kind} scan does not see ${needle}`,
      );
    }
    for (const [file, body] of all) {
      for (const secret of secrets) assert.ok(!body.includes(secret), `${file} contains the private ${JSON.stringify(secret)}`);
    }
    for (const id of unpublishedIds) {
      assert.ok(!files.some(([f]) => f.startsWith(path.join(EDITION, 'papers', id) + path.sep)), `a page for paper ${id}`);
      assert.ok(!files.some(([f, body]) => f.endsWith('.xml') && body.includes(`/papers/${id}/`)), `the sitemap lists paper ${id}`);
    }
  });

  test('no javascript:/data: link of a cell is in content/ or in any file of the build', () => {
    const files = [...textFiles(content), ...textFiles(out)];
    // The scan sees through escapes: each URL, escaped as in an HTML or a JSON file, is found.
    for (const { url } of BAD_LINKS) {
      const link = url.trim().toUpperCase();
      assert.deepEqual(badUrlsIn('a.html', `<a title="${link.replace(/</g, '&lt;').replace(/:/g, '&#58;')}">`), [url.trim()]);
      assert.deepEqual(badUrlsIn('a.json', JSON.stringify(link).replace(/</g, '\\u003c')), [url.trim()]);
    }
    for (const [file, body] of files) assert.deepEqual(badUrlsIn(file, body), [], `${file} contains a javascript:/data: link of a cell`);
    for (const { table, fields } of BAD_LINKS.filter((b) => b.table === 'papers'))
      assert.ok(
        files.some(([f]) => f === path.join(EDITION, 'papers', String(fields['id']), 'index.html')),
        `no page for the ${table} row ${String(fields['id'])}`,
      );
  });

  test('the built HTML holds no script, event handler or javascript:/data: link from content', () => {
    const pages = [...textFiles(out)].filter(([f]) => f.endsWith('.html'));
    assert.ok(pages.length >= 5);
    for (const [file, html] of pages) {
      assert.doesNotMatch(
        html,
        /\s(?:href|src|srcset|action|formaction|poster|xlink:href)\s*=\s*["']?\s*(?:javascript|data|vbscript):/i,
        `${file}: a script or data URL`,
      );
      for (const [, body] of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
        assert.doesNotMatch(body!, /</, `${file}: JSON-LD with a raw "<"`);
        assert.doesNotThrow(() => JSON.parse(body!), `${file}: JSON-LD that does not parse`);
      }
      // Markup only: style and JSON-LD bodies out, then attribute values (Astro writes "<" raw inside quoted values,
      // where it is inert text, and escapes only the quote), keeping the script types the site writes.
      const markup = html
        .replace(/<style>[\s\S]*?<\/style>/g, '')
        .replace(/(<script type="application\/ld\+json">)[\s\S]*?<\/script>/g, '$1')
        .replace(/="([^"]*)"/g, (_, value: string) => (/^(module|application\/ld\+json)$/.test(value) ? `="${value}"` : '=""'));
      assert.ok(markup.includes('<main'), `${file}: the scan sees the page`);
      for (const tag of markup.matchAll(/<[a-z][^>]*>/gi))
        assert.doesNotMatch(tag[0], /\son[a-z]+\s*=/i, `${file}: an event handler in ${tag[0]}`);
      for (const script of markup.matchAll(/<script\b[^>]*>/gi))
        assert.match(script[0], /^<script type="(?:module|application\/ld\+json)"/, `${file}: ${script[0]}`);
      for (const payload of ['<svg', '<img src=x', '<b onmouseover', '<script>window.__xss', '<script>alert']) {
        assert.ok(!markup.toLowerCase().includes(payload), `${file}: ${payload} as markup`);
      }
    }
  });

  /** The pages to load, with the texts each must show. */
  const pages = (): { path: string; details: boolean; shown: string[] }[] => {
    const linkless = (papers: boolean) => BAD_LINKS.filter((b) => (b.table === 'papers') === papers).map((b) => b.shown);
    const people = [
      ...RECORDS.filter((r) => r.table !== 'papers').flatMap((r) => Object.values(r.fields).flatMap((h) => h.shown)),
      ...linkless(false),
    ];
    const papers = [
      ...RECORDS.filter((r) => r.table === 'papers').flatMap((r) => Object.values(r.fields).flatMap((h) => h.shown)),
      ...linkless(true),
    ];
    const paper = RECORDS.filter((r) => r.table === 'papers' && r.index === 1).flatMap((r) =>
      Object.values(r.fields).flatMap((h) => h.shown),
    );
    const schedule = ROWS.flatMap((r) => Object.values(r.fields).flatMap((h) => h.shown));
    const edition = [...people, ...papers, ...schedule];
    return [
      { path: '/', details: true, shown: edition },
      { path: `/${EDITION}/`, details: true, shown: edition },
      { path: `/${EDITION}/papers/`, details: true, shown: papers },
      { path: `/${EDITION}/papers/${shownPaperId}/`, details: false, shown: paper },
    ];
  };

  for (const { path: sitePath, details, shown } of pages()) {
    test(`${sitePath} in Chromium: no payload runs, every one shows as text`, async () => {
      const response = await page.goto(new URL(sitePath.slice(1), server.url).href);
      assert.equal(response?.status(), 200);
      const opened = await page.locator('details').evaluateAll((els) => els.map((d) => ((d as HTMLDetailsElement).open = true)).length);
      if (details) assert.ok(opened > 0, 'the page has <details> to open');
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');

      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, 'window.__xss was set');
      assert.deepEqual(dialogs, [], 'a dialog opened');
      assert.equal(
        await page.locator('svg, iframe, object, embed, img[src="x"], b[onmouseover]').count(),
        0,
        'payload elements in the DOM',
      );
      const dangerous = await dangerousAttributes(page);
      assert.deepEqual(dangerous, [], 'event handlers or script URLs');
      const links = await page.locator('a[href]').evaluateAll((els) => els.map((a) => (a as HTMLAnchorElement).protocol));
      assert.deepEqual(
        links.filter((p) => !['http:', 'https:', 'mailto:'].includes(p)),
        [],
        'links that are not http(s) or mailto',
      );
      const scripts = await page.locator('script').evaluateAll((els) => els.map((s) => s.getAttribute('type')));
      assert.deepEqual(
        scripts.filter((t) => t !== 'module' && t !== 'application/ld+json'),
        [],
        'scripts the site does not write',
      );

      const visible = squish(await page.locator('body').innerText());
      assert.ok(shown.length > 0);
      for (const expected of shown) assert.ok(visible.includes(squish(expected)), `${sitePath} does not show ${JSON.stringify(expected)}`);
    });
  }

  test('no page requested anything but the local server', () => {
    assert.ok(requests.foreign.length + requests.failed.length === 0, [...requests.foreign, ...requests.failed].join('\n'));
  });
});
