/**
 * src/model/: the demo edition validates, and untrusted values are rejected with the path and message
 * an organizer needs to fix them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { z } from 'astro/zod';
import { editionSchema, isSafeUrl, isTimeZone, paperSchema, personSchema, scheduleItemSchema } from '../../src/model/index.ts';

const DEMO = new URL('../../content/2024_2/', import.meta.url);

function demo(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, DEMO), 'utf8'));
}

function demoArray(file: string): unknown[] {
  const value = demo(file);
  assert.ok(Array.isArray(value), `${file} is an array`);
  return value;
}

/** Parses and expects failure; returns the issues as `path: message`. */
function issues(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  assert.equal(result.success, false, `expected ${JSON.stringify(value)} to be rejected`);
  return result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

/** Expects exactly one issue at `path` whose message contains `message`. */
function rejects(schema: z.ZodType, value: unknown, path: string, message: string): void {
  const found = issues(schema, value);
  assert.equal(found.length, 1, `one issue expected, got ${JSON.stringify(found)}`);
  const [issue] = found;
  assert.ok(issue!.startsWith(`${path}: `), `issue at "${path}", got ${JSON.stringify(issue)}`);
  assert.ok(issue!.includes(message), `issue mentions ${JSON.stringify(message)}, got ${JSON.stringify(issue)}`);
}

const WEB_URL = 'must be an http:// or https:// link';
const LINK = 'must be an http(s):// or mailto: link';
const ID = 'use only letters, digits';

const edition = {
  id: '2025_3',
  title: '3rd Workshop',
  shortTitle: 'Workshop',
  dates: { start: '2025-07-17', end: '2025-07-18' },
  venue: { city: 'Padua' },
  hostConference: { name: 'SIGIR 2025', url: 'https://sigir2025.dei.unipd.it/' },
  timeZone: 'Europe/Rome',
  overview: 'An overview.',
};
const person = { id: 'ada-lovelace', name: 'Ada Lovelace', role: 'keynote' };
const paper = { id: '12', title: 'A paper', authors: ['Ada Lovelace'] };
const item = { id: 'opening', start: '2025-07-17T09:00', end: '2025-07-17T09:10', title: 'Opening' };

describe('the demo edition (content/2024_2)', () => {
  it('edition.json validates and keeps its values', () => {
    const parsed = editionSchema.parse(demo('edition.json'));
    assert.equal(parsed.id, '2024_2');
    assert.equal(parsed.timeZone, 'America/New_York');
    assert.ok(parsed.dates.start <= parsed.dates.end);
    assert.ok(parsed.callForPapers && parsed.callForPapers.importantDates.length > 0);
  });

  for (const [file, schema] of [
    ['people.json', personSchema],
    ['papers.json', paperSchema],
    ['schedule.json', scheduleItemSchema],
  ] as const) {
    it(`every entry of ${file} validates and ids are unique`, () => {
      const entries = demoArray(file);
      assert.ok(entries.length > 0);
      const ids = new Set<string>();
      entries.forEach((entry, index) => {
        const result = (schema as z.ZodType).safeParse(entry);
        assert.ok(result.success, `${file} entry ${index + 1}: ${JSON.stringify(result.error?.issues)}`);
        const id = (entry as { id: string }).id;
        assert.ok(!ids.has(id), `${file}: id "${id}" used twice`);
        ids.add(id);
      });
    });
  }

  it('schedule items lie on the edition days and name existing people and papers', () => {
    const { dates } = editionSchema.parse(demo('edition.json'));
    const people = new Set(demoArray('people.json').map((p) => personSchema.parse(p).id));
    const papers = new Set(demoArray('papers.json').map((p) => paperSchema.parse(p).id));
    let linked = 0;
    for (const raw of demoArray('schedule.json')) {
      const s = scheduleItemSchema.parse(raw);
      const day = s.start.slice(0, 10);
      assert.ok(day >= dates.start && day <= dates.end, `${s.id} on ${day}`);
      for (const speaker of s.speakers) assert.ok(people.has(speaker), `${s.id}: speaker ${speaker}`);
      linked += s.speakers.length;
      if (s.paper !== undefined) assert.ok(papers.has(s.paper), `${s.id}: paper ${s.paper}`);
    }
    assert.ok(linked > 0, 'the demo schedule links some speakers, so the check above checks something');
  });
});

describe('defaults', () => {
  it('fills in defaults of optional lists and kinds', () => {
    const e = editionSchema.parse({
      ...edition,
      callForPapers: { text: 'Submit.', importantDates: [{ label: 'Deadline', date: '2025-05-10' }] },
    });
    assert.deepEqual(e.topics, []);
    assert.deepEqual(e.otherEditions, []);
    assert.deepEqual(e.callForPapers?.importantDates, [{ label: 'Deadline', date: '2025-05-10', kind: 'deadline', time: '23:59' }]);
    const s = scheduleItemSchema.parse(item);
    assert.equal(s.kind, 'other');
    assert.deepEqual(s.speakers, []);
    assert.deepEqual(paperSchema.parse(paper).links, {});
  });

  it('trims text and links', () => {
    const p = personSchema.parse({ ...person, name: '  Ada Lovelace ', homepage: ' https://example.org/ada ' });
    assert.equal(p.name, 'Ada Lovelace');
    assert.equal(p.homepage, 'https://example.org/ada');
  });
});

describe('rejected links', () => {
  const dangerous = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/path',
    'https://',
    'https:// evil.example',
    'ftp://example.org/file',
    'example.org',
  ];

  for (const url of dangerous) {
    it(`person homepage ${JSON.stringify(url)}`, () => {
      rejects(personSchema, { ...person, homepage: url }, 'homepage', WEB_URL);
    });
    it(`paper link ${JSON.stringify(url)}`, () => {
      rejects(paperSchema, { ...paper, links: { pdf: url } }, 'links.pdf', WEB_URL);
    });
    it(`edition contact ${JSON.stringify(url)}`, () => {
      rejects(editionSchema, { ...edition, contact: { url } }, 'contact.url', LINK);
    });
  }

  it('a homepage must be a web link, not mailto:', () => {
    rejects(personSchema, { ...person, homepage: 'mailto:ada@example.org' }, 'homepage', WEB_URL);
  });

  it('the contact may be mailto:, and must be a well-formed one', () => {
    assert.equal(
      editionSchema.parse({ ...edition, contact: { url: 'mailto:chairs@example.org' } }).contact?.url,
      'mailto:chairs@example.org',
    );
    rejects(editionSchema, { ...edition, contact: { url: 'mailto:chairs' } }, 'contact.url', LINK);
  });

  it('a paper link kind must be a known one', () => {
    const found = issues(paperSchema, { ...paper, links: { homepage: 'https://example.org' } });
    assert.ok(
      found.some((i) => i.startsWith('links')),
      JSON.stringify(found),
    );
  });

  it('isSafeUrl accepts http(s) and mailto only', () => {
    assert.ok(isSafeUrl('https://example.org/a?b=c#d'));
    assert.ok(isSafeUrl('HTTP://EXAMPLE.ORG'));
    assert.ok(isSafeUrl('mailto:a@b.org'));
    for (const url of dangerous) assert.ok(!isSafeUrl(url), url);
  });
});

