/**
 * Build cost against papers: how build time, output size and memory grow with the number of papers.
 *
 *   npm run bench:build [-- --papers 50,500,5000] [-- --runs 3] [-- --every-talk] [-- --profile] [-- --keep]
 *
 * For each size it generates an edition with bench/generate-edition.ts: that many papers, 300 people (30 portraits)
 * and the generator's fixed 3-day program of 202 sessions, so that only the papers grow; with --every-talk the
 * program grows with them instead (every oral and lightning paper gets a talk slot, ~30 % of the papers). Then it
 * builds the edition `--runs` times, each in a fresh child process (`astro build` with the project's pinned Node,
 * under GNU time for CPU time and peak RSS) and cold: a new ASTRO_SCRATCH_DIR (Astro's .astro/ and caches) and a new
 * output folder, both removed afterwards. One unmeasured build first warms the file system cache.
 *
 * It prints, per size, the medians of the runs: wall-clock build time, CPU time, time per paper and per added page,
 * Astro's own mean time for one paper page, pages and output sizes, peak RSS, the growth against the previous size;
 * then whether the cost grows linearly. --profile builds the largest size once more under `node --cpu-prof` and lists
 * where the CPU time went; --keep keeps the output folders.
 * Files: .bench/build/ (content-<papers>/, build-<papers>-<run>.log, profile/).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateEdition } from './generate-edition.ts';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const BENCH_DIR = path.join(ROOT, '.bench', 'build');
const ASTRO_BIN = path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
const GNU_TIME = '/usr/bin/time';
/** People and portraits of every generated edition: fixed, so that the papers (and their talks) are what grows. */
const PEOPLE = 300;
const PHOTOS = 30;
/**
 * Linear means: an added page costs at most this many times more at the large end than at the small end, and so
 * does one paper page. Builds on a busy 2-core machine vary by ±15 %, so a real O(n²) term shows as much more.
 */
const LINEAR_TOLERANCE = 1.5;

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number | undefined) => (ms === undefined ? '–' : `${ms.toFixed(2)} ms`);
const count = (n: number) => n.toLocaleString('en-US');
const ratio = (r: number) => `×${r < 10 ? r.toFixed(2) : r.toFixed(1)}`;

/** A markdown table, columns padded; columns whose cells all start with a digit, `-`, `×` or `–` right-aligned. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => rows.every((r) => /^[-\d×–]/.test(r[i] ?? '')));
  const cell = (text: string, i: number) => (right[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of the known values, or undefined when none is. */
