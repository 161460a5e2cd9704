/**
 * The calendar files of the built demo site, as linked from the page: the whole program and one file per
 * session, parsed with ical.js and compared with the schedule table the browser shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { builtSiteDir, launchBrowser } from '../helpers/browser.ts';
import { DEMO_EDITION, readEditionContent, sessionAt } from '../helpers/content.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

interface Row {
  id: string;
  title: string;
  start: string;
  end: string;
  /** The row's own .ics link, absolute; empty for breaks. */
  ics: string;
}

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  description: string;
  /** DTSTART exactly as written in the file. */
  rawStart: string;
  rawEnd: string;
}

/** Parses a calendar with ical.js; returns its VEVENTs. */
function parseEvents(text: string): ParsedEvent[] {
  const calendar = ICAL.Component.fromString(text);
  assert.equal(calendar.name, 'vcalendar');
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const rawStart = vevent.getFirstProperty('dtstart')?.toICALString() ?? '';
    const rawEnd = vevent.getFirstProperty('dtend')?.toICALString() ?? '';
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      description: event.description,
      rawStart,
      rawEnd,
    };
  });
}

/** Fetches a calendar file; checks its type and its RFC 5545 line format (CRLF, at most 75 octets a line). */
async function fetchCalendar(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  assert.match(response.headers.get('content-type') ?? '', /^text\/calendar\b/, `${url} content type`);
  const text = await response.text();
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'), `${url} starts with BEGIN:VCALENDAR`);
  assert.ok(text.endsWith('END:VCALENDAR\r\n'), `${url} ends with END:VCALENDAR and CRLF`);
  const lines = text.slice(0, -2).split('\r\n');
  lines.forEach((line, i) => {
    assert.doesNotMatch(line, /[\r\n]/, `${url} line ${i + 1} has a bare CR or LF`);
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `${url} line ${i + 1} is ${Buffer.byteLength(line, 'utf8')} octets: ${line}`);
  });
  return text;
}

const content = readEditionContent();

describe('calendar files (.ics) of the built demo site', () => {
  let server: StaticServer;
  let browser: Browser;
  let rows: Row[] = [];
  const url = (sitePath: string) => new URL(sitePath.replace(/^\//, ''), server.url).href;

  before(async () => {
    server = await startStaticServer(builtSiteDir());
    browser = await launchBrowser();
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(url(`/${DEMO_EDITION}/`));
    rows = await page.locator('[data-schedule] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.id.replace(/^session-/, ''),
        title: tr.querySelector('.session-title')?.textContent?.trim() ?? '',
        start: (tr as HTMLElement).dataset['start'] ?? '',
        end: (tr as HTMLElement).dataset['end'] ?? '',
        ics: tr.querySelector<HTMLAnchorElement>('a.ics-link')?.href ?? '',
      })),
    );
    await page.close();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the whole-program schedule.ics has one VEVENT per schedule row, at the rows’ UTC instants', async () => {
    assert.ok(rows.length > 0, 'the page has schedule rows');
    const events = parseEvents(await fetchCalendar(url(`/${DEMO_EDITION}/schedule.ics`)));
    assert.equal(events.length, rows.length, 'one VEVENT per schedule row, breaks included');
    assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'UIDs are unique');
    assert.deepEqual(
      events.map((e) => `${e.start} ${e.end} ${e.summary}`).sort(),
      rows.map((r) => `${r.start} ${r.end} ${r.title}`).sort(),
    );
    for (const event of events) {
      assert.match(event.rawStart, /^DTSTART:\d{8}T\d{6}Z$/, 'DTSTART is a UTC instant');
      assert.match(event.rawEnd, /^DTEND:\d{8}T\d{6}Z$/, 'DTEND is a UTC instant');
    }
  });

  test('the page links the whole program and every non-break session to its calendar file', () => {
    const breaks = rows.filter((r) => !r.ics);
    assert.ok(
      breaks.every((r) => /break/i.test(r.title)),
      `only breaks lack a calendar link: ${breaks.map((r) => r.id).join(', ')}`,
    );
    for (const row of rows.filter((r) => r.ics)) {
      assert.equal(new URL(row.ics).pathname, `/${DEMO_EDITION}/schedule/${row.id}.ics`);
    }
  });

  test('the 9:10 AM keynote’s .ics: one VEVENT from 2024-07-18T13:10:00Z to 14:00:00Z with the session title', async () => {
    const keynote = sessionAt(content.schedule, '2024-07-18T09:10', 'keynote');
    const text = await fetchCalendar(url(`/${DEMO_EDITION}/schedule/${keynote.id}.ics`));
    const events = parseEvents(text);
    assert.equal(events.length, 1);
    const event = events[0]!;
    assert.equal(event.start, '2024-07-18T13:10:00.000Z');
    assert.equal(event.end, '2024-07-18T14:00:00.000Z');
    assert.equal(event.rawStart, 'DTSTART:20240718T131000Z');
    assert.equal(event.rawEnd, 'DTEND:20240718T140000Z');
    assert.equal(event.summary, keynote.title);
    assert.match(event.uid, new RegExp(`^${DEMO_EDITION}-${keynote.id}@[^@\\s]+$`));
  });

  test('the 2:00 PM invited talk’s .ics names its speaker with affiliation, from 18:00:00Z to 18:40:00Z', async () => {
    const talk = sessionAt(content.schedule, '2024-07-18T14:00', 'invited');
    const speakers = (talk.speakers ?? []).map((id) => content.people.find((p) => p.id === id));
    assert.ok(speakers.length > 0 && speakers.every((p) => p !== undefined), `${talk.id} links its speakers`);
    // An affiliation with a comma (escaped as "\," in the file) checks that escaped text round-trips.
    assert.ok(
      speakers.some((p) => p.affiliation?.includes(',')),
      'a speaker affiliation with a comma',
    );
    const text = await fetchCalendar(url(`/${DEMO_EDITION}/schedule/${talk.id}.ics`));
    const events = parseEvents(text);
    assert.equal(events.length, 1);
    const event = events[0]!;
    assert.equal(event.start, '2024-07-18T18:00:00.000Z');
    assert.equal(event.end, '2024-07-18T18:40:00.000Z');
    assert.equal(event.rawStart, 'DTSTART:20240718T180000Z');
    assert.equal(event.rawEnd, 'DTEND:20240718T184000Z');
    assert.equal(event.summary, talk.title);
    const names = speakers.map((p) => (p.affiliation ? `${p.name} (${p.affiliation})` : p.name)).join(', ');
    assert.ok(event.description.startsWith(`Speakers: ${names}\n`), `escaped text round-trips: ${JSON.stringify(event.description)}`);
    assert.match(event.uid, new RegExp(`^${DEMO_EDITION}-${talk.id}@[^@\\s]+$`));
  });

  test('every per-session calendar file holds its session, the same event (UID) as in the whole program', async () => {
    const whole = new Map(parseEvents(await fetchCalendar(url(`/${DEMO_EDITION}/schedule.ics`))).map((e) => [e.uid, e]));
    const linked = rows.filter((r) => r.ics);
    assert.ok(linked.length > 0);
    for (const row of linked) {
      const events = parseEvents(await fetchCalendar(row.ics));
      assert.equal(events.length, 1, row.ics);
      const event = events[0]!;
      assert.equal(event.summary, row.title, row.ics);
      assert.equal(event.start, row.start, `${row.ics} start`);
      assert.equal(event.end, row.end, `${row.ics} end`);
      assert.deepEqual(whole.get(event.uid), event, `${row.ics} is the same event as in schedule.ics`);
    }
  });
});
