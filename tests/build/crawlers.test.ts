/** What crawlers and static hosts read from the built demo site: robots.txt, the sitemap, the 404 page. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const dist = path.resolve(import.meta.dirname, '../../dist');
const read = (file: string) => readFileSync(path.join(dist, file), 'utf8');
const edition = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../content/2024_2/edition.json'), 'utf8')) as {
  id: string;
  title: string;
};

test('robots.txt allows crawling and names the sitemap by its absolute URL', () => {
  const robots = read('robots.txt');
  assert.match(robots, /^User-agent: \*$/m);
  const sitemap = /^Sitemap: (\S+)$/m.exec(robots)?.[1];
  assert.ok(sitemap, robots);
  assert.equal(new URL(sitemap).pathname, '/sitemap-index.xml');
});

test('the sitemap lists the edition, its call for papers and its papers, and not the 404 page', () => {
  const urls = [...read('sitemap-0.xml').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  for (const page of [`/${edition.id}/`, `/${edition.id}/call-for-papers/`, `/${edition.id}/papers/`, `/${edition.id}/papers/2/`]) {
    assert.ok(urls.includes(page), `${page} missing from ${urls.join(', ')}`);
  }
  assert.ok(!urls.some((u) => u.includes('404')), 'the 404 page is not in the sitemap');
});

test('404.html says the page is missing, is not indexed, and links every edition', () => {
  const html = read('404.html');
  assert.match(html, /<h1>Page not found<\/h1>/);
  assert.match(html, /<meta name="robots" content="noindex">/);
  assert.doesNotMatch(html, /rel="canonical"/);
  assert.match(html, new RegExp(`<a href="/${edition.id}/">${edition.title}</a>`));
});