describe('rejected values', () => {
  it('an edition whose end is before its start', () => {
    rejects(editionSchema, { ...edition, dates: { start: '2025-07-18', end: '2025-07-17' } }, 'dates.end', 'must not be before');
  });

  it('a one-day edition is fine', () => {
    assert.ok(editionSchema.safeParse({ ...edition, dates: { start: '2025-07-17', end: '2025-07-17' } }).success);
  });

  it('a schedule item that ends before, or when, it starts', () => {
    rejects(scheduleItemSchema, { ...item, end: '2025-07-17T08:59' }, 'end', 'must be after start');
    rejects(scheduleItemSchema, { ...item, end: item.start }, 'end', 'must be after start');
    // Crossing midnight is fine.
    assert.ok(scheduleItemSchema.safeParse({ ...item, start: '2025-07-17T23:30', end: '2025-07-18T00:30' }).success);
  });

  for (const zone of ['Mars/Olympus', 'EST', 'New York', '', 'America/New York']) {
    it(`the time zone ${JSON.stringify(zone)}`, () => {
      rejects(editionSchema, { ...edition, timeZone: zone }, 'timeZone', 'IANA time zone');
    });
  }

  it('accepts real IANA zones', () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Etc/GMT+12']) {
      assert.ok(isTimeZone(zone), zone);
    }
  });

  for (const id of ['has space', '-leading-dash', '.hidden', '../etc', 'a/b', 'é', '']) {
    it(`the id ${JSON.stringify(id)}`, () => {
      rejects(personSchema, { ...person, id }, 'id', ID);
      rejects(paperSchema, { ...paper, id }, 'id', ID);
      rejects(scheduleItemSchema, { ...item, id }, 'id', ID);
    });
  }

  it('an edition id must be lowercase and URL-safe (it becomes /<id>/)', () => {
    rejects(editionSchema, { ...edition, id: 'Edition2025' }, 'id', 'lowercase');
    rejects(editionSchema, { ...edition, id: '2025.3' }, 'id', 'lowercase');
    rejects(editionSchema, { ...edition, id: '_2025' }, 'id', 'lowercase');
  });

  it('a paper without authors, or with an empty author', () => {
    rejects(paperSchema, { ...paper, authors: [] }, 'authors', 'list at least one author');
    rejects(paperSchema, { ...paper, authors: ['Ada', '  '] }, 'authors.1', 'must not be empty');
    const found = issues(paperSchema, { id: '12', title: 'A paper' });
    assert.deepEqual(
      found.map((i) => i.split(':')[0]),
      ['authors'],
    );
  });

  it('dates that do not exist in the calendar', () => {
    rejects(editionSchema, { ...edition, dates: { start: '2025-02-29', end: '2025-03-01' } }, 'dates.start', 'YYYY-MM-DD');
    rejects(editionSchema, { ...edition, dates: { start: '2024-02-30', end: '2024-03-01' } }, 'dates.start', 'YYYY-MM-DD');
    rejects(editionSchema, { ...edition, dates: { start: '2024-06-01', end: '2024-06-31' } }, 'dates.end', 'YYYY-MM-DD');
    rejects(editionSchema, { ...edition, dates: { start: '18/07/2024', end: '2024-07-18' } }, 'dates.start', 'YYYY-MM-DD');
    assert.ok(editionSchema.safeParse({ ...edition, dates: { start: '2024-02-29', end: '2024-02-29' } }).success);
  });

  it('schedule times on days that do not exist, or out of range', () => {
    rejects(scheduleItemSchema, { ...item, start: '2024-02-30T09:00', end: '2024-03-01T10:00' }, 'start', 'exists in the calendar');
    rejects(scheduleItemSchema, { ...item, start: '2025-04-30T09:00', end: '2025-04-31T10:00' }, 'end', 'exists in the calendar');
    rejects(scheduleItemSchema, { ...item, start: '2025-07-17T24:00', end: '2025-07-18T01:00' }, 'start', 'YYYY-MM-DDTHH:MM');
    rejects(scheduleItemSchema, { ...item, start: '2025-07-17 09:00' }, 'start', 'YYYY-MM-DDTHH:MM');
    rejects(scheduleItemSchema, { ...item, start: '2025-07-17T09:00:00' }, 'start', 'YYYY-MM-DDTHH:MM');
    assert.ok(scheduleItemSchema.safeParse({ ...item, start: '2024-02-29T09:00', end: '2024-02-29T10:00' }).success);
  });

  it('a deadline time that is not HH:MM', () => {
    const cfp = (time: string) => ({
      ...edition,
      callForPapers: { text: 'x', importantDates: [{ label: 'D', date: '2025-05-10', time }] },
    });
    rejects(editionSchema, cfp('24:00'), 'callForPapers.importantDates.0.time', 'HH:MM');
    rejects(editionSchema, cfp('9:00'), 'callForPapers.importantDates.0.time', 'HH:MM');
  });

  for (const title of ['Line one\nline two', 'Line one\r\nline two', 'Carriage\rreturn']) {
    it(`a multi-line title ${JSON.stringify(title)}`, () => {
      rejects(paperSchema, { ...paper, title }, 'title', 'single line');
      rejects(scheduleItemSchema, { ...item, title }, 'title', 'single line');
      rejects(editionSchema, { ...edition, title }, 'title', 'single line');
    });
  }

  it('surrounding newlines are trimmed, not rejected', () => {
    assert.equal(paperSchema.parse({ ...paper, title: '\nA paper\n' }).title, 'A paper');
  });

  it('an empty or blank title', () => {
    rejects(paperSchema, { ...paper, title: '   ' }, 'title', 'must not be empty');
  });

  it('control characters and bidirectional overrides, named with their code point and place', () => {
    rejects(paperSchema, { ...paper, title: 'A\u0007bell' }, 'title', 'an invisible control character, U+0007 (character 2)');
    rejects(paperSchema, { ...paper, abstract: 'fine\n\u001b[31m red' }, 'abstract', 'U+001B');
    rejects(personSchema, { ...person, name: 'Ada \u202Eecalevol' }, 'name', 'a bidirectional override, U+202E');
    rejects(personSchema, { ...person, homepage: 'https://example.org/\u2066x' }, 'homepage', 'U+2066');
    rejects(personSchema, { ...person, name: '\u200B\u2060' }, 'name', 'has no visible character');
    // Tabs and line breaks in markdown, and right-to-left text with its marks, are fine.
    assert.equal(paperSchema.parse({ ...paper, abstract: 'a\tb\n\nc' }).abstract, 'a\tb\n\nc');
    assert.equal(personSchema.parse({ ...person, name: 'نورا\u200F' }).name, 'نورا\u200F');
  });

  it('texts over their length limit, saying how long they are', () => {
    rejects(paperSchema, { ...paper, title: 'T'.repeat(1001) }, 'title', 'is 1,001 characters long; shorten it to at most 1,000');
    assert.equal(paperSchema.parse({ ...paper, title: 'T'.repeat(1000) }).title.length, 1000);
    rejects(paperSchema, { ...paper, abstract: 'a'.repeat(50_001) }, 'abstract', 'at most 50,000');
    rejects(paperSchema, { ...paper, id: '1'.repeat(101) }, 'id', 'at most 100');
    rejects(personSchema, { ...person, homepage: `https://example.org/${'a'.repeat(2100)}` }, 'homepage', 'at most 2,048');
  });

  it('an unknown role, session kind or presentation', () => {
    rejects(personSchema, { ...person, role: 'speaker' }, 'role', '');
    rejects(scheduleItemSchema, { ...item, kind: 'lunch' }, 'kind', '');
    rejects(paperSchema, { ...paper, presentation: 'talk' }, 'presentation', '');
  });

  it('a fractional order', () => {
    rejects(personSchema, { ...person, order: 1.5 }, 'order', '');
  });
});
