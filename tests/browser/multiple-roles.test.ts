/**
 * A person with several roles (a speaker whose Kind is both Invited and Panelist): a copy of the demo edition where
 * one invited speaker, with a photo, also has `otherRoles: ["panelist"]`, built into a temporary folder and loaded in
 * Chromium. The person shows in both sections with the same photo; the page still has one `#person-<id>` (in the
 * first section, where the schedule's link lands) and the JSON-LD one performer of that name.
 */
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Person } from '../../src/model/index.ts';
import { buildSite, launchBrowser, makeTempDir, removeDir, squish, watchedPage } from '../helpers/browser.ts';
import { DEMO_CONTENT_DIR, DEMO_EDITION, namesInRole, readEditionContent, sessionAt } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

const demo = readEditionContent();
/** The speaker of the 4 PM invited talk, made a panelist too. */
const SPEAKER_ID = sessionAt(demo.schedule, '2024-07-18T16:00', 'invited').speakers?.[0] ?? '';
const PHOTO = demo.people.find((p) => p.photo)?.photo ?? '';

/** Copies the demo edition into `contentDir`, giving the speaker a second role and a photo. */
async function writeContent(contentDir: string): Promise<Person[]> {
  const dir = path.join(contentDir, DEMO_EDITION);
  await cp(DEMO_CONTENT_DIR, dir, { recursive: true });
  const file = path.join(dir, 'people.json');
  const people = JSON.parse(await readFile(file, 'utf8')) as Person[];
  const speaker = people.find((p) => p.id === SPEAKER_ID);
  assert.ok(speaker?.role === 'invited' && PHOTO, `the demo has an invited speaker ${SPEAKER_ID} and a photo`);
  Object.assign(speaker, { otherRoles: ['panelist'], photo: PHOTO });
  await writeFile(file, `${JSON.stringify(people, null, 2)}\n`);
  return people;
}

describe('a person with several roles on the edition page', () => {
  let temp = '';
  let people: Person[] = [];
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let launching: Promise<Browser> | undefined;
  let page: Page;
  let name = '';

  before(async () => {
    temp = await makeTempDir('multiple-roles');
    const contentDir = path.join(temp, 'content');
    people = await writeContent(contentDir);
    name = people.find((p) => p.id === SPEAKER_ID)!.name;
    // Launch while building; the browser is kept even when the build fails, so that after() can close it.
    launching = launchBrowser().then((launched) => (browser = launched));
    const { outDir } = await buildSite(contentDir, path.join(temp, 'dist'));
    await launching;
    server = await startStaticServer(outDir);
    ({ page } = await watchedPage(browser!, server.url));
    const response = await page.goto(new URL(`${DEMO_EDITION}/`, server.url).href);
    assert.equal(response?.status(), 200);
  });

  after(async () => {
    await launching?.catch(() => undefined);
    await browser?.close();
    await server?.close();
    await removeDir(temp);
  });

  const cardNames = async (section: string) => (await page.locator(`section#${section} .person-name`).allTextContents()).map(squish);

  test('shows the person in the invited speakers and in the panelists, with a Panelists link', async () => {
    assert.deepEqual(await cardNames('invited-speakers'), namesInRole(people, 'invited'));
    assert.ok((await cardNames('invited-speakers')).includes(name));
    assert.deepEqual(await cardNames('panelists'), [name]);
    assert.deepEqual(namesInRole(people, 'panelist'), [name]);
    assert.equal(await page.locator('header nav a[href$="#panelists"]').count(), 1, 'the navigation links the panelists');
    assert.equal(squish(await page.locator('#panelists-title').textContent()), 'Panelists');
  });

  test('one anchor, in the first section: ids stay unique and the schedule link lands on the invited speaker card', async () => {
    const anchor = page.locator(`#person-${SPEAKER_ID}`);
    assert.equal(await anchor.count(), 1);
    assert.equal(await page.locator(`section#invited-speakers #person-${SPEAKER_ID}`).count(), 1);
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((el) => el.id));
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      'duplicate ids on the page',
    );
    const link = page.locator(`section#schedule a[href="#person-${SPEAKER_ID}"]`);
    assert.equal(squish(await link.textContent()), name);
    await link.click();
    assert.equal(new URL(page.url()).hash, `#person-${SPEAKER_ID}`);
    await anchor.locator('.person-name').waitFor({ state: 'visible' });
  });

  test('the same photo in both cards', async () => {
    const photos = page.locator('article.person').filter({ hasText: name }).locator('img.photo');
    assert.equal(await photos.count(), 2);
    const sources = await photos.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')));
    assert.ok(sources[0]?.startsWith('/_astro/'), `an optimized photo: ${sources[0]}`);
    assert.equal(sources[1], sources[0]);
  });

  test('the JSON-LD names the person once among the performers', async () => {
    const blocks = (await page.locator('script[type="application/ld+json"]').allTextContents()).map(
      (text) => JSON.parse(text) as { '@graph'?: { '@type': string; performer?: { name: string }[] }[] },
    );
    const event = blocks.flatMap((b) => b['@graph'] ?? []).find((node) => node['@type'] === 'Event');
    const performers = (event?.performer ?? []).map((p) => p.name);
    assert.equal(performers.filter((n) => n === name).length, 1, `performers: ${performers.join(', ')}`);
    const speakers = people.filter((p) => ['keynote', 'invited', 'panelist'].includes(p.role));
    assert.equal(performers.length, speakers.length);
  });
});
