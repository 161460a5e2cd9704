/**
 * The accepted papers on the built demo site: abstracts in <details> (with and without JavaScript), the
 * filter that JavaScript adds, and a page that is complete without JavaScript (papers, times, people).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtSiteDir, launchBrowser, recordRequests, squish } from '../helpers/browser.ts';
import { DEMO_EDITION, readEditionContent, sessionAt, sessionRow } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const { papers, people, schedule } = readEditionContent();
const paper2 = papers.find((p) => p.id === '2');

/** Opens paper 2's abstract from the list by clicking its summary and checks the text shows. */
async function checkAbstractOpens(page: Page): Promise<void> {
  assert.ok(paper2?.abstract, 'the demo content has paper 2 with an abstract');
  const item = page.locator('[data-papers] > li', { has: page.locator(`a[href="/${DEMO_EDITION}/papers/2/"]`) });
  const details = item.locator('details');
  const text = details.locator('.prose');
  assert.equal(await details.count(), 1);
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false, 'closed at first');
  assert.equal(await text.isVisible(), false, 'abstract hidden while closed');
  assert.match(squish(await details.locator('summary').textContent()), /^Abstract of “Session Context Embedding/);
  await details.locator('summary').click();
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), true, 'open after a click');
  assert.ok(await text.isVisible(), 'abstract visible once open');
  assert.ok(squish(await text.innerText()).startsWith(paper2.abstract.slice(0, 80)), 'shows the abstract text');
  await details.locator('summary').click();
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false, 'closes again');
}

describe('accepted papers, the paper filter, and the page without JavaScript', () => {
  let server: StaticServer;
  let browser: Browser;
  let jsContext: BrowserContext;
  let noJsContext: BrowserContext;
  let jsPage: Page;
  let noJsPage: Page;
  let jsRequests: { foreign: string[]; failed: string[] };
  let noJsRequests: { foreign: string[]; failed: string[] };
  const editionUrl = () => new URL(`${DEMO_EDITION}/`, server.url).href;

  before(async () => {
    server = await startStaticServer(builtSiteDir());
    browser = await launchBrowser();
    // Tokyo, so that with JavaScript the visitor-time toggle would show; without it, it must not.
    jsContext = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    noJsContext = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo', javaScriptEnabled: false });
    jsRequests = recordRequests(jsContext, server.url);
    noJsRequests = recordRequests(noJsContext, server.url);
    jsPage = await jsContext.newPage();
    noJsPage = await noJsContext.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('paper 2’s abstract <details> opens on click and shows the abstract (JavaScript on)', async () => {
    await jsPage.goto(editionUrl());
    await checkAbstractOpens(jsPage);
  });

  test('paper 2’s abstract <details> opens on click and shows the abstract (JavaScript off)', async () => {
    await noJsPage.goto(editionUrl());
    await checkAbstractOpens(noJsPage);
  });

  test('the paper filter appears with JavaScript and filters by author name ("Bendersky" leaves 1 paper)', async () => {
    await jsPage.goto(editionUrl());
    const filter = jsPage.locator('[data-paper-filter]');
    await filter.waitFor({ state: 'visible' });
    const input = jsPage.getByLabel('Filter papers by title or author');
    const status = filter.locator('[data-filter-status]');
    const visibleTitles = async () => (await jsPage.locator('[data-papers] > li:visible .paper-title').allTextContents()).map(squish);
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(squish(await status.textContent()), '', 'no status before typing');

    await input.fill('Bendersky');
    const bendersky = papers.filter((p) => p.authors.some((a) => a.includes('Bendersky')));
    assert.equal(bendersky.length, 1);
    assert.deepEqual(await visibleTitles(), [bendersky[0]!.title]);
    assert.equal(squish(await status.textContent()), `Showing 1 of ${papers.length} papers`);

    await input.fill('');
    assert.deepEqual(
      await visibleTitles(),
      papers.map((p) => p.title),
      'all papers again once cleared',
    );
    assert.equal(squish(await status.textContent()), '');
  });

  test('the paper filter matches title words and authors case-insensitively, in any order, and can match nothing', async () => {
    await jsPage.goto(editionUrl());
    const input = jsPage.locator('#paper-filter-input');
    await input.waitFor({ state: 'visible' });
    const status = jsPage.locator('[data-filter-status]');
    const visibleIds = () =>
      jsPage.locator('[data-papers] > li:visible .paper-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));

    await input.fill('PRODUCT mehrdad');
    assert.deepEqual(await visibleIds(), [`/${DEMO_EDITION}/papers/2/`]);
    await input.fill('  purchase   REASON ');
    assert.deepEqual(await visibleIds(), [`/${DEMO_EDITION}/papers/3/`]);
    await input.fill('no-such-paper-anywhere');
    assert.deepEqual(await visibleIds(), []);
    assert.equal(squish(await status.textContent()), `Showing 0 of ${papers.length} papers`);
  });

  test('without JavaScript the filter and the visitor-time toggle stay hidden and every paper is listed', async () => {
    await noJsPage.goto(editionUrl());
    assert.equal(await noJsPage.locator('[data-paper-filter]').isVisible(), false, 'filter hidden');
    assert.equal(await noJsPage.locator('[data-tz-toggle]').isVisible(), false, 'time-zone toggle hidden');
    assert.equal(await noJsPage.locator('.visitor-time:visible').count(), 0, 'no empty visitor-time spans shown');
    const titles = (await noJsPage.locator('[data-papers] > li:visible .paper-title').allTextContents()).map(squish);
    assert.deepEqual(
      titles,
      papers.map((p) => p.title),
    );
  });

  test('without JavaScript the schedule shows every slot with its times, and every person is on the page', async () => {
    await noJsPage.goto(editionUrl());
    const rows = noJsPage.locator('[data-schedule] tbody tr');
    assert.equal(await rows.count(), schedule.length);
    const times = (await noJsPage.locator('[data-schedule] tbody td.time').allInnerTexts()).map(squish);
    assert.equal(times.length, schedule.length);
    for (const time of times) assert.match(time, /^\d{1,2}:\d\d [AP]M\s?–\s?\d{1,2}:\d\d [AP]M$/, `a complete time range: "${time}"`);
    assert.match(
      squish(await noJsPage.locator(`${sessionRow(sessionAt(schedule, '2024-07-18T09:10', 'keynote'))} td.time`).innerText()),
      /^9:10 AM\s?–\s?10:00 AM$/,
    );
    assert.equal(squish(await noJsPage.locator('table.schedule th.time').first().textContent()), 'Time (EDT)');
    const mainText = squish(await noJsPage.locator('main').innerText());
    for (const person of people) assert.ok(mainText.includes(person.name), `${person.name} is on the page`);
    assert.equal(await noJsPage.locator('tr.is-now').count(), 0);
  });

  test('no page requested anything from another host, and no local request failed', () => {
    for (const recorded of [jsRequests, noJsRequests]) {
      assert.deepEqual(recorded.foreign, [], recorded.foreign.join('\n'));
      assert.deepEqual(recorded.failed, [], recorded.failed.join('\n'));
    }
  });
});
