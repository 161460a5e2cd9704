/**
 * Each retryable and each non-retryable failure of the two APIs, through the whole sync (runSync) with the real
 * clients (airtable.js, @googleapis/sheets) against the local emulators.
 * - Retryable (408, 429 with and without Retry-After, 500, 502, 503, 504, a dropped connection, a cut-off body, a
 *   stalled body): the emulator sees one more request per fault, and the sync succeeds with exactly the content a
 *   clean sync writes.
 * - Non-retryable (Airtable 401, 403, 404, 422; Google Sheets 400, 403, 404): the request is made once, the sync
 *   stops with a SourceError of one line that names the source and the table, says what to do and holds no secret,
 *   and content/ is left byte for byte as it was.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { rmSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import type { WorkshopConfig } from '../../sync/config.ts';
import { DEMO_API_KEY, DEMO_SPREADSHEET_ID, startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { EMULATOR_TOKEN } from '../../dev/emulators/airtable/index.ts';
import type { Fault, FaultRule } from '../../dev/emulators/faults.ts';
import type { RetryPolicy } from '../../sync/http/retry.ts';
import { runSync } from '../../sync/pipeline.ts';
import type { SyncEvent } from '../../sync/report.ts';
import { SourceError } from '../../sync/errors.ts';
import { configFor, contentCopy, FAST, snapshot } from './helpers.ts';

type EmulatorOptions = NonNullable<Parameters<typeof startDemoEmulators>[0]>;
type Service = 'Airtable' | 'Google Sheets';

const BAD_TOKEN = 'patBADbadBAD000000.0123456789abcdef';
const BAD_API_KEY = 'AIzaSyBADbadBAD0000000000000000000000';
const OTHER_BASE_TOKEN = 'patOTHERother00000.fedcba9876543210';
/** Emulator defaults of every test: a short rate-limit penalty, in case a test runs into it. */
const EMULATORS: EmulatorOptions = { airtable: { rateLimit: { penaltyMs: 100 } } };

/** No test may hang: a stalled connection that is never given up shows as a failure, not a stuck run. */
const LIMIT = { timeout: 20_000 };
const dirs: string[] = [];
const running: DemoEmulators[] = [];
/** The bytes of every file a clean sync writes into an empty edition. */
let baseline = new Map<string, string>();

async function emulators(options: EmulatorOptions = EMULATORS): Promise<DemoEmulators> {
  const demo = await startDemoEmulators(options);
  running.push(demo);
  return demo;
}

function content(options: { empty?: boolean } = {}): string {
  const dir = contentCopy(options);
  dirs.push(dir);
  return dir;
}

const bytes = (dir: string) => new Map([...snapshot(dir)].map(([file, { bytes: data }]) => [file, data]));

/** The files whose bytes differ from the clean sync's (or exist on one side only). */
function differences(dir: string): string[] {
  const now = bytes(dir);
  const names = new Set([...now.keys(), ...baseline.keys()]);
  return [...names].filter((name) => now.get(name) !== baseline.get(name)).sort();
}

const pathname = (url: string) => new URL(url, 'http://emulator.invalid').pathname;
const baseId = (demo: DemoEmulators) => demo.env['AIRTABLE_BASE_ID']!;
const tablePath = (demo: DemoEmulators, table: string) => `/v0/${baseId(demo)}/${encodeURIComponent(table)}`;
const batchGetPath = (demo: DemoEmulators) => `/v4/spreadsheets/${demo.env['GOOGLE_SHEETS_ID']}/values:batchGet`;

/** Requests to the Airtable API (not to attachments), by pathname. */
function airtableRequests(demo: DemoEmulators): string[] {
  return demo.airtable.stats.log.map((r) => pathname(r.path)).filter((p) => p.startsWith('/v0/'));
}

/** The retries the progress events reported for a table (the last event carries the total). */
function reportedRetries(events: SyncEvent[], table: string): number {
  const last = events.filter((e) => e.type === 'table' && e.table === table).at(-1);
  return last?.type === 'table' ? last.retries : 0;
}

