/**
 * `npm run doctor` as organizers run it (its own process, the real clients) against the emulators: the demo base and
 * sheet (a good setup), a renamed column, a token without the schema scope, a sheet with a title row, a sheet not
 * shared with the API key or the service account, no token, and --write on a copy of a config file.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { loadConfig } from '../../sync/config.ts';
import { renderConfigFile } from '../../sync/doctor/config-file.ts';
import type { DoctorReport } from '../../sync/doctor/types.ts';
import { contentCopy, ROOT, runProcess, type Finished } from '../integration/helpers.ts';

const ACCOUNT = 'doctor@workshop-test.iam.gserviceaccount.com';
const API_KEY = 'doctor-test-api-key';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let sheets: SheetsEmulator;
let dir: string;
let keyFile: string;

const schedule = [
  ['Date', 'Start', 'End', 'Title', 'Kind', 'Speaker', 'Paper ID', 'Room'],
  ['2026-07-18', '09:00', '09:15', 'Opening', 'Break', '', '', 'Hall A'],
];

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'doctor-'));
  keyFile = path.join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: ACCOUNT, private_key: PRIVATE_KEY }));
  sheets = await startSheetsEmulator({
    apiKeys: [API_KEY],
    serviceAccounts: [{ email: ACCOUNT, publicKey }],
    spreadsheets: {
      // A title and a blank row above the header, as organizers lay out a program.
      titled: { title: 'Program', public: true, sheets: [{ title: 'Schedule', rows: [['Workshop program 2026'], [], ...schedule] }] },
      // Shared with nobody: neither "Anyone with the link" nor the service account.
      unshared: { title: 'Private program', sheets: [{ title: 'Schedule', rows: schedule }] },
    },
  });
});

after(async () => {
  await sheets.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The demo base and sheet, without the emulator's rate limit (the tests run doctor back to back). */
async function demo(options: { schemaAccess?: boolean } = {}): Promise<DemoEmulators> {
  return startDemoEmulators({ airtable: { rateLimit: false, ...options } });
}

/** `npm run doctor` with these arguments; no credential ever appears in what it prints. */
async function doctor(args: readonly string[], env: Record<string, string>): Promise<Finished> {
  const run = await runProcess(process.execPath, ['--import=./sync/ts-cache.mjs', 'sync/doctor/cli.ts', ...args], env);
  for (const secret of [env['AIRTABLE_TOKEN'], env['GOOGLE_API_KEY'], PRIVATE_KEY.split('\n')[1]]) {
    if (secret) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), 'a credential was printed');
  }
  return run;
}