function medianOf(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? median(known) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// One build, in its own process

interface Run {
  /** Wall clock of the child process, Node start-up included. */
  ms: number;
  /** User + system CPU time of the build (GNU time %U + %S); undefined without GNU time. */
  cpuMs: number | undefined;
  /** Peak RSS of the build process (GNU time %M), in bytes; undefined without GNU time. */
  peakRss: number | undefined;
  /** Astro's mean time for one paper page (its log's `├─ /<edition>/papers/<id>/index.html (+2ms)`). */
  paperPageMs: number | undefined;
  outDir: string;
}

/** Runs `astro build` of `contentDir` in a child process; `nodeArgs` go to that Node (e.g. --cpu-prof). */
async function build(contentDir: string, logFile: string, nodeArgs: string[] = []): Promise<Run> {
  mkdirSync(path.join(ROOT, '.scratch'), { recursive: true });
  // Astro resolves its packages from its root, so the scratch root sits inside the project (as the tests' builds do).
  const scratch = mkdtempSync(path.join(ROOT, '.scratch', 'bench-build-'));
  // Inside the project too: with an output folder outside the working directory, Astro bundles the pages into the
  // shared <cwd>/.astro/.prerender/, which another build running at the same time would overwrite.
  const outDir = mkdtempSync(path.join(BENCH_DIR, 'out-'));
  const timeFile = path.join(scratch, 'time.txt');
  const command = [process.execPath, ...nodeArgs, ASTRO_BIN, 'build'];
  const withTime = existsSync(GNU_TIME);
  const [file, ...args] = withTime ? [GNU_TIME, '-f', '%U %S %M', '-o', timeFile, ...command] : command;
  const env = {
    ...process.env,
    CONTENT_DIR: contentDir,
    OUT_DIR: outDir,
    ASTRO_SCRATCH_DIR: scratch,
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
  };
  try {
    const start = performance.now();
    const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const ms = performance.now() - start;
    const log = Buffer.concat(chunks).toString('utf8');
    writeFileSync(logFile, log);
    if (code !== 0) {
      throw new Error(
        `astro build of ${path.relative(ROOT, contentDir)} failed (exit code ${String(code)}); the log is in ` +
          `${path.relative(ROOT, logFile)}. Its last lines:\n${log.trimEnd().split('\n').slice(-20).join('\n')}`,
      );
    }
    // "user system maxRSS(KiB)", on the last line (GNU time writes "Command exited with …" first on failure).
    const [user, system, kb] =
      withTime && existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
    const known = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : undefined);
    return {
      ms,
      cpuMs: known(user) !== undefined && known(system) !== undefined ? (user! + system!) * 1000 : undefined,
      peakRss: known(kb) ? kb! * 1024 : undefined,
      paperPageMs: paperPageMs(log),
      outDir,
    };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Astro's mean time for one paper page, from its build log. */
function paperPageMs(log: string): number | undefined {
  const times = [...log.matchAll(/├─ \/[^/\s]+\/papers\/[^/\s]+\/index\.html \(\+(\d+)ms\)/g)].map((m) => Number(m[1]));
  return times.length ? times.reduce((a, b) => a + b, 0) / times.length : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The output

interface Output {
  /** HTML pages. */
  pages: number;
  /** Calendar files: the whole program's and one per session. */
  calendars: number;
  bytes: number;
  htmlBytes: number;
  largest: { page: string; bytes: number; gz: number };
}

function weigh(outDir: string): Output {
  const output: Output = { pages: 0, calendars: 0, bytes: 0, htmlBytes: 0, largest: { page: '', bytes: 0, gz: 0 } };
  let largestFile = '';
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
        continue;
      }
      const size = statSync(file).size;
      output.bytes += size;
      if (entry.name.endsWith('.ics')) output.calendars++;
      if (!entry.name.endsWith('.html')) continue;
      output.pages++;
      output.htmlBytes += size;
      if (size > output.largest.bytes) {
        output.largest = { page: `/${path.relative(outDir, file).split(path.sep).join('/')}`, bytes: size, gz: 0 };
        largestFile = file;
      }
    }
  };
  walk(outDir);
  if (largestFile) output.largest.gz = gzipSync(readFileSync(largestFile), { level: 9 }).length;
  return output;
}

// ---------------------------------------------------------------------------------------------------------------
// One size: generate, build `runs` times, take the medians

interface Size {
  papers: number;
  sessions: number;
  ms: number;
  cpuMs: number | undefined;
  paperPageMs: number | undefined;
  peakRss: number | undefined;
  output: Output;
}

/** `5000` or `5000-every-talk`: names the content folder and the logs of one size. */
const sizeName = (papers: number, everyTalk: boolean) => `${papers}${everyTalk ? '-every-talk' : ''}`;

async function generate(papers: number, everyTalk: boolean): Promise<{ contentDir: string; sessions: number }> {
  const contentDir = path.join(BENCH_DIR, `content-${sizeName(papers, everyTalk)}`);
  rmSync(contentDir, { recursive: true, force: true });
  const generated = await generateEdition({ contentDir, id: `bench_${papers}`, papers, people: PEOPLE, photos: PHOTOS, everyTalk });
  return { contentDir, sessions: generated.counts.sessions };
}

