/**
 * The Sheets API v4 emulator (dev/emulators/google-sheets.ts) driven by the real clients: @googleapis/sheets with
 * an API key (`auth: 'KEY'` → `?key=`, `GoogleAuth({ apiKey })` → X-Goog-Api-Key) and a service account's
 * self-signed JWT from google-auth-library (offline, key pair generated here). Retries are off, so each call is
 * one request; the emulator's stats check that.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { GaxiosError } from 'gaxios';
import { GoogleAuth, JWT } from 'google-auth-library';
import { parseA1, startSheetsEmulator, type SheetsEmulator, type SpreadsheetSeed } from '../../dev/emulators/google-sheets.ts';
import { SHEETS_READONLY_SCOPE } from '../../sync/sources/endpoints.ts';

process.env['NO_PROXY'] = '127.0.0.1,localhost';

const KEY = 'test-api-key';
const SA_EMAIL = 'sync@workshop-test.iam.gserviceaccount.com';
const READONLY = SHEETS_READONLY_SCOPE;
/** A scope that grants no access to Sheets. */
const CALENDAR = SHEETS_READONLY_SCOPE.replace('spreadsheets.readonly', 'calendar');
const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const registered = pair();
const stranger = pair();

const WORKSHOP: SpreadsheetSeed = {
  title: 'Workshop 2024',
  public: true,
  sheets: [
    {
      title: 'People',
      rows: [
        ['id', 'name', 'role', 'notes'],
        ['ada', 'Ada Lovelace', 'keynote', '', ''],
        [],
        ['', '', '', ''],
        ['alan', 'Alan Turing', 'invited'],
        ['', '', ''],
        [],
      ],
    },
    { title: 'My Tab', sheetId: 1234, rows: [['a', 'b'], ['c']] },
    { title: "Bob's Papers", rows: [['title'], ['On Computable Numbers']] },
    { title: 'Empty', rows: [] },
  ],
};

/** A tab as people lay it out: a title, blank rows (one of empty cells), the header on row 4 with a blank cell. */
const TITLED = [['Workshop program (times in PDT)'], [], ['', ''], ['Date', 'Start', '', 'Title'], ['7/18/2024', '9:00 AM', '', 'Opening']];

function errorOf(error: unknown): { status: number | undefined; body: unknown } {
  assert.ok(error instanceof GaxiosError, `expected a GaxiosError, got ${String(error)}`);
  return { status: error.status, body: error.response?.data };
}

async function rejectsWith(call: Promise<unknown>, status: number, apiStatus: string, message: string | RegExp): Promise<void> {
  try {
    await call;
  } catch (error) {
    const { status: got, body } = errorOf(error);
    assert.equal(got, status);
    const detail = (body as { error: { code: number; status: string; message: string } }).error;
    assert.equal(detail.code, status);
    assert.equal(detail.status, apiStatus);
    if (typeof message === 'string') assert.equal(detail.message, message);
    else assert.match(detail.message, message);
    return;
  }
  assert.fail(`expected HTTP ${status}`);
}

