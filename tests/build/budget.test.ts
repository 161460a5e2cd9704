/**
 * The page-weight budget of the built demo site (dist/, built by `npm test` before the tests):
 * home page HTML+CSS+JS ≤ 60 KB gzipped without photos, JS ≤ 5 KB gzipped, nothing loaded from another host.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '../../dist');
const gz = (text: string) => gzipSync(text, { level: 9 }).length;

/** The module at `file` and every module it imports statically, transitively. */
function moduleGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, spec] of code.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    moduleGraph(path.resolve(path.dirname(file), spec!), seen);
  }
  return seen;
}

function pageWeight(page: string) {
  const html = readFileSync(path.join(dist, page), 'utf8');
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]!);
  const files = new Set<string>();
  for (const src of scripts) moduleGraph(path.join(dist, src), files);
  const externalJs = [...files].map((f) => readFileSync(f, 'utf8')).join('');
  const inlineJs = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('');
  const stylesheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => readFileSync(path.join(dist, m[1]!), 'utf8'));
  return {
    html,
    js: gz(inlineJs) + (externalJs ? gz(externalJs) : 0),
    total: gz(html) + gz(stylesheets.join('')) + (externalJs ? gz(externalJs) : 0),
  };
}

test('the built site exists (run `npm run build` first)', () => {
  assert.ok(existsSync(path.join(dist, 'index.html')), `no ${dist}/index.html: run npm run build before the tests`);
});

for (const page of ['index.html', '2024_2/index.html']) {
  test(`${page}: HTML+CSS+JS ≤ 60 KB and JS ≤ 5 KB gzipped`, () => {
    const weight = pageWeight(page);
    assert.ok(weight.js > 0, 'the page ships its progressive-enhancement scripts');
    assert.ok(weight.js <= 5 * 1024, `JS is ${weight.js} bytes gzipped, over 5 KB`);
    assert.ok(weight.total <= 60 * 1024, `HTML+CSS+JS is ${weight.total} bytes gzipped, over 60 KB`);
  });

  test(`${page}: no iframe, no font, script or stylesheet from another host`, () => {
    const { html } = pageWeight(page);
    assert.doesNotMatch(html, /<iframe/i);
    assert.doesNotMatch(html, /@font-face|fonts\.googleapis/i);
    const loaded = [...html.matchAll(/<(?:script|img|link|source)\b[^>]*?\s(?:src|srcset|href)="([^"]+)"/g)]
      .map((m) => m[0])
      .filter((tag) => !/rel="(?:canonical|sitemap)"/.test(tag));
    assert.ok(
      loaded.some((tag) => tag.startsWith('<script')),
      "found the page's own scripts",
    );
    const external = loaded.filter((tag) => /(?:src|srcset|href)="(?:https?:)?\/\//.test(tag));
    assert.deepEqual(external, [], 'resources must come from the site itself');
  });
}
