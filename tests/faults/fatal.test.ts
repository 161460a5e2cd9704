/**
 * Faults the sync must not ride out: rejected credentials, a missing base, table or spreadsheet, a renamed or
 * deleted column, a renamed tab, more than half of a collection gone, and retryable faults that outlast the
 * retries. The real clients against the emulators (runSync in this process); each sync must stop with one line
 * that names the source and table (or file) and says what to do — the line the service records and `npm run sync`
 * prints after "Sync failed:" — and leave content/ byte for byte as it was.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkshopConfig } from '../../sync/config.ts';
import { DEMO_SPREADSHEET_ID, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { EMULATOR_TOKEN } from '../../dev/emulators/airtable/index.ts';
import { demoSheet } from '../../dev/demo/load.ts';
import { SyncFailed } from '../../sync/errors.ts';
import { runSync } from '../../sync/pipeline.ts';
import { errorLine } from '../../sync/service/error-line.ts';
import { SourceError } from '../../sync/errors.ts';
import {
  assertOneLine,
  baseId,
  batchGetPath,
  configFor,
  content,
  emulators,
  FAST,
  files,
  scenario,
  tablePath,
  type EmulatorOptions,
} from './helpers.ts';

const LIMIT = { timeout: 20_000 };
const OTHER_BASE_TOKEN = 'patOTHERother00000.fedcba9876543210';

interface Fatal {
  name: string;
  fault: string;
  emulators?: EmulatorOptions;
  env?: Record<string, string>;
  config?: WorkshopConfig;
  /** Changes the emulators' data or queues faults before the sync. */
  arrange?: (demo: DemoEmulators) => void;
  /** Where the line points: `Airtable › Papers`, `Google Sheets › Schedule`… (a RegExp for "any Airtable table"). */
  where: RegExp;
  /** What the line says happened and what to do, in key words. */
  says: RegExp;
  /** What the line must not say (advice that would send the operator the wrong way). */
  mustNotSay?: RegExp;
}

const AIRTABLE_TABLE = /^Airtable › (Organizers|Speakers|Papers|Program Committee): /;

