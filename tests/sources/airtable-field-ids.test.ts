/**
 * Airtable by field ids (template.<table>.ids, as `npm run doctor -- --write` saves them): the config's ids through
 * planTables and fetchTables to the real `airtable` client against the emulator. A column or table renamed in Airtable
 * between two syncs is still read, with one warning that says what was renamed; a deleted optional field is read
 * without; a deleted required one stops with its id and the columns there are. Without ids nothing changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator } from '../../dev/emulators/airtable/index.ts';
import { resolveConfig } from '../../sync/config.ts';
import { ConfigError } from '../../sync/errors.ts';
import type { Problem } from '../../sync/problems.ts';
import { sourceFactory } from '../../sync/sources/index.ts';
import type { SourceRow } from '../../sync/sources/types.ts';
import { fetchTables, planTables } from '../../sync/steps/fetch.ts';
import { customizeTemplate, type TemplateOverrides } from '../../sync/template.ts';

const BASE = 'appFieldIds000001';
const TABLE_ID = 'tblPapers00000001';
const PAPERS = [
  { id: 'recPaper000000001', fields: { 'Paper ID': 1, Title: 'Ranking by ids', Authors: 'Ada', Status: 'Accepted', Abstract: 'One.' } },
  { id: 'recPaper000000002', fields: { 'Paper ID': 2, Title: 'Rejected work', Authors: 'Bob', Status: 'Rejected', Abstract: 'No.' } },
  {
    id: 'recPaper000000003',
    fields: { 'Paper ID': 3, Title: 'Fields that move', Authors: 'Cy', Status: ' accepted ', Abstract: 'Three.' },
  },
];
/** Every field of the seed, so that the metadata API knows them even where a test deletes their values. */
const FIELDS = ['Paper ID', 'Title', 'Authors', 'Status', 'Abstract', 'Reviewer Notes'];

async function emulator(): Promise<AirtableEmulator> {
  return startAirtableEmulator({ rateLimit: false, bases: { [BASE]: { Papers: { id: TABLE_ID, fields: FIELDS, records: PAPERS } } } });
}

/** The field ids of Papers by name, from the metadata API (as doctor reads them). */
async function fieldIds(at: AirtableEmulator): Promise<Record<string, string>> {
  const response = await fetch(`${at.url}/v0/meta/bases/${BASE}/tables`, { headers: { authorization: `Bearer ${at.token}` } });
  const schema = (await response.json()) as { tables: { fields: { id: string; name: string }[] }[] };
  return Object.fromEntries(schema.tables[0]?.fields.map((f) => [f.name, f.id]) ?? []);
}

/** The papers part of workshop.config.ts, with the ids doctor would write (the table's too, unless `table` is false). */
async function withIds(at: AirtableEmulator, table = true): Promise<TemplateOverrides> {
  const ids = await fieldIds(at);
  const columns = {
    id: ids['Paper ID']!,
    title: ids['Title']!,
    authors: ids['Authors']!,
    status: ids['Status']!,
    abstract: ids['Abstract']!,
  };
  const none = { pdf: null, arxiv: null, code: null, award: null, presentation: null };
  return { papers: { columns: none, ids: { ...(table ? { table: TABLE_ID } : {}), columns } } };
}

/** One sync's fetch step, papers only: its rows, its problems and the Airtable source (for `refetch`). */
async function syncPapers(at: AirtableEmulator, template: TemplateOverrides) {
  const config = resolveConfig({ template, tables: { programCommittee: 'none', schedule: 'airtable' } }, process.cwd(), {
    AIRTABLE_TOKEN: at.token,
    AIRTABLE_BASE_ID: BASE,
    AIRTABLE_ENDPOINT_URL: at.url,
  });
  const planned = planTables(config).filter((p) => p.key === 'papers');
  const rows: SourceRow[] = [];
  const fetched = await fetchTables(planned, await sourceFactory(config), {
    onPage: (_, page) => void rows.push(...page.rows),
    onRestart: () => {},
  });
  return { rows, problems: fetched.problems, source: fetched.sources.get('Airtable'), spec: planned[0]!.spec };
}

const titles = (rows: readonly SourceRow[]) => rows.map((r) => [r.where, r.fields['Title'], r.fields['Abstract']]);
const ACCEPTED = [
  [{ recordId: 'recPaper000000001' }, 'Ranking by ids', 'One.'],
  [{ recordId: 'recPaper000000003' }, 'Fields that move', 'Three.'],
];
const warnings = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'warning').map((p) => `${p.table}: ${p.message}`);

