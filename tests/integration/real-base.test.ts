/**
 * An organizer's own base as it is, end to end as a user runs it: `npm run sync` (its own process, the real clients)
 * against emulators seeded with the cell shapes real bases have — Authors and an Affiliation linked to other tables,
 * a collaborator as a name, a multiple-select Kind, AI-text bios (one generated, one failed), a button as a homepage,
 * a barcode as a Paper ID, a checkbox award, a `javascript:` homepage, no Program Committee table, optional columns
 * missing, a schedule tab with a title and blank rows above its header — then `astro build`, then headless Chromium.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { buildSite, launchBrowser, squish, watchedPage } from '../helpers/browser.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';
import { contentCopy, EDITION, runProcess, type Finished } from './helpers.ts';

const BASE = 'appRealBase000001';
const TOKEN = 'patRealBaseToken01';
const API_KEY = 'real-base-key';
const SHEET = 'realBaseSheet';
const rec = (name: string) => `rec${name.padEnd(14, '0')}`;
const EMAILS = ['charles@example.org', 'ada@example.org', 'grace@example.org'];

const tables = {
  Institutions: {
    records: [
      { id: rec('InstAda'), fields: { Name: 'University of Ada' } },
      { id: rec('InstTur'), fields: { Name: 'Turing Institute' } },
    ],
  },
  People: {
    records: [
      { id: rec('PplGrace'), fields: { Name: 'Grace Hopper', Email: 'grace@example.org' } },
      { id: rec('PplKath'), fields: { Name: 'Katherine Johnson' } },
      { id: rec('PplHidden'), fields: { Name: 'Hidden Rejected Author' } },
    ],
  },
  // No Order and no Photo column; Name is a collaborator field for one organizer (a base's collaborators).
  Organizers: {
    fields: ['Name', 'Affiliation', 'Role', 'Homepage', 'Email'],
    records: [
      {
        id: rec('OrgAda'),
        fields: {
          Name: 'Ada Lovelace',
          Affiliation: [rec('InstAda')],
          Role: 'General Chair',
          Homepage: 'https://ada.example.org/',
          Email: 'ada@example.org',
        },
      },
      {
        id: rec('OrgEvil'),
        fields: { Name: 'Eve Linkless', Affiliation: [rec('InstTur')], Role: 'Web Chair', Homepage: 'javascript:alert(1)' },
      },
      {
        id: rec('OrgCharles'),
        fields: { Name: { id: 'usrCharles0000001', email: 'charles@example.org', name: 'Charles Babbage' }, Role: 'Publicity Chair' },
      },
    ],
  },
  Speakers: {
    fields: ['Name', 'Affiliation', 'Kind', 'Talk Title', 'Abstract', 'Bio', 'Homepage', 'Order'],
    records: [
      {
        id: rec('SpkGrace'),
        fields: {
          Name: 'Grace Hopper',
          Affiliation: 'US Navy',
          Kind: ['Invited', 'Panelist'],
          'Talk Title': 'Compilers for Everyone',
          Bio: { state: 'generated', value: 'Grace wrote one of the first compilers.', isStale: false },
          Homepage: { label: 'Website', url: 'https://grace.example.org/' },
          Order: 1,
        },
      },
      {
        id: rec('SpkAlan'),
        fields: {
          Name: 'Alan Kay',
          Kind: ['Keynote'],
          'Talk Title': 'The Future Is Not Laid Out',
          Bio: { state: 'error', errorType: 'emptyDependency', value: null, isStale: false },
          Order: 2,
        },
      },
    ],
  },
  // No arXiv column; the award is a checkbox named after it; Paper ID a barcode for one paper.
  Papers: {
    fields: ['Paper ID', 'Title', 'Authors', 'Abstract', 'PDF', 'Status', 'Best Paper', 'Presentation', 'Reviewer notes'],
    records: [
      {
        id: rec('PapA'),
        fields: {
          'Paper ID': { text: '17', type: 'code128' },
          Title: 'Linked Authors at Scale',
          Authors: [rec('PplGrace'), rec('PplKath')],
          Abstract: 'We show that names, not ids, belong on pages.',
          PDF: 'https://example.org/17.pdf',
          Status: 'Accepted',
          'Best Paper': true,
          Presentation: 'Oral',
          'Reviewer notes': 'Private: strong accept.',
        },
      },
      { id: rec('PapB'), fields: { 'Paper ID': 18, Title: 'A Second Accepted Paper', Authors: [rec('PplKath')], Status: 'Accepted' } },
      { id: rec('PapC'), fields: { 'Paper ID': 19, Title: 'A Rejected Paper', Authors: [rec('PplHidden')], Status: 'Rejected' } },
    ],
  },
};

/** The schedule tab as people lay it out: a title and blank rows above the header; no Room or Paper ID column. */
const SCHEDULE = [
  ['Workshop programme (all times in PDT)'],
  [],
  [],
  ['Date', 'Start', 'End', 'Title', 'Kind', 'Speaker'],
  ['2024-07-18', '9:00 AM', '9:10 AM', 'Opening remarks', 'Opening', ''],
  ['2024-07-18', '9:10 AM', '10:00 AM', 'Keynote', 'Keynote', 'Alan Kay'],
  [],
  ['2024-07-18', '10:00 AM', '11:00 AM', 'Panel on compilers', 'Panel', 'Grace Hopper'],
];

