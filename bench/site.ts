/**
 * Site benchmark: build time and page weight for (a) the demo content and (b) a generated 5,000-paper edition.
 *
 *   npm run bench:site [-- --papers 5000] [-- --verbose] [-- --skip-generated] [-- --warm]
 *   CONTENT_DIR=some/content npm run bench:site     (benchmarks that folder instead of the demo content/)
 *
 * For each content set it runs `npx astro build` with CONTENT_DIR/OUT_DIR set (output in .bench/out-<name>, the
 * build log in .bench/build-<name>.log) and ASTRO_SCRATCH_DIR=.bench/root-<name>, which holds Astro's generated
 * `.astro/` and its cache (emptied first unless --warm): builds are cold and repeatable, and neither race with nor
 * pollute other builds of the project running at the same time (see astro.config.mjs). It measures the wall-clock time and, when GNU time is
 * available, the peak RSS of the largest process of the build. Then, for each edition page, its papers page and the home page, it weighs
 * the HTML, CSS and JS (raw and gzip -9) and checks the site budget on the demo home page.
 *
 * Exits non-zero only when a build (or the generator) fails; a blown budget is reported, not fatal.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { editionFolders } from '../content-store/read.ts';
import { generateEdition } from './generate-edition.ts';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const BENCH_DIR = path.join(ROOT, '.bench');
const GNU_TIME = '/usr/bin/time';

/** The site budget for a home page, without photos: HTML + CSS + JS as transferred (gzip), and JS alone. */
const BUDGET = { totalGz: 60 * 1024, jsGz: 5 * 1024 };

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A markdown table, columns padded; numeric-looking columns right-aligned. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => i > 0 && rows.every((r) => /^[\d.,]+( \w+)?%?$|^[-–]$/.test(r[i] ?? '')));
  const cell = (text: string, i: number) => (right[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Building

interface BuildResult {
  name: string;
  contentDir: string;
  outDir: string;
  ok: boolean;
  seconds: number;
  /** Peak resident set size of the largest process, in bytes; undefined without GNU time. */
  peakRss: number | undefined;
  images: { total: number; cached: number };
  log: string;
}

async function build(name: string, contentDir: string, options: { verbose: boolean; warm: boolean }): Promise<BuildResult> {
  const outDir = path.join(BENCH_DIR, `out-${name}`);
  const benchRoot = path.join(BENCH_DIR, `root-${name}`);
  if (!options.warm) {
    rmSync(benchRoot, { recursive: true, force: true });
  }
  mkdirSync(benchRoot, { recursive: true });
  const logFile = path.join(BENCH_DIR, `build-${name}.log`);
  const rssFile = path.join(BENCH_DIR, `rss-${name}.txt`);
  rmSync(outDir, { recursive: true, force: true });
  rmSync(rssFile, { force: true });

  const env = {
    ...process.env,
    CONTENT_DIR: contentDir,
    OUT_DIR: outDir,
    ASTRO_SCRATCH_DIR: benchRoot,
    // Build with the Node running this script (the project's pinned Node 22), not whatever is first on PATH.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
  };
  const command = ['npx', 'astro', 'build'];
  const withTime = existsSync(GNU_TIME);
  const [file, ...args] = withTime ? [GNU_TIME, '-f', '%M', '-o', rssFile, ...command] : command;

  console.log(`▶ building ${name} (CONTENT_DIR=${path.relative(ROOT, contentDir) || '.'}) …`);
  const log = createWriteStream(logFile);
  const chunks: Buffer[] = [];
  const start = performance.now();
  const child = spawn(file!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      log.write(chunk);
      if (options.verbose) process.stdout.write(chunk);
    });
  }
  const code = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      chunks.push(Buffer.from(String(error)));
      resolve(-1);
    });
    child.on('close', (exit) => resolve(exit ?? -1));
  });
  const seconds = (performance.now() - start) / 1000;
  await new Promise<void>((resolve) => log.end(resolve));

  let peakRss: number | undefined;
  if (withTime && existsSync(rssFile)) {
    // GNU time writes "Command exited with non-zero status N" before the figure when the build fails.
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb) && kb > 0) peakRss = kb * 1024;
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\x1b\[[0-9;]*m/g, '');
  const imageLines = text.split('\n').filter((l) => /▶ \/.*\.(webp|avif|png|jpe?g|gif|svg)\b/.test(l));
  const images = { total: imageLines.length, cached: imageLines.filter((l) => l.includes('reused cache entry')).length };
  const ok = code === 0;
  console.log(`  ${ok ? 'done' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s; log: ${path.relative(ROOT, logFile)}`);
  return { name, contentDir, outDir, ok, seconds, peakRss, images, log: text };
}

// ---------------------------------------------------------------------------------------------------------------
// Weighing