test('columns renamed between two syncs are still read by their ids, with one warning naming them', async (t) => {
  const at = await emulator();
  t.after(() => at.close());
  const template = await withIds(at);
  const first = await syncPapers(at, template);
  assert.deepEqual(first.spec.ids?.columns?.['Title'], (await fieldIds(at))['Title'], 'planTables puts the ids by column name');
  assert.deepEqual(titles(first.rows), ACCEPTED);
  assert.deepEqual(first.problems, []);
  const listing = at.stats.log.find((l) => l.path.startsWith(`/v0/${BASE}/${TABLE_ID}?`))?.path ?? '';
  assert.match(listing, /returnFieldsByFieldId=true/, 'asked by table id, the cells by field id');
  assert.doesNotMatch(decodeURIComponent(listing), /fields\[\]=Title/, 'fields[] names ids, not names');

  at.renameField(BASE, 'Papers', 'Title', 'Paper Title');
  at.renameField(BASE, 'Papers', 'Status', 'Decision');
  const second = await syncPapers(at, template);
  assert.deepEqual(titles(second.rows), ACCEPTED, 'same values, and still only the accepted papers (the formula names Decision)');
  assert.deepEqual(warnings(second.problems), [
    'Papers: column "Title" is now called "Paper Title" and column "Status" is now called "Decision"; the sync follows them by their ids. Run npm run doctor -- --write to update workshop.config.ts.',
  ]);
  assert.deepEqual(
    second.rows.map((r) => Object.keys(r.fields).sort()),
    [0, 1].map(() => ['Abstract', 'Authors', 'Paper ID', 'Status', 'Title']),
    'keyed by the configured names',
  );
  assert.equal(second.rows[0]?.types?.['Title']?.type, 'singleLineText', 'field types found by id too');

  // A record read again (a fresh attachment URL) comes back by ids, keyed by the configured names, and nothing more.
  const again = await second.source!.refetch!(second.rows[0]);
  assert.deepEqual(again.fields, { 'Paper ID': 1, Title: 'Ranking by ids', Authors: 'Ada', Status: 'Accepted', Abstract: 'One.' });
});

test('a table renamed in Airtable is still read by its id; messages keep the configured name', async (t) => {
  const at = await emulator();
  t.after(() => at.close());
  const template = await withIds(at);
  at.renameTable(BASE, 'Papers', 'Submissions');
  const { rows, problems } = await syncPapers(at, template);
  assert.deepEqual(titles(rows), ACCEPTED);
  assert.equal(rows[0]?.table, 'Papers');
  assert.deepEqual(warnings(problems), [
    'Papers: the table is now called "Submissions"; the sync follows it by its id. Run npm run doctor -- --write to update workshop.config.ts.',
  ]);

  // The table's id alone is enough, for the listing and for a record read again.
  const tableOnly = await syncPapers(at, { papers: { columns: template.papers?.columns ?? {}, ids: { table: TABLE_ID } } });
  assert.deepEqual(titles(tableOnly.rows), ACCEPTED);
  assert.equal(tableOnly.problems.length, 1);
  const again = await tableOnly.source!.refetch!(tableOnly.rows[1]!);
  assert.equal(again.fields['Title'], 'Fields that move');
});

test('a deleted optional field is read without, as a missing column; a deleted required one stops with its id', async (t) => {
  const at = await emulator();
  t.after(() => at.close());
  const template = await withIds(at, false);
  const ids = await fieldIds(at);
  at.deleteField(BASE, 'Papers', 'Abstract');
  const { rows, problems } = await syncPapers(at, template);
  assert.deepEqual(
    titles(rows),
    ACCEPTED.map(([where, title]) => [where, title, undefined]),
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /there is no column "Abstract"/);

  at.deleteField(BASE, 'Papers', 'Title');
  const error = await syncPapers(at, template).catch((e: unknown) => e);
  assert.ok(error instanceof Error);
  assert.match(error.message, new RegExp(`the field ${ids['Title']} that workshop.config.ts names for "Title" is gone`));
  assert.match(error.message, /Its columns are "Paper ID", "Authors", "Status", "Reviewer Notes"\./);
  assert.match(error.message, /npm run doctor -- --write/);
});

test('a column added after doctor (no id) is found by its name; without ids the requests stay by name', async (t) => {
  const at = await emulator();
  t.after(() => at.close());
  const template = await withIds(at);
  delete template.papers?.ids?.columns?.abstract;
  at.resetStats();
  const { rows, problems } = await syncPapers(at, template);
  assert.deepEqual(titles(rows), ACCEPTED);
  assert.deepEqual(problems, []);
  assert.ok(at.stats.log.some((l) => l.path.includes('returnFieldsByFieldId=true')));

  at.resetStats();
  const byName = await syncPapers(at, {});
  assert.deepEqual(titles(byName.rows), ACCEPTED);
  assert.ok(at.stats.log.every((l) => !l.path.includes('returnFieldsByFieldId')));
  assert.ok(at.stats.log.some((l) => l.path.startsWith(`/v0/${BASE}/Papers?`)));
});

test('template ids: checked, named where they are wrong, dropped with a switched-off column', () => {
  const id = 'fldAbstract000001';
  const template = customizeTemplate({
    papers: { columns: { abstract: null }, ids: { table: TABLE_ID, columns: { abstract: id, title: 'fldTitle000000001' } } },
  });
  assert.deepEqual(template.papers.ids, { table: TABLE_ID, columns: { title: 'fldTitle000000001' } });
  assert.equal(customizeTemplate({}).papers.ids, undefined);
  const refused = (overrides: TemplateOverrides, where: RegExp) =>
    assert.throws(
      () => customizeTemplate(overrides),
      (e: unknown) => e instanceof ConfigError && where.test(e.message),
    );
  refused({ papers: { ids: { columns: { title: 'Title' } } } }, /template\.papers\.ids\.columns\.title must be an Airtable field id/);
  refused({ papers: { ids: { table: 'Papers' } } }, /template\.papers\.ids\.table must be an Airtable table id/);
  refused(
    { speakers: { ids: { columns: { talk: id } as object } } },
    /template\.speakers\.ids\.columns\.talk is not a field of this table/,
  );
});
