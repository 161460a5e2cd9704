/**
 * The published-CSV emulator (dev/emulators/published-csv.ts) read with node's fetch, as the sync will: the 307
 * is followed, the CSV is parsed back with an independent RFC 4180 parser, and an HTML sign-in page served with
 * 200 is told apart from CSV by its content type and first bytes. Data is shared with the Sheets API emulator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sheets } from '@googleapis/sheets';
import { startSheetsEmulator, type SheetsEmulator } from '../../dev/emulators/google-sheets.ts';
import { csvField, startPublishedCsvEmulator, toCsv, type PublishedCsvEmulator } from '../../dev/emulators/published-csv.ts';

process.env['NO_PROXY'] = '127.0.0.1,localhost';

/** RFC 4180 parser written for the test (quoted fields, doubled quotes, CRLF or LF between records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** What the sync must do with an answer that should be CSV. */
async function readCsv(res: Response): Promise<string[][]> {
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  if (type.includes('text/html') || /^\s*<(!doctype|html)/i.test(text)) throw new Error('got an HTML page where CSV was expected');
  return parseCsv(text);
}

const TRICKY = [
  ['id', 'title', 'abstract'],
  ['1', 'Commas, quotes "and" more', 'line one\nline two'],
  ['2', 'CRLF\r\ninside', '  spaces kept  '],
  ['3', 'Ünïcödé — “smart” ’quotes’', ''],
  [],
  ['5', '"', ',', ''],
  ['', '', ''],
];

