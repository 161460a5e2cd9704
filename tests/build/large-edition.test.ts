/**
 * A large edition (more papers than PAPERS_ON_EDITION_PAGE) keeps its edition page light: the page links to
 * /<edition>/papers/, which lists every paper, and each paper keeps its own page.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSite, makeTempDir, removeDir } from '../helpers/browser.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/content-minimal/', import.meta.url));
const EDITION = '2025_3';
/** One more than the edition page lists itself (PAPERS_ON_EDITION_PAGE in src/lib/edition.ts). */
const PAPERS = 101;

let temp = '';
let out = '';
const read = (page: string) => readFileSync(path.join(out, page), 'utf8');
const count = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].length;

before(async () => {
  temp = await makeTempDir('large-edition');
  const content = path.join(temp, 'content');
  cpSync(FIXTURE, content, { recursive: true });
  const papers = Array.from({ length: PAPERS }, (_, i) => ({
    id: String(i + 1),
    title: `Paper number ${i + 1}`,
    authors: [`Author ${i + 1}`, 'Grace Hopper'],
    abstract: `Abstract of paper ${i + 1}.`,
  }));
  writeFileSync(path.join(content, EDITION, 'papers.json'), JSON.stringify(papers));
  const schedule = JSON.parse(readFileSync(path.join(content, EDITION, 'schedule.json'), 'utf8')) as { paper?: string }[];
  for (const item of schedule) if (item.paper) item.paper = '1';
  writeFileSync(path.join(content, EDITION, 'schedule.json'), JSON.stringify(schedule));
  out = (await buildSite(content, path.join(temp, 'dist'))).outDir;
});

after(() => removeDir(temp));

test('the edition page links to the full list instead of listing every paper', () => {
  const html = read(`${EDITION}/index.html`);
  assert.equal(count(html, /<li class="paper"/g), 0);
  assert.match(html, new RegExp(`<a href="/${EDITION}/papers/">Browse all ${PAPERS} accepted papers</a>`));
  assert.match(html, new RegExp(`<a href="/${EDITION}/papers/">Papers</a>`), 'the navigation points to the list');
  assert.doesNotMatch(html, /ScholarlyArticle/, 'papers are described on their own pages, not in the edition page');
});

test('/<edition>/papers/ lists every paper, in id order, with abstracts and the filter', () => {
  const html = read(`${EDITION}/papers/index.html`);
  assert.equal(count(html, /<li class="paper"/g), PAPERS);
  assert.equal(count(html, /<details>/g), PAPERS);
  const ids = [...html.matchAll(new RegExp(`href="/${EDITION}/papers/(\\d+)/"`, 'g'))].map((m) => Number(m[1]));
  assert.deepEqual(
    ids,
    Array.from({ length: PAPERS }, (_, i) => i + 1),
  );
  assert.match(html, /data-paper-filter/);
});

test('every paper keeps its own page with citation tags', () => {
  const html = read(`${EDITION}/papers/${PAPERS}/index.html`);
  assert.match(html, new RegExp(`<meta name="citation_title" content="Paper number ${PAPERS}">`));
  assert.equal(count(html, /<meta name="citation_author"/g), 2);
});
