/**
 * The built demo site in headless Chromium: every section of the home and edition pages, the navigation,
 * the call for papers, the paper pages with their citation tags, the JSON-LD, and that no page embeds an
 * iframe or makes a request to any host but its own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtSiteDir, launchBrowser, recordRequests, squish } from '../helpers/browser.ts';
import { DEMO_EDITION, namesInRole, readEditionContent } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const content = readEditionContent();
const { edition, people, papers } = content;

interface LdNode {
  '@type'?: string;
  name?: string;
  headline?: string;
  url?: string;
  startDate?: string;
  endDate?: string;
  author?: { '@type'?: string; name?: string }[];
  superEvent?: LdNode;
  subEvent?: LdNode[];
}

/** Every HTML page of a build, as site paths: `/`, `/2024_2/`, … */
function htmlPages(dir: string): string[] {
  const pages: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) {
      const relative = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      pages.push(`/${relative.replace(/(^|\/)index\.html$/, '$1')}`);
    }
  }
  return pages.sort();
}

/** The JSON-LD blocks of the page, parsed (a block that does not parse fails the test). */
async function jsonLd(page: Page): Promise<unknown[]> {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  return blocks.map((text, i) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new assert.AssertionError({ message: `JSON-LD block ${i} of ${page.url()} does not parse: ${String(error)}\n${text}` });
    }
  });
}

