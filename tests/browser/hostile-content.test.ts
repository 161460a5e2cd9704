/**
 * Hostile content: a copy of the demo edition with XSS payloads in every free-text and markdown field is built
 * into a temporary folder and loaded in Chromium. No payload may run, add a script, an iframe, an event
 * handler or a javascript: link, or make a request; each must show as plain text.
 * (The content model already rejects non-http(s) URLs in URL fields at build time, so payloads go in text.)
 */
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Edition, Paper, Person, ScheduleItem } from '../../src/model/index.ts';
import { buildSite, dangerousAttributes, launchBrowser, makeTempDir, removeDir, squish, watchedPage } from '../helpers/browser.ts';
import { DEMO_CONTENT_DIR, DEMO_EDITION, readEditionContent, sessionAt, sessionRow } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=1">';
const MD_LINK = '[click](javascript:window.__xss=1)';
const SVG = '"><svg onload=window.__xss=1>';
const IFRAME = '<iframe src="https://evil.example/frame"></iframe>';
const CLOSE_SCRIPT = '</script><script>window.__xss=1</script>';
const PAPER_TITLE = `Hostile ${SVG} title`;
const KEYNOTE_TITLE = `Keynote ${CLOSE_SCRIPT}`;
const SHORT_TITLE = `Short ${SVG}`;
const SPEAKER_NAME = `Speaker ${IMG} name`;

/** The entries that get payloads, found in the demo content (schedule ids derive from date, time and title). */
const demo = readEditionContent();
const KEYNOTE = sessionAt(demo.schedule, '2024-07-18T09:10', 'keynote');
const OPENING = sessionAt(demo.schedule, '2024-07-18T09:00', 'opening');
/** A talk that links its speaker: the payload in the speaker's name reaches the schedule row and its JSON-LD. */
const INVITED = sessionAt(demo.schedule, '2024-07-18T14:00', 'invited');
const LINKED_SPEAKER = INVITED.speakers?.[0] ?? '';

/** Pages of the hostile build to load, with what each must show as text. */
const PAGES: { path: string; texts: string[] }[] = [
  { path: '/', texts: [SCRIPT, IMG, IFRAME, PAPER_TITLE, KEYNOTE_TITLE] },
  { path: `/${DEMO_EDITION}/`, texts: [SCRIPT, IMG, IFRAME, PAPER_TITLE, KEYNOTE_TITLE, `Mark ${IMG} Najork`, SPEAKER_NAME, CLOSE_SCRIPT] },
  { path: `/${DEMO_EDITION}/call-for-papers/`, texts: [SCRIPT, IFRAME, IMG] },
  { path: `/${DEMO_EDITION}/papers/2/`, texts: [PAPER_TITLE, SCRIPT, IMG] },
  { path: `/${DEMO_EDITION}/papers/3/`, texts: ['<b onmouseover=window.__xss=1>Best</b>'] },
];

