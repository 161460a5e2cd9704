/**
 * A new organizer from nothing to a site, end to end as they run it (each command its own process, the real clients
 * against emulators seeded with their own base and sheet, not the demo's): `npm run setup` with flags — the base's
 * address from the browser's bar (with its table and view), the sheet's edit link, the token from the environment —
 * writes the edition, the config and .env (mode 600, the token never shown), passes doctor's checks and runs the first
 * sync without --force; then `npm run doctor` passes with only what setup wrote, and the site builds with the edition.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { parseEnv } from 'node:util';
import { after, before, test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { buildSite } from '../helpers/browser.ts';
import { contentCopy, readJson, runProcess, type Finished } from './helpers.ts';

const BASE = 'appNewOrganizer01';
const SHEET = '1NewOrganizerSheet_0123456789abcdefghijklmn';
const TOKEN = 'patNewOrganizerSecretToken.0123456789';
const API_KEY = 'AIzaNewOrganizerKey0123456789';
const EDITION = '2026-data-for-good';
const rec = (name: string) => `rec${name.padEnd(14, '0')}`;

const base = {
  Organizers: {
    records: [
      { id: rec('OrgRosa'), fields: { Name: 'Rosalind Franklin', Affiliation: "King's College London", Role: 'General Chair', Order: 1 } },
      { id: rec('OrgAlan'), fields: { Name: 'Alan Turing', Affiliation: 'University of Manchester', Role: 'Program Chair', Order: 2 } },
    ],
  },
  Speakers: {
    records: [
      {
        id: rec('SpkBarbara'),
        fields: { Name: 'Barbara Liskov', Affiliation: 'MIT', Kind: 'Keynote', 'Talk Title': 'Abstraction for Good' },
      },
    ],
  },
  Papers: {
    records: [
      {
        id: rec('PapOne'),
        fields: { 'Paper ID': 1, Title: 'Open Data for Public Health', Authors: 'Ada Byron, Mary Somerville', Status: 'Accepted' },
      },
      { id: rec('PapTwo'), fields: { 'Paper ID': 2, Title: 'A Rejected Submission', Authors: 'Someone Else', Status: 'Rejected' } },
    ],
  },
  'Program Committee': { records: [{ id: rec('PcGrace'), fields: { Name: 'Grace Hopper', Affiliation: 'Yale' } }] },
};

const SCHEDULE = [
  ['Date', 'Start', 'End', 'Title', 'Kind', 'Speaker', 'Paper ID', 'Room'],
  ['2026-09-14', '09:00', '09:15', 'Welcome', 'Opening', '', '', 'Hall B'],
  ['2026-09-14', '09:15', '10:15', 'Abstraction for Good', 'Keynote', 'Barbara Liskov', '', 'Hall B'],
  ['2026-09-14', '10:15', '10:45', 'Open Data for Public Health', 'Paper', '', '1', 'Hall B'],
];

let airtable: AirtableEmulator;
let sheets: SheetsEmulator;
let work = '';
let content = '';
let site = '';
let configFile = '';
let envFile = '';
let setup: Finished;

before(async () => {
  airtable = await startAirtableEmulator({ bases: { [BASE]: base }, tokens: { [TOKEN]: [BASE] } });
  sheets = await startSheetsEmulator({
    apiKeys: [API_KEY],
    spreadsheets: { [SHEET]: { title: 'Data for Good 2026', public: true, sheets: [{ title: 'Schedule', rows: SCHEDULE }] } },
  });
  work = mkdtempSync(path.join(tmpdir(), 'setup-e2e-'));
  content = contentCopy();
  configFile = path.join(work, 'workshop.config.ts');
  envFile = path.join(work, '.env');
  setup = await runProcess(
    'npm',
    [
      'run',
      '--silent',
      'setup',
      '--',
      '--title',
      '1st Workshop on Data for Good',
      '--short-title',
      'Data for Good',
      '--start',
      '2026-09-14',
      '--city',
      'Lisbon',
      '--country',
      'Portugal',
      '--time-zone',
      'Europe/Lisbon',
      '--host-name',
      'KDD 2026',
      '--host-url',
      'https://kdd2026.example.org/',
      '--airtable',
      `https://airtable.com/${BASE}/tblOrganizers0001/viwGridView000001?blocks=hide`,
      '--sheet',
      `https://docs.google.com/spreadsheets/d/${SHEET}/edit#gid=0`,
      '--config',
      configFile,
      '--dotenv',
      envFile,
    ],
    {
      AIRTABLE_TOKEN: TOKEN,
      GOOGLE_API_KEY: API_KEY,
      AIRTABLE_ENDPOINT_URL: airtable.url,
      GOOGLE_SHEETS_ROOT_URL: sheets.url,
      CONTENT_DIR: content,
    },
  );
});

after(async () => {
  await airtable.close();
  await sheets.close();
  for (const dir of [work, content, site]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The environment a later command has: only what setup wrote in .env, and the content folder. */
