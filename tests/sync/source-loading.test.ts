/**
 * sync/sources/index.ts loads a source's module, and its client library, only when a table of the config comes from
 * it: a sync with a published CSV instead of a Google Sheet never loads @googleapis/sheets and google-auth-library.
 * Each case runs in its own Node process, which reports the packages it loaded (CommonJS packages are in
 * require.cache once loaded, through import too).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Loaded {
  google: boolean;
  airtable: boolean;
  labels: string[];
  /** Whether Node's fetch (undici, loaded on its first use) was loaded before and after sourceFactory. */
  fetchBefore?: boolean;
  fetchAfter?: boolean;
}

/** Makes the sources of every table of a config whose tables come from `tables`; says which clients got loaded. */
function loadedFor(tables: Record<string, string>): Loaded {
  const code = `
    import { createRequire } from 'node:module';
    import { resolveConfig } from './sync/config.ts';
    import { sourceFactory } from './sync/sources/index.ts';
    const env = {
      AIRTABLE_TOKEN: 'patTest0000000000.local', AIRTABLE_BASE_ID: 'appTest0000000000',
      GOOGLE_SHEETS_ID: 'sheet-id', GOOGLE_API_KEY: 'key', GOOGLE_SHEETS_CSV_URL: 'http://127.0.0.1:9/schedule.csv',
    };
    const config = resolveConfig({ tables: ${JSON.stringify(tables)} }, process.cwd(), env);
    const undici = () => process.moduleLoadList.some((name) => name.includes('internal/deps/undici/undici'));
    const fetchBefore = undici();
    const sourceOf = await sourceFactory(config);
    const fetchAfter = undici();
    const kinds = [...new Set(Object.values(config.tables).filter((kind) => kind !== 'none'))];
    const labels = kinds.map((kind) => sourceOf(kind).label);
    const files = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      google: files.some((f) => f.includes('/node_modules/@googleapis/') || f.includes('/node_modules/google-auth-library/')),
      airtable: files.some((f) => f.includes('/node_modules/airtable/')),
      labels, fetchBefore, fetchAfter,
    }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Loaded;
}

const AIRTABLE = { organizers: 'airtable', speakers: 'airtable', papers: 'airtable', programCommittee: 'airtable' };

test('a schedule from a published CSV: the Google clients are never loaded', () => {
  const { fetchBefore: _, fetchAfter: __, ...loaded } = loadedFor({ ...AIRTABLE, schedule: 'published-csv' });
  assert.deepEqual(loaded, { google: false, airtable: true, labels: ['Airtable', 'Published CSV'] });
});

test('a schedule from Google Sheets: they are, before any table is read', () => {
  const { fetchBefore: _, fetchAfter: __, ...loaded } = loadedFor({ ...AIRTABLE, schedule: 'google-sheets' });
  assert.deepEqual(loaded, { google: true, airtable: true, labels: ['Airtable', 'Google Sheets'] });
});

test('no table from Airtable: airtable.js is not loaded either', () => {
  const csv = 'published-csv';
  const {
    fetchBefore: _,
    fetchAfter: __,
    ...loaded
  } = loadedFor({
    organizers: csv,
    speakers: csv,
    papers: csv,
    programCommittee: 'none',
    schedule: 'google-sheets',
  });
  assert.deepEqual(loaded, { google: true, airtable: false, labels: ['Published CSV', 'Google Sheets'] });
});

test('Node’s fetch is loaded with the sources, before the first request, not in the first second of requests', () => {
  const { fetchBefore, fetchAfter } = loadedFor({ ...AIRTABLE, schedule: 'google-sheets' });
  assert.deepEqual([fetchBefore, fetchAfter], [false, true]);
});