async function editJson<T>(file: string, edit: (value: T) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as T;
  edit(value);
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Copies the demo edition into `contentDir` and fills its text and markdown fields with payloads. */
async function writeHostileContent(contentDir: string): Promise<void> {
  const dir = path.join(contentDir, DEMO_EDITION);
  await cp(DEMO_CONTENT_DIR, dir, { recursive: true });
  await editJson<Edition>(path.join(dir, 'edition.json'), (e) => {
    e.shortTitle = SHORT_TITLE;
    e.description = `${CLOSE_SCRIPT} ${IMG}`;
    e.venue.city = `City ${IMG}`;
    e.overview = [
      `Intro ${SCRIPT}`,
      IMG,
      `${MD_LINK} and <javascript:window.__xss=1> and [encoded](&#106;avascript:window.__xss=1) and [quoted](https://example.org/"onmouseover="window.__xss=1)`,
      '![tracker](https://evil.example/pixel.png)',
      '<a href="javascript:window.__xss=1">raw link</a> <details open ontoggle="window.__xss=1">x</details>',
    ].join('\n\n');
    e.topics = [`${IFRAME} topic`, `**bold** ${SCRIPT}`, ...e.topics.slice(2)];
    if (e.callForPapers) {
      e.callForPapers.text = `${SCRIPT} [submit](javascript:window.__xss=1) [ref][r] ${IFRAME}\n\n${IMG}\n\n[r]: javascript:window.__xss=1`;
      const first = e.callForPapers.importantDates[0];
      if (first) first.label = `Deadline ${IMG}`;
    }
    if (e.contact) e.contact.label = `Contact ${SVG}`;
    e.otherEditions = [{ title: `First ${CLOSE_SCRIPT}` }];
  });
  await editJson<Paper[]>(path.join(dir, 'papers.json'), (papers) => {
    const [paper2, paper3] = papers;
    assert.ok(paper2 && paper3);
    paper2.title = PAPER_TITLE;
    paper2.authors = [`Author ${IMG}`, ...paper2.authors];
    paper2.abstract = `${SCRIPT}\n\n${IMG}\n\n${MD_LINK}`;
    paper3.award = '<b onmouseover=window.__xss=1>Best</b>';
  });
  assert.ok(LINKED_SPEAKER, `${INVITED.id} links a speaker`);
  await editJson<Person[]>(path.join(dir, 'people.json'), (people) => {
    assert.ok(people.some((p) => p.id === 'mark-najork') && people.some((p) => p.id === LINKED_SPEAKER));
    for (const person of people) {
      if (person.id === 'mark-najork') {
        person.name = `Mark ${IMG} Najork`;
        person.talkTitle = `Talk ${CLOSE_SCRIPT}`;
        person.abstract = `${IMG} ${MD_LINK}`;
        person.bio = `${SCRIPT}\n\n${IFRAME}`;
      }
      if (person.id === 'alex-example') person.name = `Alex ${SVG}`; // has a photo: the payload lands in alt
      if (person.id === 'casey-mock') person.affiliation = CLOSE_SCRIPT;
      if (person.id === LINKED_SPEAKER) person.name = SPEAKER_NAME;
    }
  });
  await editJson<ScheduleItem[]>(path.join(dir, 'schedule.json'), (items) => {
    assert.ok(items.some((i) => i.id === KEYNOTE.id) && items.some((i) => i.id === OPENING.id));
    for (const item of items) {
      if (item.id === KEYNOTE.id) item.title = KEYNOTE_TITLE;
      if (item.id === OPENING.id) {
        item.note = IMG;
        item.room = `Room ${SVG}`;
      }
    }
  });
}

describe('hostile content: XSS payloads in every text and markdown field stay inert text', () => {
  let temp = '';
  let server: StaticServer;
  let browser: Browser | undefined;
  let launching: Promise<unknown> | undefined;
  let page: Page;
  let requests: { foreign: string[]; failed: string[] };
  let dialogs: string[] = [];
  const url = (sitePath: string) => new URL(sitePath.replace(/^\//, ''), server.url).href;

  before(async () => {
    temp = await makeTempDir('hostile-content');
    const contentDir = path.join(temp, 'content');
    await writeHostileContent(contentDir);
    // Launch while building; the browser is kept even when the build fails, so that after() can close it.
    launching = launchBrowser().then((launched) => (browser = launched));
    const { outDir } = await buildSite(contentDir, path.join(temp, 'dist'));
    await launching;
    server = await startStaticServer(outDir);
    ({ page, requests, dialogs } = await watchedPage(browser!, server.url, { timezoneId: 'Asia/Tokyo' }));
  });

  after(async () => {
    await launching?.catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (!process.env['KEEP_HOSTILE_BUILD']) await removeDir(temp);
    else console.log(temp);
  });

  for (const { path: sitePath, texts } of PAGES) {
    test(`${sitePath}: no payload runs or becomes markup, and each shows as text`, async () => {
      const response = await page.goto(url(sitePath));
      assert.equal(response?.status(), 200);
      const html = (await response?.text()) ?? '';
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');

      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, 'window.__xss was set');
      assert.deepEqual(dialogs, []);

      // The raw HTML never holds a payload as markup. Inside a quoted attribute value "<" is inert text (and
      // the value cannot end early: a `"` in it is written &quot;), so values are left out of the scan.
      const markupOnly = html.replace(/="[^"]*"/g, '=""').toLowerCase();
      assert.ok(html.includes('content="'), 'the scan sees the page');
      for (const markup of [
        '<script>window.__xss',
        '<svg',
        '<img src=x',
        '<iframe',
        '<details open ontoggle',
        '<b onmouseover',
        '="javascript:',
      ]) {
        assert.ok(!markupOnly.includes(markup), `${sitePath} source contains ${markup} as markup`);
      }
      assert.ok(!/href="\s*javascript:/i.test(html), `${sitePath} source has a javascript: link`);

      // Only the site's own scripts: module scripts (no payload in them) and JSON-LD that parses and cannot close its tag.
      const scripts = await page
        .locator('script')
        .evaluateAll((els) => els.map((s) => ({ type: s.getAttribute('type'), src: s.getAttribute('src'), text: s.textContent ?? '' })));
      for (const script of scripts) {
        if (script.type === 'application/ld+json') {
          assert.doesNotMatch(script.text, /</, 'JSON-LD has no raw "<"');
          assert.doesNotThrow(() => JSON.parse(script.text), 'JSON-LD parses');
        } else {
          assert.equal(script.type, 'module', `unexpected script: ${JSON.stringify(script).slice(0, 200)}`);
          assert.ok(script.src === null || script.src.startsWith('/_astro/'), `script from ${script.src}`);
          assert.doesNotMatch(script.text, /__xss/, 'a module script holds a payload');
        }
      }

      assert.equal(await page.locator('iframe, frame, object, embed, svg, img[src="x"]').count(), 0, 'payload elements in the DOM');
      const dangerous = await dangerousAttributes(page);
      assert.deepEqual(dangerous, [], 'event handler or script URL attributes');

      const text = await page.locator('body').innerText();
      for (const expected of texts) assert.ok(text.includes(expected), `${sitePath} does not show ${JSON.stringify(expected)} as text`);
    });
  }

  test('markdown links to javascript: URLs become plain text, and markdown images are not loaded', async () => {
    await page.goto(url(`/${DEMO_EDITION}/`));
    const overview = page.locator('#overview .prose');
    const text = squish(await overview.innerText());
    assert.match(text, /^Intro <script>window\.__xss=1<\/script>/);
    assert.ok(text.includes('click and'), 'the javascript: link text stays');
    assert.equal(await overview.getByText('click', { exact: true }).count(), 0, 'not as a link of its own');
    assert.equal(await overview.locator('a').count(), 1, 'only the http(s) link remains a link');
    const href = (await overview.locator('a').getAttribute('href')) ?? '';
    assert.match(href, /^https:\/\/example\.org\//);
    assert.equal(await overview.locator('img').count(), 0, 'markdown images are not rendered');
    assert.ok(text.includes('tracker'), 'the image alt text shows instead');
  });

  test('text payloads stay text in the title, meta tags, alt text, JSON-LD and the paper filter', async () => {
    await page.goto(url(`/${DEMO_EDITION}/`));
    assert.equal(await page.title(), `${SHORT_TITLE} @ SIGIR 2024`);
    assert.equal(await page.locator('meta[name="description"]').getAttribute('content'), `${CLOSE_SCRIPT} ${IMG}`);
    assert.equal(await page.locator('#person-alex-example img').getAttribute('alt'), `Photo of Alex ${SVG}`);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '') as {
      '@graph': { '@type': string; name?: string; subEvent?: { name: string; performer?: { name: string }[] }[] }[];
    };
    const event = ld['@graph'].find((node) => node['@type'] === 'Event');
    assert.ok(
      event?.subEvent?.some((s) => s.name === KEYNOTE_TITLE),
      'the keynote title round-trips through JSON-LD',
    );
    const talk = event?.subEvent?.find((s) => s.name === INVITED.title);
    assert.deepEqual(
      talk?.performer?.map((p) => p.name),
      [SPEAKER_NAME],
      'the speaker name round-trips through JSON-LD',
    );
    assert.equal(
      squish(await page.locator(`${sessionRow(INVITED)} .session-speakers a`).innerText()),
      SPEAKER_NAME,
      'the schedule links the speaker',
    );
    assert.equal(event?.['name'], (await page.locator('main h1').textContent())?.trim());

    const input = page.locator('#paper-filter-input');
    await input.waitFor({ state: 'visible' });
    await input.fill('"><svg');
    assert.deepEqual((await page.locator('[data-papers] > li:visible .paper-title').allInnerTexts()).map(squish), [PAPER_TITLE]);

    await page.goto(url(`/${DEMO_EDITION}/papers/2/`));
    assert.equal(await page.locator('meta[name="citation_title"]').getAttribute('content'), PAPER_TITLE);
    assert.equal(squish(await page.locator('main h1').innerText()), PAPER_TITLE);
  });

  test('no page of the hostile build requested anything from another host', () => {
    assert.deepEqual(requests.foreign, [], requests.foreign.join('\n'));
    assert.deepEqual(requests.failed, [], requests.failed.join('\n'));
  });
});
