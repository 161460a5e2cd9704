/**
 * Sync benchmark (issue #5, item 1): our sync against the common pattern and against the rate limit's floor, on a
 * synthetic edition (bench/sync-seed.ts: 5,000 papers, 300 people with 10–40 KB photos, 200 schedule rows) served
 * by the emulators with 100 ms latency per request and Airtable's 5 requests/s per base with its 30 s penalty.
 *
 *   npm run bench:sync [-- --papers 5000 --people 300 --schedule 200 --latency 100 --penalty-ms 30000 --big 50000]
 *                      [-- --no-naive]   (skip the common pattern: it takes minutes once it runs into the penalty)
 *                      [-- --no-links]   (skip linked authors; `--linked-people 2000` sets the People table's size)
 *
 * The emulators run in this process; each variant runs as its own child process (`node bench/sync.ts --variant
 * ours|naive …`) on fresh emulators, so that its peak RSS (process.resourceUsage().maxRSS, read at its end) is its
 * own. Wall time is measured in the child, from just before the work to just after it (Node's start-up excluded).
 *
 * - ours: runSync on a temporary content folder holding only edition.json (copied from content/2024_2/), with the
 *   default retry policy and the Node flags of `npm run sync`; then a no-op resync, and a resync after one paper's
 *   title changed in the emulator. At `--big` papers (50,000): a first sync and a no-op resync, for peak RSS.
 * - naive: airtable.js `base(table).select().all()` for every table at once (default client: it retries 429s itself),
 *   then one Sheets values:batchGet, then every photo downloaded one after the other — what a simple script does.
 * - floor: Σ over tables of max(1, ⌈records / 100⌉) pages, at 5 requests/s per base.
 * - linked authors: the same papers with Authors a link column to a People table (2–4 record ids a cell), which the
 *   sync turns into names (the People table's primary field, 100 a page; the schema is read by both editions, for
 *   the columns' field types); against the text
 *   authors, each measured in-process (runSync, as above) and as a user waits for it: the whole `npm run sync`
 *   process, start-up included (bench/sync-process.ts). Fails when papers.json shows a record id.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertAuthorsAreNames, runSyncProcess } from './sync-process.ts';
import { syncSeed, type SyncSeed, type SyncSeedOptions } from './sync-seed.ts';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const EDITION = '2024_2';
const SPREADSHEET_ID = '1BenchSyncSchedule0000000';
const API_KEY = 'bench-api-key-local-only';
const RESULT = 'BENCH_RESULT ';
const REQUESTS_PER_SECOND = 5;
/** The Node flags of `npm run sync`, read from package.json so that the benchmark measures what ships. */
const SYNC_NODE_FLAGS = (() => {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+sync\/cli\.ts$/.exec(scripts['sync'] ?? '');
  if (!match) throw new Error(`package.json's "sync" script is not "node [--flags] sync/cli.ts": ${scripts['sync']}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
})();
/** The config of our sync in every run: the benchmark base has no Program Committee table. */
const BENCH_CONFIG = { tables: { programCommittee: 'none' } } as const;

const { values: args } = parseArgs({
  options: {
    variant: { type: 'string' },
    dir: { type: 'string' },
    papers: { type: 'string', default: '5000' },
    people: { type: 'string', default: '300' },
    schedule: { type: 'string', default: '200' },
    latency: { type: 'string', default: '100' },
    'penalty-ms': { type: 'string', default: '30000' },
    big: { type: 'string', default: '50000' },
    'no-naive': { type: 'boolean', default: false },
    'no-links': { type: 'boolean', default: false },
    'linked-people': { type: 'string', default: '2000' },
  },
});

interface ChildResult {
  wallMs: number;
  maxRssKb: number;
  /** ours: what runSync reported. */
  changed?: boolean;
  files?: string[];
  summary?: string;
  warnings?: number;
  photos?: { downloaded: number; reused: number; failed: number; bytes: number };
  /** ours: ms from the start at which each step began, and the RSS (MB) then. */
  steps?: Record<string, number>;
  stepRss?: Record<string, number>;
}

// ── Child processes: one variant each ───────────────────────────────────────────────────────────────────────────

async function runOurs(dir: string): Promise<ChildResult> {
  const { resolveConfig } = await import('../sync/config.ts');
  const { runSync } = await import('../sync/pipeline.ts');
  const config = resolveConfig(BENCH_CONFIG, ROOT, { ...process.env, CONTENT_DIR: dir });
  const steps: Record<string, number> = {};
  const stepRss: Record<string, number> = {};
  const started = performance.now();
  const report = await runSync(config, {
    onEvent: (event) => {
      if (event.type !== 'step') return;
      steps[event.step] = Math.round(performance.now() - started);
      stepRss[event.step] = Math.round(process.memoryUsage().rss / 1024 / 1024);
    },
  });
  const wallMs = performance.now() - started;
  return {
    wallMs,
    maxRssKb: process.resourceUsage().maxRSS,
    changed: report.changed,
    files: report.files,
    summary: report.summary,
    warnings: report.warnings.length,
    photos: report.photos,
    steps,
    stepRss,
  };
}

async function runNaive(dir: string): Promise<ChildResult> {
  const { default: Airtable } = await import('airtable');
  const { sheets } = await import('@googleapis/sheets');
  const env = process.env;
  const started = performance.now();
  const base = new Airtable({ apiKey: env['AIRTABLE_TOKEN']!, endpointUrl: env['AIRTABLE_ENDPOINT_URL']! }).base(env['AIRTABLE_BASE_ID']!);
  const tables = ['Organizers', 'Speakers', 'Papers'];
  const records = await Promise.all(tables.map((table) => base(table).select().all()));
  tables.forEach((table, i) => writeFileSync(path.join(dir, `${table}.json`), JSON.stringify(records[i]!.map((r): unknown => r._rawJson))));
  const api = sheets({ version: 'v4', auth: env['GOOGLE_API_KEY']!, rootUrl: env['GOOGLE_SHEETS_ROOT_URL']! });
  const schedule = await api.spreadsheets.values.batchGet({ spreadsheetId: env['GOOGLE_SHEETS_ID']!, ranges: ['Schedule'] });
  writeFileSync(path.join(dir, 'schedule.json'), JSON.stringify(schedule.data));
  for (const record of [...records[0]!, ...records[1]!]) {
    for (const photo of (record.get('Photo') as { url: string; filename: string }[] | undefined) ?? []) {
      const response = await fetch(photo.url);
      writeFileSync(path.join(dir, photo.filename), Buffer.from(await response.arrayBuffer()));
    }
  }
  return { wallMs: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS };
}

// ── The parent: emulators, children, the table ──────────────────────────────────────────────────────────────────

interface Emulators {
  env: Record<string, string>;
  stats(): { requests: number; api: number; photos: number; rateLimited: number; attachmentBytes: number };
  resetStats(): void;
  changeFirstPaperTitle(): void;
  close(): Promise<void>;
}

async function startEmulators(seed: SyncSeed, latencyMs: number, penaltyMs: number): Promise<Emulators> {
  const { startAirtableEmulator } = await import('../dev/emulators/airtable/index.ts');
  const { startSheetsEmulator } = await import('../dev/emulators/google-sheets.ts');
  const latency = { kind: 'latency', ms: latencyMs, times: Infinity } as const;
  const airtable = await startAirtableEmulator({
    bases: { [seed.baseId]: seed.tables },
    rateLimit: { requestsPerSecond: REQUESTS_PER_SECOND, penaltyMs },
    faults: [latency],
  });
  const sheets = await startSheetsEmulator({
    apiKeys: [API_KEY],
    spreadsheets: {
      [SPREADSHEET_ID]: { title: 'Benchmark program', public: true, sheets: [{ title: 'Schedule', rows: seed.scheduleRows }] },
    },
  });
  sheets.faults.add(latency);
  const sheetsAtStart = () => ({ requests: sheets.stats.requests, rateLimited: sheets.stats.byStatus[429] ?? 0 });
  let sheetsBefore = sheetsAtStart();
  return {
    env: {
      AIRTABLE_TOKEN: airtable.token,
      AIRTABLE_BASE_ID: seed.baseId,
      AIRTABLE_ENDPOINT_URL: airtable.url,
      GOOGLE_SHEETS_ID: SPREADSHEET_ID,
      GOOGLE_API_KEY: API_KEY,
      GOOGLE_SHEETS_ROOT_URL: sheets.url,
      NO_PROXY: '127.0.0.1,localhost',
    },
    stats() {
      const sheetRequests = sheets.stats.requests - sheetsBefore.requests;
      const photos = airtable.stats.attachmentDownloads;
      return {
        requests: airtable.stats.requests + sheetRequests,
        api: airtable.stats.requests - photos + sheetRequests,
        photos,
        rateLimited: (airtable.stats.byStatus[429] ?? 0) + (sheets.stats.byStatus[429] ?? 0) - sheetsBefore.rateLimited,
        attachmentBytes: airtable.stats.attachmentBytes,
      };
    },
    resetStats() {
      airtable.resetStats();
      sheetsBefore = sheetsAtStart();
    },
    changeFirstPaperTitle() {
      const [first] = airtable.records(seed.baseId, 'Papers');
      airtable.updateRecord(seed.baseId, 'Papers', first!.id, { Title: `${String(first!.fields['Title'])} (revised)` });
    },
    close: async () => {
      await Promise.all([airtable.close(), sheets.close()]);
    },
  };
}

function runChild(variant: 'ours' | 'naive', dir: string, env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Ours runs as `npm run sync` runs it (package.json: the V8 flag that keeps the heap near what it holds).
    const flags = variant === 'ours' ? SYNC_NODE_FLAGS : [];
    const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), '--variant', variant, '--dir', dir], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT.length)) as ChildResult);
      else reject(new Error(`the ${variant} run failed (exit ${code}):\n${err || out}`));
    });
  });
}

/** A content folder holding only the edition's settings, as for a first sync. */
function freshContent(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sync-'));
  mkdirSync(path.join(dir, EDITION));
  writeFileSync(path.join(dir, EDITION, 'edition.json'), readFileSync(path.join(ROOT, 'content', EDITION, 'edition.json')));
  return dir;
}

/** Pages of the Airtable tables over the base's rate: the least time any client can take. */
function floorSeconds(records: Record<string, number>): { pages: number; seconds: number } {
  const pages = Object.values(records).reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 100)), 0);
  return { pages, seconds: pages / REQUESTS_PER_SECOND };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** A markdown table, columns padded; numeric-looking columns right-aligned. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => i > 0 && rows.every((r) => /^[\d.,×+ ]+( \w+)?%?$|^[-–]$/.test(r[i] ?? '')));
  const cell = (text: string, i: number) => (right[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** `fetch 0.00 s (80 MB), map 11.34 s (190 MB), …`: when each step of our sync began, and the RSS then. */
const stepsOf = (result: ChildResult): string =>
  Object.entries(result.steps ?? {})
    .map(([step, ms]) => `${step} ${seconds(ms)} (${result.stepRss?.[step] ?? '?'} MB)`)
    .join(', ');

async function measure(emulators: Emulators, variant: 'ours' | 'naive', dir: string) {
  emulators.resetStats();
  const result = await runChild(variant, dir, emulators.env);
  return { result, stats: emulators.stats() };
}

/** One edition's first sync, on fresh emulators and a fresh content folder: `runSync` in a child, or the whole CLI. */
async function firstSyncOn(
  seed: SyncSeed,
  how: 'runSync' | 'whole process',
  latencyMs: number,
  penaltyMs: number,
): Promise<{ result: ChildResult; stats: ReturnType<Emulators['stats']> }> {
  const emulators = await startEmulators(seed, latencyMs, penaltyMs);
  const content = freshContent();
  try {
    const run =
      how === 'runSync'
        ? await measure(emulators, 'ours', content)
        : { result: await runSyncProcess(ROOT, SYNC_NODE_FLAGS, BENCH_CONFIG, emulators.env, content), stats: emulators.stats() };
    if (seed.linkedNames) assertAuthorsAreNames(content, EDITION, seed.records['Papers']!, seed.linkedNames);
    return run;
  } finally {
    await emulators.close();
    rmSync(content, { recursive: true, force: true });
  }
}

/**
 * Text authors against authors linked to a People table of `people`, each measured in-process and as the whole
 * `npm run sync` process; prints the table, returns the goals' verdicts for the linked runs.
 */
async function linkedAuthorsSection(counts: SyncSeedOptions, people: number, latencyMs: number, penaltyMs: number): Promise<string> {
  const editions = [
    { name: 'text authors', seed: syncSeed(counts) },
    { name: `linked to ${people.toLocaleString('en')} People`, seed: syncSeed({ ...counts, linkedAuthors: people }) },
  ];
  const textRequests = new Map<string, number>();
  const rows: string[][] = [];
  const goals: string[] = [];
  for (const { name, seed } of editions) {
    const floor = floorSeconds(seed.records);
    for (const how of ['runSync', 'whole process'] as const) {
      const { result, stats } = await firstSyncOn(seed, how, latencyMs, penaltyMs);
      const ratio = result.wallMs / (floor.seconds * 1000);
      if (!seed.linkedNames) textRequests.set(how, stats.api);
      else
        goals.push(`linked, ${how} ≤ 1.10 × floor: ${ratio <= 1.1 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}×, ${stats.rateLimited} × 429)`);
      const extra = seed.linkedNames ? `+${stats.api - textRequests.get(how)!}` : '–';
      rows.push([
        name,
        how,
        seconds(result.wallMs),
        `${stats.api} + ${stats.photos}`,
        extra,
        String(stats.rateLimited),
        mb(result.maxRssKb),
        `${seconds(floor.seconds * 1000)} (${floor.pages} pages)`,
        `${ratio.toFixed(2)}×`,
      ]);
    }
  }
  const pages = Math.ceil(people / 100);
  console.log(`
## Linked authors: ${counts.papers} papers, Authors as names of a People table (ours, first sync)
`);
  console.log(
    `whole process = \`node ${SYNC_NODE_FLAGS.join(' ')} sync/cli.ts\` from spawn to exit; extra requests expected: ` +
      `⌈${people}/100⌉ = ${pages} (the schema, 1 request, is read by both); papers.json checked: names, no record id
`,
  );
  console.log(
    table(
      ['authors', 'measured', 'wall time', 'requests (API + photos)', 'extra requests', '429s', 'peak RSS', 'floor', 'time ÷ floor'],
      rows,
    ),
  );
  return goals.join('; ');
}