let airtable: AirtableEmulator;
let sheets: SheetsEmulator;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let work = '';
let content = '';
let site = '';
let sync: Finished;

const npmRunSync = (args: string[], env: Record<string, string>): Promise<Finished> =>
  runProcess('npm', ['run', '--silent', 'sync', '--', ...args], env);

/** Every text file under `dir` (images aside), joined. */
function allText(dir: string): string {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .map((file) =>
      statSync(file).isDirectory() ? allText(file) : /\.(html|json|ics|xml|txt|js|css)$/.test(file) ? readFileSync(file, 'utf8') : '',
    )
    .join('\n');
}

before(async () => {
  airtable = await startAirtableEmulator({
    bases: { [BASE]: tables },
    tokens: { [TOKEN]: '*' },
    unknownTable: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
  });
  sheets = await startSheetsEmulator({
    apiKeys: [API_KEY],
    spreadsheets: { [SHEET]: { title: 'Programme', public: true, sheets: [{ title: 'Schedule', rows: SCHEDULE }] } },
  });
  work = mkdtempSync(path.join(tmpdir(), 'real-base-'));
  content = contentCopy({ empty: true });
  const config = path.join(work, 'workshop.config.mjs');
  // Its own state folder (the lock): test files run side by side.
  const service = { stateDir: path.join(work, 'state') };
  writeFileSync(
    config,
    `export default ${JSON.stringify({ template: { papers: { columns: { award: 'Best Paper', code: null } } }, service })};\n`,
  );
  sync = await npmRunSync(['--config', config], {
    AIRTABLE_TOKEN: TOKEN,
    AIRTABLE_BASE_ID: BASE,
    AIRTABLE_ENDPOINT_URL: airtable.url,
    GOOGLE_SHEETS_ID: SHEET,
    GOOGLE_API_KEY: API_KEY,
    GOOGLE_SHEETS_ROOT_URL: sheets.url,
    CONTENT_DIR: content,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await airtable.close();
  await sheets.close();
  for (const dir of [work, content, site]) if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the first sync from the base succeeds and says, once each, what it left out and where to fix it', () => {
  assert.equal(sync.code, 0, `${sync.stdout}\n${sync.stderr}`);
  const warnings = sync.stdout.split('\n').filter((line) => line.startsWith('  - '));
  const expect = (pattern: RegExp) =>
    assert.equal(warnings.filter((w) => pattern.test(w)).length, 1, `once: ${pattern}\n${warnings.join('\n')}`);
  expect(/Airtable › Program Committee: there is no "Program Committee" table, so the site shows no program committee/);
  expect(/Airtable › Organizers › "Order": there is no column "Order"/);
  expect(/Airtable › Papers › "arXiv": there is no column "arXiv"/);
  expect(/Google Sheets › Schedule › "Room": there is no column "Room"/);
  expect(new RegExp(`Airtable › Organizers › ${rec('OrgEvil')} › "Homepage": "javascript:alert\\(1\\)" is a javascript: link`));
  expect(new RegExp(`Airtable › Speakers › ${rec('SpkAlan')} › "Bio": .*AI`));
  assert.ok(!warnings.some((w) => /"Code"/.test(w)), 'a column switched off with null is not mentioned');
});

test('content/ holds names, not record ids; no email; only accepted papers; every field shape as documented', () => {
  const dir = path.join(content, EDITION);
  const people = JSON.parse(readFileSync(path.join(dir, 'people.json'), 'utf8')) as Record<string, unknown>[];
  const papers = JSON.parse(readFileSync(path.join(dir, 'papers.json'), 'utf8')) as Record<string, unknown>[];
  const byName = (name: string) => people.find((p) => p['name'] === name);
  assert.equal(byName('Ada Lovelace')?.['affiliation'], 'University of Ada', 'a linked Affiliation is the institution');
  assert.equal(byName('Charles Babbage')?.['role'], 'organizer', 'a collaborator is its name');
  assert.equal(byName('Eve Linkless')?.['homepage'], undefined, 'the javascript: homepage is left out');
  assert.equal(byName('Eve Linkless')?.['affiliation'], 'Turing Institute', '…and the rest of the row is published');
  assert.equal(byName('Grace Hopper')?.['homepage'], 'https://grace.example.org/', 'a button gives its URL');
  assert.equal(byName('Grace Hopper')?.['bio'], 'Grace wrote one of the first compilers.', 'generated AI text is its value');
  assert.equal(byName('Alan Kay')?.['bio'], undefined, 'failed AI text is left out');
  assert.deepEqual(
    papers.map((p) => [p['id'], p['authors'], p['award']]),
    [
      ['17', ['Grace Hopper', 'Katherine Johnson'], 'Best Paper'],
      ['18', ['Katherine Johnson'], undefined],
    ],
  );
  const text = allText(dir);
  assert.ok(!/\brec[A-Za-z0-9]{14}\b/.test(text), 'no record id in content/');
  for (const email of EMAILS) assert.ok(!text.includes(email), `no ${email}`);
  assert.ok(!text.includes('Hidden Rejected Author') && !text.includes('strong accept'), 'nothing private');
});

test('the built site shows the names in the right sections — no id, no email, the bad homepage without a link', async () => {
  site = (await buildSite(content)).outDir;
  const built = allText(site);
  assert.ok(!/\brec[A-Za-z0-9]{14}\b/.test(built), 'no record id anywhere in dist/');
  for (const email of EMAILS) assert.ok(!built.includes(email), `no ${email} in dist/`);
  assert.ok(!built.includes('Hidden Rejected Author'));

  server = await startStaticServer(site);
  browser = await launchBrowser();
  const origin = server.url.replace(/\/$/, '');
  const { page, dialogs } = await watchedPage(browser, origin);
  await page.goto(`${origin}/${EDITION}/`);
  const section = async (id: string) => squish(await page.locator(`#${id}`).innerText());
  assert.match(await section('invited-speakers'), /Grace Hopper/);
  assert.match(await section('panelists'), /Grace Hopper/, 'a multiple-select Kind: shown in both sections');
  assert.match(await section('keynote-speakers'), /Alan Kay/);
  assert.match(await section('organizers'), /Ada Lovelace.*University of Ada|University of Ada.*Ada Lovelace/);
  assert.equal(await page.locator('#program-committee').count(), 0, 'no program committee table: no section');
  const eve = page.locator('#organizers li', { hasText: 'Eve Linkless' });
  assert.equal(await eve.count(), 1);
  assert.equal(await eve.locator('a[href^="javascript:" i]').count(), 0);
  assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0);

  await page.goto(`${origin}/${EDITION}/papers/17/`);
  const paper = squish(await page.locator('main').innerText());
  assert.match(paper, /Grace Hopper.*Katherine Johnson/);
  assert.match(paper, /Best Paper/);
  const citationAuthors = await page.locator('meta[name="citation_author"]').evaluateAll((m) => m.map((e) => e.getAttribute('content')));
  assert.deepEqual(citationAuthors, ['Grace Hopper', 'Katherine Johnson']);

  await page.goto(`${origin}/${EDITION}/`);
  assert.deepEqual(dialogs, []);
  const schedule = squish(await page.locator('#schedule').innerText());
  assert.match(schedule, /Opening remarks.*Keynote.*Panel on compilers/, 'the schedule under a titled tab is read');
});
