/**
 * Faults the sync rides out: 429 storms, 5xx bursts, reset connections, answers that stall mid-body or are cut
 * short, a stale page cursor, expired photo URLs. The real clients against the emulators (runSync in this process,
 * fast retry waits); each sync must succeed with exactly the bytes a clean sync writes, and the operator's line
 * (the table's progress line, as `npm run sync` prints it) must say how many retries it took.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { WorkshopConfig } from '../../sync/config.ts';
import type { DemoEmulators } from '../../dev/demo/emulators.ts';
import type { FaultRule } from '../../dev/emulators/faults.ts';
import type { RetryPolicy } from '../../sync/http/retry.ts';
import { runSync } from '../../sync/pipeline.ts';
import {
  assertOneLine,
  baseId,
  batchGetPath,
  configFor,
  content,
  emulators,
  FAST,
  files,
  progressLines,
  scenario,
  tablePath,
  type EmulatorOptions,
  type Files,
} from './helpers.ts';

const LIMIT = { timeout: 20_000 };
/** The bytes of every file a clean sync writes into an empty edition. */
let clean: Files = new Map();

before(async () => {
  const demo = await emulators();
  const dir = content({ empty: true });
  await runSync(configFor(demo.env, dir), { policy: FAST });
  clean = files(dir);
  assert.ok(clean.size > 4, 'the clean sync wrote people, papers, schedule and photos');
});

interface Transient {
  name: string;
  fault: string;
  /** Where the fault goes: Airtable's or Google Sheets' fault plan. */
  service: 'Airtable' | 'Google Sheets';
  rule: (demo: DemoEmulators) => FaultRule;
  config?: WorkshopConfig;
  policy?: Partial<RetryPolicy>;
}

const cases: Transient[] = [
  {
    name: '429 storm on Airtable',
    fault: '8 × 429 RATE_LIMIT_REACHED over every Airtable table',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'status', status: 429, path: `/v0/${baseId(demo)}/`, times: 8 }),
    policy: { retries: 10, rateLimitPenaltyMs: 50 },
  },
  {
    name: '429 storm on Google Sheets',
    fault: '3 × 429 RESOURCE_EXHAUSTED on the Schedule tab',
    service: 'Google Sheets',
    rule: (demo) => ({ kind: 'status', status: 429, path: batchGetPath(demo), times: 3 }),
    policy: { rateLimitPenaltyMs: 50 },
  },
  {
    name: '500 burst on Airtable',
    fault: '3 × 500 on Airtable › Papers',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'status', status: 500, path: tablePath(demo, 'Papers'), times: 3 }),
  },
  {
    name: '502 burst on Google Sheets',
    fault: '3 × 502 on the Schedule tab',
    service: 'Google Sheets',
    rule: (demo) => ({ kind: 'status', status: 502, path: batchGetPath(demo), times: 3 }),
  },
  {
    name: '503 burst on Airtable',
    fault: '3 × 503 (Retry-After: 0) on Airtable › Speakers',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, path: tablePath(demo, 'Speakers'), times: 3 }),
  },
  {
    name: 'connection reset by Airtable',
    fault: '2 × socket destroyed before any answer on Airtable › Papers',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'drop', path: tablePath(demo, 'Papers'), times: 2 }),
  },
  {
    name: 'connection reset by Google Sheets',
    fault: '2 × socket destroyed before any answer on the Schedule tab',
    service: 'Google Sheets',
    rule: (demo) => ({ kind: 'drop', path: batchGetPath(demo), times: 2 }),
  },
  {
    name: 'Airtable answer stalls mid-body',
    fault: 'headers + 40 bytes, then silence, on Airtable › Papers (1 s request deadline)',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'stall', bytes: 40, path: tablePath(demo, 'Papers'), times: 1 }),
    config: { requestTimeoutMs: 1_000 },
  },
  {
    name: 'Google Sheets answer stalls mid-body',
    fault: 'headers + 40 bytes, then silence, on the Schedule tab (1 s request deadline)',
    service: 'Google Sheets',
    rule: (demo) => ({ kind: 'stall', bytes: 40, path: batchGetPath(demo), times: 1 }),
    config: { requestTimeoutMs: 1_000 },
  },
  {
    name: 'truncated JSON from Airtable',
    fault: 'a 200 whose JSON body ends cleanly after 40 bytes, on Airtable › Papers',
    service: 'Airtable',
    rule: (demo) => ({ kind: 'truncate', bytes: 40, ending: 'end', path: tablePath(demo, 'Papers'), times: 1 }),
  },
  {
    name: 'truncated JSON from Google Sheets',
    fault: 'a 200 whose JSON body ends cleanly after 40 bytes, on the Schedule tab',
    service: 'Google Sheets',
    rule: (demo) => ({ kind: 'truncate', bytes: 40, ending: 'end', path: batchGetPath(demo), times: 1 }),
  },
];