async function measureSize(papers: number, options: { runs: number; everyTalk: boolean; keep: boolean }): Promise<Size> {
  const { runs, everyTalk, keep } = options;
  const { contentDir, sessions } = await generate(papers, everyTalk);
  const done: Run[] = [];
  let output: Output | undefined;
  for (let i = 1; i <= runs; i++) {
    process.stdout.write(`▶ ${count(papers)} papers, ${count(sessions)} sessions, build ${i} of ${runs} … `);
    const run = await build(contentDir, path.join(BENCH_DIR, `build-${sizeName(papers, everyTalk)}-${i}.log`));
    done.push(run);
    output = weigh(run.outDir);
    console.log(`${seconds(run.ms)}${run.cpuMs ? ` (CPU ${seconds(run.cpuMs)})` : ''}${run.peakRss ? `, ${bytes(run.peakRss)}` : ''}`);
    if (keep) console.log(`  output kept in ${path.relative(ROOT, run.outDir)}`);
    else rmSync(run.outDir, { recursive: true, force: true });
  }
  return {
    papers,
    sessions,
    ms: median(done.map((r) => r.ms)),
    cpuMs: medianOf(done.map((r) => r.cpuMs)),
    paperPageMs: medianOf(done.map((r) => r.paperPageMs)),
    peakRss: medianOf(done.map((r) => r.peakRss)),
    output: output!,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/** Pages and calendar files: what the build renders, one route each. */
const routes = (s: Size) => s.output.pages + s.output.calendars;

/** The extra time per extra route from `a` to `b`, wall clock or CPU. */
function perAddedRoute(a: Size, b: Size, time: 'ms' | 'cpuMs'): number | undefined {
  const ta = a[time];
  const tb = b[time];
  return ta === undefined || tb === undefined ? undefined : (tb - ta) / (routes(b) - routes(a));
}

function report(sizes: Size[], options: { runs: number; everyTalk: boolean }): void {
  const program = options.everyTalk ? 'a talk for every oral and lightning paper' : 'a fixed program';
  console.log(`\n## Build cost against papers, ${program} (median of ${options.runs} cold builds each)\n`);
  const rows = sizes.map((s, i) => {
    const previous = sizes[i - 1];
    return [
      count(s.papers),
      count(s.sessions),
      seconds(s.ms),
      s.cpuMs === undefined ? '–' : seconds(s.cpuMs),
      millis(s.ms / s.papers),
      previous ? millis(perAddedRoute(previous, s, 'ms')) : '–',
      millis(s.paperPageMs),
      `${count(s.output.pages)} + ${count(s.output.calendars)} .ics`,
      bytes(s.output.bytes),
      bytes(s.output.htmlBytes),
      `${bytes(s.output.largest.gz)} (${s.output.largest.page})`,
      s.peakRss === undefined ? '–' : bytes(s.peakRss),
      previous ? `${ratio(s.ms / previous.ms)} / ${ratio(s.papers / previous.papers)}` : '–',
    ];
  });
  console.log(
    table(
      [
        'papers',
        'sessions',
        'build time',
        'CPU',
        'per paper',
        'per added page',
        'paper page',
        'pages',
        'output',
        'HTML',
        'largest page gz',
        'peak RSS',
        'growth (time / papers)',
      ],
      rows,
    ),
  );
  console.log(
    `\n${PEOPLE} people in every size. build time: wall clock of \`astro build\` in its own process (Node start-up, ` +
      'content sync, Vite bundling, pages, images, sitemap); CPU: user + system; per paper: build time / papers; ' +
      'per added page: extra build time per extra page or calendar file against the previous row; paper page: ' +
      "Astro's mean time for one /<edition>/papers/<id>/ page; output: every file, photos included; HTML: the .html " +
      `files; largest page gz: that page alone, gzip -9; peak RSS: ${existsSync(GNU_TIME) ? 'of the build (GNU time %M)' : 'unknown (no GNU time)'}.`,
  );
  console.log(`\n${verdict(sizes)}`);
}

/**
 * Linear when an added page costs about as much CPU at the large end as at the small end, and a paper page takes
 * about as long to render in the largest edition as in the smallest: work done per page over the whole collection
 * shows in both. CPU time, because the wall clock also counts other processes on a busy machine.
 */
function verdict(sizes: Size[]): string {
  if (sizes.length < 3) return 'Give three sizes or more (--papers 50,500,5000) for a verdict on how the cost grows.';
  const [first, second] = [sizes[0]!, sizes[1]!];
  const [beforeLast, last] = [sizes.at(-2)!, sizes.at(-1)!];
  const time = first.cpuMs !== undefined && last.cpuMs !== undefined ? 'cpuMs' : 'ms';
  const early = perAddedRoute(first, second, time)!;
  const late = perAddedRoute(beforeLast, last, time)!;
  const page = first.paperPageMs && last.paperPageMs ? last.paperPageMs / first.paperPageMs : 1;
  const linear = late <= LINEAR_TOLERANCE * Math.max(early, 0.1) && page <= LINEAR_TOLERANCE;
  const span = (a: Size, b: Size) => `${count(a.papers)} → ${count(b.papers)} papers`;
  const figures =
    `an added page costs ${millis(early)} of ${time === 'cpuMs' ? 'CPU' : 'build time'} (${span(first, second)}) and ` +
    `${millis(late)} (${span(beforeLast, last)}); a paper page takes ${millis(first.paperPageMs)} at ` +
    `${count(first.papers)} papers and ${millis(last.paperPageMs)} at ${count(last.papers)}`;
  const perPaper = (last.ms - beforeLast.ms) / (last.papers - beforeLast.papers);
  const fixed = last.ms - perPaper * last.papers;
  return linear
    ? `Cost grows linearly: ${figures}. A build takes about ${seconds(Math.max(fixed, 0))} plus ${millis(perPaper)} per paper.`
    : `Cost grows FASTER than linearly: ${figures}. Run with --profile to see where the time goes.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Profile: where the CPU time of the largest build goes

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where a function of the profile lives: a package (`vite`, `marked`), Node's own modules, native code and GC, or a
 * chunk of the bundle Astro renders the pages with (`bundle: _paper_` is src/pages/[edition]/papers/[paper].astro
 * with what only it uses; `bundle: server` and `bundle: prerender-entry` are Astro's runtime).
 */
function area(url: string): string {
  if (!url) return '(native code, GC)';
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const chunk = /\/\.prerender\/(?:chunks\/)?([^/]+?)[_.][\w-]{8}\.mjs$/.exec(url);
  if (chunk) return `bundle: ${chunk[1]}`;
  return url.replace(/^file:\/\//, '').replace(ROOT, '.');
}

async function profile(papers: number, everyTalk: boolean, top: number): Promise<void> {
  const name = sizeName(papers, everyTalk);
  const profileDir = path.join(BENCH_DIR, 'profile');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  console.log(`\n▶ profiling the build of ${count(papers)} papers (node --cpu-prof) …`);
  const run = await build(path.join(BENCH_DIR, `content-${name}`), path.join(BENCH_DIR, `build-${name}-profile.log`), [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
  ]);
  rmSync(run.outDir, { recursive: true, force: true });
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const selfUs = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const cpu = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
    const frames = new Map(cpu.nodes.map((n) => [n.id, n.callFrame]));
    cpu.samples.forEach((id, i) => {
      const frame = frames.get(id);
      const us = cpu.timeDeltas[i] ?? 0;
      if (!frame) return;
      if (frame.functionName === '(idle)') {
        idleUs += us;
        return;
      }
      busyUs += us;
      const where = frame.url ? ` · ${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${(frame.functionName || '(anonymous)').slice(0, 60)}${where} · ${area(frame.url)}`;
      selfUs.set(key, (selfUs.get(key) ?? 0) + us);
      byArea.set(area(frame.url), (byArea.get(area(frame.url)) ?? 0) + us);
    });
  }
  const share = (us: number) => `${((100 * us) / busyUs).toFixed(1)}%`;
  const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(
    `\n## Where the CPU time of the ${count(papers)}-paper build goes\n\n${seconds(busyUs / 1000)} busy, ` +
      `${seconds(idleUs / 1000)} idle (waiting for the disk or a child process); self time; ` +
      `${files.length} profile(s) in ${path.relative(ROOT, profileDir)}\n`,
  );
  console.log(
    table(
      ['package', 'self time', 'share'],
      ranked(byArea).map(([where, us]) => [where, seconds(us / 1000), share(us)]),
    ),
  );
  console.log('');
  console.log(
    table(
      ['function · file:line · package', 'self time', 'share'],
      ranked(selfUs).map(([where, us]) => [where, seconds(us / 1000), share(us)]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      papers: { type: 'string', default: '50,500,5000' },
      runs: { type: 'string', default: '3' },
      'every-talk': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      top: { type: 'string', default: '15' },
      keep: { type: 'boolean', default: false },
    },
  });
  const sizes = values.papers.split(',').map((s) => Number(s.replace(/_/g, '').trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--papers must list positive whole numbers, e.g. "50,500,5000" (got "${values.papers}")`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number (got "${values.runs}")`);
  sizes.sort((a, b) => a - b);
  const everyTalk = values['every-talk'];
  mkdirSync(BENCH_DIR, { recursive: true });
  console.log(`Build cost against papers · node ${process.version} · ${process.platform}/${process.arch}\n`);

  // A first build, not measured, warms the file system cache and Node's compile cache for the measured ones.
  process.stdout.write(`▶ warming up (one build of ${count(sizes[0]!)} papers, not measured) … `);
  const warm = await build((await generate(sizes[0]!, everyTalk)).contentDir, path.join(BENCH_DIR, 'build-warm-up.log'));
  rmSync(warm.outDir, { recursive: true, force: true });
  console.log(seconds(warm.ms));

  const measured: Size[] = [];
  for (const papers of sizes) measured.push(await measureSize(papers, { runs, everyTalk, keep: values.keep }));
  report(measured, { runs, everyTalk });
  if (values.profile) await profile(sizes.at(-1)!, everyTalk, Number(values.top));
}

await main();
