/** sync/steps/fetch.ts: every planned table read page by page, a stale listing restarted, an absent optional table. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../sync/config.ts';
import { SourceError } from '../../sync/errors.ts';
import { sourceFactory } from '../../sync/sources/index.ts';
import type { Page, Source, SourceRow } from '../../sync/sources/types.ts';
import { fetchTables, planTables } from '../../sync/steps/fetch.ts';
import type { TableKey } from '../../sync/template.ts';

const row = (table: string, n: number, fields: Record<string, unknown>): SourceRow => ({
  source: 'Test',
  table,
  where: { row: n },
  fields,
});

test('local files: every table of the plan reaches onPage under its key; a table set to none is not read', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fetch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const table = (name: string, rows: Record<string, unknown>[]) => writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(rows));
  table('Organizers', [{ Name: 'Ada Lovelace' }]);
  table('Speakers', [{ Name: 'Alan Turing' }]);
  table('Papers', [
    { 'Paper ID': 1, Title: 'One', Status: 'Accepted' },
    { 'Paper ID': 2, Title: 'Two', Status: 'Rejected' },
  ]);
  table('Schedule', [{ Title: 'Opening' }]);
  const local = 'local-files' as const;
  const config = resolveConfig(
    {
      tables: { organizers: local, speakers: local, papers: local, schedule: local, programCommittee: 'none' },
      sources: { localFiles: { dir } },
    },
    dir,
    {},
  );
  const planned = planTables(config);
  assert.deepEqual(
    planned.map((p) => p.key),
    ['speakers', 'organizers', 'papers', 'schedule'],
  );
  assert.deepEqual(planned.find((p) => p.key === 'papers')?.spec.only, { column: 'Status', value: 'Accepted' });
  const seen: [TableKey, unknown[]][] = [];
  let restarts = 0;
  const fetched = await fetchTables(planned, await sourceFactory(config), {
    onPage: (key, page) => void seen.push([key, page.rows.map((r) => r.fields['Title'] ?? r.fields['Name'])]),
    onRestart: () => void restarts++,
  });
  assert.deepEqual(
    seen.sort(([a], [b]) => a.localeCompare(b)),
    [
      ['organizers', ['Ada Lovelace']],
      ['papers', ['One', 'Two']],
      ['schedule', ['Opening']],
      ['speakers', ['Alan Turing']],
    ],
  );
  assert.equal(restarts, 0);
  assert.deepEqual(fetched.problems, []);
  assert.deepEqual([...fetched.sources.keys()], ['Local files']);
});

/** A source (the contract's test double) whose listing of Papers goes stale `stale` times after its first page. */
function staleSource(stale: number): Source & { listings: number } {
  const source = {
    label: 'Test',
    listings: 0,
    async *pages({ name }: { name: string }): AsyncGenerator<Page> {
      source.listings++;
      yield { rows: [row(name, 2, { Title: `first of listing ${source.listings}` })], waitedMs: 0, retries: 0 };
      await Promise.resolve();
      if (source.listings <= stale) throw new SourceError('Test', name, 'the page cursor went stale.', undefined, undefined, true);
      yield { rows: [row(name, 3, { Title: 'second' })], waitedMs: 0, retries: 0 };
    },
  };
  return source;
}

const papersOnly = [
  {
    key: 'papers' as const,
    kind: 'local-files' as const,
    spec: { name: 'Papers', columns: ['Title'] },
    optional: false,
    fields: new Map(),
  },
];

test('a listing whose cursor went stale starts again (its pages so far are void), up to twice, then fails', async () => {
  const pages: unknown[] = [];
  const twice = staleSource(2);
  await fetchTables(papersOnly, () => twice, {
    onPage: (_key, page) => void pages.push(...page.rows.map((r) => r.fields['Title'])),
    onRestart: () => void pages.splice(0),
  });
  assert.equal(twice.listings, 3);
  assert.deepEqual(pages, ['first of listing 3', 'second']);

  const thrice = staleSource(3);
  const error = await fetchTables(papersOnly, () => thrice, { onPage: () => undefined, onRestart: () => undefined }).catch(
    (e: unknown) => e,
  );
  assert.ok(error instanceof SourceError && error.restart, String(error));
  assert.equal(thrice.listings, 3);
});