describe('built demo site: sections, links and structured data', () => {
  let dist = '';
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requests: { foreign: string[]; failed: string[] };
  const url = (sitePath: string) => new URL(sitePath.replace(/^\//, ''), server.url).href;

  before(async () => {
    dist = builtSiteDir();
    server = await startStaticServer(dist);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York' });
    requests = recordRequests(context, server.url);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const sitePath of ['/', `/${DEMO_EDITION}/`]) {
    test(`${sitePath} shows the hero, overview and topics of the edition`, async () => {
      await page.goto(url(sitePath));
      assert.equal(squish(await page.locator('main h1').textContent()), edition.title);
      assert.equal(await page.locator('main h1').count(), 1, 'one h1');
      assert.match(await page.title(), new RegExp(`${edition.hostConference.name}`));
      const hero = squish(await page.locator('.hero-meta').textContent());
      assert.match(hero, /July 18, 2024/);
      assert.match(hero, new RegExp(edition.venue.city.replace(/\./g, '\\.')));
      assert.equal(await page.locator('.hero-meta a').getAttribute('href'), edition.hostConference.url);

      const overview = page.locator('section#overview');
      assert.equal(squish(await overview.locator('h2').textContent()), 'Overview');
      const overviewText = squish(await overview.locator('.prose').textContent());
      const firstParagraph = edition.overview.split('\n\n')[0]!;
      assert.ok(overviewText.includes(squish(firstParagraph).slice(0, 120)), 'overview text is shown');
      assert.equal(
        await overview.locator('.prose p').count(),
        edition.overview.split('\n\n').length,
        'one paragraph per markdown paragraph',
      );

      const topics = overview.locator('ul.topics > li');
      assert.equal(await topics.count(), edition.topics.length);
      assert.equal(squish(await topics.first().locator('strong').textContent()), 'models and algorithms', 'topic markdown is rendered');
      assert.doesNotMatch((await topics.allTextContents()).join(' '), /\*\*/, 'no raw markdown left in topics');
    });

    test(`${sitePath} shows the schedule as captioned tables with column headers`, async () => {
      await page.goto(url(sitePath));
      const tables = page.locator('section#schedule table.schedule');
      const days = [...new Set(content.schedule.map((s) => s.start.slice(0, 10)))];
      assert.equal(await tables.count(), days.length, 'one table per day');
      for (let i = 0; i < days.length; i++) {
        const table = tables.nth(i);
        assert.equal(squish(await table.locator('caption').textContent()), 'Thursday, July 18, 2024');
        const headers = table.locator('thead th');
        assert.ok((await headers.count()) >= 2);
        for (const scope of await headers.evaluateAll((ths) => ths.map((th) => th.getAttribute('scope')))) {
          assert.equal(scope, 'col', 'every column header has scope=col');
        }
        assert.deepEqual((await headers.allTextContents()).map(squish), ['Time (EDT)', 'Session']);
      }
      const rows = page.locator('section#schedule tbody tr');
      assert.equal(await rows.count(), content.schedule.length, 'one row per schedule item');
      const titles = (await rows.locator('.session-title').allTextContents()).map(squish);
      assert.deepEqual(new Set(titles), new Set(content.schedule.map((s) => s.title)));
      assert.equal(await page.locator('section#schedule a[href$="/schedule.ics"]').getAttribute('href'), `/${DEMO_EDITION}/schedule.ics`);
    });

    test(`${sitePath} shows keynote and invited speakers, papers, organizers and the program committee`, async () => {
      await page.goto(url(sitePath));
      const cardNames = (section: string) => page.locator(`section#${section} .person-name`).allTextContents();
      assert.deepEqual((await cardNames('keynote-speakers')).map(squish), namesInRole(people, 'keynote'));
      assert.deepEqual((await cardNames('invited-speakers')).map(squish), namesInRole(people, 'invited'));
      assert.deepEqual((await cardNames('organizers')).map(squish), namesInRole(people, 'organizer'));
      const organizers = people.filter((p) => p.role === 'organizer' && p.position);
      assert.ok(organizers.length > 0, 'the demo organizers have positions');
      for (const o of organizers) assert.equal(squish(await page.locator(`#person-${o.id} .position`).textContent()), o.position);
      assert.equal(await page.locator('section#panelists').count(), 0, 'no panelist section without panelists');
      assert.match(squish(await page.locator('#keynote-speakers-title').textContent()), /Keynote speakers/);
      assert.match(squish(await page.locator('#person-mark-najork .affiliation').textContent()), /Google DeepMind/);

      const paperItems = page.locator('section#papers ol[data-papers] > li');
      assert.equal(await paperItems.count(), papers.length);
      for (const [i, paper] of papers.entries()) {
        const link = paperItems.nth(i).locator('.paper-title a');
        assert.equal(squish(await link.textContent()), paper.title);
        assert.equal(await link.getAttribute('href'), `/${DEMO_EDITION}/papers/${paper.id}/`);
        assert.equal(squish(await paperItems.nth(i).locator('.authors').textContent()), paper.authors.join(', '));
      }

      const pc = (await page.locator('section#program-committee .people-list > li').allTextContents()).map(squish);
      const pcNames = namesInRole(people, 'program-committee');
      assert.equal(pc.length, pcNames.length);
      pcNames.forEach((name, i) => assert.ok(pc[i]!.startsWith(name), `${pc[i]} starts with ${name}`));

      // Organizer photos: real images with alternative text, loaded from the site itself.
      const photos = page.locator('section#organizers img.photo');
      assert.equal(await photos.count(), people.filter((p) => p.role === 'organizer' && p.photo).length);
      await photos.first().scrollIntoViewIfNeeded();
      await photos.last().scrollIntoViewIfNeeded();
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('#organizers img.photo')].every((img) => img.complete && img.naturalWidth > 0),
      );
      for (const alt of await photos.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt'))))
        assert.match(alt ?? '', /^Photo of /);
      assert.equal(squish(await page.locator('section#organizers .contact a').textContent()), edition.contact?.label);
    });

    test(`${sitePath} lists the editions`, async () => {
      await page.goto(url(sitePath));
      const editions = page.locator('section#editions');
      const items = (await editions.locator('li').allTextContents()).map(squish);
      for (const other of edition.otherEditions)
        assert.ok(
          items.some((item) => item.includes(other.title)),
          `lists ${other.title}`,
        );
      if (sitePath === '/') {
        assert.equal(squish(await editions.locator('h2').textContent()), 'All editions');
        assert.equal(await editions.locator(`a[href="/${DEMO_EDITION}/"]`).count(), 1, 'the home page links the current edition');
      } else {
        assert.equal(squish(await editions.locator('h2').textContent()), 'Previous and other editions');
        assert.equal(await editions.locator(`a[href="/${DEMO_EDITION}/"]`).count(), 0, 'an edition does not list itself');
      }
    });
  }

  test('the navigation of /, /2024_2/, the call for papers and a paper page leads to sections that exist', async () => {
    const idsByPath = new Map<string, Set<string>>();
    const idsOf = async (target: URL): Promise<Set<string>> => {
      let ids = idsByPath.get(target.pathname);
      if (!ids) {
        const probe = await context.newPage();
        const response = await probe.goto(target.href);
        assert.equal(response?.status(), 200, `${target.pathname} exists`);
        ids = new Set(await probe.locator('[id]').evaluateAll((els) => els.map((el) => el.id)));
        idsByPath.set(target.pathname, ids);
        await probe.close();
      }
      return ids;
    };
    const expectedLabels = ['Call for Papers', 'Schedule', 'Keynotes', 'Invited Speakers', 'Papers', 'Organization'];
    for (const sitePath of ['/', `/${DEMO_EDITION}/`, `/${DEMO_EDITION}/call-for-papers/`, `/${DEMO_EDITION}/papers/2/`]) {
      await page.goto(url(sitePath));
      const nav = page.locator('header nav[aria-label="Sections"] a');
      assert.deepEqual((await nav.allTextContents()).map(squish), expectedLabels, `navigation of ${sitePath}`);
      const hrefs = await page.locator('a[href*="#"]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      assert.ok(hrefs.length >= expectedLabels.length - 1);
      for (const href of hrefs) {
        const target = new URL(href);
        if (target.origin !== new URL(server.url).origin || !target.hash) continue;
        const id = decodeURIComponent(target.hash.slice(1));
        assert.ok((await idsOf(target)).has(id), `${sitePath}: link ${href} points to a missing id "${id}"`);
      }
      for (const href of await nav.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) {
        const response = await fetch(href);
        assert.equal(response.status, 200, `${href} exists`);
        await response.arrayBuffer();
      }
    }
  });

  test('the call-for-papers page has its text, topics and important dates in AoE', async () => {
    const response = await page.goto(url(`/${DEMO_EDITION}/call-for-papers/`));
    assert.equal(response?.status(), 200);
    assert.equal(squish(await page.locator('main h1').textContent()), 'Call for papers');
    const text = squish(await page.locator('main .prose').first().textContent());
    assert.ok(text.startsWith('We invite submissions'), text.slice(0, 80));
    assert.equal(await page.locator('section#topics ul.topics > li').count(), edition.topics.length);
    const dates = edition.callForPapers?.importantDates ?? [];
    assert.deepEqual(
      (await page.locator('#important-dates dt').allTextContents()).map(squish),
      dates.map((d) => d.label),
    );
    // 23:59 AoE (UTC−12) on May 10 is 11:59 UTC on May 11.
    const submission = page.locator('#important-dates dd time').first();
    assert.equal(await submission.getAttribute('datetime'), '2024-05-11T11:59:00.000Z');
    assert.equal(squish(await submission.textContent()), 'Friday, May 10, 2024, 23:59 AoE');
    assert.equal(await page.locator(`main a[href="/${DEMO_EDITION}/"]`).count(), 1, 'links back to the workshop page');
  });

  for (const paper of papers) {
    test(`paper page /${DEMO_EDITION}/papers/${paper.id}/ has citation_* meta tags and ScholarlyArticle JSON-LD`, async () => {
      const response = await page.goto(url(`/${DEMO_EDITION}/papers/${paper.id}/`));
      assert.equal(response?.status(), 200);
      assert.equal(squish(await page.locator('main h1').textContent()), paper.title);
      assert.equal(await page.locator('meta[name="citation_title"]').getAttribute('content'), paper.title);
      const authors = await page
        .locator('meta[name="citation_author"]')
        .evaluateAll((metas) => metas.map((m) => m.getAttribute('content')));
      assert.deepEqual(authors, paper.authors);
      assert.equal(await page.locator('meta[name="citation_publication_date"]').getAttribute('content'), '2024/07/18');
      assert.equal(await page.locator('meta[name="citation_conference_title"]').getAttribute('content'), edition.title);

      const blocks = await jsonLd(page);
      assert.equal(blocks.length, 1);
      const article = blocks[0] as LdNode & { '@context'?: string };
      assert.equal(article['@context'], 'https://schema.org');
      assert.equal(article['@type'], 'ScholarlyArticle');
      assert.equal(article.headline, paper.title);
      assert.deepEqual(
        article.author?.map((a) => a.name),
        paper.authors,
      );
      assert.match(article.url ?? '', new RegExp(`/${DEMO_EDITION}/papers/${paper.id}/$`));
      if (paper.abstract) {
        assert.ok(squish(await page.locator('main section .prose').textContent()).startsWith(paper.abstract.slice(0, 60)));
      }
    });
  }

  for (const sitePath of ['/', `/${DEMO_EDITION}/`]) {
    test(`${sitePath} has Event JSON-LD with one subEvent per schedule row and SIGIR 2024 as superEvent`, async () => {
      await page.goto(url(sitePath));
      const blocks = await jsonLd(page);
      assert.equal(blocks.length, 1);
      const graph = (blocks[0] as { '@graph'?: LdNode[] })['@graph'] ?? [];
      const events = graph.filter((node) => node['@type'] === 'Event');
      assert.equal(events.length, 1, 'one Event in the graph');
      const event = events[0]!;
      assert.equal(event.name, edition.title);
      assert.equal(event.superEvent?.['@type'], 'Event');
      assert.equal(event.superEvent?.name, 'SIGIR 2024');
      assert.equal(event.superEvent?.url, edition.hostConference.url);
      assert.equal(event.startDate, '2024-07-18T09:00:00-04:00');

      const rows = await page.locator('section#schedule tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          title: tr.querySelector('.session-title')?.textContent?.trim() ?? '',
          start: (tr as HTMLElement).dataset['start'] ?? '',
          end: (tr as HTMLElement).dataset['end'] ?? '',
        })),
      );
      const sub = event.subEvent ?? [];
      assert.equal(sub.length, rows.length, 'one subEvent per schedule row');
      rows.forEach((row, i) => {
        const item = sub[i]!;
        assert.equal(item['@type'], 'Event');
        assert.equal(item.name, row.title, `subEvent ${i} is the row "${row.title}"`);
        assert.match(item.startDate ?? '', /^2024-07-18T\d\d:\d\d:00-04:00$/, 'written in the edition zone');
        assert.equal(Date.parse(item.startDate ?? ''), Date.parse(row.start), `${row.title}: start instant`);
        assert.equal(Date.parse(item.endDate ?? ''), Date.parse(row.end), `${row.title}: end instant`);
      });
      const articles = graph.filter((node) => node['@type'] === 'ScholarlyArticle');
      assert.deepEqual(
        articles.map((a) => a.headline),
        papers.map((p) => p.title),
      );
    });
  }

  test('no built HTML page has an iframe, and every image, script and internal link answers 200', async () => {
    const pages = htmlPages(dist);
    assert.ok(pages.length >= 5, `found ${pages.join(', ')}`);
    const internal = new Set<string>();
    for (const sitePath of pages) {
      const file = path.join(dist, sitePath, sitePath.endsWith('/') ? 'index.html' : '');
      assert.doesNotMatch(readFileSync(file, 'utf8'), /<iframe/i, `${sitePath} source has an iframe`);
      const response = await page.goto(url(sitePath));
      assert.equal(response?.status(), 200, sitePath);
      // Bring lazy images into view so that they load (and their requests are recorded).
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('iframe, frame, object, embed').count(), 0, `${sitePath} has an iframe/object/embed`);
      const refs = await page.evaluate(() => [
        ...[...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
        ...[...document.querySelectorAll('img')].map((img) => img.currentSrc || img.src),
        ...[...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src),
        ...[...document.querySelectorAll('link[href]')].map((l) => (l as HTMLLinkElement).href),
      ]);
      for (const ref of refs) {
        const target = new URL(ref);
        if (target.origin === new URL(server.url).origin) internal.add(target.origin + target.pathname);
      }
    }
    for (const ref of internal) {
      const response = await fetch(ref);
      assert.equal(response.status, 200, `${ref} is broken`);
      await response.arrayBuffer();
    }
  });

  test('the footer of / and /2024_2/ names the host conference and links the program calendar', async () => {
    for (const sitePath of ['/', `/${DEMO_EDITION}/`]) {
      await page.goto(url(sitePath));
      const footer = squish(await page.locator('footer').innerText());
      assert.equal(footer, `${edition.title} · Held in conjunction with ${edition.hostConference.name} · Program (.ics)`);
      assert.equal(await page.locator('footer a', { hasText: 'Program (.ics)' }).getAttribute('href'), `/${DEMO_EDITION}/schedule.ics`);
    }
  });

  test('no page requested anything from another host, and no local request failed', () => {
    assert.deepEqual(requests.foreign, [], `requests to other hosts:\n${requests.foreign.join('\n')}`);
    assert.deepEqual(requests.failed, [], `failed requests:\n${requests.failed.join('\n')}`);
  });
});