before(async () => {
  const demo = await emulators();
  const dir = content({ empty: true });
  await runSync(configFor(demo.env, dir), { policy: FAST });
  baseline = bytes(dir);
  assert.ok(baseline.size > 4, 'the clean sync wrote people, papers, schedule and photos');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((demo) => demo.close()));
});
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('retryable failures: retried, then the same content as a clean sync', () => {
  interface Retryable {
    name: string;
    fault: Fault;
    /** How many requests in a row get the fault. */
    times: number;
    config?: WorkshopConfig;
    policy?: Partial<RetryPolicy>;
    /** The least time the sync must have waited before it tried again. */
    waitsMs?: number;
  }

  const everywhere: Retryable[] = [
    { name: '408 request timeout', fault: { kind: 'status', status: 408 }, times: 2 },
    { name: '500 internal error', fault: { kind: 'status', status: 500 }, times: 2 },
    { name: '502 bad gateway', fault: { kind: 'status', status: 502 }, times: 2 },
    { name: '503 unavailable', fault: { kind: 'status', status: 503 }, times: 2 },
    { name: '504 gateway timeout', fault: { kind: 'status', status: 504 }, times: 2 },
    { name: 'a dropped connection', fault: { kind: 'drop' }, times: 2 },
    // airtable.js (node-fetch 2) never notices a body cut off after a Content-Length: the per-try deadline ends it.
    { name: 'a body cut off by a closed connection', fault: { kind: 'truncate', bytes: 40 }, times: 1, config: { requestTimeoutMs: 400 } },
    { name: 'a body cut short but ended cleanly', fault: { kind: 'truncate', bytes: 40, ending: 'end' }, times: 1 },
    {
      name: 'a body that stalls after the headers (the per-try deadline)',
      fault: { kind: 'stall', bytes: 40 },
      times: 1,
      config: { requestTimeoutMs: 400 },
      waitsMs: 400,
    },
  ];
  const rows: Record<Service, Retryable[]> = {
    Airtable: [
      ...everywhere,
      // airtable.js drops the answer's headers (and Airtable sends no Retry-After): the policy's penalty applies.
      {
        name: '429 with Retry-After (the policy penalty)',
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
        times: 1,
        policy: { rateLimitPenaltyMs: 300 },
        waitsMs: 300,
      },
    ],
    'Google Sheets': [
      ...everywhere,
      // The policy's own penalty (100 ms) is far shorter: only Retry-After explains a 1 s wait.
      { name: '429 with Retry-After: 1', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 1, waitsMs: 1000 },
      {
        name: '429 without Retry-After (the policy penalty)',
        fault: { kind: 'status', status: 429 },
        times: 1,
        policy: { rateLimitPenaltyMs: 300 },
        waitsMs: 300,
      },
    ],
  };
  const target: Record<Service, { table: string; path: (demo: DemoEmulators) => string; requests: (demo: DemoEmulators) => number }> = {
    Airtable: {
      table: 'Papers',
      path: (demo) => tablePath(demo, 'Papers'),
      requests: (demo) => airtableRequests(demo).filter((p) => p === tablePath(demo, 'Papers')).length,
    },
    'Google Sheets': {
      table: 'Schedule',
      path: batchGetPath,
      // The values' requests: the spreadsheet's locale is read besides, once (spreadsheets.get).
      requests: (demo) => demo.sheets.stats.requests - (demo.sheets.stats.byEndpoint['get'] ?? 0),
    },
  };

  for (const service of ['Airtable', 'Google Sheets'] as const) {
    const { table, path, requests } = target[service];
    for (const row of rows[service]) {
      test(`${service} › ${table}: ${row.name}`, LIMIT, async () => {
        const demo = await emulators();
        const rule: FaultRule = { ...row.fault, times: row.times, path: path(demo) };
        if (service === 'Airtable') demo.airtable.inject(rule);
        else demo.sheets.faults.add(rule);
        const dir = content({ empty: true });
        const events: SyncEvent[] = [];
        const started = performance.now();
        const report = await runSync(configFor(demo.env, dir, row.config), {
          policy: { ...FAST, ...row.policy },
          onEvent: (e) => events.push(e),
        });
        const tookMs = performance.now() - started;

        assert.equal(report.ok, true);
        assert.deepEqual(differences(dir), [], 'the files differ from a clean sync');
        const faults = service === 'Airtable' ? demo.airtable.faults : demo.sheets.faults;
        assert.deepEqual([faults.log.length, faults.pending()], [row.times, 0], 'every injected fault was served');
        assert.equal(requests(demo), 1 + row.times, 'one more request per fault');
        assert.equal(reportedRetries(events, table), row.times);
        if (row.waitsMs !== undefined)
          assert.ok(tookMs >= row.waitsMs, `waited ${Math.round(tookMs)} ms, expected at least ${row.waitsMs} ms`);
      });
    }
  }

  test("Airtable: a 429 from the base's own rate limit, without Retry-After, waits out the penalty", LIMIT, async () => {
    // Three requests per second: the three tables read at once take them, and the schema (the columns' field types),
    // asked for when the first page arrives, is refused; the base is blocked for 1 s (Airtable: 30 s). Retrying sooner
    // than the penalty would only be refused again.
    const demo = await emulators({ airtable: { rateLimit: { requestsPerSecond: 3, penaltyMs: 1000 } } });
    // Authors as text, so that the tables and the schema are the only requests (linked authors add the People names).
    const people = demo.airtable.records(baseId(demo), 'People');
    for (const paper of demo.airtable.records(baseId(demo), 'Papers')) {
      const names = (paper.fields['Authors'] as string[]).map((id) => String(people.find((p) => p.id === id)?.fields['Name']));
      demo.airtable.updateRecord(baseId(demo), 'Papers', paper.id, { Authors: names.join(', ') });
    }
    const dir = content({ empty: true });
    const started = performance.now();
    const report = await runSync(configFor(demo.env, dir), { policy: { ...FAST, rateLimitPenaltyMs: 1000 } });
    const tookMs = performance.now() - started;

    assert.equal(report.ok, true);
    assert.deepEqual(differences(dir), []);
    const stats = demo.airtable.stats.bases[baseId(demo)];
    assert.equal(stats?.rateLimited, 1, 'exactly one request was refused: the retry waited for the penalty');
    const paths = airtableRequests(demo);
    assert.equal(paths.length, new Set(paths).size + 1, 'one request was made twice, every other once');
    assert.ok(tookMs >= 1000, `waited ${Math.round(tookMs)} ms, expected at least the 1000 ms penalty`);
  });
});

