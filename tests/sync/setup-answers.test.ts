/**
 * `npm run setup`'s answers: the sources in every form organizers have them (and hostile ones refused), the time zone
 * with suggestions for a typo, .env updated in place, and the flags alone (`--yes`, no terminal) with every missing or
 * wrong answer listed at once.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { after, describe, test } from 'node:test';
import { parseSetupArgs, type SetupFlags } from '../../sync/setup/args.ts';
import { updateEnvText, writeEnvFile } from '../../sync/setup/env-file.ts';
import { answersFromFlags, defaultEditionId } from '../../sync/setup/questions.ts';
import { parseAirtableBase, parseSheet } from '../../sync/setup/source-urls.ts';
import { sourceSettings } from '../../sync/setup/sources.ts';
import { parseTimeZone } from '../../sync/setup/time-zones.ts';

const BASE = 'appAbCdEf01234567';
const SHEET = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
const PUB = '2PACX-1vQabcdefghijklmnopqrstuvwxyz0123456789';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-answers-'));
  dirs.push(dir);
  return dir;
};

const error = (parsed: { ok: boolean; error?: string }) => (parsed.ok ? assert.fail('expected a refusal') : String(parsed.error));

describe('the Airtable base', () => {
  test('its id, and every link into the base, give the base id', () => {
    for (const input of [
      BASE,
      ` ${BASE} `,
      `https://airtable.com/${BASE}`,
      `https://airtable.com/${BASE}/tblAbCdEf01234567/viwAbCdEf01234567?blocks=hide`,
      `https://airtable.com/${BASE}/tblAbCdEf01234567/viwAbCdEf01234567/recAbCdEf01234567`,
      `https://www.airtable.com/${BASE}/pagAbCdEf01234567`,
      `airtable.com/${BASE}/tblAbCdEf01234567`,
    ]) {
      assert.deepEqual(parseAirtableBase(input), { ok: true, value: { baseId: BASE } }, input);
    }
  });

  test('a shared view (shr…) is refused: the API cannot read it; the message says to copy the base address', () => {
    for (const input of ['https://airtable.com/shrAbCdEf01234567', `https://airtable.com/${BASE}/shrAbCdEf01234567`, 'shrAbCdEf01234567']) {
      const message = error(parseAirtableBase(input));
      assert.match(message, /shared views \(shr…\) cannot be read by the API/, input);
      assert.match(message, /https:\/\/airtable\.com\/app…/, input);
    }
  });

  test('hostile or wrong input is refused, saying why', () => {
    const cases: [string, RegExp][] = [
      ['javascript:alert(1)', /not a javascript: link/],
      ['data:text/html,<script>alert(1)</script>', /not a data: link/],
      [`http://airtable.com/${BASE}`, /only an https:\/\/ link/],
      [`https://airtable.com.evil.example/${BASE}`, /on airtable\.com\.evil\.example, not on airtable\.com/],
      [`https://evil.example/airtable.com/${BASE}`, /on evil\.example/],
      [`https://user:pass@airtable.com/${BASE}`, /user name or password/],
      ['https://airtable.com/invite/l?inviteId=inv1', /does not name a base/],
      ['appShort', /is not a base id/],
      ['', /empty/],
    ];
    for (const [input, reason] of cases) assert.match(error(parseAirtableBase(input)), reason, input);
  });
});

describe('the Google Sheet', () => {
  test('an edit link, a view or copy link, or the bare id: read through the API', () => {
    for (const input of [
      SHEET,
      `https://docs.google.com/spreadsheets/d/${SHEET}/edit#gid=0`,
      `https://docs.google.com/spreadsheets/d/${SHEET}/edit?usp=sharing`,
      `https://docs.google.com/spreadsheets/u/0/d/${SHEET}/htmlview`,
      `https://docs.google.com/spreadsheets/d/${SHEET}`,
    ]) {
      assert.deepEqual(parseSheet(input), { ok: true, value: { kind: 'google-sheets', spreadsheetId: SHEET } }, input);
    }
  });

  test('the pubhtml link an iframe embeds becomes the CSV link of its tab, or of the first tab; setup says so', () => {
    const tab = parseSheet(`https://docs.google.com/spreadsheets/d/e/${PUB}/pubhtml?gid=123&single=true&widget=true&headers=false`);
    const csv = `https://docs.google.com/spreadsheets/d/e/${PUB}/pub?gid=123&single=true&output=csv`;
    assert.ok(tab.ok && tab.value.kind === 'published-csv');
    assert.equal(tab.value.url, csv);
    assert.match(tab.value.note ?? '', /becomes its CSV link .*the tab of that link \(gid=123\)/);
    const first = parseSheet(`https://docs.google.com/spreadsheets/d/e/${PUB}/pubhtml`);
    assert.ok(first.ok && first.value.kind === 'published-csv');
    assert.equal(first.value.url, `https://docs.google.com/spreadsheets/d/e/${PUB}/pub?output=csv`);
    assert.match(first.value.note ?? '', /the first tab, as the link names none/);
  });

  test('a CSV link is taken as it is', () => {
    const link = `https://docs.google.com/spreadsheets/d/e/${PUB}/pub?gid=7&single=true&output=csv`;
    assert.deepEqual(parseSheet(link), { ok: true, value: { kind: 'published-csv', url: link } });
  });

  test('hostile or wrong input is refused, saying why', () => {
    const cases: [string, RegExp][] = [
      ['javascript:alert(document.cookie)', /not a javascript: link/],
      [`http://docs.google.com/spreadsheets/d/${SHEET}/edit`, /only an https:\/\/ link/],
      [`https://docs.google.com.evil.example/spreadsheets/d/${SHEET}/edit`, /not on docs\.google\.com/],
      [`https://drive.google.com/file/d/${SHEET}/view`, /on drive\.google\.com, not on docs\.google\.com/],
      [`https://docs.google.com/document/d/${SHEET}/edit`, /is not a spreadsheet's/],
      ['short', /not on docs\.google\.com/],
    ];
    for (const [input, reason] of cases) assert.match(error(parseSheet(input)), reason, input);
  });
});

describe('the time zone', () => {
  test('a known zone, written as IANA writes it', () => {
    assert.deepEqual(parseTimeZone('Europe/Berlin'), { ok: true, value: 'Europe/Berlin' });
    assert.deepEqual(parseTimeZone(' america/new_york '), { ok: true, value: 'America/New_York' });
    assert.deepEqual(parseTimeZone('UTC'), { ok: true, value: 'UTC' });
  });

  test('a typo is refused with the nearest names', () => {
    assert.match(error(parseTimeZone('Europe/Berln')), /Did you mean "Europe\/Berlin"\?$/);
    assert.match(error(parseTimeZone('America/New_Yrok')), /Did you mean "America\/New_York"\?$/);
    assert.match(error(parseTimeZone('Tokio')), /Did you mean "Asia\/Tokyo"\?$/);
    assert.match(error(parseTimeZone('Europe/Olso')), /Did you mean "Europe\/Oslo"\?$/, 'not Asia/Omsk: the region counts');
    assert.doesNotMatch(error(parseTimeZone('not a zone at all')), /Did you mean/);
  });
});

describe('.env', () => {
  test('updated in place: other lines kept, values replaced once, overriding sources commented out, quoted as needed', () => {
    const before = ['# mine', 'SYNC_PORT=8080', 'AIRTABLE_TOKEN=old', 'AIRTABLE_BASE_ID=appOld', 'export AIRTABLE_TOKEN=older', ''].join(
      '\n',
    );
    const text = updateEnvText(before, { AIRTABLE_TOKEN: 'patNew.1', GOOGLE_APPLICATION_CREDENTIALS: '/home/me/my keys/sa#1.json' });
    assert.deepEqual(parseEnv(text), {
      SYNC_PORT: '8080',
      AIRTABLE_TOKEN: 'patNew.1',
      GOOGLE_APPLICATION_CREDENTIALS: '/home/me/my keys/sa#1.json',
    });
    assert.match(text, /^# mine\nSYNC_PORT=8080\nAIRTABLE_TOKEN=patNew\.1\n/);
    assert.match(text, /# AIRTABLE_BASE_ID=appOld/);
    assert.throws(() => updateEnvText('', { GOOGLE_API_KEY: 'a\nEVIL=1' }), /line break/);
  });

  test('created with mode 600; an existing file is made 600 too', () => {
    const dir = tempDir();
    const file = path.join(dir, '.env');
    assert.deepEqual(writeEnvFile(file, { AIRTABLE_TOKEN: 'patA' }), { existed: false });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, 'X=1\n', { mode: 0o644 });
    assert.deepEqual(writeEnvFile(file, { AIRTABLE_TOKEN: 'patB' }), { existed: true });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(parseEnv(readFileSync(file, 'utf8')), { X: '1', AIRTABLE_TOKEN: 'patB' });
  });
});

const FULL = [
  '--title',
  '1st Workshop on Data for Good',
  '--short-title',
  'Data for Good!',
  '--start',
  '2026-09-14',
  '--city',
  'Lisbon',
  '--time-zone',
  'Europe/Lisbon',
  '--host-name',
  'KDD 2026',
  '--host-url',
  'https://kdd.example.org/',
  '--airtable',
  BASE,
];

function flags(args: string[]): SetupFlags {
  const parsed = parseSetupArgs(args);
  assert.equal(parsed.kind, 'run');
  return (parsed as { flags: SetupFlags }).flags;
}

describe('answers from the flags alone', () => {
  const contentDir = tempDir();

  test('complete: defaults for the end, the edition id; tables from Airtable, schedule from it too without a sheet', () => {
    const result = answersFromFlags(flags(FULL), { contentDir, force: false });
    assert.ok(result.ok);
    assert.equal(result.answers.end, '2026-09-14');
    assert.equal(result.answers.edition, '2026-data-for-good');
    assert.deepEqual(sourceSettings(result.answers).tables, {
      organizers: 'airtable',
      speakers: 'airtable',
      papers: 'airtable',
      programCommittee: 'airtable',
      schedule: 'airtable',
    });
  });

  test('a sheet alone gives every table; a published link gives the schedule; --no-program-committee is none', () => {
    const sheetOnly = answersFromFlags(flags([...FULL.slice(0, -2), '--sheet', SHEET, '--no-program-committee']), {
      contentDir,
      force: false,
    });
    assert.ok(sheetOnly.ok);
    assert.deepEqual(sourceSettings(sheetOnly.answers), {
      sources: { googleSheets: { spreadsheetId: SHEET } },
      tables: {
        organizers: 'google-sheets',
        speakers: 'google-sheets',
        papers: 'google-sheets',
        programCommittee: 'none',
        schedule: 'google-sheets',
      },
    });
    const published = answersFromFlags(flags([...FULL, '--sheet', `https://docs.google.com/spreadsheets/d/e/${PUB}/pubhtml?gid=5`]), {
      contentDir,
      force: false,
    });
    assert.ok(published.ok);
    assert.deepEqual(sourceSettings(published.answers).sources.publishedCsv, {
      urls: { Schedule: `https://docs.google.com/spreadsheets/d/e/${PUB}/pub?gid=5&single=true&output=csv` },
    });
    assert.equal(sourceSettings(published.answers).tables.schedule, 'published-csv');
  });

  test('every missing answer is listed as its flag; defaults derived from a missing one are not', () => {
    const result = answersFromFlags(flags(['--title', 'T']), { contentDir, force: false });
    assert.deepEqual(result, {
      ok: false,
      missing: ['--start', '--city', '--time-zone', '--host-name', '--host-url', '--airtable or --sheet (or both)'],
      errors: [],
    });
  });

  test('every wrong answer is listed, with what is wrong', () => {
    const result = answersFromFlags(
      flags([...FULL, '--end', '2026-09-13', '--time-zone', 'Europe/Lisbn', '--host-url', 'javascript:alert(1)', '--edition', 'Bad Id']),
      { contentDir, force: false },
    );
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((e) => e.split(':')[0]),
      ['--end', '--time-zone', '--host-url', '--edition'],
    );
    assert.match(result.errors[1]!, /Did you mean "Europe\/Lisbon"\?/);
  });

  test('an existing edition is refused unless --force; a published link alone is refused', () => {
    mkdirSync(path.join(contentDir, 'taken'), { recursive: true });
    writeFileSync(path.join(contentDir, 'taken', 'edition.json'), '{}');
    const taken = answersFromFlags(flags([...FULL, '--edition', 'taken']), { contentDir, force: false });
    assert.ok(!taken.ok);
    assert.match(taken.errors[0]!, /exists already.*--force/);
    assert.ok(answersFromFlags(flags([...FULL, '--edition', 'taken']), { contentDir, force: true }).ok);
    const onlyCsv = answersFromFlags(flags([...FULL.slice(0, -2), '--sheet', `https://docs.google.com/spreadsheets/d/e/${PUB}/pubhtml`]), {
      contentDir,
      force: false,
    });
    assert.ok(!onlyCsv.ok);
    assert.match(onlyCsv.errors[0]!, /gives the schedule only/);
  });

  test('the default edition id: start year and a slug of the short title, valid for the model', () => {
    assert.equal(defaultEditionId('2025-07-17', 'Ética & IA: 2º Encontro'), '2025-etica-ia-2o-encontro');
    assert.equal(defaultEditionId('2025-07-17', '!!!'), '2025');
    assert.equal(defaultEditionId(undefined, 'X'), undefined);
  });

  test('credentials are not flags: --token is refused, saying why', () => {
    const parsed = parseSetupArgs(['--airtable-token', 'patSecret']);
    assert.equal(parsed.kind, 'usage-error');
    assert.match((parsed as { message: string }).message, /never go on the command line .*ps and the shell history/);
  });
});