const rows: Fatal[] = [
  {
    name: '429 storm that outlasts the retries',
    fault: '429 on every Airtable request, for good',
    arrange: (demo) => demo.airtable.inject({ kind: 'status', status: 429, path: `/v0/${baseId(demo)}/`, times: Infinity }),
    where: AIRTABLE_TABLE,
    says: /no answer after 4 tries \(429[^)]*\)\. The published site keeps its current content; the next sync tries again/,
  },
  {
    name: '502 from Google Sheets on every try',
    fault: '502 on the Schedule tab, for good',
    arrange: (demo) => demo.sheets.faults.add({ kind: 'status', status: 502, path: batchGetPath(demo), times: Infinity }),
    where: /^Google Sheets › Schedule: /,
    says: /no answer after 4 tries \(502[^)]*\)\. The published site keeps its current content; the next sync tries again/,
  },
  {
    name: 'answer stalls mid-body on every try (timeout)',
    fault: 'headers + 40 bytes then silence on Airtable › Papers, for good (500 ms request deadline)',
    config: { requestTimeoutMs: 500 },
    arrange: (demo) => demo.airtable.inject({ kind: 'stall', bytes: 40, path: tablePath(demo, 'Papers'), times: Infinity }),
    where: /^Airtable › Papers: /,
    says: /no answer after 4 tries \(timed out\)\. The published site keeps its current content; the next sync tries again/,
  },
  {
    name: 'stale pagination offset on every restart',
    fault: 'every page cursor already expired (offsetTtlMs -1: expired when issued) on a 2-page Airtable › Program Committee',
    emulators: { airtable: { offsetTtlMs: -1 } },
    arrange: (demo) => {
      for (let i = 1; i <= 100; i++)
        demo.airtable.addRecord(baseId(demo), 'Program Committee', { Name: `Reviewer ${String(i).padStart(3, '0')}` });
    },
    where: /^Airtable › Program Committee: /,
    says: /LIST_RECORDS_ITERATOR_NOT_AVAILABLE.*(next sync|sync again)/,
    // Nothing in the configuration is wrong: the listing was too slow for its page cursor.
    mustNotSay: /workshop\.config\.ts/,
  },
  {
    name: '401 from Airtable',
    fault: 'AIRTABLE_TOKEN rejected (401 AUTHENTICATION_REQUIRED)',
    env: { AIRTABLE_TOKEN: 'patBADbadBAD000000.0123456789abcdef' },
    where: AIRTABLE_TABLE,
    says: /\(401\)\. Set AIRTABLE_TOKEN to a personal access token/,
  },
  {
    name: '403 from Airtable',
    fault: 'a token without access to the base (403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND)',
    emulators: { airtable: { tokens: { [EMULATOR_TOKEN]: '*', [OTHER_BASE_TOKEN]: ['appOtherBase000000'] } } },
    env: { AIRTABLE_TOKEN: OTHER_BASE_TOKEN },
    where: AIRTABLE_TABLE,
    says: /\(403\)\. Check AIRTABLE_BASE_ID, that the token lists this base/,
  },
  {
    name: '403 from Google Sheets',
    fault: 'the spreadsheet is no longer shared with the link (403 PERMISSION_DENIED)',
    arrange: (demo) => demo.sheets.store.setPublic(DEMO_SPREADSHEET_ID, false),
    where: /^Google Sheets › Schedule: /,
    says: /\(403 PERMISSION_DENIED\)\. With GOOGLE_API_KEY, share the sheet with "Anyone with the link/,
  },
  {
    name: '404 base',
    fault: 'Airtable answers 404 NOT_FOUND for the base',
    arrange: (demo) => demo.airtable.inject({ kind: 'status', status: 404, path: `/v0/${baseId(demo)}/`, times: Infinity }),
    where: AIRTABLE_TABLE,
    says: /\(404\)\. Check AIRTABLE_BASE_ID/,
  },
  {
    name: '404 table',
    fault: 'the Papers table is named "Accepted Papers" in the config but not in the base (404 TABLE_NOT_FOUND)',
    emulators: { airtable: { unknownTable: 'TABLE_NOT_FOUND' } },
    config: { template: { papers: { table: 'Accepted Papers' } } },
    where: /^Airtable › Accepted Papers: /,
    says: /"Accepted Papers".*\(404\)\. Check .*the table name in workshop\.config\.ts/,
  },
  {
    name: '404 sheet',
    fault: 'GOOGLE_SHEETS_ID names no spreadsheet (404 NOT_FOUND)',
    env: { GOOGLE_SHEETS_ID: '1NoSuchSpreadsheet0000000000' },
    where: /^Google Sheets › Schedule: /,
    says: /no spreadsheet 1NoSuchSpreadsheet0000000000 \(404\)\. Check GOOGLE_SHEETS_ID/,
  },
  {
    name: 'renamed column in Airtable',
    fault: 'Papers › "Title" renamed to "Paper title" (422 UNKNOWN_FIELD_NAME)',
    arrange: (demo) => demo.airtable.renameField(baseId(demo), 'Papers', 'Title', 'Paper title'),
    where: /^Airtable › Papers: /,
    says: /there is no column "Title" \(422 UNKNOWN_FIELD_NAME\)\. Its columns are .*"Paper title"\. Did you mean "Paper title"\? Rename the column back to "Title", or put its name in the template in workshop\.config\.ts/,
  },
  {
    name: 'deleted required column in Airtable',
    fault: 'Speakers › "Kind" deleted (422 UNKNOWN_FIELD_NAME; an optional column, e.g. Affiliation, only warns)',
    arrange: (demo) => demo.airtable.deleteField(baseId(demo), 'Speakers', 'Kind'),
    where: /^Airtable › Speakers: /,
    says: /there is no column "Kind" \(422 UNKNOWN_FIELD_NAME\)\. Its columns are "Name", .* Rename the column back to "Kind", or put its name in the template/,
  },
  {
    name: 'deleted column in Google Sheets',
    fault: 'the "Start" column deleted from the Schedule tab',
    arrange: (demo) =>
      demo.sheets.store.setRows(
        DEMO_SPREADSHEET_ID,
        'Schedule',
        demoSheet().values.map((row) => row.filter((_, i) => i !== 1)),
      ),
    where: /^Google Sheets › Schedule: /,
    says: /there is no column "Start" in the header row \(row 1\)\. Its columns are "Date", "End", .* Rename the column back to "Start", or put its name in the template in workshop\.config\.ts/,
  },
  {
    name: 'tab renamed in Google Sheets',
    fault: 'the "Schedule" tab renamed to "Program" (400 Unable to parse range)',
    arrange: (demo) => demo.sheets.store.renameSheet(DEMO_SPREADSHEET_ID, 'Schedule', 'Program'),
    where: /^Google Sheets › Schedule: /,
    says: /no tab "Schedule" \(it has "Program"\)\. Rename the tab back, or update the tab name in workshop\.config\.ts/,
  },
  {
    name: 'more than half of a collection vanishing',
    fault: '14 of the 18 Schedule rows deleted from the sheet',
    arrange: (demo) => demo.sheets.store.setRows(DEMO_SPREADSHEET_ID, 'Schedule', demoSheet().values.slice(0, 5)),
    where: /^this sync would remove more than 50% of schedule \(14 of 18\)\. /,
    says: /If a table or view was emptied or renamed by mistake, fix it; if the removal is intended, run the sync with --force\. Nothing was written\./,
  },
];

describe('stopped: one actionable line, content/ untouched', () => {
  for (const row of rows) {
    test(row.name, LIMIT, async (t) => {
      const s = scenario(t, row.fault);
      const demo = await emulators(row.emulators);
      row.arrange?.(demo);
      const dir = content();
      const before = files(dir);
      const config = configFor({ ...demo.env, ...row.env }, dir, row.config);
      const error = await runSync(config, { policy: FAST }).then(
        (report) => assert.fail(`expected the sync to stop; it succeeded: ${report.summary}`),
        (e: unknown) => e,
      );
      const line = errorLine(error, config.secrets);
      s.outcome(`stopped (${error instanceof Error ? error.name : typeof error})`, line);
      s.intact(files(dir), before);

      assert.ok(error instanceof SourceError || error instanceof SyncFailed, String(error));
      assertOneLine(line);
      assert.match(line, row.where, `the line does not point at ${row.where}`);
      assert.match(line, row.says, `the line does not say ${row.says}`);
      if (row.mustNotSay) assert.doesNotMatch(line, row.mustNotSay, `the line sends the operator the wrong way (${row.mustNotSay})`);
      for (const secret of [config.secrets.airtableToken!, config.secrets.googleApiKey!])
        assert.ok(!line.includes(secret), 'a secret in the line');
    });
  }
});
