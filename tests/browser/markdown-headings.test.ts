/**
 * Headings inside markdown fields (Airtable's rich text has them): a copy of the demo edition whose overview, call for
 * papers, a speaker's abstract and bio, and a paper's abstract are written with `#` headings is built and loaded in
 * Chromium. Each text's highest heading sits one level below the heading of the block it is in, no page gains a
 * second h1, and axe-core's heading-order rule passes with every <details> open.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AxeResults } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { Edition, Paper, Person } from '../../src/model/index.ts';
import { buildSite, launchBrowser, makeTempDir, PROJECT_ROOT, removeDir } from '../helpers/browser.ts';
import { DEMO_CONTENT_DIR, DEMO_EDITION } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const AXE_SOURCE = readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SPEAKER = 'mark-najork';
const PAPER = '2';

async function editJson<T>(file: string, edit: (value: T) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as T;
  edit(value);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Copies the demo edition into `contentDir` and writes headings into its markdown fields. */
async function writeContent(contentDir: string): Promise<void> {
  const dir = path.join(contentDir, DEMO_EDITION);
  await cp(DEMO_CONTENT_DIR, dir, { recursive: true });
  await editJson<Edition>(path.join(dir, 'edition.json'), (e) => {
    e.overview = `# Our aims\n\n${e.overview}\n\n## Scope\n\nWhat we cover.`;
    if (e.callForPapers) e.callForPapers.text = `# How to submit\n\n${e.callForPapers.text}\n\n## Format\n\nFour pages.`;
  });
  await editJson<Person[]>(path.join(dir, 'people.json'), (people) => {
    const speaker = people.find((p) => p.id === SPEAKER);
    assert.ok(speaker, `the demo has ${SPEAKER}`);
    speaker.bio = '# Early life\n\nBorn by the sea.\n\n## School\n\nA good one.\n\n# Career\n\nSearch engines.';
    speaker.abstract = '### Summary\n\nWhat the talk is about.';
  });
  await editJson<Paper[]>(path.join(dir, 'papers.json'), (papers) => {
    const paper = papers.find((p) => p.id === PAPER);
    assert.ok(paper, `the demo has paper ${PAPER}`);
    paper.abstract = '# Background\n\nWhy.\n\n## Method\n\nHow.';
  });
}

/** Every heading of the page in document order (closed <details> opened first): level and text. */
async function outline(page: Page): Promise<{ level: number; text: string }[]> {
  return page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
    return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({
      level: Number(h.tagName.slice(1)),
      text: (h.textContent ?? '').replace(/\s+/g, ' ').trim(),
    }));
  });
}

/** The level of the heading with this text, and of the heading of the block it is in (a person's name, a section's title). */
async function levels(page: Page, text: string): Promise<{ own: number; block: number }> {
  return page.evaluate((wanted) => {
    const own = [...document.querySelectorAll('.prose :is(h1, h2, h3, h4, h5, h6)')].find((h) => h.textContent?.trim() === wanted);
    if (!own) throw new Error(`no heading "${wanted}" in a markdown text`);
    // The heading of the block: the nearest heading of the page's own (not of a markdown text) before the text.
    const prose = own.closest('.prose')!;
    const before = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(
      (h) => !h.closest('.prose') && h.compareDocumentPosition(prose) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    return { own: Number(own.tagName.slice(1)), block: Number(before.at(-1)!.tagName.slice(1)) };
  }, text);
}

describe('headings in markdown fields sit below the heading of their block', () => {
  let temp = '';
  let server: StaticServer;
  let browser: Browser | undefined;
  let launching: Promise<unknown> | undefined;
  let page: Page;
  const url = (sitePath: string) => new URL(sitePath.replace(/^\//, ''), server.url).href;

  before(async () => {
    temp = await makeTempDir('markdown-headings');
    const contentDir = path.join(temp, 'content');
    await writeContent(contentDir);
    launching = launchBrowser().then((launched) => (browser = launched));
    const { outDir } = await buildSite(contentDir, path.join(temp, 'dist'));
    await launching;
    server = await startStaticServer(outDir);
    page = await (await browser!.newContext({ locale: 'en-US', timezoneId: 'America/New_York' })).newPage();
  });

  after(async () => {
    await launching?.catch(() => undefined);
    await browser?.close();
    await server?.close();
    await removeDir(temp);
  });

  const cases = [
    { path: `/${DEMO_EDITION}/`, texts: ['Our aims', 'Early life', 'Summary'], exact: { 'Our aims': 3, Scope: 4 } },
    { path: `/${DEMO_EDITION}/call-for-papers/`, texts: ['How to submit'], exact: { 'How to submit': 2, Format: 3 } },
    { path: `/${DEMO_EDITION}/papers/${PAPER}/`, texts: ['Background'], exact: { Background: 3, Method: 4 } },
  ];

  for (const { path: sitePath, texts, exact } of cases) {
    test(`${sitePath}: one h1, no skipped level, each text's headings one level below its block's`, async () => {
      assert.equal((await page.goto(url(sitePath)))?.status(), 200);
      const headings = await outline(page);
      assert.equal(headings.filter((h) => h.level === 1).length, 1, JSON.stringify(headings));
      for (const [i, h] of headings.entries()) {
        const previous = headings[i - 1]?.level ?? 0;
        assert.ok(h.level <= previous + 1, `"${h.text}" (h${h.level}) comes after an h${previous}: ${JSON.stringify(headings)}`);
      }
      for (const text of texts) {
        const { own, block } = await levels(page, text);
        assert.equal(own, block + 1, `"${text}" is an h${own} in a block under an h${block}`);
      }
      for (const [text, level] of Object.entries(exact)) {
        assert.ok(
          headings.some((h) => h.text === text && h.level === level),
          `"${text}" is an h${level}: ${JSON.stringify(headings)}`,
        );
      }
      await page.addScriptTag({ content: AXE_SOURCE });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<AxeResults> } }).axe;
        const results = await axe.run(document, { runOnly: ['heading-order', 'page-has-heading-one', 'empty-heading'] });
        return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
      });
      assert.deepEqual(violations, []);
    });
  }

  test('the bio keeps the distances between its own headings', async () => {
    await page.goto(url(`/${DEMO_EDITION}/`));
    const card = (await outline(page)).filter((h) => ['Early life', 'School', 'Career'].includes(h.text));
    const base = card[0]!.level;
    assert.deepEqual(
      card.map((h) => [h.text, h.level - base]),
      [
        ['Early life', 0],
        ['School', 1],
        ['Career', 0],
      ],
    );
  });
});