describe('published CSV emulator', () => {
  let api: SheetsEmulator;
  let csv: PublishedCsvEmulator;

  before(async () => {
    api = await startSheetsEmulator({
      spreadsheets: {
        doc: {
          title: 'Workshop',
          public: true,
          sheets: [
            { title: 'Papers', sheetId: 0, rows: TRICKY },
            {
              title: 'People',
              sheetId: 77,
              rows: [
                ['id', 'name'],
                ['ada', 'Ada'],
              ],
            },
            { title: 'Private notes', sheetId: 99, rows: [['x']] },
          ],
        },
        closed: { title: 'Closed', sheets: [{ title: 'Sheet1', rows: [['secret']] }] },
      },
      apiKeys: ['k'],
    });
    csv = await startPublishedCsvEmulator({
      store: api.store,
      publications: { '2PACX-doc': { spreadsheetId: 'doc', gids: [0, 77] }, '2PACX-off': { spreadsheetId: 'doc', published: false } },
    });
  });
  after(async () => {
    await csv.close();
    await api.close();
  });

  it('answers the pub link with a 307 that fetch follows to the CSV', async () => {
    const manual = await fetch(csv.csvUrl('2PACX-doc', 77), { redirect: 'manual' });
    assert.equal(manual.status, 307);
    const location = manual.headers.get('location') ?? '';
    assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/pub-content\/[\w-]+\?gid=77&single=true&output=csv$/);
    const res = await fetch(csv.csvUrl('2PACX-doc', 77));
    assert.equal(res.redirected, true);
    assert.equal(res.url, location);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(await res.text(), 'id,name\r\nada,Ada');
  });

  it('round-trips quoting: commas, quotes, CR/LF, spaces, unicode, blank rows', async () => {
    const text = await (await fetch(csv.csvUrl('2PACX-doc', 0))).text();
    assert.equal(
      text,
      [
        'id,title,abstract',
        '1,"Commas, quotes ""and"" more","line one\nline two"',
        '2,"CRLF\r\ninside",  spaces kept  ',
        '3,Ünïcödé — “smart” ’quotes’,',
        ',,',
        '5,"""",","',
      ].join('\r\n'),
    );
    const width = 3; // the widest row once its trailing blank cells are dropped
    const expected = TRICKY.slice(0, 6).map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ''));
    assert.deepEqual(parseCsv(text), expected);
  });

  it('serves the first tab without a gid, and follows edits made through the shared store', async () => {
    assert.equal((await readCsv(await fetch(csv.csvUrl('2PACX-doc'))))[0]?.[0], 'id');
    api.store.setCell('doc', 'People', 'B2', 'Ada, Countess of Lovelace');
    assert.deepEqual(await readCsv(await fetch(csv.csvUrl('2PACX-doc', 77))), [
      ['id', 'name'],
      ['ada', 'Ada, Countess of Lovelace'],
    ]);
    const viaApi = sheets({ version: 'v4', auth: 'k', rootUrl: api.url, retryConfig: { retry: 0 } });
    const { data } = await viaApi.spreadsheets.values.get({ spreadsheetId: 'doc', range: 'People!B2' });
    assert.deepEqual(data.values, [['Ada, Countess of Lovelace']], 'both emulators serve the same data');
  });

  it('serves a 200 HTML sign-in page for what is not published, which the reader detects', async () => {
    for (const link of [csv.csvUrl('2PACX-doc', 99), csv.csvUrl('2PACX-off', 0), csv.exportUrl('closed')]) {
      const res = await fetch(link);
      assert.equal(res.status, 200, link);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      await assert.rejects(readCsv(res), /HTML page where CSV was expected/);
    }
    const exported = await fetch(csv.exportUrl('doc', 77));
    assert.deepEqual(await readCsv(exported), [
      ['id', 'name'],
      ['ada', 'Ada, Countess of Lovelace'],
    ]);
    csv.unpublish('2PACX-doc');
    await assert.rejects(readCsv(await fetch(csv.csvUrl('2PACX-doc', 77))), /HTML/);
    csv.publish('2PACX-doc', { spreadsheetId: 'doc' });
    assert.equal((await readCsv(await fetch(csv.csvUrl('2PACX-doc', 99))))[0]?.[0], 'x', 'whole document published');
  });

  it('answers 404 for an unknown publication and 400 for an unknown gid', async () => {
    const unknown = await fetch(csv.csvUrl('2PACX-nope', 0));
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /^text\/html/);
    await unknown.text();
    const gid = await fetch(csv.csvUrl('2PACX-doc', 12345));
    assert.equal(gid.status, 400);
    await gid.text();
  });

  it('applies faults: a cleanly cut CSV still parses (only validation can catch it), a 503 burst', async () => {
    csv.faults.add({ kind: 'truncate', bytes: 19, ending: 'end', path: '/pub-content/' });
    const cut = await readCsv(await fetch(csv.csvUrl('2PACX-doc', 0)));
    assert.deepEqual(cut, [['id', 'title', 'abstract']], 'cut at a record boundary: valid CSV, header only');
    csv.faults.add({ kind: 'status', status: 503, body: 'busy', times: 2, path: '/spreadsheets/' });
    assert.equal((await fetch(csv.csvUrl('2PACX-doc', 0))).status, 503);
    assert.equal((await fetch(csv.csvUrl('2PACX-doc', 0))).status, 503);
    assert.equal((await fetch(csv.csvUrl('2PACX-doc', 0))).status, 200);
    assert.ok(csv.stats.redirects >= 5 && csv.stats.csv >= 5 && csv.stats.signIn === 4, JSON.stringify(csv.stats));
  });

  it('serves the web-page (pubhtml) link an iframe embeds as HTML, never CSV, and not what is unpublished', async () => {
    csv.publish('2PACX-part', { spreadsheetId: 'doc', gids: [0, 77] });
    const before = { ...csv.stats };
    for (const link of [csv.pubhtmlUrl('2PACX-part', 77), `${csv.pubhtmlUrl('2PACX-part', 77)}&widget=true&headers=false`]) {
      const res = await fetch(link, { redirect: 'manual' });
      assert.equal(res.status, 200, 'no redirect');
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const text = await res.text();
      assert.match(text, /<table[^>]*>.*<td>id<\/td><td>name<\/td>.*<td>ada<\/td>/s);
    }
    const sheet = await (await fetch(csv.pubhtmlUrl('2PACX-part', 77).replace('/pubhtml?', '/pubhtml/sheet?'))).text();
    assert.match(sheet, /<td>ada<\/td>/);
    assert.match(await (await fetch(csv.pubhtmlUrl('2PACX-part'))).text(), /<td>title<\/td>/, 'no gid: the first tab');
    assert.match(await (await fetch(csv.pubhtmlUrl('2PACX-part', 0))).text(), /<td>Commas, quotes &#34;and&#34; more<\/td>/);
    const hidden = await fetch(csv.pubhtmlUrl('2PACX-part', 99));
    assert.equal(hidden.status, 200);
    assert.match(await hidden.text(), /Sign in/);
    assert.equal(csv.stats.csv, before.csv, 'no CSV served');
    assert.equal(csv.stats.redirects, before.redirects);
    assert.equal(csv.stats.signIn, before.signIn + 1);
  });
});

describe('toCsv', () => {
  it('quotes only what needs quoting and pads rows to the widest', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('cr\r'), '"cr\r"');
    assert.equal(toCsv([['a'], ['b', 'c', ''], [], ['']]), 'a,\r\nb,c');
    assert.equal(toCsv([]), '');
  });
});