async function main(): Promise<void> {
  const counts = { papers: Number(args.papers), people: Number(args.people), schedule: Number(args.schedule) };
  const latencyMs = Number(args.latency);
  const penaltyMs = Number(args['penalty-ms']);
  const bigPapers = Number(args.big);
  const seed = syncSeed(counts);
  const floor = floorSeconds(seed.records);
  const floorMs = floor.seconds * 1000;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

  console.log(`Sync benchmark · node ${process.version} · ${process.platform}/${process.arch} · load average ${load}`);
  console.log(
    `${counts.papers} papers, ${counts.people} people with photos (${kib(seed.photoBytes)}), ${counts.schedule} schedule rows · ` +
      `${latencyMs} ms latency per request · Airtable ${REQUESTS_PER_SECOND} req/s per base, ${penaltyMs / 1000} s penalty after a 429` +
      (penaltyMs === 30_000 ? ' (the real one)' : ' (shortened; the real penalty is 30 s)'),
  );
  console.log(
    `floor = Σ over tables of ⌈records / 100⌉ pages ÷ ${REQUESTS_PER_SECOND} req/s per base = ` +
      `(${Object.entries(seed.records)
        .map(([t, n]) => `⌈${n}/100⌉ ${t}`)
        .join(' + ')}) / ${REQUESTS_PER_SECOND} = ${floor.pages} / ${REQUESTS_PER_SECOND} = ${floor.seconds.toFixed(2)} s\n`,
  );

  // Ours: first sync, no-op resync, one changed record.
  const emulators = await startEmulators(seed, latencyMs, penaltyMs);
  const content = freshContent();
  const rows: string[][] = [];
  const resyncs: string[][] = [];
  let oursRatio: number;
  let ours429: number;
  try {
    const first = await measure(emulators, 'ours', content);
    oursRatio = first.result.wallMs / floorMs;
    ours429 = first.stats.rateLimited;
    rows.push([
      'ours (runSync)',
      seconds(first.result.wallMs),
      `${first.stats.api} + ${first.stats.photos}`,
      String(first.stats.rateLimited),
      kib(first.stats.attachmentBytes),
      mb(first.result.maxRssKb),
      `${oursRatio.toFixed(2)}×`,
    ]);
    console.log(
      `ours: ${first.result.summary}; ${first.result.files?.length} files; ${first.result.warnings} warnings; steps began at: ${stepsOf(first.result)}`,
    );

    const resync = async (name: string, expected: string) => {
      const { result, stats } = await measure(emulators, 'ours', content);
      const files = result.files ?? [];
      resyncs.push([
        name,
        seconds(result.wallMs),
        `${stats.api} + ${stats.photos}`,
        String(stats.rateLimited),
        String(files.length),
        kib(stats.attachmentBytes),
        result.changed ? '1' : '0',
        `${result.summary}${files.length ? ` (${files.join(', ')})` : ''}`,
        expected,
      ]);
    };
    await resync('no-op resync', '0 files, 0 bytes, 0 rebuilds');
    emulators.changeFirstPaperTitle();
    await resync('one paper title changed', '1 file, 0 bytes, 1 rebuild');
  } finally {
    await emulators.close();
    rmSync(content, { recursive: true, force: true });
  }

  // The common pattern, on fresh emulators (no penalty left over from the runs above).
  if (!args['no-naive']) {
    const naiveEmulators = await startEmulators(seed, latencyMs, penaltyMs);
    const out = mkdtempSync(path.join(tmpdir(), 'bench-naive-'));
    try {
      const { result, stats } = await measure(naiveEmulators, 'naive', out);
      rows.push([
        'common pattern (airtable.js .all())',
        seconds(result.wallMs),
        `${stats.api} + ${stats.photos}`,
        String(stats.rateLimited),
        kib(stats.attachmentBytes),
        mb(result.maxRssKb),
        `${(result.wallMs / floorMs).toFixed(2)}×`,
      ]);
    } finally {
      await naiveEmulators.close();
      rmSync(out, { recursive: true, force: true });
    }
  }
  rows.push([
    `floor (${floor.pages} pages ÷ ${REQUESTS_PER_SECOND}/s)`,
    seconds(floorMs),
    // The Airtable pages, the Schedule sheet's values and locale, and the base's schema (the columns' field types).
    `${floor.pages + 3} + ${counts.people}`,
    '0',
    kib(seed.photoBytes),
    '–',
    '1.00×',
  ]);

  console.log(`\n## First sync of ${counts.papers} papers\n`);
  console.log(table(['variant', 'wall time', 'requests (API + photos)', '429s', 'attachment bytes', 'peak RSS', 'time ÷ floor'], rows));
  console.log(`\n## Resyncs (ours)\n`);
  console.log(
    table(
      ['run', 'wall time', 'requests (API + photos)', '429s', 'files written', 'attachment bytes', 'rebuilds', 'summary', 'expected'],
      resyncs,
    ),
  );

  const linkedGoals = args['no-links'] ? '' : await linkedAuthorsSection(counts, Number(args['linked-people']), latencyMs, penaltyMs);

  let bigRss = 0;
  if (bigPapers > 0) {
    const bigSeed = syncSeed({ ...counts, papers: bigPapers });
    const bigFloor = floorSeconds(bigSeed.records);
    const bigEmulators = await startEmulators(bigSeed, latencyMs, penaltyMs);
    const bigContent = freshContent();
    try {
      // The first sync (every paper new), then a no-op resync (every paper compared with papers.json on disk).
      const rows: string[][] = [];
      const steps: string[] = [];
      for (const run of ['first sync', 'no-op resync']) {
        const { result, stats } = await measure(bigEmulators, 'ours', bigContent);
        bigRss = Math.max(bigRss, result.maxRssKb);
        steps.push(`${run}: ${stepsOf(result)}`);
        rows.push([
          run,
          bigPapers.toLocaleString('en'),
          seconds(result.wallMs),
          `${stats.api} + ${stats.photos}`,
          String(stats.rateLimited),
          String(result.files?.length ?? 0),
          mb(result.maxRssKb),
          `${(result.wallMs / (bigFloor.seconds * 1000)).toFixed(2)}× of ${bigFloor.seconds.toFixed(1)} s`,
        ]);
      }
      console.log(`\n## ${bigPapers.toLocaleString('en')} papers (ours)\n`);
      console.log(`steps began at (RSS then):\n${steps.map((s) => `- ${s}`).join('\n')}\n`);
      console.log(
        table(['run', 'papers', 'wall time', 'requests (API + photos)', '429s', 'files written', 'peak RSS', 'time ÷ floor'], rows),
      );
    } finally {
      await bigEmulators.close();
      rmSync(bigContent, { recursive: true, force: true });
    }
  }

  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `\nGoals: ours ≤ 1.10 × floor: ${verdict(oursRatio <= 1.1)} (${oursRatio.toFixed(2)}×); 0 × 429: ${verdict(ours429 === 0)} (${ours429})` +
      (bigPapers > 0
        ? `; ${bigPapers.toLocaleString('en')} papers ≤ 300 MB peak RSS: ${verdict(bigRss <= 300 * 1024)} (${mb(bigRss)}, the larger of the two runs)`
        : '') +
      (linkedGoals ? `; ${linkedGoals}` : ''),
  );
}

if (args.variant) {
  const dir = args.dir ?? mkdtempSync(path.join(tmpdir(), 'bench-sync-'));
  const result = args.variant === 'naive' ? await runNaive(dir) : await runOurs(dir);
  console.log(RESULT + JSON.stringify(result));
} else {
  await main();
}