describe('ridden out: retried, then exactly what a clean sync writes', () => {
  for (const row of cases) {
    test(row.name, LIMIT, async (t) => {
      const s = scenario(t, row.fault);
      const demo = await emulators();
      const rule = row.rule(demo);
      const plan = row.service === 'Airtable' ? demo.airtable.faults : demo.sheets.faults;
      plan.add(rule);
      const dir = content({ empty: true });
      const progress = progressLines();
      const report = await runSync(configFor(demo.env, dir, row.config), { policy: { ...FAST, ...row.policy }, onEvent: progress.onEvent });

      // The operator's line: the progress line of the table that needed the most retries.
      const lines = progress.lines.filter((l) => l.startsWith(`${row.service} › `) && /retr(y|ies)$/.test(l));
      const retriesOf = (l: string) => Number(/(\d+) retr(?:y|ies)$/.exec(l)?.[1] ?? 0);
      const line = lines.sort((a, b) => retriesOf(b) - retriesOf(a))[0];
      s.outcome(`synced after ${progress.retries()} retries (${plan.log.length} faults served)`, line ?? '(no line)');
      s.intact(files(dir), clean, 'content/ = a clean sync');

      assert.equal(report.ok, true);
      assertOneLine(line);
      assert.equal(plan.pending(), 0, 'every injected fault was served');
      assert.equal(progress.retries(), rule.times, 'one retry per fault, each shown in the progress lines');
    });
  }

  // Program Committee is read into rows; Papers is mapped page by page as it arrives, so its restart must forget the
  // pages it already mapped (or every paper of page 1 would come twice: "also the ID of" warnings, a wrong count).
  const staleTables = [
    {
      name: 'stale pagination offset',
      table: 'Program Committee',
      fill: (i: number) => ({ Name: `Reviewer ${String(i).padStart(3, '0')}`, Affiliation: 'Example University' }),
    },
    {
      name: 'stale pagination offset on Papers',
      table: 'Papers',
      fill: (i: number) => ({ 'Paper ID': 900 + i, Title: `Paper ${i}`, Authors: 'Ada Lovelace and Alan Turing', Status: 'Accepted' }),
    },
  ];
  for (const { name, table: tableName, fill } of staleTables) {
    test(name, LIMIT, async (t) => {
      const s = scenario(
        t,
        `page cursor expires (1 s) while page 2 of Airtable › ${tableName} is delayed 1.2 s → 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE`,
      );
      // A table of more than one page: 100 more records.
      const options: EmulatorOptions = { airtable: { offsetTtlMs: 1_000 } };
      const demo = await emulators(options);
      for (let i = 1; i <= 100; i++) demo.airtable.addRecord(baseId(demo), tableName, fill(i));
      const expectedDir = content({ empty: true });
      const cleanProgress = progressLines();
      const expected = await runSync(configFor(demo.env, expectedDir), { policy: FAST, onEvent: cleanProgress.onEvent });
      // The records read (only accepted papers leave Airtable): more than a page of them.
      const records = Number(
        /: (\d+) records/.exec(cleanProgress.lines.filter((l) => l.startsWith(`Airtable › ${tableName}`)).at(-1) ?? '')?.[1],
      );
      assert.ok(records > 100, `${tableName} has more than one page of records (${records})`);
      demo.airtable.resetStats();

      const table = tablePath(demo, tableName);
      demo.airtable.inject({
        kind: 'latency',
        ms: 1_200,
        path: (url) => url.pathname === table && url.searchParams.has('offset'),
        times: 1,
      });
      const dir = content({ empty: true });
      const progress = progressLines();
      const report = await runSync(configFor(demo.env, dir), { policy: FAST, onEvent: progress.onEvent });

      const stale = demo.airtable.stats.byStatus[422] ?? 0;
      const listings = demo.airtable.stats.log.filter((r) => r.path.startsWith(table) && !r.path.includes('offset=')).length;
      const line = progress.lines.filter((l) => l.startsWith(`Airtable › ${tableName}`)).at(-1);
      s.outcome(
        `synced; ${stale} stale cursor (422), the listing restarted from page 1 (${listings} first-page requests)`,
        line ?? '(no line)',
      );
      s.intact(files(dir), files(expectedDir), 'content/ = a clean sync');

      assert.equal(report.ok, true);
      assertOneLine(line);
      assert.match(line, new RegExp(`^Airtable › ${tableName}: ${records} records, 2 pages`));
      assert.equal(stale, 1, 'the emulator refused one stale cursor');
      assert.equal(listings, 2, 'the listing started again from its first page, once');
      const anyDir = (warnings: string[]) => warnings.map((w) => w.replace(/sync-content-\w+/g, 'sync-content-…'));
      assert.deepEqual(anyDir(report.warnings), anyDir(expected.warnings), 'no warning the clean sync did not give (no paper twice)');
      assert.deepEqual(report.collections, expected.collections);
    });
  }

  test('expired attachment URL', LIMIT, async (t) => {
    const s = scenario(
      t,
      'attachment URLs expire after 1 s; both photo downloads delayed 1.3 s → 410 "This URL has expired" (and so the paper PDF\'s, fetched after them)',
    );
    const demo = await emulators({ airtable: { attachmentUrlTtlMs: 1_000 } });
    demo.airtable.inject({ kind: 'latency', ms: 1_300, path: '/attachments/', times: 2 });
    const dir = content({ empty: true });
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });

    const expired = demo.airtable.stats.expiredAttachmentUrls;
    const refetched = demo.airtable.stats.log.filter((r) => /^\/v0\/[^/]+\/[^/]+\/rec\w+/.test(r.path)).length;
    const p = report.photos;
    const line = `photos: ${p.downloaded} downloaded, ${p.reused} unchanged, ${p.removed} removed, ${p.failed} failed`;
    s.outcome(`synced; ${expired} expired URLs, ${refetched} records read again for fresh URLs`, line);
    s.intact(files(dir), clean, 'content/ = a clean sync');

    assert.equal(report.ok, true);
    assert.equal(expired, 3, "both photos' URLs had expired, and the PDF's, downloaded after them");
    assert.equal(refetched, 3, 'each record was read again once');
    assert.deepEqual([p.downloaded, p.failed], [2, 0]);
    assert.deepEqual([report.paperFiles.downloaded, report.paperFiles.failed], [1, 0]);
    assert.ok(!report.warnings.some((w) => /photo/.test(w)), `no photo warning: ${report.warnings.join('\n')}`);
  });

  test('connection reset while downloading a photo', LIMIT, async (t) => {
    const s = scenario(t, '2 × socket destroyed on photo downloads (/attachments/)');
    const demo = await emulators();
    demo.airtable.inject({ kind: 'drop', path: '/attachments/', times: 2 });
    const dir = content({ empty: true });
    const report = await runSync(configFor(demo.env, dir), { policy: FAST });

    const downloads = demo.airtable.stats.log.filter((r) => r.path.startsWith('/attachments/')).length;
    const p = report.photos;
    const line = `photos: ${p.downloaded} downloaded, ${p.reused} unchanged, ${p.removed} removed, ${p.failed} failed`;
    s.outcome(`synced; ${downloads} download requests for 2 photos and a paper's PDF (2 retried)`, line);
    s.intact(files(dir), clean, 'content/ = a clean sync');

    assert.equal(report.ok, true);
    assert.equal(demo.airtable.faults.pending(), 0);
    assert.equal(downloads, 5, 'each reset download was tried again (3 files: 2 photos, 1 PDF)');
    assert.deepEqual([p.downloaded, p.failed], [2, 0]);
  });
});
