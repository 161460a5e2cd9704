/**
 * Browser-test helpers: headless Chromium (Debian's, through playwright-core), the built demo site, builds of
 * fixture content into a temporary folder, and a recorder of requests that leave the local server.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './static-server.ts';
import { makeScratchDir } from './scratch.ts';

export { PROJECT_ROOT };

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Headless Chromium, with everything that could reach the network on its own switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The demo site's build output, dist/; fails with what to do when it has not been built. */
export function builtSiteDir(): string {
  const dir = path.join(PROJECT_ROOT, 'dist');
  if (!existsSync(path.join(dir, 'index.html')) || !existsSync(path.join(dir, '2024_2', 'index.html'))) {
    throw new Error(
      `The built site is missing (${dir} has no index.html or 2024_2/index.html). ` +
        'Run `npm run build` first (`npm test` does it before the tests).',
    );
  }
  return dir;
}

/** A new empty temporary folder. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `${prefix}-`));
}

/** Removes a folder made by the tests; never fails. */
export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

export interface BuildResult {
  /** The output folder (absolute). */
  outDir: string;
  /** What the build printed, for error messages. */
  log: string;
}

/**
 * Builds the site from `contentDir` into `outDir` (a new temporary folder by default) by running the project's
 * own `astro build` (what `npx astro build` runs, here with the Node running the tests) with CONTENT_DIR and
 * OUT_DIR set, and ASTRO_SCRATCH_DIR a temporary folder: Astro's generated .astro/ folder and its cache (the
 * content data store) go there, so a fixture build never shares them with another build running at the same
 * time. `env` adds settings such as SITE_URL or BASE_PATH. Rejects with the build's output when it fails.
 */
export async function buildSite(contentDir: string, outDir?: string, env: Record<string, string> = {}): Promise<BuildResult> {
  const out = outDir ?? (await makeTempDir('workshop-site-build'));
  const scratchDir = makeScratchDir();
  const astroBin = path.join(PROJECT_ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  try {
    const child = spawn(process.execPath, [astroBin, 'build'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        CONTENT_DIR: path.resolve(contentDir),
        OUT_DIR: path.resolve(out),
        ASTRO_SCRATCH_DIR: scratchDir,
        ASTRO_TELEMETRY_DISABLED: '1',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`astro build of ${contentDir} failed (exit code ${String(code)}):\n${log}`);
    return { outDir: path.resolve(out), log };
  } finally {
    await removeDir(scratchDir);
  }
}

/**
 * Records every request of a browser context that goes anywhere but `origin` (data: and blob: URLs are
 * local), and every local response with an error status. Read the arrays at the end of a test.
 */
export function recordRequests(context: BrowserContext, origin: string): { foreign: string[]; failed: string[] } {
  const foreign: string[] = [];
  const failed: string[] = [];
  const allowed = new URL(origin).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== allowed) foreign.push(url);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  context.on('requestfailed', (request) => {
    const url = request.url();
    const error = request.failure()?.errorText ?? 'failed';
    // ERR_ABORTED: the browser cancelled it (the test navigated on while a lazy image loaded) — not a broken file,
    // which shows as an error status above or as another network error here.
    if (url.startsWith(allowed) && error !== 'net::ERR_ABORTED') failed.push(`${error} ${url}`);
  });
  return { foreign, failed };
}

/**
 * Every event-handler attribute, script URL (javascript:/data:/vbscript:) in an attribute a browser follows or
 * loads, and meta refresh to a script URL, in the page's DOM, as markup. (A <meta> description that starts with
 * "javascript:" is text, not a link.)
 */
export function dangerousAttributes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const url = /^(href|src|srcset|action|formaction|xlink:href|data|poster|background|ping|cite|codebase)$/i;
    const script = /^\s*(javascript|data|vbscript):/i;
    return [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes]
        .filter(
          (a) =>
            /^on/i.test(a.name) ||
            (url.test(a.name) && script.test(a.value)) ||
            (el.localName === 'meta' &&
              /refresh/i.test(el.getAttribute('http-equiv') ?? '') &&
              /url\s*=\s*['"]?\s*(javascript|data|vbscript):/i.test(a.value)),
        )
        .map((a) => `<${el.localName} ${a.name}="${a.value}">`),
    );
  });
}

/** A page that records what hostile content could try: requests to other origins, failed loads, dialogs. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  requests: { foreign: string[]; failed: string[] };
  /** Messages of alert/confirm/prompt dialogs, each dismissed. */
  dialogs: string[];
}

export async function watchedPage(browser: Browser, origin: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const requests = recordRequests(context, origin);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, requests, dialogs };
}

/** Collapses every run of white space (narrow no-break and thin spaces of Intl included) to one space. */
export function squish(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