interface OutputStats {
  files: number;
  pages: number;
  bytes: number;
  htmlBytes: number;
  imageBytes: number;
  images: number;
}

function outputStats(dir: string): OutputStats {
  const stats: OutputStats = { files: 0, pages: 0, bytes: 0, htmlBytes: 0, imageBytes: 0, images: 0 };
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(p);
        continue;
      }
      const size = statSync(p).size;
      stats.files++;
      stats.bytes += size;
      if (entry.name.endsWith('.html')) {
        stats.pages++;
        stats.htmlBytes += size;
      } else if (/\.(webp|avif|png|jpe?g|gif|svg)$/i.test(entry.name)) {
        stats.images++;
        stats.imageBytes += size;
      }
    }
  };
  walk(dir);
  return stats;
}

const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const size = (data: string | Buffer) => (typeof data === 'string' ? Buffer.byteLength(data) : data.length);

interface PageWeight {
  html: number;
  htmlGz: number;
  /** Inline <style> plus linked stylesheets. */
  css: number;
  cssGz: number;
  /** Inline scripts plus linked module scripts and what they import statically. */
  js: number;
  jsGz: number;
  /** Inline JSON-LD (already counted in the HTML). */
  jsonLd: number;
  /** As transferred: the HTML file plus every linked CSS and JS file, each gzipped. */
  totalGz: number;
  /** Linked files that could not be found in the output (should be none). */
  missing: string[];
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** The output file of a site URL (`/_astro/x.js`, with or without BASE_PATH), or undefined if external. */
function outputFile(outDir: string, url: string, from: string): string | undefined {
  if (/^([a-z]+:)?\/\//i.test(url) || url.startsWith('data:')) return undefined;
  const clean = decodeURI(url.replace(/[?#].*$/, ''));
  if (!clean.startsWith('/')) return path.resolve(path.dirname(from), clean);
  const base = (process.env['BASE_PATH'] ?? '/').replace(/\/?$/, '/');
  const rel = clean.startsWith(base) ? clean.slice(base.length) : clean.slice(1);
  return path.join(outDir, rel);
}

function pageWeight(outDir: string, htmlFile: string): PageWeight {
  const html = readFileSync(htmlFile, 'utf8');
  const missing: string[] = [];
  const cssFiles = new Set<string>();
  const jsFiles = new Set<string>();
  const inlineCss: string[] = [];
  const inlineJs: string[] = [];
  let jsonLd = 0;

  for (const [, body] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) inlineCss.push(body ?? '');
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const hrefValue = attr(tag, 'href');
    if (!hrefValue) continue;
    const target = rel.includes('stylesheet') ? cssFiles : rel.includes('modulepreload') ? jsFiles : undefined;
    const file = target && outputFile(outDir, hrefValue, htmlFile);
    if (target && file) target.add(file);
  }
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const tag = `<script ${match[1] ?? ''}>`;
    const type = (attr(tag, 'type') ?? '').toLowerCase();
    if (type === 'application/ld+json') {
      jsonLd += size(match[2] ?? '');
      continue;
    }
    if (type && type !== 'module' && type !== 'text/javascript') continue;
    const src = attr(tag, 'src');
    if (src) {
      const file = outputFile(outDir, src, htmlFile);
      if (file) jsFiles.add(file);
    } else {
      inlineJs.push(match[2] ?? '');
      for (const [, spec] of (match[2] ?? '').matchAll(/(?:\bimport|\bfrom)\s*["']((?:\.{1,2})?\/[^"']+)["']/g)) {
        const file = spec && outputFile(outDir, spec, htmlFile);
        if (file) jsFiles.add(file);
      }
    }
  }
  // Static imports of the linked modules are fetched before they run: follow them.
  for (const file of jsFiles) {
    if (!existsSync(file)) continue;
    const code = readFileSync(file, 'utf8');
    for (const [, spec] of code.matchAll(/(?:\bimport|\bfrom)\s*["']((?:\.{1,2})?\/[^"']+)["']/g)) {
      const dep = spec && outputFile(outDir, spec, file);
      if (dep) jsFiles.add(dep);
    }
  }

  const read = (file: string): Buffer => {
    if (existsSync(file)) return readFileSync(file);
    missing.push(path.relative(outDir, file));
    return Buffer.alloc(0);
  };
  const css = [...cssFiles].map(read);
  const js = [...jsFiles].map(read);
  const inlineCssText = inlineCss.join('\n');
  const inlineJsText = inlineJs.join('\n');
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const htmlGz = gz(html);
  const cssLinkedGz = sum(css.map(gz));
  const jsLinkedGz = sum(js.map(gz));
  return {
    html: size(html),
    htmlGz,
    css: size(inlineCssText) + sum(css.map(size)),
    cssGz: (inlineCssText ? gz(inlineCssText) : 0) + cssLinkedGz,
    js: size(inlineJsText) + sum(js.map(size)),
    jsGz: (inlineJsText ? gz(inlineJsText) : 0) + jsLinkedGz,
    jsonLd,
    totalGz: htmlGz + cssLinkedGz + jsLinkedGz,
    missing,
  };
}

/** Where the bytes of a page go: the head (and its JSON-LD), each top-level <section> of <main>, the rest. */
function pageBreakdown(htmlFile: string): string[][] {
  const html = readFileSync(htmlFile, 'utf8');
  const parts: { name: string; text: string }[] = [];
  const head = /<head\b[\s\S]*?<\/head>/i.exec(html)?.[0] ?? '';
  const ld = [...head.matchAll(/<script type="application\/ld\+json">[\s\S]*?<\/script>/gi)].map((m) => m[0]).join('');
  const style = [...head.matchAll(/<style\b[\s\S]*?<\/style>/gi)].map((m) => m[0]).join('');
  parts.push({ name: '<head>: JSON-LD', text: ld });
  parts.push({ name: '<head>: inline <style>', text: style });
  parts.push({ name: '<head>: the rest', text: head.replace(ld, '').replace(style, '') });
  let rest = html.replace(head, '');
  const tokens = /<section\b[^>]*>|<\/section>/gi;
  let depth = 0;
  let open = 0;
  let openTag = '';
  const sections: { name: string; text: string }[] = [];
  for (const token of rest.matchAll(tokens)) {
    if (token[0].startsWith('</')) {
      depth--;
      if (depth === 0)
        sections.push({ name: `<section id="${attr(openTag, 'id') ?? '?'}">`, text: rest.slice(open, token.index + token[0].length) });
    } else {
      if (depth === 0) {
        open = token.index;
        openTag = token[0];
      }
      depth++;
    }
  }
  for (const s of sections) rest = rest.replace(s.text, '');
  parts.push(...sections, { name: 'everything else', text: rest });
  const total = size(html);
  return parts
    .filter((p) => p.text.length > 0)
    .sort((a, b) => size(b.text) - size(a.text))
    .map((p) => [p.name, bytes(size(p.text)), `${((100 * size(p.text)) / total).toFixed(1)}%`, bytes(gz(p.text))]);
}

// ---------------------------------------------------------------------------------------------------------------

interface Measured {
  build: BuildResult;
  stats: OutputStats;
  editions: string[];
  pages: { content: string; page: string; file: string; weight: PageWeight }[];
}

function measure(result: BuildResult): Measured {
  const editions = editionFolders(result.contentDir);
  const stats = outputStats(result.outDir);
  const pages = [
    ...editions.map((id) => ({ page: `/${id}/`, file: path.join(result.outDir, id, 'index.html') })),
    // The full list of papers, which the edition page links to when it has too many to list itself.
    ...editions
      .map((id) => ({ page: `/${id}/papers/`, file: path.join(result.outDir, id, 'papers', 'index.html') }))
      .filter(({ file }) => existsSync(file)),
    { page: '/ (home)', file: path.join(result.outDir, 'index.html') },
  ].map(({ page, file }) => ({ content: result.name, page, file, weight: pageWeight(result.outDir, file) }));
  return { build: result, stats, editions, pages };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      papers: { type: 'string', default: '5000' },
      verbose: { type: 'boolean', default: false },
      'skip-generated': { type: 'boolean', default: false },
      warm: { type: 'boolean', default: false },
    },
  });
  const papers = Number(values.papers);
  if (!Number.isInteger(papers) || papers < 1) throw new Error(`--papers must be a positive integer (got ${values.papers})`);
  mkdirSync(BENCH_DIR, { recursive: true });
  console.log(`Site benchmark · node ${process.version} · ${process.platform}/${process.arch}\n`);