test('an optional table that does not exist is an empty one with one warning; a required one fails the fetch', async () => {
  const missing: Source = {
    label: 'Test',
    // eslint-disable-next-line require-yield -- a table that does not exist has no page
    async *pages({ name }) {
      await Promise.resolve();
      throw new SourceError('Test', name, `there is no table "${name}" (404).`, { kind: 'http', status: 404, retryable: false });
    },
  };
  const committee = {
    key: 'programCommittee' as const,
    kind: 'local-files' as const,
    spec: { name: 'Program Committee', columns: ['Name'] },
    optional: true,
    fields: new Map(),
  };
  const fetched = await fetchTables([committee], () => missing, { onPage: () => assert.fail('no page'), onRestart: () => undefined });
  assert.deepEqual(
    fetched.problems.map((p) => p.message),
    [
      'there is no "Program Committee" table, so the site shows no program committee. Add the table, or set tables.programCommittee to \'none\' in workshop.config.ts.',
    ],
  );
  const error = await fetchTables([{ ...committee, optional: false }], () => missing, {
    onPage: () => undefined,
    onRestart: () => undefined,
  }).catch((e: unknown) => e);
  assert.ok(error instanceof SourceError);
});

test('a 403 for an optional table means "no such table" once the source has read another table, and not before', async () => {
  // Airtable tells a token that asks for a table its base lacks 403, as for a base it may not read.
  const base: Source = {
    label: 'Test',
    async *pages({ name }) {
      await Promise.resolve();
      if (name !== 'Speakers') throw new SourceError('Test', name, 'no access (403).', { kind: 'http', status: 403, retryable: false });
      yield { rows: [row(name, 2, { Name: 'Ada' })], waitedMs: 0, retries: 0 };
    },
  };
  const speakers = {
    key: 'speakers' as const,
    kind: 'airtable' as const,
    spec: { name: 'Speakers', columns: ['Name'] },
    optional: false,
    fields: new Map(),
  };
  const committee = {
    key: 'programCommittee' as const,
    kind: 'airtable' as const,
    spec: { name: 'Program Committee', columns: ['Name'] },
    optional: true,
    fields: new Map(),
  };
  const none = { onPage: () => undefined, onRestart: () => undefined };
  const fetched = await fetchTables([committee, speakers], () => base, none);
  assert.deepEqual(
    fetched.problems.map((p) => p.table),
    ['Program Committee'],
  );
  const alone = await fetchTables([committee], () => base, none).catch((e: unknown) => e);
  assert.ok(alone instanceof SourceError, 'without another table read, a 403 may be the token: the sync stops');
});

test('the first table that fails stops the others: their requests end, and its own error is the one thrown', async () => {
  let aborted = false;
  const slow: Source = {
    label: 'Slow',
    async *pages(_spec, options) {
      await new Promise((resolve) => options?.signal?.addEventListener('abort', resolve, { once: true }));
      aborted = Boolean(options?.signal?.aborted);
      yield { rows: [], waitedMs: 0, retries: 0 };
    },
  };
  const failing: Source = {
    label: 'Failing',
    // eslint-disable-next-line require-yield -- it fails before its first page
    async *pages({ name }) {
      await Promise.resolve();
      throw new SourceError('Failing', name, 'refused (401).', { kind: 'http', status: 401, retryable: false });
    },
  };
  const planned = [
    {
      key: 'speakers' as const,
      kind: 'airtable' as const,
      spec: { name: 'Speakers', columns: ['Name'] },
      optional: false,
      fields: new Map(),
    },
    {
      key: 'schedule' as const,
      kind: 'google-sheets' as const,
      spec: { name: 'Schedule', columns: ['Title'] },
      optional: false,
      fields: new Map(),
    },
  ];
  const error = await fetchTables(planned, (kind) => (kind === 'airtable' ? slow : failing), {
    onPage: () => undefined,
    onRestart: () => undefined,
  }).catch((e: unknown) => e);
  assert.ok(error instanceof SourceError);
  assert.equal(error.source, 'Failing');
  assert.equal(aborted, true);
});

test('an optional column a table lacks is one warning for the table, whatever the number of pages; it names the setting', async () => {
  const lacking: Source = {
    label: 'Test',
    async *pages({ name }) {
      await Promise.resolve();
      for (const n of [2, 3]) yield { rows: [row(name, n, { Name: `P${n}` })], waitedMs: 0, retries: 0, missing: ['Order'] };
    },
  };
  const organizers = {
    key: 'organizers' as const,
    kind: 'airtable' as const,
    spec: { name: 'Organizers', columns: ['Name', 'Order'], optional: ['Order'] },
    optional: false,
    fields: new Map([
      ['Name', 'name'],
      ['Order', 'order'],
    ]),
  };
  const pages: number[] = [];
  const fetched = await fetchTables([organizers], () => lacking, {
    onPage: (_k, p) => void pages.push(p.rows.length),
    onRestart: () => undefined,
  });
  assert.deepEqual(pages, [1, 1], 'the table is read on without the column');
  assert.equal(fetched.problems.length, 1);
  const [problem] = fetched.problems;
  assert.equal(problem?.severity, 'warning');
  assert.equal(problem?.field, 'Order');
  assert.match(problem?.message ?? '', /no column "Order", so it is empty on every entry.*template\.organizers\.columns\.order to null/);
});