describe('Sheets API v4 emulator with @googleapis/sheets', () => {
  let emulator: SheetsEmulator;
  let api: sheets_v4.Sheets;

  before(async () => {
    emulator = await startSheetsEmulator({
      spreadsheets: {
        workshop: WORKSHOP,
        private1: { title: 'Private', sheets: [{ title: 'Sheet1', rows: [['secret']] }], sharedWith: [SA_EMAIL] },
        private2: { title: 'Not shared', sheets: [{ title: 'Sheet1', rows: [['x']] }] },
        program: { title: 'Program', public: true, sheets: [{ title: 'Schedule', rows: TITLED }] },
      },
      apiKeys: [KEY],
      serviceAccounts: [{ email: SA_EMAIL, publicKey: registered.publicKey }],
    });
    api = sheets({ version: 'v4', auth: KEY, rootUrl: emulator.url, retryConfig: { retry: 0 } });
  });
  after(() => emulator.close());

  it('lists tabs with their properties', async () => {
    const { data } = await api.spreadsheets.get({ spreadsheetId: 'workshop' });
    assert.equal(data.spreadsheetId, 'workshop');
    assert.equal(data.properties?.title, 'Workshop 2024');
    assert.deepEqual(
      data.sheets?.map((s) => s.properties),
      [
        { sheetId: 0, title: 'People', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
        { sheetId: 1234, title: 'My Tab', index: 1, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
        { sheetId: 1235, title: "Bob's Papers", index: 2, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
        { sheetId: 1236, title: 'Empty', index: 3, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } },
      ],
    );
  });

  it("gives the spreadsheet's locale and time zone (default en_US), and only the fields asked for", async () => {
    const whole = await api.spreadsheets.get({ spreadsheetId: 'workshop' });
    assert.equal(whole.data.properties?.locale, 'en_US');
    emulator.store.addSpreadsheet('berlin', {
      title: 'Programm',
      public: true,
      locale: 'de_DE',
      timeZone: 'Europe/Berlin',
      sheets: [{ title: 'Schedule', rows: [['Date'], ['18.07.2024']] }],
    });
    const { data } = await api.spreadsheets.get({ spreadsheetId: 'berlin', fields: 'properties(locale,timeZone)' });
    assert.deepEqual(data, { properties: { locale: 'de_DE', timeZone: 'Europe/Berlin' } });
    const titles = await api.spreadsheets.get({ spreadsheetId: 'berlin', fields: 'spreadsheetId,sheets.properties.title' });
    assert.deepEqual(titles.data, { spreadsheetId: 'berlin', sheets: [{ properties: { title: 'Schedule' } }] });
    emulator.store.setLocale('berlin', 'en_GB', 'Europe/London');
    const changed = await api.spreadsheets.get({ spreadsheetId: 'berlin', fields: 'properties/locale' });
    assert.deepEqual(changed.data, { properties: { locale: 'en_GB' } });
    await rejectsWith(
      api.spreadsheets.get({ spreadsheetId: 'berlin', fields: 'properties(locale' }),
      400,
      'INVALID_ARGUMENT',
      'Invalid field selection properties(locale',
    );
    emulator.store.deleteSpreadsheet('berlin');
  });

  it('reads a whole tab: trailing cells and rows trimmed, interior blank rows as []', async () => {
    const { data } = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People' });
    assert.deepEqual(data, {
      range: 'People!A1:Z1000',
      majorDimension: 'ROWS',
      values: [['id', 'name', 'role', 'notes'], ['ada', 'Ada Lovelace', 'keynote'], [], [], ['alan', 'Alan Turing', 'invited']],
    });
  });

  it("keeps the blank rows above a header as [], so the row numbers stay the sheet's", async () => {
    const { data } = await api.spreadsheets.values.batchGet({ spreadsheetId: 'program', ranges: ['Schedule'] });
    assert.deepEqual(data.valueRanges, [
      {
        range: 'Schedule!A1:Z1000',
        majorDimension: 'ROWS',
        values: [['Workshop program (times in PDT)'], [], [], ['Date', 'Start', '', 'Title'], ['7/18/2024', '9:00 AM', '', 'Opening']],
      },
    ]);
  });

  it('reads sub-ranges: columns, open-ended, interior blank cells, COLUMNS', async () => {
    const column = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!B:B' });
    assert.deepEqual(column.data, {
      range: 'People!B1:B1000',
      majorDimension: 'ROWS',
      values: [['name'], ['Ada Lovelace'], [], [], ['Alan Turing']],
    });
    const open = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!A2:C' });
    assert.equal(open.data.range, 'People!A2:C1000');
    assert.deepEqual(open.data.values?.[0], ['ada', 'Ada Lovelace', 'keynote']);
    const interior = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!C3:D5' });
    assert.deepEqual(interior.data.values, [[], [], ['invited']]);
    const firstTab = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'A1:B2' });
    assert.deepEqual(firstTab.data.values, [
      ['id', 'name'],
      ['ada', 'Ada Lovelace'],
    ]);
    const columns = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!A1:C5', majorDimension: 'COLUMNS' });
    assert.deepEqual(columns.data.values, [
      ['id', 'ada', '', '', 'alan'],
      ['name', 'Ada Lovelace', '', '', 'Alan Turing'],
      ['role', 'keynote', '', '', 'invited'],
    ]);
  });

  it('has no values key for a range without data', async () => {
    const empty = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'Empty' });
    assert.deepEqual(empty.data, { range: 'Empty!A1:Z1000', majorDimension: 'ROWS' });
    const blank = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!F1:H10' });
    assert.equal('values' in blank.data, false);
  });

  it('batchGets several tabs, including quoted names with spaces and a doubled quote', async () => {
    const { data } = await api.spreadsheets.values.batchGet({
      spreadsheetId: 'workshop',
      ranges: ['People!A1:B2', "'My Tab'!A1:H", "'Bob''s Papers'", 'Empty!A:A'],
    });
    assert.deepEqual(data, {
      spreadsheetId: 'workshop',
      valueRanges: [
        {
          range: 'People!A1:B2',
          majorDimension: 'ROWS',
          values: [
            ['id', 'name'],
            ['ada', 'Ada Lovelace'],
          ],
        },
        { range: "'My Tab'!A1:H1000", majorDimension: 'ROWS', values: [['a', 'b'], ['c']] },
        { range: "'Bob''s Papers'!A1:Z1000", majorDimension: 'ROWS', values: [['title'], ['On Computable Numbers']] },
        { range: 'Empty!A1:A1000', majorDimension: 'ROWS' },
      ],
    });
    const quoted = await api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: "'My Tab'!A1:B2" });
    assert.deepEqual(quoted.data.values, [['a', 'b'], ['c']], 'a quoted name with spaces in the {range} path segment');
    assert.equal(emulator.stats.byAuth['key-header'], undefined, "auth: 'KEY' sends ?key=");
    assert.ok((emulator.stats.byAuth['key-query'] ?? 0) >= 7);
  });

  it('sends the key as X-Goog-Api-Key with GoogleAuth({ apiKey })', async () => {
    // projectId: without it GoogleAuth probes the GCE metadata server (~0.5–3 s offline) before the first request.
    const viaHeader = sheets({
      version: 'v4',
      auth: new GoogleAuth({ apiKey: KEY, projectId: 'test' }),
      rootUrl: emulator.url,
      retryConfig: { retry: 0 },
    });
    const { data } = await viaHeader.spreadsheets.values.get({ spreadsheetId: 'workshop', range: "'My Tab'" });
    assert.deepEqual(data.values, [['a', 'b'], ['c']]);
    assert.equal(emulator.stats.byAuth['key-header'], 1);
    const wrong = sheets({
      version: 'v4',
      auth: new GoogleAuth({ apiKey: 'nope', projectId: 'test' }),
      rootUrl: emulator.url,
      retryConfig: { retry: 0 },
    });
    await rejectsWith(
      wrong.spreadsheets.get({ spreadsheetId: 'workshop' }),
      400,
      'INVALID_ARGUMENT',
      'API key not valid. Please pass a valid API key.',
    );
  });

  it('sees edits between calls: cells, rows, renamed and deleted tabs', async () => {
    emulator.store.addSpreadsheet('live', {
      title: 'Live',
      public: true,
      sheets: [
        { title: 'T', rows: [['a']] },
        { title: 'U', rows: [['u']] },
      ],
    });
    emulator.store.setCell('live', 'T', 'C2', 'x');
    emulator.store.setRow('live', 'T', 3, ['d', 'e']);
    const { data } = await api.spreadsheets.values.get({ spreadsheetId: 'live', range: 'T' });
    assert.deepEqual(data.values, [['a'], ['', '', 'x'], [], ['d', 'e']]);
    emulator.store.renameSheet('live', 'T', 'Renamed Tab');
    const renamed = await api.spreadsheets.values.get({ spreadsheetId: 'live', range: "'Renamed Tab'!A1" });
    assert.deepEqual(renamed.data.values, [['a']]);
    await rejectsWith(
      api.spreadsheets.values.get({ spreadsheetId: 'live', range: 'T!A1' }),
      400,
      'INVALID_ARGUMENT',
      'Unable to parse range: T!A1',
    );
    emulator.store.deleteSheet('live', 'U');
    const meta = await api.spreadsheets.get({ spreadsheetId: 'live' });
    assert.deepEqual(
      meta.data.sheets?.map((s) => s.properties?.title),
      ['Renamed Tab'],
    );
  });

  it('surfaces API errors as GaxiosError 400/403/404 with the documented bodies', async () => {
    const before = emulator.stats.requests;
    await rejectsWith(
      api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'Missing!A1' }),
      400,
      'INVALID_ARGUMENT',
      'Unable to parse range: Missing!A1',
    );
    await rejectsWith(
      api.spreadsheets.values.get({ spreadsheetId: 'workshop', range: 'People!A1:B2:C3' }),
      400,
      'INVALID_ARGUMENT',
      'Unable to parse range: People!A1:B2:C3',
    );
    await rejectsWith(
      api.spreadsheets.values.batchGet({ spreadsheetId: 'workshop', ranges: ['People', "'Unclosed"] }),
      400,
      'INVALID_ARGUMENT',
      "Unable to parse range: 'Unclosed",
    );
    await rejectsWith(api.spreadsheets.get({ spreadsheetId: 'private1' }), 403, 'PERMISSION_DENIED', 'The caller does not have permission');
    await rejectsWith(api.spreadsheets.get({ spreadsheetId: 'nope' }), 404, 'NOT_FOUND', 'Requested entity was not found.');
    const anonymous = sheets({ version: 'v4', rootUrl: emulator.url, retryConfig: { retry: 0 } });
    await rejectsWith(
      anonymous.spreadsheets.get({ spreadsheetId: 'workshop' }),
      403,
      'PERMISSION_DENIED',
      'The request is missing a valid API key.',
    );
    assert.equal(emulator.stats.requests - before, 6, 'one request per call: no retries');
  });

  it('answers 429 RESOURCE_EXHAUSTED past the per-minute quota', async () => {
    let clock = 1_000_000;
    const limited = await startSheetsEmulator({ store: emulator.store, apiKeys: [KEY], quotaPerMinute: 2, now: () => clock });
    try {
      const client = sheets({ version: 'v4', auth: KEY, rootUrl: limited.url, retryConfig: { retry: 0 } });
      await client.spreadsheets.get({ spreadsheetId: 'workshop' });
      await client.spreadsheets.values.batchGet({ spreadsheetId: 'workshop', ranges: ['People', 'Empty'] });
      await rejectsWith(client.spreadsheets.get({ spreadsheetId: 'workshop' }), 429, 'RESOURCE_EXHAUSTED', /Quota exceeded/);
      clock += 60_001;
      await client.spreadsheets.get({ spreadsheetId: 'workshop' });
      assert.deepEqual(limited.stats.byStatus, { 200: 3, 429: 1 });
      assert.deepEqual(limited.stats.byEndpoint, { get: 3, batchGet: 1 });
    } finally {
      await limited.close();
    }
  });

  it('applies injected faults, with error bodies in the API format', async () => {
    emulator.faults.add({ kind: 'status', status: 503, path: '/v4/spreadsheets/workshop' });
    await rejectsWith(api.spreadsheets.get({ spreadsheetId: 'workshop' }), 503, 'UNAVAILABLE', 'The service is currently unavailable.');
    emulator.faults.add({ kind: 'status', status: 429 });
    await rejectsWith(api.spreadsheets.get({ spreadsheetId: 'workshop' }), 429, 'RESOURCE_EXHAUSTED', /Quota exceeded/);
    emulator.faults.add({ kind: 'drop' });
    await assert.rejects(api.spreadsheets.get({ spreadsheetId: 'workshop' }));
    const { data } = await api.spreadsheets.get({ spreadsheetId: 'workshop' });
    assert.equal(data.properties?.title, 'Workshop 2024');
  });

  describe('service account (self-signed JWT, offline)', () => {
    function client(email: string, key: string, scopes = [READONLY]): sheets_v4.Sheets {
      const jwt = new JWT({ email, key, scopes });
      jwt.useJWTAccessWithScope = true;
      return sheets({ version: 'v4', auth: jwt, rootUrl: emulator.url, retryConfig: { retry: 0 } });
    }

    it('reads a spreadsheet shared with the account, and public ones', async () => {
      const api = client(SA_EMAIL, registered.privateKey);
      const { data } = await api.spreadsheets.values.get({ spreadsheetId: 'private1', range: 'Sheet1' });
      assert.deepEqual(data.values, [['secret']]);
      const pub = await api.spreadsheets.values.batchGet({ spreadsheetId: 'workshop', ranges: ["'My Tab'"] });
      assert.deepEqual(pub.data.valueRanges?.[0]?.values, [['a', 'b'], ['c']]);
    });

    it('is denied a spreadsheet not shared with it (403)', async () => {
      const api = client(SA_EMAIL, registered.privateKey);
      await rejectsWith(
        api.spreadsheets.get({ spreadsheetId: 'private2' }),
        403,
        'PERMISSION_DENIED',
        'The caller does not have permission',
      );
    });

    it('rejects a JWT signed with another key, or from an unknown account (401)', async () => {
      await rejectsWith(
        client(SA_EMAIL, stranger.privateKey).spreadsheets.get({ spreadsheetId: 'private1' }),
        401,
        'UNAUTHENTICATED',
        /invalid authentication credentials/,
      );
      await rejectsWith(
        client('who@else.iam.gserviceaccount.com', registered.privateKey).spreadsheets.get({ spreadsheetId: 'private1' }),
        401,
        'UNAUTHENTICATED',
        /invalid authentication credentials/,
      );
    });

    it('rejects a tampered token, and a scope without Sheets access (403)', async () => {
      const jwt = new JWT({ email: SA_EMAIL, key: registered.privateKey, scopes: [READONLY] });
      jwt.useJWTAccessWithScope = true;
      const headers = await jwt.getRequestHeaders(emulator.url);
      const token = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims['iss'], SA_EMAIL);
      assert.equal(claims['scope'], READONLY);
      const forged = Buffer.from(JSON.stringify({ ...claims, iss: SA_EMAIL, exp: Number(claims['exp']) + 1 })).toString('base64url');
      const tampered = await fetch(new URL('v4/spreadsheets/private1', emulator.url), {
        headers: { authorization: `Bearer ${h}.${forged}.${s}` },
      });
      assert.equal(tampered.status, 401);
      const good = await fetch(new URL('v4/spreadsheets/private1', emulator.url), { headers: { authorization: `Bearer ${token}` } });
      assert.equal(good.status, 200);
      await rejectsWith(
        client(SA_EMAIL, registered.privateKey, [CALENDAR]).spreadsheets.get({ spreadsheetId: 'private1' }),
        403,
        'PERMISSION_DENIED',
        'Request had insufficient authentication scopes.',
      );
    });

    it('rejects an expired token (401)', async () => {
      const later = await startSheetsEmulator({
        store: emulator.store,
        serviceAccounts: [{ email: SA_EMAIL, publicKey: registered.publicKey }],
        now: () => Date.now() + 2 * 3600_000,
      });
      try {
        const jwt = new JWT({ email: SA_EMAIL, key: registered.privateKey, scopes: [READONLY] });
        jwt.useJWTAccessWithScope = true;
        const api = sheets({ version: 'v4', auth: jwt, rootUrl: later.url, retryConfig: { retry: 0 } });
        await rejectsWith(
          api.spreadsheets.get({ spreadsheetId: 'private1' }),
          401,
          'UNAUTHENTICATED',
          /invalid authentication credentials/,
        );
      } finally {
        await later.close();
      }
    });
  });
});