  // The first content set is the demo content, content/, or whatever CONTENT_DIR names.
  const own = process.env['CONTENT_DIR'];
  const sets: { name: string; contentDir: string }[] = [
    own
      ? { name: path.basename(path.resolve(ROOT, own)), contentDir: path.resolve(ROOT, own) }
      : { name: 'demo', contentDir: path.join(ROOT, 'content') },
  ];
  if (!values['skip-generated']) {
    const contentDir = path.join(BENCH_DIR, `content-${papers}`);
    rmSync(contentDir, { recursive: true, force: true });
    const t = performance.now();
    const generated = await generateEdition({ contentDir, id: `bench_${papers}`, papers });
    const c = generated.counts;
    console.log(
      `▶ generated ${path.relative(ROOT, generated.dir)}: ${c.papers} papers, ${c.people} people, ${c.sessions} sessions, ` +
        `${c.photos} photos (${bytes(c.photoBytes)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    sets.push({ name: generated.id, contentDir });
  }

  const results: BuildResult[] = [];
  for (const set of sets) results.push(await build(set.name, set.contentDir, { verbose: values.verbose, warm: values.warm }));
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) {
    console.error(`\nBuild "${r.name}" failed. Last lines of .bench/build-${r.name}.log:\n`);
    console.error(r.log.trimEnd().split('\n').slice(-30).join('\n'));
  }
  const measured = results.filter((r) => r.ok).map(measure);
  if (measured.length > 0) report(measured, values.warm, sets[0]?.name);
  if (failed.length > 0) console.error(`\nFAILED: the build of ${failed.map((r) => r.name).join(', ')} failed (see above).`);
  return failed.length > 0 ? 1 : 0;
}

function report(measured: Measured[], warm: boolean, own: string | undefined): void {
  console.log('\n## Builds\n');
  console.log(
    table(
      ['content', 'editions', 'build time', 'peak RSS', 'pages (.html)', 'files', 'output size', 'of which HTML', 'images (cached)'],
      measured.map(({ build: b, stats: s, editions }) => [
        b.name,
        editions.join(', '),
        `${b.seconds.toFixed(1)} s`,
        b.peakRss === undefined ? '–' : bytes(b.peakRss),
        String(s.pages),
        String(s.files),
        bytes(s.bytes),
        bytes(s.htmlBytes),
        `${s.images} (${b.images.cached} of ${b.images.total} reused)`,
      ]),
    ),
  );
  console.log(
    `\nbuild time: wall clock of \`npx astro build\`, npx start-up included; ${warm ? 'warm' : 'cold'} Astro and Vite caches (images, data store).` +
      (existsSync(GNU_TIME) ? ' peak RSS: largest single process of the build (GNU time %M).' : ' peak RSS: no GNU time at /usr/bin/time.'),
  );

  console.log('\n## Page weights (gzip -9)\n');
  console.log(
    table(
      ['content', 'page', 'HTML', 'HTML gz', 'CSS', 'CSS gz', 'JS', 'JS gz', 'JSON-LD', 'total gz'],
      measured.flatMap((m) =>
        m.pages.map(({ content, page, weight: w }) => [
          content,
          page,
          bytes(w.html),
          bytes(w.htmlGz),
          bytes(w.css),
          bytes(w.cssGz),
          bytes(w.js),
          bytes(w.jsGz),
          bytes(w.jsonLd),
          bytes(w.totalGz),
        ]),
      ),
    ),
  );
  console.log(
    '\nHTML: the .html file, inline <style>/<script>/JSON-LD included. CSS, JS: inline plus linked /_astro/ files ' +
      '(JS with its static imports); JSON-LD: raw bytes inside the HTML. total gz: what a visitor downloads, photos ' +
      'excluded: the HTML file plus each linked CSS and JS file, gzipped one by one (inline CSS/JS counted once, in the HTML).',
  );
  for (const m of measured)
    for (const p of m.pages)
      if (p.weight.missing.length) console.log(`warning: ${p.content} ${p.page} links missing files: ${p.weight.missing.join(', ')}`);

  // Where the bytes go on the heaviest edition page.
  const heaviest = measured
    .flatMap((m) => m.pages)
    .filter((p) => p.page !== '/ (home)')
    .sort((a, b) => b.weight.html - a.weight.html)[0];
  if (heaviest && heaviest.weight.html > 1024 * 1024) {
    console.log(`\n## Where the bytes of ${heaviest.content} ${heaviest.page} go\n`);
    console.log(table(['part', 'raw', 'share', 'gz (alone)'], pageBreakdown(heaviest.file)));
  }

  console.log(
    `\n## Budget: home page HTML+CSS+JS ≤ ${bytes(BUDGET.totalGz)} gzipped (photos excluded), JS ≤ ${bytes(BUDGET.jsGz)} gzipped\n`,
  );
  for (const m of measured) {
    const home = m.pages.find((p) => p.page === '/ (home)');
    if (!home) continue;
    const w = home.weight;
    const total = w.totalGz <= BUDGET.totalGz;
    const js = w.jsGz <= BUDGET.jsGz;
    const label = m.build.name === own ? `${m.build.name} home page` : `${m.build.name} home page (informational)`;
    console.log(
      `${total && js ? 'PASS' : 'FAIL'}  ${label}: total ${bytes(w.totalGz)} ${total ? '≤' : '>'} ${bytes(BUDGET.totalGz)} ` +
        `(${total ? 'PASS' : 'FAIL'}), JS ${bytes(w.jsGz)} ${js ? '≤' : '>'} ${bytes(BUDGET.jsGz)} (${js ? 'PASS' : 'FAIL'})`,
    );
  }
}

process.exitCode = await main();
