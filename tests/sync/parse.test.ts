/** sync/map/parse.ts: every parser accepts what people type and rejects the rest with a message saying how to write it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cellAttachment,
  cellList,
  cellNumber,
  cellText,
  createIdAllocator,
  foldName,
  isBlankCell,
  isChecked,
  parseAuthors,
  parseLink,
  slugify,
  splitNames,
  type Parsed,
} from '../../sync/map/parse.ts';
import { formatTime12, parseDate, parseTime } from '../../sync/map/dates.ts';

function value<T>(parsed: Parsed<T>): T {
  assert.ok(parsed.ok, `expected success, got ${JSON.stringify(parsed)}`);
  return parsed.value;
}

function warnings<T>(parsed: Parsed<T>): string[] {
  assert.ok(parsed.ok, `expected success, got ${JSON.stringify(parsed)}`);
  return (parsed.warnings ?? []).map((w) => w.message);
}

function message<T>(parsed: Parsed<T>): string {
  assert.ok(!parsed.ok, `expected failure, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseDate', () => {
  it('reads ISO dates and US month-first dates as Sheets shows them', () => {
    assert.equal(value(parseDate('2024-07-18')), '2024-07-18');
    assert.equal(value(parseDate('7/18/2024')), '2024-07-18');
    assert.equal(value(parseDate(' 07/08/2024 ')), '2024-07-08');
    assert.equal(value(parseDate('2024-7-8')), '2024-07-08');
  });

  it('reads day-first dates only when configured', () => {
    assert.equal(value(parseDate('18/07/2024', { dayFirst: true })), '2024-07-18');
    assert.equal(value(parseDate('07/08/2024', { dayFirst: true })), '2024-08-07');
    assert.equal(
      message(parseDate('18/07/2024')),
      '"18/07/2024" has no month 18 (dates are read month first, as in 7/18/2024; set template.schedule.dayFirst to true in workshop.config.ts to read 18/07/2024 day first); write it as 2024-07-18 or 7/18/2024.',
    );
  });

  it('rejects impossible days and other text', () => {
    assert.equal(message(parseDate('2/30/2024')), '"2/30/2024" is not a day in the calendar; check the day and the month.');
    assert.equal(message(parseDate('2023-02-29')), '"2023-02-29" is not a day in the calendar; check the day and the month.');
    assert.equal(value(parseDate('2024-02-29')), '2024-02-29');
    assert.equal(message(parseDate('July 18')), '"July 18" is not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.equal(message(parseDate('7/18/24')), '"7/18/24" is not a date; write it as 2024-07-18 or 7/18/2024.');
    assert.match(message(parseDate('July 18', { dayFirst: true })), /or 18\/07\/2024\.$/);
  });
});

describe('parseTime', () => {
  it('reads 12-hour and 24-hour times', () => {
    assert.equal(value(parseTime('9:00 AM')), '09:00');
    assert.equal(value(parseTime('9:00am')), '09:00');
    assert.equal(value(parseTime('9 AM')), '09:00');
    assert.equal(value(parseTime('3:15 p.m.')), '15:15');
    assert.equal(value(parseTime('09:00')), '09:00');
    assert.equal(value(parseTime('17:35')), '17:35');
    assert.equal(value(parseTime('9:00:00 AM')), '09:00');
  });

  it('reads 12:00 PM as noon and 12:00 AM as midnight', () => {
    assert.equal(value(parseTime('12:00 PM')), '12:00');
    assert.equal(value(parseTime('12:30 AM')), '00:30');
    assert.equal(value(parseTime('12:15 pm')), '12:15');
  });

  it('rejects impossible or ambiguous times with how to write them', () => {
    assert.equal(message(parseTime('25:00')), '"25:00" is not a time; write it as 9:00 AM or 09:00.');
    for (const bad of ['13:00 PM', '0:30 AM', '9:60', '9', 'noon', '9.30']) {
      assert.match(message(parseTime(bad)), /is not a time; write it as 9:00 AM or 09:00\.$/, bad);
    }
  });

  it('formats times back the way the sheet shows them', () => {
    assert.equal(formatTime12('15:00'), '3:00 PM');
    assert.equal(formatTime12('00:05'), '12:05 AM');
    assert.equal(formatTime12('12:00'), '12:00 PM');
  });
});

describe('parseAuthors', () => {
  it('splits "A, B and C", the Oxford comma, "A and B", "A & B" and "A; B"', () => {
    assert.deepEqual(value(parseAuthors('Ada Lovelace, Alan Turing and Grace Hopper')), ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    assert.deepEqual(value(parseAuthors('Ada Lovelace, Alan Turing, and Grace Hopper')), ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    assert.deepEqual(value(parseAuthors('Ada Lovelace and Alan Turing')), ['Ada Lovelace', 'Alan Turing']);
    assert.deepEqual(value(parseAuthors('Ada Lovelace & Alan Turing')), ['Ada Lovelace', 'Alan Turing']);
    assert.deepEqual(value(parseAuthors(' Lovelace, Ada ;  Turing, Alan ')), ['Lovelace, Ada', 'Turing, Alan']);
    assert.deepEqual(value(parseAuthors('Ada Lovelace')), ['Ada Lovelace']);
  });

  it('keeps "and" inside names', () => {
    assert.deepEqual(value(parseAuthors('Anand Rao and Sandy Andrews')), ['Anand Rao', 'Sandy Andrews']);
  });

  it('rejects empty lists and empty names', () => {
    assert.equal(message(parseAuthors('  ')), 'is empty; list the authors as "A, B and C".');
    assert.equal(
      message(parseAuthors('Ada Lovelace, , Alan Turing')),
      '"Ada Lovelace, , Alan Turing" has an empty name; list the authors as "A, B and C".',
    );
    assert.match(message(parseAuthors('Ada Lovelace and')), /has an empty name/);
    assert.deepEqual(splitNames(''), []);
  });
});

describe('slugify and ids', () => {
  it('makes ids from names, folding accents', () => {
    assert.equal(slugify('Mark Najork'), 'mark-najork');
    assert.equal(slugify('  José  Núñez-García '), 'jose-nunez-garcia');
    assert.equal(slugify('Søren Kierkegaard'), 'soren-kierkegaard');
    assert.equal(slugify('Straße'), 'strasse');
    assert.equal(slugify('Julian McAuley (virtual)'), 'julian-mcauley-virtual');
    assert.equal(slugify('李'), '');
    assert.equal(foldName('  MÁRK   Najork'), 'mark najork');
  });

  it('adds -2, -3 to colliding ids in the order asked, never reusing one', () => {
    const ids = createIdAllocator();
    assert.deepEqual(
      ['a', 'a', 'a-2', 'a', 'b'].map((b) => ids.allocate(b)),
      ['a', 'a-2', 'a-2-2', 'a-3', 'b'],
    );
  });
});

describe('parseLink', () => {
  it('accepts http and https links', () => {
    assert.equal(value(parseLink(' https://arxiv.org/abs/2406.01702 ')), 'https://arxiv.org/abs/2406.01702');
    assert.equal(value(parseLink('http://example.org')), 'http://example.org');
  });

  it('refuses everything else, saying why', () => {
    assert.equal(
      message(parseLink('javascript:alert(1)')),
      '"javascript:alert(1)" is a javascript: link; only http:// and https:// links are published (e.g. "https://example.org").',
    );
    assert.match(message(parseLink('mailto:a@example.org')), /is a mailto: link; only http/);
    assert.match(message(parseLink('ftp://example.org/x.pdf')), /is a ftp: link/);
    assert.equal(
      message(parseLink('www.example.org/paper.pdf')),
      '"www.example.org/paper.pdf" has no http:// or https://; write it as "https://www.example.org/paper.pdf".',
    );
    assert.equal(message(parseLink('see the paper')), '"see the paper" is not a web link; write it as "https://example.org/…".');
  });
});

describe('Airtable cells', () => {
  it('text: trims, joins lookups or takes the first, empty is undefined', () => {
    assert.equal(value(cellText('  Meta ')), 'Meta');
    assert.equal(value(cellText(2)), '2');
    assert.equal(value(cellText(['Meta', 'Seattle'])), 'Meta, Seattle');
    assert.equal(value(cellText(['Meta', 'Seattle'], 'first')), 'Meta');
    assert.equal(value(cellText(['MIT', 'MIT', 'ETH'])), 'MIT, ETH', 'a value repeated by a lookup is joined once');
    for (const empty of [undefined, null, '', '   ', [], false, [null, ' ']])
      assert.deepEqual(cellText(empty), { ok: true, value: undefined });
  });

  it('text: a list read for one value takes the first and names the others', () => {
    assert.deepEqual(warnings(cellText(['Invited', 'Panelist', 'Invited'], 'first')), [
      'holds 2 values ("Invited", "Panelist") where one is read, so "Invited" is used and "Panelist" left out. Keep one value in this cell.',
    ]);
    assert.deepEqual(warnings(cellText(['Oral', 'Oral'], 'first')), [], 'the same value twice is one value');
  });

  it('text: a value that cannot be published is left out with a warning, never an error', () => {
    const leftOut = (cell: unknown) => {
      const parsed = cellText(cell);
      assert.equal(value(parsed), undefined, JSON.stringify(cell));
      return warnings(parsed);
    };
    assert.match(leftOut(true)[0]!, /^is a checkbox, which has no text to publish/);
    assert.match(
      leftOut([{ id: 'att1', filename: 'a.jpg', url: 'https://x' }])[0]!,
      /^holds a file attached in Airtable \("a.jpg"\), not text/,
    );
    assert.match(leftOut({ specialValue: 'NaN' })[0]!, /^is a formula whose result is "NaN", so it is left out/);
    assert.match(leftOut({ error: '#ERROR!' })[0]!, /^is a formula whose result is "#ERROR!"/);
    assert.match(leftOut({ shape: 'circle', size: 3 })[0]!, /the sync does not know \(an object with "shape", "size"\)/);
    assert.match(leftOut('recAbCdEfGhIjKlMn')[0]!, /^is a link to another table, which shows record ids/);
    assert.match(leftOut(' ada@example.org ')[0]!, /^is an email address, which is never published/);
    assert.equal(value(cellText('https://user@example.org/x', 'first', 'link')), 'https://user@example.org/x', 'a link is no email');
    assert.equal(value(cellText('recommendation')), 'recommendation', 'only a whole record id is one');
  });

  it('text: several values left out for one reason give one warning', () => {
    const parsed = cellText(['Ada Lovelace', 'recAbCdEfGhIjKlMn', 'recAbCdEfGhIjKlMo']);
    assert.equal(value(parsed), 'Ada Lovelace');
    assert.equal(warnings(parsed).length, 1);
  });

  it('list: one text per value, flattened', () => {
    assert.deepEqual(value(cellList(['Ada', ['Alan', 3], { id: 'usr1', email: 'g@x.org', name: 'Grace' }])), ['Ada', 'Alan', '3', 'Grace']);
    assert.equal(value(cellList([])), undefined);
  });

  it('blank cells and checked boxes', () => {
    for (const blank of [
      undefined,
      '',
      ' ',
      false,
      [],
      [''],
      { state: 'empty', value: null, isStale: false },
      { label: 'Open', url: null },
    ]) {
      assert.equal(isBlankCell(blank), true, JSON.stringify(blank));
    }
    for (const filled of ['x', 0, true, { label: 'Open', url: 'https://x.org' }, { state: 'error', value: null, isStale: false }]) {
      assert.equal(isBlankCell(filled), false, JSON.stringify(filled));
    }
    assert.equal(isChecked(true), true);
    assert.equal(isChecked([true, true]), true);
    assert.equal(isChecked('true'), false);
    assert.equal(isChecked([]), false);
  });

  it('number: numbers and numeric text, first of a lookup', () => {
    assert.equal(value(cellNumber(3)), 3);
    assert.equal(value(cellNumber(' 2 ')), 2);
    assert.equal(value(cellNumber([4, 5])), 4);
    assert.equal(warnings(cellNumber([4, 5])).length, 1, 'the value left out is named');
    assert.equal(value(cellNumber(undefined)), undefined);
    assert.equal(message(cellNumber('first')), '"first" is not a number; write a number such as 1.');
    assert.equal(value(cellNumber(true)), undefined, 'a checkbox is left out with a warning');
  });

  it('attachment: the first attachment object, as a reference', () => {
    const photo = [
      { id: 'attAAAAAAAAAAAAAA', url: 'http://127.0.0.1:9/attachments/a.jpg', filename: 'a.jpg', size: 10, type: 'image/jpeg', width: 1 },
      { id: 'attBBBBBBBBBBBBBB', url: 'http://127.0.0.1:9/attachments/b.jpg', filename: 'b.jpg' },
    ];
    assert.deepEqual(value(cellAttachment(photo)), {
      attachmentId: 'attAAAAAAAAAAAAAA',
      filename: 'a.jpg',
      url: 'http://127.0.0.1:9/attachments/a.jpg',
      size: 10,
      type: 'image/jpeg',
    });
    assert.equal(value(cellAttachment([])), undefined);
    assert.equal(message(cellAttachment('https://example.org/a.jpg')), 'is not an attachment; upload the file into the cell.');
  });
});

describe('cells too large to read', () => {
  it('a cell over 50,000 characters is refused before any parser reads it, with its length', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const started = performance.now();
    const result = cellText(huge);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /^is 10,485,760 characters long; a cell may hold at most 50,000\./);
    assert.equal(cellText(['a'.repeat(30_000), 'b'.repeat(30_000)]).ok, false, 'a list whose joined text is too long');
    assert.equal(cellText('y'.repeat(50_000)).ok, true);
    assert.ok(performance.now() - started < 1_000);
  });

  it('messages quote at most an excerpt of a cell', () => {
    const link = parseLink(`javascript:${'a'.repeat(5_000)}`);
    assert.equal(link.ok, false);
    assert.ok(!link.ok && link.message.length < 300, `a message of ${!link.ok ? link.message.length : 0} characters`);
    assert.match(!link.ok ? link.message : '', /^"javascript:a+…" is a javascript: link/);
    const number = cellNumber('9'.repeat(200) + 'x');
    assert.ok(!number.ok && number.message.length < 100);
  });
});
