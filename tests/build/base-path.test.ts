/**
 * Deployed under a sub-path (GitHub Pages project sites: SITE_URL=https://org.github.io, BASE_PATH=/workshop),
 * every internal link, asset and absolute URL carries the sub-path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSite, makeTempDir, removeDir } from '../helpers/browser.ts';

const CONTENT = fileURLToPath(new URL('../../content/', import.meta.url));
const SITE = 'https://org.example.github.io';
const BASE = '/workshop';
let temp = '';
let out = '';
const read = (page: string) => readFileSync(path.join(out, page), 'utf8');

before(async () => {
  temp = await makeTempDir('base-path');
  out = (await buildSite(CONTENT, path.join(temp, 'dist'), { SITE_URL: SITE, BASE_PATH: BASE })).outDir;
});
after(() => removeDir(temp));

for (const page of ['index.html', '2024_2/index.html', '2024_2/call-for-papers/index.html', '2024_2/papers/2/index.html']) {
  test(`${page}: every root-relative link and asset starts with ${BASE}/`, () => {
    const html = read(page);
    const local = [...html.matchAll(/\s(?:href|src|srcset)="(\/[^"]*)"/g)].map((m) => m[1]!);
    assert.ok(local.length > 5, `found ${local.length} local links`);
    const outside = local.filter((link) => !link.startsWith(`${BASE}/`));
    assert.deepEqual(outside, [], 'links outside the base path');
    assert.match(html, new RegExp(`<link rel="canonical" href="${SITE}${BASE}/`));
  });
}

test('calendars and the sitemap use absolute URLs under the base path', () => {
  const ics = read('2024_2/schedule.ics').replace(/\r\n /g, '');
  const urls = [...ics.matchAll(/^URL:(.+)$/gm)].map((m) => m[1]!.trim());
  assert.ok(urls.length > 0);
  assert.ok(
    urls.every((u) => u.startsWith(`${SITE}${BASE}/2024_2/#session-`)),
    urls.join('\n'),
  );
  assert.match(read('sitemap-0.xml'), new RegExp(`<loc>${SITE}${BASE}/2024_2/</loc>`));
  assert.match(read('robots.txt'), new RegExp(`Sitemap: ${SITE}${BASE}/sitemap-index.xml`));
});

test("a paper's mirrored PDF is served by the site under the base path; the page links it and names it for crawlers", () => {
  const papers = JSON.parse(readFileSync(path.join(CONTENT, '2024_2/papers.json'), 'utf8')) as { id: string; files?: { pdf?: string } }[];
  const paper = papers.find((p) => p.files?.pdf);
  assert.ok(paper, 'the demo edition has a paper with a mirrored PDF');
  const name = path.basename(paper.files!.pdf!);
  assert.deepEqual(readFileSync(path.join(out, '2024_2/files', name)), readFileSync(path.join(CONTENT, '2024_2/files', name)));
  const url = `${BASE}/2024_2/files/${name}`;
  for (const page of [`2024_2/papers/${paper.id}/index.html`, '2024_2/index.html']) {
    assert.match(read(page), new RegExp(`<a href="${url}" rel="noopener">PDF</a>`), page);
  }
  assert.match(read(`2024_2/papers/${paper.id}/index.html`), new RegExp(`<meta name="citation_pdf_url" content="${SITE}${url}"`));
});
