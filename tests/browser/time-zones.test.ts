/**
 * Times on the built demo site: the schedule in the venue's zone (EDT), the visitor's own time beside it when
 * the visitor is elsewhere (a toggle that persists), and the "now" marker driven by the page's clock.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtSiteDir, launchBrowser, recordRequests, squish } from '../helpers/browser.ts';
import { DEMO_EDITION, readEditionContent, sessionAt, sessionRow } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

/** The rows these tests pin, found in the demo content by their start (venue time) and kind. */
const { schedule } = readEditionContent();
const OPENING = sessionRow(sessionAt(schedule, '2024-07-18T09:00', 'opening'));
/** The 9:10–10:00 AM EDT keynote (13:10–14:00Z). */
const KEYNOTE = sessionRow(sessionAt(schedule, '2024-07-18T09:10', 'keynote'));
/** The break that follows it, 10:00–10:30 AM EDT. */
const BREAK = sessionRow(sessionAt(schedule, '2024-07-18T10:00', 'break'));
/** The second keynote, 10:30–11:20 AM EDT. */
const SECOND_KEYNOTE = sessionRow(sessionAt(schedule, '2024-07-18T10:30', 'keynote'));
const PANEL = sessionRow(sessionAt(schedule, '2024-07-18T11:30', 'panel'));
const CLOSING = sessionRow(sessionAt(schedule, '2024-07-18T17:30', 'closing'));
/** A row's element id, as nowRows() gives it. */
const rowId = (selector: string) => selector.slice(1);