// Each test has its own emulators: they run side by side.
describe('npm run doctor', { concurrency: 3 }, () => {
  test('a good base and sheet: each table, field by field, and exit 0', async () => {
    const emulators = await demo();
    try {
      const run = await doctor([], emulators.env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /✓ Airtable: base app\w+/);
      assert.match(run.stdout, /token: data\.records:read ✓/);
      assert.match(run.stdout, /token: schema\.bases:read ✓/);
      assert.match(run.stdout, /✓ Papers — Airtable table "Papers" \(tbl\w{14}\), 4 records on the first page/);
      assert.match(run.stdout, /✓ title +"Title" \(singleLineText\)/);
      // Private columns are named, never read.
      assert.match(run.stdout, /private \(never read into content\): "Score", "Reviewer notes"/);
      assert.match(run.stdout, /✓ Schedule — Google Sheets tab "Schedule", header in row 1, 18 rows/);
      assert.match(run.stdout, /✓ start +"Start" \(column B\)/);
      assert.match(run.stdout, /✓ A sync would succeed\./);
      assert.ok(!run.stdout.includes('Reviewer said'), 'no private value is printed');
    } finally {
      await emulators.close();
    }
  });

  test('a renamed column: its nearest name, proposed for the mapping, and exit 1', async () => {
    const emulators = await demo();
    try {
      emulators.airtable.renameField(emulators.env['AIRTABLE_BASE_ID']!, 'Papers', 'Title', 'Paper Title');
      const run = await doctor([], emulators.env);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /✗ title +no column "Title": found as "Paper Title" \(singleLineText\), saved by --write/);
      assert.match(run.stdout, /"Paper Title" is the nearest: npm run doctor -- --write saves it as template\.papers\.columns\.title/);
      assert.match(run.stdout, /✗ A sync would fail: 1 problem/);
    } finally {
      await emulators.close();
    }
  });

  test('a token without the schema.bases:read scope: what it costs, and a sync still works', async () => {
    const emulators = await demo({ schemaAccess: false });
    try {
      const run = await doctor([], emulators.env);
      assert.equal(run.code, 0, run.stdout);
      assert.match(run.stdout, /token: data\.records:read ✓/);
      assert.match(run.stdout, /! The token lacks the schema\.bases:read scope \(403\), which costs: linked records' names/);
      assert.match(run.stdout, /https:\/\/airtable\.com\/create\/tokens/);
      assert.match(
        run.stdout,
        /private \(never read into content\): every other column \(not listed without the schema\.bases:read scope\)/,
      );
    } finally {
      await emulators.close();
    }
  });

  test('a schedule tab with a title row above its header: "header in row 3"', async () => {
    const emulators = await demo();
    try {
      const env = { ...emulators.env, GOOGLE_SHEETS_ID: 'titled', GOOGLE_API_KEY: API_KEY, GOOGLE_SHEETS_ROOT_URL: sheets.url };
      const run = await doctor([], env);
      assert.equal(run.code, 0, run.stdout);
      assert.match(run.stdout, /✓ Schedule — Google Sheets tab "Schedule", header in row 3, 1 row\n/);
      assert.match(run.stdout, /✓ date +"Date" \(column A\)/);
    } finally {
      await emulators.close();
    }
  });

  test('a sheet not shared: with an API key, "Anyone with the link"; with a service account, its email', async () => {
    const emulators = await demo();
    try {
      const base: Record<string, string> = { ...emulators.env, GOOGLE_SHEETS_ID: 'unshared', GOOGLE_SHEETS_ROOT_URL: sheets.url };
      const withKey = await doctor([], { ...base, GOOGLE_API_KEY: API_KEY });
      assert.equal(withKey.code, 1);
      assert.match(withKey.stdout, /✗ The sheet is not shared "Anyone with the link" \(403\), which an API key needs: in the sheet, Share/);
      assert.match(withKey.stdout, /✗ Schedule — Google Sheets tab "Schedule"\n {2}✗ not checked: the spreadsheet could not be read\./);

      const { GOOGLE_API_KEY: _key, ...noKey } = base;
      const withAccount = await doctor([], { ...noKey, GOOGLE_APPLICATION_CREDENTIALS: keyFile });
      assert.equal(withAccount.code, 1);
      assert.match(
        withAccount.stdout,
        new RegExp(`not shared with the service account \\(403\\): in the sheet, Share › add ${ACCOUNT} as a Viewer`),
      );
    } finally {
      await emulators.close();
    }
  });

  test('no token: exit 1, naming AIRTABLE_TOKEN and where to create one', async () => {
    const emulators = await demo();
    try {
      const run = await doctor([], { ...emulators.env, AIRTABLE_TOKEN: '' });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /✗ No Airtable token: set AIRTABLE_TOKEN .* Create one at https:\/\/airtable\.com\/create\/tokens\./);
      assert.match(run.stdout, /✗ Papers — Airtable table "Papers"\n {2}✗ not checked: no Airtable token \(AIRTABLE_TOKEN\)\./);
    } finally {
      await emulators.close();
    }
  });

  test('a token without this base in its access list: add the base to the token', async () => {
    const emulators = await startDemoEmulators({
      airtable: { rateLimit: false, tokens: { patOtherBaseOnly0001: ['appSomeOtherBase01'] } },
    });
    try {
      const run = await doctor([], { ...emulators.env, AIRTABLE_TOKEN: 'patOtherBaseOnly0001' });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /✗ The token has no access to base app\w+ \(403\): add the base to the token's access list/);
      assert.match(run.stdout, /✗ Papers — Airtable table "Papers"\n {2}✗ not checked: the token has no access to base app\w+\.\n/);
      assert.doesNotMatch(run.stdout, /schema\.bases:read/, 'nothing is said of the scopes of a token that cannot see the base');
    } finally {
      await emulators.close();
    }
  });

  test('a view the table does not have: create it or fix template.<table>.view', async () => {
    const emulators = await demo();
    const file = path.join(dir, 'view.config.ts');
    writeFileSync(file, renderConfigFile(file, { sources: {}, tables: {}, mapping: { organizers: { view: 'Website' } } }));
    try {
      // --json: the report as data, the mapping found in it.
      const run = await doctor(['--json', '--config', file], emulators.env);
      assert.equal(run.code, 1);
      const report = JSON.parse(run.stdout) as DoctorReport;
      assert.equal(report.ok, false);
      const organizers = report.tables.find((t) => t.table === 'organizers');
      assert.match(
        organizers?.problems.join('\n') ?? '',
        /^There is no view "Website" in this table \(422 VIEW_NAME_NOT_FOUND\): create it in Airtable, or fix template\.organizers\.view/,
      );
      assert.equal(report.mapping.organizers?.view, 'Website', 'the view is kept in the mapping');
      assert.match(report.mapping.papers?.ids?.columns?.title ?? '', /^fld\w{14}$/);
    } finally {
      await emulators.close();
    }
  });

  test('--write saves the mapping found, with ids, into the marked block; the config loads and a sync from it works', async () => {
    const emulators = await demo();
    const file = path.join(dir, 'write.config.ts');
    writeFileSync(file, renderConfigFile(file, { sources: {}, tables: {}, mapping: {} }));
    try {
      emulators.airtable.renameField(emulators.env['AIRTABLE_BASE_ID']!, 'Papers', 'Title', 'Paper Title');
      const hint = 'npm run doctor -- --write saves the mapping found';
      const before = await doctor(['--config', file], emulators.env);
      assert.ok(before.stdout.includes(hint), 'the mapping found is not in the file yet: the hint to --write');
      const run = await doctor(['--write', '--config', file], emulators.env);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /Wrote the mapping into .*write\.config\.ts\. Checked again with it:\n✓ A sync would succeed\./);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /title: 'Paper Title'/);
      assert.match(text, /table: 'tbl\w{14}'/);
      assert.match(text, /title: 'fld\w{14}'/);

      const current = await doctor(['--config', file], emulators.env);
      assert.ok(!current.stdout.includes(hint), 'nothing new to write: no hint to --write');

      const config = await loadConfig(ROOT, file, { ...emulators.env });
      assert.equal(config.template.papers.columns.title, 'Paper Title');

      // With the ids saved, a column renamed later in Airtable is still found, by its id, under its new name.
      emulators.airtable.renameField(emulators.env['AIRTABLE_BASE_ID']!, 'Papers', 'Authors', 'Writers');
      const again = await doctor(['--config', file], emulators.env);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /✓ authors +"Writers" \(multipleRecordLinks\)/);
      assert.ok(again.stdout.includes(hint), "the name written is not the column's any more: --write would update it");
      emulators.airtable.renameField(emulators.env['AIRTABLE_BASE_ID']!, 'Papers', 'Writers', 'Authors');

      const content = contentCopy();
      try {
        const sync = await runProcess(process.execPath, ['--import=./sync/ts-cache.mjs', 'sync/cli.ts', '--dry-run', '--config', file], {
          ...emulators.env,
          CONTENT_DIR: content,
        });
        assert.equal(sync.code, 0, `${sync.stdout}\n${sync.stderr}`);
      } finally {
        rmSync(content, { recursive: true, force: true });
      }
    } finally {
      await emulators.close();
    }
  });

  test('--write on a config without the markers: the file is untouched; the block to paste, and exit 1', async () => {
    const emulators = await demo();
    const file = path.join(dir, 'plain.config.ts');
    const before = `import { defineConfig } from '${path.join(ROOT, 'sync/config.ts')}';\n\nexport default defineConfig({});\n`;
    writeFileSync(file, before);
    try {
      const run = await doctor(['--write', '--config', file], emulators.env);
      assert.equal(run.code, 1);
      assert.equal(readFileSync(file, 'utf8'), before);
      assert.match(
        run.stderr,
        /has no \/\/ doctor:mapping:start … \/\/ doctor:mapping:end block, so it was left as it is\. Paste this block/,
      );
      assert.match(run.stderr, /\/\/ doctor:mapping:start\nconst mapping = \{\n {2}organizers: \{\n {4}ids: \{/);
    } finally {
      await emulators.close();
    }
  });

  test('a wrong option or an invalid config: exit 2', async () => {
    const run = await doctor(['--wirte'], {});
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Unknown option '--wirte'.*npm run doctor -- --help/);

    const file = path.join(dir, 'invalid.config.ts');
    writeFileSync(
      file,
      `import { defineConfig } from '${path.join(ROOT, 'sync/config.ts')}';\nexport default defineConfig({ tables: { papers: 'excel' } } as never);\n`,
    );
    const invalid = await doctor(['--config', file], {});
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /^Configuration: workshop\.config\.ts is invalid — tables\.papers/);
  });
});
