/**
 * Deployment polish in the built site: /favicon.svg made from the newest edition's short title (escaped: the title
 * comes from a spreadsheet), linked from every page under the base path, and the `_headers` file with the cache
 * rules for Netlify and Cloudflare Pages. One build of the demo content with a hostile short title, an older
 * edition beside it, and BASE_PATH.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { coloursFromCss, faviconSvg, initials } from '../../src/lib/favicon.ts';
import { buildSite, makeTempDir, removeDir } from '../helpers/browser.ts';
import { EDITION, ROOT } from '../integration/helpers.ts';

const HOSTILE = `<script>alert("1")</script> & 'Friends' for LLM ]]>`;
const BASE = '/workshop';
let temp = '';
let out = '';
const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

before(async () => {
  temp = await makeTempDir('favicon');
  const content = path.join(temp, 'content');
  cpSync(path.join(ROOT, 'content'), content, { recursive: true });
  const editionFile = path.join(content, EDITION, 'edition.json');
  const edition = JSON.parse(readFileSync(editionFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(editionFile, JSON.stringify({ ...edition, shortTitle: HOSTILE }));
  // An older edition, which the favicon must not use.
  mkdirSync(path.join(content, '2019_1'));
  writeFileSync(
    path.join(content, '2019_1', 'edition.json'),
    JSON.stringify({ ...edition, id: '2019_1', shortTitle: 'Older Edition', dates: { start: '2019-07-18', end: '2019-07-18' } }),
  );
  out = (await buildSite(content, path.join(temp, 'dist'), { SITE_URL: 'https://org.example.github.io', BASE_PATH: BASE })).outDir;
});
after(() => removeDir(temp));

/** Every built HTML page, relative to dist/. */
function pages(dir = out): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)));
}

describe('/favicon.svg', () => {
  test('is a valid SVG of the newest edition’s initials, with its title escaped', async () => {
    const svg = read('favicon.svg');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const escaped = `&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &apos;Friends&apos; for LLM ]]&gt;`;
    assert.ok(svg.includes(`<title>${escaped}</title>`), svg);
    assert.ok(svg.includes(`aria-label="${escaped}"`), svg);
    assert.match(svg, />SA<\/text>/, 'the initials of "script alert"');
    assert.doesNotMatch(svg, /<script|Older Edition/);
    // librsvg (through sharp) parses the XML strictly: malformed markup fails here.
    const { info } = await sharp(Buffer.from(svg)).png().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [64, 64]);
  });

  test('every page links it under the base path', () => {
    const built = pages();
    assert.ok(built.length > 5, `found ${built.length} pages`);
    const missing = built.filter((page) => !read(page).includes(`<link rel="icon" href="${BASE}/favicon.svg" type="image/svg+xml">`));
    assert.deepEqual(missing, []);
  });

  test('uses the site’s accent colours, whose contrast is at least 4.5:1', () => {
    const colours = coloursFromCss(readFileSync(path.join(ROOT, 'src/styles/global.css'), 'utf8'));
    assert.ok(read('favicon.svg').includes(`fill="${colours.background}"`));
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [light, dark] = [luminance(colours.text), luminance(colours.background)].sort((a, b) => b - a);
    assert.ok((light! + 0.05) / (dark! + 0.05) >= 4.5, JSON.stringify(colours));
  });
});

test('initials: first letters of up to two words, small words skipped, any script', () => {
  assert.equal(initials('LLM'), 'L');
  assert.equal(initials('LLM for Individuals, Groups, and Society'), 'LI');
  assert.equal(initials('the Art of Data'), 'AD');
  assert.equal(initials('  "über" café '), 'ÜC');
  assert.equal(initials('of and'), 'OA');
  assert.equal(initials('データ 科学'), 'デ科');
  assert.equal(initials('2024 Workshop'), '2W');
  const svg = faviconSvg('<&>\u0007\ud800"', { background: '#000000', text: '#ffffff' });
  assert.ok(svg.includes('<title>&lt;&amp;&gt;\ufffd&quot;</title>'), 'escaped; no control character or lone surrogate');
});

test('dist/_headers: hashed assets immutable for a year, everything else revalidated', () => {
  const rules = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of read('_headers').split('\n')) {
    if (line.startsWith('/')) rules.set(line.trim(), (current = []));
    else if (/^\s+\S/.test(line)) current.push(line.trim());
  }
  assert.deepEqual(Object.fromEntries(rules), {
    '/*': ['Cache-Control: public, max-age=0, must-revalidate'],
    '/_astro/*': ['! Cache-Control', 'Cache-Control: public, max-age=31536000, immutable'],
  });
  assert.ok(readdirSync(path.join(out, '_astro')).length > 0, 'the build has hashed assets under _astro/');
});