describe('non-retryable failures: asked once, one actionable line, content/ untouched', () => {
  interface Fatal {
    name: string;
    service: Service;
    emulators?: EmulatorOptions;
    env?: Record<string, string>;
    config?: WorkshopConfig;
    /** Changes the emulators' data or queues faults before the sync. */
    arrange?: (demo: DemoEmulators) => void;
    /** The table or tab the message names. */
    table: string | RegExp;
    /** What the message says happened and what to do, in key words. */
    says: RegExp;
  }

  const rows: Fatal[] = [
    {
      name: '401 a rejected token',
      service: 'Airtable',
      env: { AIRTABLE_TOKEN: BAD_TOKEN },
      table: /^(Organizers|Speakers|Papers)$/,
      says: /\(401\)\. Set AIRTABLE_TOKEN to a personal access token/,
    },
    {
      name: '403 a token without access to the base (INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND)',
      service: 'Airtable',
      emulators: { airtable: { tokens: { [EMULATOR_TOKEN]: '*', [OTHER_BASE_TOKEN]: ['appOtherBase000000'] } } },
      env: { AIRTABLE_TOKEN: OTHER_BASE_TOKEN },
      table: /^(Organizers|Speakers|Papers)$/,
      says: /\(403\)\. Check AIRTABLE_BASE_ID, .*the token/,
    },
    {
      name: "403 an unknown table, as personal access tokens are told (the emulator's default)",
      service: 'Airtable',
      config: { template: { papers: { table: 'Accepted Papers' } } },
      table: 'Accepted Papers',
      says: /"Accepted Papers" \(403\)\. Check .*the table name in workshop\.config\.ts/,
    },
    {
      name: '404 an unknown base (NOT_FOUND)',
      service: 'Airtable',
      arrange: (demo) => demo.airtable.inject({ kind: 'status', status: 404, path: `/v0/${baseId(demo)}/`, times: Infinity }),
      table: /^(Organizers|Speakers|Papers)$/,
      says: /\(404\)\. Check AIRTABLE_BASE_ID/,
    },
    {
      name: '404 an unknown table (TABLE_NOT_FOUND)',
      service: 'Airtable',
      emulators: { airtable: { unknownTable: 'TABLE_NOT_FOUND' } },
      config: { template: { papers: { table: 'Accepted Papers' } } },
      table: 'Accepted Papers',
      says: /"Accepted Papers".*\(404\)\. Check .*the table name in workshop\.config\.ts/,
    },
    {
      name: '422 a renamed column (UNKNOWN_FIELD_NAME)',
      service: 'Airtable',
      arrange: (demo) => demo.airtable.renameField(baseId(demo), 'Papers', 'Title', 'Paper title'),
      table: 'Papers',
      says: /there is no column "Title" \(422 UNKNOWN_FIELD_NAME\)\. Its columns are "Paper ID", .*"Paper title"\. Did you mean "Paper title"\? Rename the column back to "Title", or put its name in the template in workshop\.config\.ts/,
    },
    {
      name: '422 the Status column renamed (the accepted-papers filter names it)',
      service: 'Airtable',
      arrange: (demo) => demo.airtable.renameField(baseId(demo), 'Papers', 'Status', 'Decision'),
      table: 'Papers',
      says: /there is no column "Status" \(422 UNKNOWN_FIELD_NAME\)\. Its columns are .*"Decision"\. Rename the column back to "Status"/,
    },
    {
      name: '400 a renamed tab (bad range)',
      service: 'Google Sheets',
      arrange: (demo) => demo.sheets.store.renameSheet(DEMO_SPREADSHEET_ID, 'Schedule', 'Program'),
      table: 'Schedule',
      says: /no tab "Schedule" \(it has "Program"\)\. Rename the tab back, or update the tab name in workshop\.config\.ts/,
    },
    {
      name: '400 an API key that is not valid (API_KEY_INVALID)',
      service: 'Google Sheets',
      env: { GOOGLE_API_KEY: BAD_API_KEY },
      table: 'Schedule',
      says: /\(400 .*\)\. Set GOOGLE_API_KEY to/,
    },
    {
      name: '403 a sheet not shared with the link (PERMISSION_DENIED)',
      service: 'Google Sheets',
      arrange: (demo) => demo.sheets.store.setPublic(DEMO_SPREADSHEET_ID, false),
      table: 'Schedule',
      says: /no access to spreadsheet .*\(403 PERMISSION_DENIED\)\. With GOOGLE_API_KEY, share the sheet with "Anyone with the link/,
    },
    {
      name: '404 an unknown spreadsheet',
      service: 'Google Sheets',
      env: { GOOGLE_SHEETS_ID: '1NoSuchSpreadsheet0000000000' },
      table: 'Schedule',
      says: /no spreadsheet 1NoSuchSpreadsheet0000000000 \(404\)\. Check GOOGLE_SHEETS_ID/,
    },
  ];

  for (const row of rows) {
    test(`${row.service}: ${row.name}`, LIMIT, async () => {
      const demo = await emulators(row.emulators ?? EMULATORS);
      row.arrange?.(demo);
      const env = { ...demo.env, ...row.env };
      const dir = content();
      const before = snapshot(dir);
      const error = await runSync(configFor(env, dir, row.config), { policy: FAST }).then(
        () => assert.fail('expected the sync to fail'),
        (e: unknown) => e,
      );

      assert.ok(error instanceof SourceError, String(error));
      assert.equal(error.source, row.service);
      assert.ok(
        error.table !== undefined && (typeof row.table === 'string' ? error.table === row.table : row.table.test(error.table)),
        `table: ${error.table}`,
      );
      assert.ok(error.message.startsWith(`${row.service} › ${error.table}: `), error.message);
      assert.match(error.message, row.says);
      assert.ok(!/[\r\n]/.test(error.message), `one line: ${error.message}`);
      for (const secret of [env['AIRTABLE_TOKEN']!, env['GOOGLE_API_KEY']!, EMULATOR_TOKEN, DEMO_API_KEY]) {
        assert.ok(!error.message.includes(secret) && !JSON.stringify(error).includes(secret), 'a secret in the error');
        // What Node prints for an uncaught error, or a logger for the whole object, causes included.
        assert.ok(!inspect(error, { depth: Infinity }).includes(secret), 'a secret deep inside the error');
      }
      assert.deepEqual(snapshot(dir), before, 'content/ changed');

      if (row.service === 'Airtable') {
        const paths = airtableRequests(demo);
        assert.equal(paths.filter((p) => p === tablePath(demo, error.table!)).length, 1, 'the failed request was retried');
        assert.equal(paths.length, new Set(paths).size, `a request was repeated: ${paths.join(', ')}`);
      } else {
        assert.equal(demo.sheets.stats.byEndpoint['batchGet'], 1, 'the failed request was retried');
      }
    });
  }
});
