/**
 * src/lib/ics.ts against RFC 5545: TEXT escaping (3.3.11), line folding at 75 octets (3.1), CRLF line ends,
 * UTC DATE-TIME form (3.3.5, FORM #2), and a round trip through an independent parser (ical.js).
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { buildStamp, escapeText, foldLine, renderCalendar, type Calendar } from '../../src/lib/ics.ts';
import { zonedToUtc } from '../../src/lib/time.ts';

const encoder = new TextEncoder();
const octets = (s: string) => encoder.encode(s).length;

/** RFC 5545 3.1: unfolding removes every CRLF immediately followed by a single space or tab. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '');
}

describe('escapeText', () => {
  it('escapes backslash, semicolon and comma with a backslash', () => {
    assert.equal(escapeText('a\\b'), 'a\\\\b');
    assert.equal(escapeText('a;b'), 'a\\;b');
    assert.equal(escapeText('a,b'), 'a\\,b');
  });

  it('escapes the backslash first, so existing backslashes are not taken for escapes', () => {
    assert.equal(escapeText('\\;'), '\\\\\\;');
    assert.equal(escapeText('\\n'), '\\\\n');
  });

  it('writes every kind of line break as \\n, leaving no CR or LF', () => {
    assert.equal(escapeText('one\ntwo'), 'one\\ntwo');
    assert.equal(escapeText('one\r\ntwo'), 'one\\ntwo');
    assert.equal(escapeText('one\rtwo'), 'one\\ntwo');
    assert.equal(escapeText('a\n\nb'), 'a\\n\\nb');
    assert.doesNotMatch(escapeText('x\r\ny\rz\n'), /[\r\n]/);
  });

  it('leaves colons, quotes and non-ASCII text alone', () => {
    assert.equal(escapeText('Keynote: "Ünïcødé" – 東京'), 'Keynote: "Ünïcødé" – 東京');
  });
});

describe('foldLine', () => {
  function checkFolded(line: string): string[] {
    const folded = foldLine(line);
    assert.equal(unfold(folded), line, 'unfolding gives back the original');
    const physical = folded.split('\r\n');
    physical.forEach((p, i) => {
      assert.ok(octets(p) <= 75, `physical line ${i} has ${octets(p)} octets`);
      if (i > 0) assert.ok(p.startsWith(' ') && p.length > 1, `continuation line ${i} starts with one space`);
      assert.ok(p.isWellFormed(), `physical line ${i} does not split a surrogate pair`);
    });
    // Folding happens only when needed: a line is cut only if the next character would not fit.
    for (let i = 0; i < physical.length - 1; i += 1) {
      const next = [...physical[i + 1]!.slice(1)][0]!;
      assert.ok(octets(physical[i]!) + octets(next) > 75, `line ${i} was cut early`);
    }
    // At the byte level, each physical line is valid UTF-8 on its own.
    const bytes = encoder.encode(folded);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    for (let i = 0; i <= bytes.length; i += 1) {
      if (i === bytes.length || (bytes[i] === 0x0d && bytes[i + 1] === 0x0a)) {
        assert.doesNotThrow(() => decoder.decode(bytes.subarray(start, i)));
        start = i + 2;
      }
    }
    return physical;
  }

  it('leaves a line of up to 75 octets as is', () => {
    assert.equal(foldLine(''), '');
    assert.equal(foldLine('x'.repeat(75)), 'x'.repeat(75));
  });

  it('folds at 75 octets, continuation lines counting their leading space', () => {
    const physical = checkFolded('x'.repeat(76));
    assert.deepEqual(physical, ['x'.repeat(75), ' x']);
    const long = checkFolded('y'.repeat(75 + 74 + 1));
    assert.deepEqual(long, ['y'.repeat(75), ` ${'y'.repeat(74)}`, ' y']);
  });

  it('never splits a multi-byte character, whatever its width and position', () => {
    const chars = ['é', '€', '東', '😀', '👩‍👩‍👧'];
    for (const char of chars) {
      for (let prefix = 0; prefix < 5; prefix += 1) {
        checkFolded('a'.repeat(prefix) + char.repeat(60));
        checkFolded(`SUMMARY:${'a'.repeat(prefix)}${char.repeat(40)}b${char.repeat(40)}`);
      }
    }
  });

  it('keeps a 2-octet character whole across the 75-octet boundary', () => {
    // 74 ASCII octets then "é" (2 octets) would make 76: "é" must move to the next line.
    const physical = checkFolded(`${'a'.repeat(74)}é`);
    assert.deepEqual(physical, ['a'.repeat(74), ' é']);
  });
});

describe('buildStamp', () => {
  const saved = process.env['SOURCE_DATE_EPOCH'];
  afterEach(() => {
    if (saved === undefined) delete process.env['SOURCE_DATE_EPOCH'];
    else process.env['SOURCE_DATE_EPOCH'] = saved;
  });

  it('uses SOURCE_DATE_EPOCH (seconds since 1970) when set', () => {
    process.env['SOURCE_DATE_EPOCH'] = '1721300000';
    assert.equal(buildStamp().toISOString(), '2024-07-18T10:53:20.000Z');
    process.env['SOURCE_DATE_EPOCH'] = '0';
    assert.equal(buildStamp().getTime(), 0);
  });

  it('uses the current time when unset or not a number of seconds', () => {
    for (const value of [undefined, '', 'yesterday', '-5', '1.5']) {
      if (value === undefined) delete process.env['SOURCE_DATE_EPOCH'];
      else process.env['SOURCE_DATE_EPOCH'] = value;
      const before = Date.now();
      const stamp = buildStamp().getTime();
      assert.ok(stamp >= before && stamp <= Date.now(), `SOURCE_DATE_EPOCH=${String(value)}`);
    }
  });
});

describe('renderCalendar', () => {
  const zone = 'America/New_York';
  const calendar: Calendar = {
    name: 'LLM-IGS, SIGIR 2024; demo',
    stamp: new Date('2024-07-01T12:00:00Z'),
    events: [
      {
        uid: '2024_2-keynote-najork@workshop.example.org',
        start: zonedToUtc('2024-07-18T09:10', zone),
        end: zonedToUtc('2024-07-18T10:00', zone),
        summary: 'Keynote by Marc Najork; Q&A, then coffee',
        description: 'Speakers: Mark Najork (Google DeepMind, Mountain View)\nback\\slash',
        location: 'Room 1, Washington D.C., USA',
        url: 'https://workshop.example.org/2024_2/#session-keynote-najork',
      },
      {
        uid: '2024_2-paper-lamp@workshop.example.org',
        start: zonedToUtc('2024-07-18T14:45', zone),
        end: zonedToUtc('2024-07-18T15:00', zone),
        summary: `Paper talk – ${'Personalisierung großer Sprachmodelle für Gruppen 東京 😀 '.repeat(4).trim()}`,
      },
      {
        // A session across the autumn DST change, in Berlin: 02:30 (first, CEST) to 03:30 (CET).
        uid: 'night@workshop.example.org',
        start: zonedToUtc('2024-10-27T02:30', 'Europe/Berlin'),
        end: zonedToUtc('2024-10-27T03:30', 'Europe/Berlin'),
        summary: 'Night session',
      },
    ],
  };
  const text = renderCalendar(calendar);
  const lines = unfold(text).split('\r\n');

  it('uses CRLF for every line end, ending with one', () => {
    assert.ok(text.endsWith('\r\n'));
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
    for (const physical of text.split('\r\n')) assert.ok(octets(physical) <= 75, physical);
  });

  it('has the VCALENDAR and VEVENT structure with the required properties', () => {
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines.at(-2), 'END:VCALENDAR');
    assert.equal(lines.at(-1), '');
    assert.ok(lines.includes('VERSION:2.0'));
    assert.ok(lines.some((l) => l.startsWith('PRODID:')));
    assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 3);
    assert.equal(lines.filter((l) => l === 'END:VEVENT').length, 3);
    // Properly nested: every BEGIN:VEVENT is closed before the next one.
    let depth = 0;
    for (const l of lines) {
      if (l === 'BEGIN:VEVENT') depth += 1;
      if (l === 'END:VEVENT') depth -= 1;
      assert.ok(depth === 0 || depth === 1);
    }
    for (const property of ['UID', 'DTSTAMP', 'DTSTART', 'DTEND']) {
      assert.equal(lines.filter((l) => l.startsWith(`${property}:`)).length, 3, property);
    }
  });

  it('writes DTSTART, DTEND and DTSTAMP as UTC date-times, YYYYMMDDTHHMMSSZ', () => {
    for (const l of lines.filter((x) => /^(DTSTART|DTEND|DTSTAMP)[:;]/.test(x))) {
      assert.match(l, /^(DTSTART|DTEND|DTSTAMP):\d{8}T\d{6}Z$/);
    }
    // 09:10 EDT is 13:10Z; 14:45 EDT is 18:45Z; Berlin 02:30 CEST is 00:30Z and 03:30 CET is 02:30Z.
    assert.ok(lines.includes('DTSTART:20240718T131000Z'));
    assert.ok(lines.includes('DTEND:20240718T140000Z'));
    assert.ok(lines.includes('DTSTART:20240718T184500Z'));
    assert.ok(lines.includes('DTSTART:20241027T003000Z'));
    assert.ok(lines.includes('DTEND:20241027T023000Z'));
    assert.equal(lines.filter((l) => l === 'DTSTAMP:20240701T120000Z').length, 3);
  });

  it('escapes TEXT values and folds long ones', () => {
    assert.ok(lines.includes('X-WR-CALNAME:LLM-IGS\\, SIGIR 2024\\; demo'));
    assert.ok(lines.includes('SUMMARY:Keynote by Marc Najork\\; Q&A\\, then coffee'));
    assert.ok(lines.includes('DESCRIPTION:Speakers: Mark Najork (Google DeepMind\\, Mountain View)\\nback\\\\slash'));
    assert.ok(text.includes('\r\n '), 'the long summary is folded');
  });

  it('omits optional properties that are not given', () => {
    const eventText = text.slice(text.indexOf('UID:night@'));
    const night = unfold(eventText.slice(0, eventText.indexOf('END:VEVENT')));
    assert.doesNotMatch(night, /DESCRIPTION|LOCATION|URL/);
  });

  it('parses with ical.js to the same instants and texts', () => {
    const vcalendar = ICAL.Component.fromString(text);
    assert.equal(vcalendar.name, 'vcalendar');
    assert.equal(vcalendar.getFirstPropertyValue('version'), '2.0');
    const events = vcalendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(events.length, calendar.events.length);
    events.forEach((parsed, i) => {
      const source = calendar.events[i]!;
      assert.equal(parsed.uid, source.uid);
      assert.equal(parsed.summary, source.summary);
      assert.equal(parsed.startDate.toJSDate().getTime(), source.start.getTime(), `${source.uid} start`);
      assert.equal(parsed.endDate.toJSDate().getTime(), source.end.getTime(), `${source.uid} end`);
      assert.equal(parsed.startDate.zone?.tzid, 'UTC', 'start is in UTC');
      if (source.description !== undefined) assert.equal(parsed.description, source.description);
      if (source.location !== undefined) assert.equal(parsed.location, source.location);
    });
    const first = events[0]!;
    assert.equal(first.component.getFirstPropertyValue('url'), calendar.events[0]!.url);
    assert.equal(first.component.getFirstPropertyValue('dtstamp')?.toString(), '2024-07-01T12:00:00Z');
    // 02:30 (first, CEST) to 03:30 (CET) spans the repeated hour: two hours of real time for one of wall clock.
    assert.equal(events[2]!.duration.toSeconds(), 3600 * 2);
  });

  it('renders an empty calendar', () => {
    const empty = renderCalendar({ name: 'Empty', stamp: new Date(0), events: [] });
    assert.doesNotMatch(empty, /VEVENT/);
    const parsed = ICAL.Component.fromString(empty);
    assert.equal(parsed.getAllSubcomponents('vevent').length, 0);
  });
});