const fromEnvFile = (): Record<string, string> => ({ ...parseEnv(readFileSync(envFile, 'utf8')), CONTENT_DIR: content });

test('setup writes the edition, the config and .env, passes the checks and runs the first sync without --force', () => {
  assert.equal(setup.code, 0, `${setup.stdout}\n${setup.stderr}`);
  const edition = readJson<Record<string, unknown>>(path.join(content, EDITION, 'edition.json'));
  assert.deepEqual(
    [edition['id'], edition['title'], edition['dates'], edition['venue'], edition['timeZone'], edition['hostConference']],
    [
      EDITION,
      '1st Workshop on Data for Good',
      { start: '2026-09-14', end: '2026-09-14' },
      { city: 'Lisbon', country: 'Portugal' },
      'Europe/Lisbon',
      { name: 'KDD 2026', url: 'https://kdd2026.example.org/' },
    ],
  );
  assert.match(String(edition['overview']), new RegExp(`${EDITION}/edition\\.json`), 'the placeholder says where to edit it');

  const config = readFileSync(configFile, 'utf8');
  assert.match(config, new RegExp(`edition: '${EDITION}'`));
  assert.match(config, new RegExp(`baseId: '${BASE}'`), 'the base id from its address, without the table and view');
  assert.match(config, new RegExp(`spreadsheetId: '${SHEET}'`), 'the spreadsheet id from its edit link');
  assert.doesNotMatch(config, /pat[A-Z]|AIza|tblOrganizers|viwGrid/);

  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  assert.deepEqual(parseEnv(readFileSync(envFile, 'utf8')), {
    AIRTABLE_TOKEN: TOKEN,
    GOOGLE_API_KEY: API_KEY,
    AIRTABLE_ENDPOINT_URL: airtable.url,
    GOOGLE_SHEETS_ROOT_URL: sheets.url,
  });
  for (const secret of [TOKEN, API_KEY]) assert.ok(!`${setup.stdout}${setup.stderr}`.includes(secret), 'no credential is printed');

  // The first sync from the new base: it filled the edition, recorded its sources, and was not refused.
  const people = readJson<{ name: string }[]>(path.join(content, EDITION, 'people.json')).map((p) => p.name);
  assert.deepEqual(people.sort(), ['Alan Turing', 'Barbara Liskov', 'Grace Hopper', 'Rosalind Franklin']);
  assert.deepEqual(
    readJson<{ id: string }[]>(path.join(content, EDITION, 'papers.json')).map((p) => p.id),
    ['1'],
  );
  assert.equal(readJson<unknown[]>(path.join(content, EDITION, 'schedule.json')).length, 3);
  assert.equal(readJson<Record<string, string>>(path.join(content, EDITION, 'synced-from.json'))['papers'], `airtable:${BASE}`);
  assert.doesNotMatch(setup.stderr, /--force|would remove/);
  assert.ok(statSync(path.join(content, '2024_2', 'edition.json')).isFile(), 'the demo edition stays as an example');
});

test('afterwards, npm run doctor and npm run sync pass with only what setup wrote', async () => {
  // Airtable's 5 requests a second per base count across processes: each command starts in a new second.
  await setTimeout(1_100);
  const doctor = await runProcess('npm', ['run', '--silent', 'doctor', '--', '--config', configFile], fromEnvFile());
  assert.equal(doctor.code, 0, `${doctor.stdout}\n${doctor.stderr}`);
  await setTimeout(1_100);
  const sync = await runProcess('npm', ['run', '--silent', 'sync', '--', '--config', configFile], fromEnvFile());
  assert.equal(sync.code, 0, `${sync.stdout}\n${sync.stderr}`);
  assert.match(sync.stdout, new RegExp(`✓ ${EDITION}: `));
  assert.doesNotMatch(sync.stdout, /Changed:/, 'the first sync already wrote everything');
});

test('the site builds with the new edition: its page shows the organizers, the keynote and the paper', async () => {
  site = (await buildSite(content)).outDir;
  const page = readFileSync(path.join(site, EDITION, 'index.html'), 'utf8');
  for (const text of [
    '1st Workshop on Data for Good',
    'Rosalind Franklin',
    'Barbara Liskov',
    'Open Data for Public Health',
    'Lisbon',
    'KDD 2026',
  ]) {
    assert.ok(page.includes(text), `the edition's page shows ${text}`);
  }
  assert.ok(!page.includes('A Rejected Submission'));
});
