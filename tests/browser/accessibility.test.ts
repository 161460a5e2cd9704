/**
 * axe-core on the built demo site's pages, in the light and the dark color scheme, with the enhancements on
 * (a Tokyo visitor: visitor times and toggle shown; the clock inside a session: the "now" row highlighted).
 * No violation of impact serious or critical is allowed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AxeResults, ImpactValue } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtSiteDir, launchBrowser, PROJECT_ROOT, recordRequests } from '../helpers/browser.ts';
import { DEMO_EDITION, readEditionContent, sessionAt, sessionRow } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const AXE_SOURCE = readFileSync(path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PAGES = ['/', `/${DEMO_EDITION}/`, `/${DEMO_EDITION}/call-for-papers/`, `/${DEMO_EDITION}/papers/2/`];
const SCHEMES = ['light', 'dark'] as const;
const BLOCKING: ImpactValue[] = ['serious', 'critical'];

interface Violation {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** Injects axe-core into the page and runs it on the whole document. */
async function runAxe(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
    }));
  });
}

function describeViolations(violations: Violation[]): string {
  return violations
    .map(
      (v) =>
        `- [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

describe('accessibility (axe-core) of the built demo site in light and dark color schemes', () => {
  let server: StaticServer;
  let browser: Browser;
  const pages = new Map<string, Page>();
  const recorded: { foreign: string[]; failed: string[] }[] = [];

  before(async () => {
    server = await startStaticServer(builtSiteDir());
    browser = await launchBrowser();
    for (const colorScheme of SCHEMES) {
      const context: BrowserContext = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo', colorScheme });
      // During the first keynote, so that the highlighted "now" row is checked too.
      await context.clock.setFixedTime(new Date('2024-07-18T13:20:00Z'));
      recorded.push(recordRequests(context, server.url));
      pages.set(colorScheme, await context.newPage());
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const colorScheme of SCHEMES) {
    for (const sitePath of PAGES) {
      test(`${sitePath} in the ${colorScheme} color scheme has no serious or critical axe violation`, async () => {
        const page = pages.get(colorScheme)!;
        const response = await page.goto(new URL(sitePath.replace(/^\//, ''), server.url).href);
        assert.equal(response?.status(), 200);
        assert.equal(
          await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
          colorScheme === 'dark',
          'the color scheme is applied',
        );
        const violations = await runAxe(page);
        const blocking = violations.filter((v) => BLOCKING.includes(v.impact ?? null));
        assert.deepEqual(
          blocking.map((v) => v.id),
          [],
          `axe violations on ${sitePath} (${colorScheme}):\n${describeViolations(blocking)}`,
        );
      });
    }
  }

  test('the pages checked by axe show the enhancements that are checked with them', async () => {
    const page = pages.get('dark')!;
    await page.goto(new URL(`${DEMO_EDITION}/`, server.url).href);
    assert.ok(await page.locator('#schedule [data-tz-toggle]').isVisible(), 'visitor-time toggle shown');
    // The clock is at 13:20Z: inside the 9:10–10:00 AM EDT keynote.
    const keynote = sessionRow(sessionAt(readEditionContent().schedule, '2024-07-18T09:10', 'keynote'));
    assert.ok(await page.locator(`${keynote}.is-now`).isVisible(), '"now" row shown');
    assert.ok(await page.locator('[data-paper-filter]').isVisible(), 'paper filter shown');
  });

  test('every page reflows at 320 CSS px: no horizontal page scrolling (the schedule scrolls in its own box)', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo', viewport: { width: 320, height: 640 } });
    recorded.push(recordRequests(context, server.url));
    const page = await context.newPage();
    for (const sitePath of PAGES) {
      await page.goto(new URL(sitePath.replace(/^\//, ''), server.url).href);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth, `${sitePath} is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
    }
    await context.close();
  });

  test('the skip link is the first stop of the keyboard, shows on focus, and moves focus to the main content', async () => {
    const page = pages.get('light')!;
    await page.goto(new URL(`${DEMO_EDITION}/`, server.url).href);
    const skip = page.locator('a.skip-link');
    assert.equal(await skip.isVisible(), true);
    assert.ok(((await skip.boundingBox())?.y ?? 0) < 0, 'off screen until focused');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    assert.ok(((await skip.boundingBox())?.y ?? -1) >= 0, 'on screen when focused');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    assert.equal(new URL(page.url()).hash, '#main');
  });

  test('no page requested anything from another host', () => {
    for (const { foreign, failed } of recorded) {
      assert.deepEqual(foreign, [], foreign.join('\n'));
      assert.deepEqual(failed, [], failed.join('\n'));
    }
  });
});