describe('parseA1', () => {
  const titles = ['Sheet1', 'My Tab', "It's", 'A1'];
  it('parses the documented forms', () => {
    const open = { startRow: undefined, endRow: undefined, startColumn: undefined, endColumn: undefined };
    assert.deepEqual(parseA1('Sheet1', titles), { sheet: 'Sheet1', ...open });
    assert.deepEqual(parseA1('A1', titles), { sheet: 'A1', ...open }, 'a tab title wins over a cell');
    assert.deepEqual(parseA1("'It''s'!B2", titles), { sheet: "It's", startRow: 1, endRow: 1, startColumn: 1, endColumn: 1 });
    assert.deepEqual(parseA1('My Tab!A:A', titles), {
      sheet: 'My Tab',
      startRow: undefined,
      endRow: undefined,
      startColumn: 0,
      endColumn: 0,
    });
    assert.deepEqual(parseA1('Sheet1!2:5', titles), {
      sheet: 'Sheet1',
      startRow: 1,
      endRow: 4,
      startColumn: undefined,
      endColumn: undefined,
    });
    assert.deepEqual(parseA1("'My Tab'!AA10:H", titles), {
      sheet: 'My Tab',
      startRow: 9,
      endRow: undefined,
      startColumn: 7,
      endColumn: 26,
    });
    assert.deepEqual(parseA1('B2:C3', titles), { sheet: undefined, startRow: 1, endRow: 2, startColumn: 1, endColumn: 2 });
  });
  it('rejects what Google cannot parse', () => {
    for (const bad of ['', 'Nope', 'Nope!A1', "'My Tab", "'My Tab'A1", 'Sheet1!', 'Sheet1!A1:', 'Sheet1!A0', 'Sheet1!1A']) {
      assert.throws(() => parseA1(bad, titles), { message: `Unable to parse range: ${bad}` }, bad);
    }
  });
});