describe('time zones and the "now" marker on the built demo site', () => {
  let server: StaticServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const foreign: string[] = [];
  const editionUrl = () => new URL(`${DEMO_EDITION}/`, server.url).href;

  /** A fresh context (own storage, zone and clock) in US English. */
  async function newPage(timezoneId: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId });
    contexts.push(context);
    const recorded = recordRequests(context, server.url);
    context.on('close', () => foreign.push(...recorded.foreign));
    return context.newPage();
  }

  /** Closes the contexts of the last test (one renderer each), keeping what they recorded. */
  async function closeContexts(): Promise<void> {
    for (const context of contexts.splice(0)) await context.close();
  }

  /** The "now" rows of a page: ids of rows with class is-now, and of rows with aria-current. */
  function nowRows(page: Page): Promise<{ isNow: string[]; current: string[] }> {
    return page.evaluate(() => ({
      isNow: [...document.querySelectorAll('[data-schedule] tr.is-now')].map((tr) => tr.id),
      current: [...document.querySelectorAll('[data-schedule] tr[aria-current]')].map(
        (tr) => `${tr.id}=${tr.getAttribute('aria-current')}`,
      ),
    }));
  }

  before(async () => {
    const dist = builtSiteDir();
    server = await startStaticServer(dist);
    browser = await launchBrowser();
  });

  afterEach(closeContexts);

  after(async () => {
    await closeContexts();
    await browser?.close();
    await server?.close();
  });

  test('the schedule is written in the venue zone: header "Time (EDT)", keynote at 9:10 AM', async () => {
    const page = await newPage('UTC');
    await page.goto(editionUrl());
    assert.equal(squish(await page.locator('table.schedule th.time').first().textContent()), 'Time (EDT)');
    assert.match(squish(await page.locator('.schedule-intro').textContent()), /local to the venue \(America\/New York\)/);
    const keynote = page.locator(`${KEYNOTE} td.time time`);
    assert.equal(squish(await keynote.nth(0).textContent()), '9:10 AM');
    assert.equal(squish(await keynote.nth(1).textContent()), '10:00 AM');
    assert.equal(await keynote.nth(0).getAttribute('datetime'), '2024-07-18T13:10:00.000Z');
    assert.equal(await page.locator(KEYNOTE).getAttribute('data-start'), '2024-07-18T13:10:00.000Z');
    assert.equal(squish(await page.locator(`${OPENING} td.time time`).first().textContent()), '9:00 AM');
    assert.equal(squish(await page.locator(`${CLOSING} td.time time`).last().textContent()), '5:35 PM');
  });

  test('a visitor in Asia/Tokyo sees the toggle and the Tokyo time beside each slot (9:00 AM EDT is 10:00 PM)', async () => {
    const page = await newPage('Asia/Tokyo');
    await page.goto(editionUrl());
    const toggle = page.locator('#schedule [data-tz-toggle]');
    await toggle.waitFor({ state: 'visible' });
    const button = toggle.locator('button[data-tz-button]');
    assert.equal(await button.getAttribute('aria-pressed'), 'true', 'on by default');
    assert.equal(squish(await toggle.locator('[data-tz-name]').textContent()), 'Asia/Tokyo');

    const opening = page.locator(`${OPENING} .visitor-time`);
    assert.ok(await opening.isVisible(), 'the Tokyo time of the opening is visible');
    // Intl writes the range "10:00 – 10:10 PM" or "10:00 PM – 10:10 PM" depending on the ICU version.
    assert.match(squish(await opening.textContent()), /^10:00( PM)? ?– ?10:10 PM GMT\+9$/);
    // The event's own time stays first.
    assert.equal(squish(await page.locator(`${OPENING} td.time time`).first().textContent()), '9:00 AM');
    // 11:30 AM EDT is 00:30 the next day in Tokyo: the visitor's date is added.
    assert.match(squish(await page.locator(`${PANEL} .visitor-time`).textContent()), /^12:30( AM)? ?– ?1:15 AM GMT\+9 \(Fri, Jul 19\)$/);
    // 9:10 AM EDT, the keynote, is the same day in Tokyo: no date.
    assert.match(squish(await page.locator(`${KEYNOTE} .visitor-time`).textContent()), /^10:10( PM)? ?– ?11:00 PM GMT\+9$/);
    const rows = await page.locator('[data-schedule] tbody tr').count();
    assert.equal(await page.locator('[data-schedule] .visitor-time:visible').count(), rows, 'every slot shows the Tokyo time');
  });

  test('the Tokyo visitor can hide and show the visitor times, and the choice survives a reload', async () => {
    const page = await newPage('Asia/Tokyo');
    await page.goto(editionUrl());
    const button = page.locator('#schedule [data-tz-toggle] button');
    const spans = page.locator('[data-schedule] .visitor-time');
    await button.waitFor({ state: 'visible' });
    const rows = await spans.count();

    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    assert.equal(await spans.locator('visible=true').count(), 0, 'hidden after the first click');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('show-visitor-time')), false);

    await page.reload();
    await button.waitFor({ state: 'visible' });
    assert.equal(await button.getAttribute('aria-pressed'), 'false', 'still off after a reload');
    assert.equal(await spans.locator('visible=true').count(), 0, 'still hidden after a reload');
    assert.equal(await page.evaluate(() => localStorage.getItem('show-visitor-time')), '0');

    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await spans.locator('visible=true').count(), rows, 'shown again after the second click');

    await page.reload();
    await button.waitFor({ state: 'visible' });
    assert.equal(await button.getAttribute('aria-pressed'), 'true', 'on after a reload');
    assert.equal(await spans.locator('visible=true').count(), rows);
  });

  test('a visitor in America/New_York (the venue zone) sees no toggle and no duplicate times', async () => {
    const page = await newPage('America/New_York');
    await page.goto(editionUrl());
    // goto() waits for the load event, which follows the run of the page's module scripts.
    assert.equal(await page.locator('[data-tz-toggle]').isVisible(), false);
    assert.equal(await page.locator('[data-tz-toggle]').getAttribute('hidden'), '');
    assert.equal(await page.locator('[data-schedule] .visitor-time:visible').count(), 0);
  });

  test('the call for papers shows each AoE deadline in the Tokyo visitor time, with its date', async () => {
    const page = await newPage('Asia/Tokyo');
    await page.goto(new URL(`${DEMO_EDITION}/call-for-papers/`, server.url).href);
    await page.locator('#important-dates [data-tz-toggle]').waitFor({ state: 'visible' });
    // 23:59 AoE on May 10 = 11:59 UTC on May 11 = 20:59 in Tokyo on May 11.
    const first = page.locator('#important-dates dd .visitor-time').first();
    assert.equal(squish(await first.textContent()), '8:59 PM GMT+9 (Sat, May 11)');
  });

  test('at 2024-07-18T13:20Z the 9:10 AM keynote row is marked as now (class is-now, aria-current="time")', async () => {
    const page = await newPage('America/New_York');
    await page.clock.setFixedTime(new Date('2024-07-18T13:20:00Z'));
    await page.goto(editionUrl());
    const row = page.locator(KEYNOTE);
    await page.waitForFunction((selector) => document.querySelector(selector)?.classList.contains('is-now'), KEYNOTE);
    assert.equal(await row.getAttribute('aria-current'), 'time');
    assert.deepEqual(await nowRows(page), { isNow: [rowId(KEYNOTE)], current: [`${rowId(KEYNOTE)}=time`] });
    assert.ok(await row.locator('.now-badge').isVisible(), 'the "Now" badge shows');
    assert.equal(await page.locator('.now-badge:visible').count(), 1);
  });

  test('outside any session (before the day, and in the lunch gap at 1 PM EDT) no row is marked as now', async () => {
    const page = await newPage('America/New_York');
    for (const instant of ['2024-07-17T13:20:00Z', '2024-07-18T12:59:59Z', '2024-07-18T17:00:00Z', '2024-07-18T21:35:00Z']) {
      await page.clock.setFixedTime(new Date(instant));
      await page.goto(editionUrl());
      assert.deepEqual(await nowRows(page), { isNow: [], current: [] }, `at ${instant}`);
      assert.equal(await page.locator('.now-badge:visible').count(), 0, `at ${instant}`);
    }
    // Control: the same page does mark a row once the clock is inside a session (10:45 AM EDT).
    await page.clock.setFixedTime(new Date('2024-07-18T14:45:00Z'));
    await page.goto(editionUrl());
    assert.deepEqual((await nowRows(page)).isNow, [rowId(SECOND_KEYNOTE)]);
  });

  test('the now marker moves on with the clock: at 10:00 AM EDT the break follows the keynote', async () => {
    const page = await newPage('America/New_York');
    await page.clock.install({ time: new Date('2024-07-18T13:59:50Z') });
    await page.goto(editionUrl());
    await page.waitForFunction((selector) => document.querySelector(selector)?.classList.contains('is-now'), KEYNOTE);
    assert.deepEqual((await nowRows(page)).isNow, [rowId(KEYNOTE)]);
    // The page re-checks every 30 s; a minute later the keynote (ending at 14:00Z, exclusive) is over.
    await page.clock.runFor(60_000);
    assert.deepEqual(await nowRows(page), { isNow: [rowId(BREAK)], current: [`${rowId(BREAK)}=time`] });
  });

  test('no page requested anything from another host', () => {
    assert.deepEqual(foreign, [], foreign.join('\n'));
  });
});
