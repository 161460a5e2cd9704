/**
 * The Airtable emulator (dev/emulators/airtable/index.ts) against the REAL `airtable` client (airtable.js 0.12.2):
 * pagination, views, fields, formulas, errors, rate limit, stale cursors, attachments, POST listRecords, faults.
 * Plain fetch only where the client hides what is checked (raw bodies, the offset's shape, attachment downloads).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Airtable from 'airtable';
import { EMULATOR_TOKEN, startAirtableEmulator, type AirtableEmulator, type SeedRecord } from '../../dev/emulators/airtable/index.ts';

const BASE = 'appWorkshop000001';
const OTHER_BASE = 'appOtherBase00002';
const ID = /^rec[A-Za-z0-9]{14}$/;

/** 250 papers: Title "Paper 0".."Paper 249", Track A/B alternating, Accepted every third, Score 0..249. */
function papers(): SeedRecord[] {
  return Array.from({ length: 250 }, (_, i) => ({
    id: `rec${String(i).padStart(14, '0')}`,
    fields: {
      Title: `Paper ${i}`,
      Track: i % 2 === 0 ? 'A' : 'B',
      Accepted: i % 3 === 0,
      Score: i,
      Notes: i % 10 === 0 ? `note ${i}` : '',
    },
  }));
}

function client(at: AirtableEmulator, options: Partial<Airtable.AirtableOptions> = {}): Airtable {
  return new Airtable({ apiKey: at.token, endpointUrl: at.url, noRetryIfRateLimited: true, ...options });
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Airtable.Error & Error> {
  try {
    await promise;
  } catch (error) {
    return error as Airtable.Error & Error;
  }
  assert.fail('expected the request to fail');
}

/** A settable clock for expiry and rate-limit tests. */
function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('listing records', () => {
  let at: AirtableEmulator;
  before(async () => {
    at = await startAirtableEmulator({
      rateLimit: false,
      bases: {
        [BASE]: {
          Papers: {
            id: 'tblPapers00000001',
            fields: ['Empty column'],
            records: papers(),
            views: { Shortlist: { id: 'viwShortlist00001', recordIds: ['rec00000000000005', 'rec00000000000002', 'rec00000000000009'] } },
          },
          'Program Committee': {
            records: [
              { id: 'recPC000000000001', fields: { Name: 'Ada', Affiliation: '', Topics: [], Chair: false, Photo: null, Bio: 'Hi' } },
              { id: 'recPC000000000002', fields: { Name: 'Grace', Chair: true, Topics: ['IR', 'NLP'] } },
            ],
          },
        },
      },
    });
  });
  after(() => at.close());

  test('250 records come in 3 pages of 100, 100, 50, in table order, following the offsets', async () => {
    const pages: string[][] = [];
    await client(at)
      .base(BASE)('Papers')
      .select({ pageSize: 100 })
      .eachPage((records, next) => {
        pages.push(records.map((r) => r.id));
        next();
      });
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      pages.flat(),
      papers().map((r) => r.id),
    );
    const calls = at.stats.log.filter((c) => c.path.startsWith(`/v0/${BASE}/Papers`));
    assert.equal(calls.length, 3);
    assert.doesNotMatch(calls[0]?.path ?? '', /offset=/);
    assert.match(calls[1]?.path ?? '', /[?&]offset=itr[A-Za-z0-9]{14}%2Frec00000000000100(&|$)/);
    assert.match(calls[2]?.path ?? '', /[?&]offset=itr[A-Za-z0-9]{14}%2Frec00000000000200(&|$)/);
  });

  test('the response has an offset only while pages remain; default page size 100; maxRecords caps the total', async () => {
    const headers = { authorization: `Bearer ${at.token}` };
    const first = (await (await fetch(`${at.url}/v0/${BASE}/Papers`, { headers })).json()) as { records: unknown[]; offset?: string };
    assert.equal(first.records.length, 100);
    assert.match(first.offset ?? '', /^itr[A-Za-z0-9]{14}\/rec00000000000100$/);
    const last = (await (await fetch(`${at.url}/v0/${BASE}/Papers?pageSize=50&maxRecords=30`, { headers })).json()) as Record<
      string,
      unknown
    >;
    assert.equal((last['records'] as unknown[]).length, 30);
    assert.equal('offset' in last, false);

    const capped = await client(at).base(BASE)('Papers').select({ pageSize: 50, maxRecords: 120 }).all();
    assert.equal(capped.length, 120);
    assert.equal(capped.at(-1)?.id, 'rec00000000000119');
  });

  test('pageSize over 100 is a 422', async () => {
    const error = await rejection(client(at).base(BASE)('Papers').select({ pageSize: 101 }).firstPage());
    assert.equal(error.statusCode, 422);
    assert.equal(error.error, 'INVALID_REQUEST_UNKNOWN');
  });

  test('a view gives its records in its order; fields[] limits the fields; sort overrides the order', async () => {
    const table = client(at).base(BASE)('Papers');
    for (const view of ['Shortlist', 'viwShortlist00001']) {
      const records = await table.select({ view, fields: ['Title'] }).all();
      assert.deepEqual(
        records.map((r) => r.id),
        ['rec00000000000005', 'rec00000000000002', 'rec00000000000009'],
      );
      assert.deepEqual(
        records.map((r) => r.fields),
        [{ Title: 'Paper 5' }, { Title: 'Paper 2' }, { Title: 'Paper 9' }],
      );
    }
    const sorted = await table
      .select({ view: 'Shortlist', sort: [{ field: 'Score', direction: 'desc' }], fields: ['Score', 'Track'] })
      .all();
    assert.deepEqual(
      sorted.map((r) => r.fields),
      [
        { Score: 9, Track: 'B' },
        { Score: 5, Track: 'B' },
        { Score: 2, Track: 'A' },
      ],
    );
    const byTrack = await table.select({ sort: [{ field: 'Track', direction: 'desc' }, { field: 'Score' }], maxRecords: 2 }).all();
    assert.deepEqual(
      byTrack.map((r) => r.get('Title')),
      ['Paper 1', 'Paper 3'],
    );
  });

  test('an unknown view or field name is a 422 with Airtable’s error type', async () => {
    const table = client(at).base(BASE)('Papers');
    const view = await rejection(table.select({ view: 'Grid view' }).all());
    assert.equal(view.statusCode, 422);
    assert.equal(view.error, 'VIEW_NAME_NOT_FOUND');
    assert.equal(view.message, 'View Grid view not found');
    const field = await rejection(table.select({ fields: ['Title', 'Titel'] }).all());
    assert.equal(field.statusCode, 422);
    assert.equal(field.error, 'UNKNOWN_FIELD_NAME');
    assert.match(field.message, /"Titel"/);
    const declared = await table.select({ fields: ['Empty column'], maxRecords: 1 }).all();
    assert.deepEqual(declared[0]?.fields, {}, 'a declared column empty everywhere is accepted and never returned');
  });

  test('empty values ("", [], false, null) are left out of fields; a table name with a space works (%20 and +)', async () => {
    const records = await client(at).base(BASE)('Program Committee').select().all();
    assert.deepEqual(
      records.map((r) => r.fields),
      [
        { Name: 'Ada', Bio: 'Hi' },
        { Name: 'Grace', Chair: true, Topics: ['IR', 'NLP'] },
      ],
    );
    const plus = await fetch(`${at.url}/v0/${BASE}/Program+Committee?fields%5B%5D=Name`, {
      headers: { authorization: `Bearer ${at.token}` },
    });
    assert.equal(plus.status, 200);
    assert.deepEqual(
      ((await plus.json()) as { records: { fields: unknown }[] }).records.map((r) => r.fields),
      [{ Name: 'Ada' }, { Name: 'Grace' }],
    );
  });

  test('the table answers to its id as well as its name', async () => {
    const byId = await client(at).base(BASE)('tblPapers00000001').select({ maxRecords: 3 }).all();
    assert.deepEqual(
      byId.map((r) => r.get('Title')),
      ['Paper 0', 'Paper 1', 'Paper 2'],
    );
  });

  test('filterByFormula: the supported subset', async () => {
    const table = client(at).base(BASE)('Papers');
    const ids = async (formula: string): Promise<number[]> =>
      (await table.select({ filterByFormula: formula, fields: ['Score'] }).all()).map((r) => r.get('Score') as number);
    assert.equal((await ids("{Track} = 'A'")).length, 125);
    assert.ok((await ids("{Track} = 'A'")).every((s) => s % 2 === 0));
    assert.ok((await ids("{Track} != 'A'")).every((s) => s % 2 === 1));
    assert.deepEqual(await ids("AND({Track} = 'A', {Accepted}, {Score} < 20)"), [0, 6, 12, 18]);
    assert.deepEqual(await ids('OR({Title} = "Paper 7", {Title} = \'Paper 42\')'), [7, 42]);
    assert.deepEqual(await ids("AND(NOT({Notes} = ''), {Score} >= 200)"), [200, 210, 220, 230, 240]);
    assert.equal((await ids('TRUE()')).length, 250);
    assert.deepEqual(await ids('FALSE()'), []);
    assert.deepEqual(await ids("and({Score} = 3, not({Accepted} = ''))"), [3]);
    assert.equal((await ids("LOWER(TRIM({Track})) = 'a'")).length, 125);
    assert.deepEqual(await ids("UPPER({Track}) = 'a'"), []);
  });

  test('filterByFormula: unsupported functions and unknown fields are 422 INVALID_FILTER_BY_FORMULA', async () => {
    const table = client(at).base(BASE)('Papers');
    const unsupported = await rejection(table.select({ filterByFormula: "FIND('x', {Title})" }).all());
    assert.equal(unsupported.statusCode, 422);
    assert.equal(unsupported.error, 'INVALID_FILTER_BY_FORMULA');
    const unknown = await rejection(table.select({ filterByFormula: "{Titel} = 'x'" }).all());
    assert.equal(unknown.error, 'INVALID_FILTER_BY_FORMULA');
    assert.match(unknown.message, /Unknown field names: Titel/);
    const broken = await rejection(table.select({ filterByFormula: "AND({Track} = 'A'" }).all());
    assert.equal(broken.error, 'INVALID_FILTER_BY_FORMULA');
  });

  test('POST listRecords: method "post" and URLs over 15,000 characters, with every parameter in the body', async () => {
    at.resetStats();
    const table = client(at).base(BASE)('Papers');
    const posted = await table.select({ method: 'post', pageSize: 100, filterByFormula: "{Track} = 'B'", fields: ['Title'] }).all();
    assert.equal(posted.length, 125);
    assert.ok(posted.every((r) => Object.keys(r.fields).join() === 'Title'));
    assert.deepEqual(
      at.stats.log.map((c) => c.method),
      ['POST', 'POST'],
    );
    assert.ok(at.stats.log.every((c) => c.path === `/v0/${BASE}/Papers/listRecords?`));

    at.resetStats();
    const wanted = [3, 77, 149, 248];
    const padding = Array.from({ length: 600 }, (_, i) => `{Title} = 'Nothing ${i}'`);
    const formula = `OR(${[...padding, ...wanted.map((i) => `{Title} = 'Paper ${i}'`)].join(', ')})`;
    const long = await table.select({ filterByFormula: formula }).all();
    assert.deepEqual(
      long.map((r) => r.get('Score')),
      wanted,
    );
    assert.equal(at.stats.log[0]?.method, 'POST', 'the client switched to POST for the long formula');
  });

  test('cellFormat "string" needs timeZone and userLocale, then gives strings', async () => {
    const table = client(at).base(BASE)('Program Committee');
    const missing = await rejection(table.select({ cellFormat: 'string' }).all());
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.error, 'INVALID_REQUEST_UNKNOWN');
    const strings = await table.select({ cellFormat: 'string', timeZone: 'Europe/Paris', userLocale: 'fr' }).all();
    assert.deepEqual(strings[1]?.fields, { Name: 'Grace', Chair: 'checked', Topics: 'IR, NLP' });
  });
});

describe('authentication and not-found errors', () => {
  let at: AirtableEmulator;
  before(async () => {
    at = await startAirtableEmulator({
      tokens: { patAll: '*', patOther: [OTHER_BASE] },
      bases: { [BASE]: { Papers: { records: papers().slice(0, 3) } }, [OTHER_BASE]: { People: { records: [] } } },
    });
  });
  after(() => at.close());

  test('a wrong or missing token is a 401 AUTHENTICATION_REQUIRED', async () => {
    const error = await rejection(client(at, { apiKey: 'patWrong' }).base(BASE)('Papers').select().all());
    assert.ok(error instanceof Airtable.Error);
    assert.equal(error.statusCode, 401);
    assert.equal(error.error, 'AUTHENTICATION_REQUIRED');
    const raw = await fetch(`${at.url}/v0/${BASE}/Papers`);
    assert.equal(raw.status, 401);
    assert.deepEqual(await raw.json(), { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } });
  });

  test('a token not allowed on the base, or an unknown base, is a 403', async () => {
    assert.equal(at.token, 'patAll');
    const other = client(at, { apiKey: 'patOther' });
    assert.deepEqual(await other.base(OTHER_BASE)('People').select().all(), []);
    const forbidden = await rejection(other.base(BASE)('Papers').select().all());
    assert.ok(forbidden instanceof Airtable.Error);
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.error, 'NOT_AUTHORIZED'); // airtable.js's name for every 403
    const unknownBase = await rejection(client(at).base('appNoSuchBase0000')('Papers').select().all());
    assert.equal(unknownBase.statusCode, 403);
    const raw = await fetch(`${at.url}/v0/${BASE}/Papers`, { headers: { authorization: 'Bearer patOther' } });
    assert.equal(((await raw.json()) as { error: { type: string } }).error.type, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
  });

  test('an unknown table is a 403, as personal access tokens are told (404 TABLE_NOT_FOUND with unknownTable), another route a 404 NOT_FOUND', async () => {
    const error = await rejection(client(at).base(BASE)('Paperz').select().all());
    assert.ok(error instanceof Airtable.Error);
    assert.equal(error.statusCode, 403);
    const raw = await fetch(`${at.url}/v0/${BASE}/Paperz`, { headers: { authorization: 'Bearer patAll' } });
    assert.equal(((await raw.json()) as { error: { type: string } }).error.type, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
    const route = await fetch(`${at.url}/v1/whatever`, { headers: { authorization: 'Bearer patAll' } });
    assert.equal(route.status, 404);
    assert.deepEqual(await route.json(), { error: 'NOT_FOUND' });

    const legacy = await startAirtableEmulator({ unknownTable: 'TABLE_NOT_FOUND', bases: { [BASE]: {} } });
    try {
      assert.equal(legacy.token, EMULATOR_TOKEN);
      const notFound = await rejection(client(legacy).base(BASE)('Paperz').select().all());
      assert.ok(notFound instanceof Airtable.Error);
      assert.equal(notFound.statusCode, 404);
      assert.equal(notFound.message, `Could not find table Paperz in application ${BASE}`);
    } finally {
      await legacy.close();
    }
  });
});

describe('rate limit: 5 requests/s per base, then a penalty', () => {
  test('the 6th request in a second is a 429; the base stays blocked for the penalty, other bases are not', async () => {
    const clock = fakeClock();
    const at = await startAirtableEmulator({
      now: clock.now,
      rateLimit: { penaltyMs: 2000 },
      bases: { [BASE]: { Papers: { records: papers().slice(0, 2) } }, [OTHER_BASE]: { People: { records: [] } } },
    });
    try {
      const table = client(at).base(BASE)('Papers');
      for (let i = 0; i < 5; i++) {
        assert.equal((await table.select().firstPage()).length, 2);
        clock.advance(100);
      }
      const limited = await rejection(table.select().firstPage());
      assert.ok(limited instanceof Airtable.Error);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.error, 'TOO_MANY_REQUESTS');
      const raw = await fetch(`${at.url}/v0/${BASE}/Papers`, { headers: { authorization: `Bearer ${at.token}` } });
      assert.equal(raw.status, 429);
      assert.deepEqual(await raw.json(), {
        errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }],
      });
      assert.deepEqual(await client(at).base(OTHER_BASE)('People').select().all(), [], 'another base is not limited');

      clock.advance(1500); // the 1 s window is clear, the 2 s penalty is not
      assert.equal((await rejection(table.select().firstPage())).statusCode, 429);
      clock.advance(600); // 2.1 s after the first 429: the penalty is over (429s during it do not extend it)
      assert.equal((await table.select().firstPage()).length, 2);

      assert.deepEqual(at.stats.bases[BASE], { requests: 9, rateLimited: 3, pages: 6, records: 12 });
      assert.equal(at.stats.bases[OTHER_BASE]?.rateLimited, 0);
      assert.equal(at.stats.byStatus[429], 3);
    } finally {
      await at.close();
    }
  });

  test('a sliding window: requests spread over more than a second pass; a real-time penalty of 200 ms ends', async () => {
    const clock = fakeClock();
    const at = await startAirtableEmulator({
      now: clock.now,
      rateLimit: { penaltyMs: 200 },
      bases: { [BASE]: { Papers: { records: [] } } },
    });
    try {
      const table = client(at).base(BASE)('Papers');
      for (let i = 0; i < 12; i++) {
        await table.select().firstPage();
        clock.advance(201); // 5 per 1005 ms: never 5 within the last second
      }
      assert.equal(at.stats.bases[BASE]?.rateLimited, 0);
    } finally {
      await at.close();
    }
    const real = await startAirtableEmulator({
      rateLimit: { penaltyMs: 200, requestsPerSecond: 2 },
      bases: { [BASE]: { Papers: { records: [] } } },
    });
    try {
      const table = client(real).base(BASE)('Papers');
      await Promise.all([table.select().firstPage(), table.select().firstPage()]);
      assert.equal((await rejection(table.select().firstPage())).statusCode, 429);
      await new Promise((resolve) => setTimeout(resolve, 1050));
      assert.deepEqual(await table.select().firstPage(), []);
    } finally {
      await real.close();
    }
  });
});

describe('page cursors', () => {
  test('an offset older than offsetTtlMs, or invalidated, is a 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE without a message', async () => {
    const clock = fakeClock();
    const at = await startAirtableEmulator({
      now: clock.now,
      offsetTtlMs: 1000,
      rateLimit: false,
      bases: { [BASE]: { Papers: { records: papers() } } },
    });
    try {
      const table = client(at).base(BASE)('Papers');
      let pages = 0;
      const stale = await rejection(
        table.select({ pageSize: 100 }).eachPage((_records, next) => {
          pages += 1;
          clock.advance(1001);
          next();
        }),
      );
      assert.equal(pages, 1);
      assert.ok(stale instanceof Airtable.Error);
      assert.equal(stale.statusCode, 422);
      assert.equal(stale.error, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');

      let pages2 = 0;
      const invalidated = await rejection(
        table.select({ pageSize: 100 }).eachPage((_records, next) => {
          pages2 += 1;
          if (pages2 === 2) at.invalidateOffsets();
          next();
        }),
      );
      assert.equal(pages2, 2);
      assert.equal(invalidated.error, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE');

      const first = (await (await fetch(`${at.url}/v0/${BASE}/Papers`, { headers: { authorization: `Bearer ${at.token}` } })).json()) as {
        offset: string;
      };
      clock.advance(999);
      const fresh = await fetch(`${at.url}/v0/${BASE}/Papers?offset=${encodeURIComponent(first.offset)}`, {
        headers: { authorization: `Bearer ${at.token}` },
      });
      assert.equal(fresh.status, 200, 'still valid just before the TTL');
      clock.advance(2);
      const raw = await fetch(`${at.url}/v0/${BASE}/Papers?offset=${encodeURIComponent(first.offset)}`, {
        headers: { authorization: `Bearer ${at.token}` },
      });
      assert.equal(raw.status, 422);
      assert.deepEqual(await raw.json(), { error: { type: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' } });
    } finally {
      await at.close();
    }
  });
});

describe('attachments', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
  const pdf = Buffer.from('%PDF-1.7\n%fake\n');

  test('URLs on the emulator serve the seeded bytes with their type, then expire (410); downloads are counted', async () => {
    const clock = fakeClock();
    const at = await startAirtableEmulator({
      now: clock.now,
      attachmentUrlTtlMs: 60_000,
      bases: {
        [BASE]: {
          People: {
            records: [
              {
                id: 'recPerson00000001',
                fields: {
                  Name: 'Ada',
                  Photo: [{ id: 'attPhoto000000001', filename: 'ada lovelace.png', type: 'image/png', data: png, width: 800, height: 600 }],
                  CV: [{ filename: 'cv.pdf', type: 'application/pdf', data: pdf }],
                },
              },
            ],
          },
        },
      },
    });
    try {
      const [person] = await client(at).base(BASE)('People').select().all();
      const [photo] = (person?.get('Photo') ?? []) as Airtable.Attachment[];
      const [cv] = (person?.get('CV') ?? []) as Airtable.Attachment[];
      assert.ok(photo && cv);
      assert.equal(photo.id, 'attPhoto000000001');
      assert.equal(photo.filename, 'ada lovelace.png');
      assert.equal(photo.size, png.length);
      assert.equal(photo.type, 'image/png');
      assert.ok(photo.url.startsWith(`${at.url}/attachments/attPhoto000000001/`));
      assert.doesNotMatch(photo.url, /ada|\.png/, "the URL has no file name, as Airtable's are since 2025");
      assert.deepEqual([photo.thumbnails?.small.height, photo.thumbnails?.small.width, photo.thumbnails?.full.width], [36, 48, 800]);
      assert.match(cv.id, /^att[A-Za-z0-9]{14}$/);
      assert.equal(cv.thumbnails?.large.height, 512, 'a PDF has thumbnails too (its first page)');

      const download = await fetch(photo.url);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), png);
      const cvBytes = Buffer.from(await (await fetch(cv.url)).arrayBuffer());
      assert.equal(cvBytes.toString(), pdf.toString());
      assert.equal(at.stats.attachmentDownloads, 2);
      assert.equal(at.stats.attachmentBytes, png.length + pdf.length);

      const tampered = await fetch(photo.url.replace(/-[0-9a-f]{20}$/, '-00000000000000000000'));
      assert.equal(tampered.status, 404);

      clock.advance(60_001);
      const expired = await fetch(photo.url);
      assert.equal(expired.status, 410);
      assert.equal(await expired.text(), 'This URL has expired');
      assert.equal(at.stats.expiredAttachmentUrls, 1);
      assert.equal(at.stats.attachmentDownloads, 2);

      const [again] = await client(at).base(BASE)('People').select().all();
      const [fresh] = (again?.get('Photo') ?? []) as Airtable.Attachment[];
      assert.notEqual(fresh?.url, photo.url, 'a new listing gives a new URL');
      assert.equal((await fetch(fresh?.url ?? '')).status, 200);

      const found = await client(at).base(BASE)('People').find('recPerson00000001');
      const [refreshed] = (found.get('Photo') ?? []) as Airtable.Attachment[];
      assert.equal(found.get('Name'), 'Ada');
      assert.equal((await fetch(refreshed?.url ?? '')).status, 200, 'find() also gives a working URL');
      const missing = await rejection(client(at).base(BASE)('People').find('recNoSuchRecord01'));
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.error, 'NOT_FOUND');
      assert.equal(at.stats.attachmentDownloads, 4);
    } finally {
      await at.close();
    }
  });
});

describe('editing the base between syncs', () => {
  test('update, add, delete a record and rename a field; the next listing and the metadata API show it', async () => {
    const at = await startAirtableEmulator({ bases: { [BASE]: { Papers: { records: papers().slice(0, 3) } } } });
    type Schema = { tables: { name: string; primaryFieldId: string; fields: { id: string; name: string; type: string }[] }[] };
    const schema = async (): Promise<Schema> => {
      const response = await fetch(`${at.url}/v0/meta/bases/${BASE}/tables`, { headers: { authorization: `Bearer ${at.token}` } });
      assert.equal(response.status, 200);
      return (await response.json()) as Schema;
    };
    try {
      const table = client(at).base(BASE)('Papers');
      const before = (await schema()).tables[0];
      assert.equal(before?.name, 'Papers');
      assert.deepEqual(
        before?.fields.map((f) => [f.name, f.type]),
        [
          ['Title', 'singleLineText'],
          ['Track', 'singleLineText'],
          ['Accepted', 'checkbox'],
          ['Score', 'number'],
          ['Notes', 'singleLineText'],
        ],
      );
      assert.equal(before?.primaryFieldId, before?.fields[0]?.id);
      assert.ok(before?.fields.every((f) => /^fld[A-Za-z0-9]{14}$/.test(f.id)));
      at.updateRecord(BASE, 'Papers', 'rec00000000000001', { Title: 'Paper one (revised)', Notes: undefined, Award: 'Best paper' });
      at.deleteRecord(BASE, 'Papers', 'rec00000000000000');
      const added = at.addRecord(BASE, 'Papers', { Title: 'Late paper', Track: 'A' });
      assert.match(added, ID);
      at.renameField(BASE, 'Papers', 'Track', 'Session');
      const records = await table.select().all();
      assert.deepEqual(
        records.map((r) => [r.id, r.fields]),
        [
          ['rec00000000000001', { Title: 'Paper one (revised)', Session: 'B', Score: 1, Award: 'Best paper' }],
          ['rec00000000000002', { Title: 'Paper 2', Session: 'A', Score: 2 }],
          [added, { Title: 'Late paper', Session: 'A' }],
        ],
      );
      const renamed = await rejection(table.select({ fields: ['Track'] }).all());
      assert.equal(renamed.error, 'UNKNOWN_FIELD_NAME');
      const afterRename = (await schema()).tables[0]?.fields ?? [];
      const trackId = before?.fields.find((f) => f.name === 'Track')?.id;
      assert.equal(afterRename.find((f) => f.name === 'Session')?.id, trackId, 'a renamed field keeps its id');
      assert.equal(
        afterRename.some((f) => f.name === 'Track'),
        false,
      );
      assert.ok(afterRename.some((f) => f.name === 'Award'));
      const noToken = await fetch(`${at.url}/v0/meta/bases/${BASE}/tables`);
      assert.equal(noToken.status, 401);
      at.setView(BASE, 'Papers', 'Late', [added, 'rec00000000000002']);
      assert.deepEqual(
        (await table.select({ view: 'Late' }).all()).map((r) => r.id),
        [added, 'rec00000000000002'],
      );
      assert.equal(at.records(BASE, 'Papers').length, 3);
    } finally {
      await at.close();
    }
  });
});

describe('field ids: fields[] by id, returnFieldsByFieldId, a table by id', () => {
  let at: AirtableEmulator;
  let ids: Record<string, string> = {};
  const get = (path: string) => fetch(`${at.url}/v0/${BASE}/${path}`, { headers: { authorization: `Bearer ${at.token}` } });
  before(async () => {
    at = await startAirtableEmulator({
      rateLimit: false,
      bases: { [BASE]: { Papers: { id: 'tblPapers00000001', records: papers().slice(0, 3) } } },
    });
    const response = await fetch(`${at.url}/v0/meta/bases/${BASE}/tables`, { headers: { authorization: `Bearer ${at.token}` } });
    const schema = (await response.json()) as { tables: { fields: { id: string; name: string }[] }[] };
    ids = Object.fromEntries(schema.tables[0]?.fields.map((f) => [f.name, f.id]) ?? []);
  });
  after(() => at.close());

  test('GET: fields[] mixes ids and names; returnFieldsByFieldId keys every cell by id, sort takes an id', async () => {
    const table = client(at).base(BASE)('Papers');
    const byName = await table.select({ fields: [ids['Title']!, 'Score'], maxRecords: 2 }).all();
    assert.deepEqual(
      byName.map((r) => r.fields),
      [
        { Title: 'Paper 0', Score: 0 },
        { Title: 'Paper 1', Score: 1 },
      ],
    );
    const byId = await table
      .select({ fields: [ids['Title']!, 'Score'], returnFieldsByFieldId: true, sort: [{ field: ids['Score']!, direction: 'desc' }] })
      .all();
    assert.deepEqual(
      byId.map((r) => r.fields),
      [2, 1, 0].map((i) => ({ [ids['Title']!]: `Paper ${i}`, [ids['Score']!]: i })),
    );
    assert.ok(at.stats.log.some((l) => l.path.includes('returnFieldsByFieldId=true')));
  });

  test('POST listRecords and find(): returnFieldsByFieldId as the body and query give it', async () => {
    const response = await fetch(`${at.url}/v0/${BASE}/tblPapers00000001/listRecords`, {
      method: 'POST',
      headers: { authorization: `Bearer ${at.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: [ids['Track']], returnFieldsByFieldId: true, maxRecords: 1 }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as { records: { fields: unknown }[] }).records[0]?.fields, { [ids['Track']!]: 'A' });
    const record = (await (await get('Papers/rec00000000000001?returnFieldsByFieldId=true')).json()) as { fields: object };
    assert.deepEqual(Object.keys(record.fields), [ids['Title'], ids['Track'], ids['Score']]);
    const byName = (await (await get('Papers/rec00000000000001')).json()) as { fields: object };
    assert.deepEqual(Object.keys(byName.fields), ['Title', 'Track', 'Score']);
  });

  test('an unknown or deleted field id is 422 UNKNOWN_FIELD_NAME naming it; renamed field and table answer to their ids', async () => {
    const table = () => client(at).base(BASE)('tblPapers00000001');
    const unknown = await rejection(
      table()
        .select({ fields: ['fldNoSuchField0001'] })
        .all(),
    );
    assert.equal(unknown.error, 'UNKNOWN_FIELD_NAME');
    assert.match(unknown.message, /"fldNoSuchField0001"/);
    at.renameField(BASE, 'Papers', 'Title', 'Paper Title');
    at.renameTable(BASE, 'Papers', 'Submissions');
    const renamed = await table()
      .select({ fields: [ids['Title']!], returnFieldsByFieldId: true, maxRecords: 1 })
      .all();
    assert.deepEqual(renamed[0]?.fields, { [ids['Title']!]: 'Paper 0' });
    const byName = await client(at)
      .base(BASE)('Submissions')
      .select({ fields: [ids['Title']!], maxRecords: 1 })
      .all();
    assert.deepEqual(byName[0]?.fields, { 'Paper Title': 'Paper 0' }, 'without returnFieldsByFieldId, by its current name');
    assert.equal((await get('Papers')).status, 403, 'the old table name is gone');
    at.deleteField(BASE, 'Submissions', 'Notes');
    const deleted = await rejection(
      table()
        .select({ fields: [ids['Notes']!] })
        .all(),
    );
    assert.equal(deleted.error, 'UNKNOWN_FIELD_NAME');
    assert.match(deleted.message, new RegExp(`"${ids['Notes']}"`));
  });
});

describe('fault injection, as the client sees it', () => {
  let at: AirtableEmulator;
  before(async () => {
    at = await startAirtableEmulator({ rateLimit: false, bases: { [BASE]: { Papers: { records: papers().slice(0, 5) } } } });
  });
  after(() => at.close());

  test('a burst of three 503s (RETRIABLE_ERROR, Retry-After) is three AirtableErrors, then the table answers', async () => {
    at.inject({ kind: 'status', status: 503, times: 3, headers: { 'retry-after': '1' }, path: `/v0/${BASE}/` });
    const table = client(at).base(BASE)('Papers');
    for (let i = 0; i < 2; i++) {
      const error = await rejection(table.select().all());
      assert.ok(error instanceof Airtable.Error);
      assert.equal(error.statusCode, 503);
      assert.equal(error.error, 'SERVICE_UNAVAILABLE');
    }
    const raw = await fetch(`${at.url}/v0/${BASE}/Papers`, { headers: { authorization: `Bearer ${at.token}` } });
    assert.equal(raw.status, 503);
    assert.equal(raw.headers.get('retry-after'), '1');
    assert.deepEqual(await raw.json(), { error: { type: 'RETRIABLE_ERROR' } });
    assert.equal((await table.select().all()).length, 5);
  });

  test('a dropped connection is a raw FetchError (not an AirtableError)', async () => {
    at.inject({ kind: 'drop' });
    const error = await rejection(client(at).base(BASE)('Papers').select().all());
    assert.equal(error instanceof Airtable.Error, false);
    assert.equal(error.name, 'FetchError');
    assert.match(error.message, /socket hang up|ECONNRESET/);
    assert.equal((await client(at).base(BASE)('Papers').select().all()).length, 5, 'the next request works');
  });

  test('a short JSON body (clean HTTP end): makeRequest reports invalid JSON; select() crashes (unhandled TypeError)', async () => {
    at.inject({ kind: 'truncate', bytes: 40, ending: 'end' });
    const error = await rejection(client(at).base(BASE).makeRequest({ path: '/Papers' }));
    assert.ok(error instanceof Airtable.Error);
    assert.equal(error.error, 'UNEXPECTED_ERROR');
    assert.equal(error.statusCode, 200);

    // airtable.js 0.12.2: eachPage gets neither an error nor a body, reads `result.offset` and throws inside a
    // promise, so the select() promise never settles. The rejection is caught here so node:test does not fail.
    at.inject({ kind: 'truncate', bytes: 40, ending: 'end' });
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        process.once('unhandledRejection', (reason) => resolve(reason));
        client(at)
          .base(BASE)('Papers')
          .select()
          .all()
          .then(
            () => resolve('resolved'),
            () => resolve('rejected'),
          );
      });
      assert.ok(outcome instanceof TypeError, `expected the client to crash, got ${String(outcome)}`);
      assert.match(outcome.message, /offset/);
    } finally {
      process.removeAllListeners('unhandledRejection');
      for (const listener of saved) process.on('unhandledRejection', listener);
    }
  });

  test('a connection cut mid-body (Content-Length kept): the client never settles, its requestTimeout does not help', async () => {
    at.inject({ kind: 'truncate', bytes: 40 });
    const pending = client(at, { requestTimeout: 100 }).base(BASE)('Papers').select().all();
    const outcome = await Promise.race([
      pending.then(
        () => 'resolved',
        (error: unknown) => `rejected: ${String(error)}`,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still pending'), 400)),
    ]);
    assert.equal(outcome, 'still pending', 'node-fetch 2 does not end or fail the body; a wrapper needs its own deadline');
    assert.deepEqual(at.faults.log.at(-1), { kind: 'truncate', method: 'GET', path: `/v0/${BASE}/Papers` });
  });

  test('faults given as an option apply from the first request; close() ends a stalled answer', async () => {
    const faulty = await startAirtableEmulator({
      faults: [
        { kind: 'status', status: 500 },
        { kind: 'stall', bytes: 10, path: /offset=/ },
      ],
      bases: { [BASE]: { Papers: { records: papers().slice(0, 3) } } },
    });
    const table = client(faulty).base(BASE)('Papers');
    const first = await rejection(table.select().all());
    assert.equal(first.statusCode, 500);
    assert.equal(first.error, 'SERVER_ERROR');
    const pending = table.select({ pageSize: 2 }).all();
    while (faulty.faults.log.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(
      faulty.faults.log.map((f) => f.kind),
      ['status', 'stall'],
    );
    const started = Date.now();
    await faulty.close();
    assert.ok(Date.now() - started < 500, 'close() does not wait for the stalled connection');
    assert.equal(faulty.stats.requests, 3);
    void pending; // never settles (see the mid-body cut above)
  });

  test('latency past the client’s requestTimeout is a raw AbortError', async () => {
    at.inject({ kind: 'latency', ms: 300 });
    const started = Date.now();
    const error = await rejection(client(at, { requestTimeout: 100 }).base(BASE)('Papers').select().all());
    assert.equal(error instanceof Airtable.Error, false);
    assert.equal(error.name, 'AbortError');
    assert.ok(Date.now() - started < 290);
  });
});

describe('the metadata API, as real bases have it', () => {
  test('field types from the documented value shapes; a link names its table; a token without schema.bases:read gets 403', async () => {
    const bases = {
      [BASE]: {
        People: { id: 'tblPeople00000001', records: [{ id: 'recPerson00000001', fields: { Name: 'Ada Lovelace' } }] },
        Papers: {
          records: [
            {
              fields: {
                Title: 'Notes',
                Authors: ['recPerson00000001'],
                Kind: ['Invited', 'Panelist'],
                Bio: { state: 'generated', isStale: false, value: 'Drafted.' },
                Code: { label: 'Open', url: 'https://example.org/code' },
                Badge: { text: '1234' },
                Owner: { id: 'usrOwner000000001', email: 'owner@example.org', name: 'Owner' },
                Reviewers: [{ id: 'usrReviewer000001', email: 'r@example.org', name: 'Reviewer' }],
                Affiliations: ['Oxford', 7],
              },
            },
          ],
        },
      },
    };
    const at = await startAirtableEmulator({ bases });
    const denied = await startAirtableEmulator({ bases, schemaAccess: false });
    const meta = (emulator: AirtableEmulator) =>
      fetch(`${emulator.url}/v0/meta/bases/${BASE}/tables`, { headers: { authorization: `Bearer ${emulator.token}` } });
    try {
      type Field = { name: string; type: string; options?: { linkedTableId?: string } };
      const tables = ((await (await meta(at)).json()) as { tables: { name: string; fields: Field[] }[] }).tables;
      const papers = tables.find((t) => t.name === 'Papers')?.fields ?? [];
      assert.deepEqual(Object.fromEntries(papers.map((f) => [f.name, f.type])), {
        Title: 'singleLineText',
        Authors: 'multipleRecordLinks',
        Kind: 'multipleSelects',
        Bio: 'aiText',
        Code: 'button',
        Badge: 'barcode',
        Owner: 'singleCollaborator',
        Reviewers: 'multipleCollaborators',
        Affiliations: 'multipleLookupValues',
      });
      assert.equal(papers.find((f) => f.name === 'Authors')?.options?.linkedTableId, 'tblPeople00000001');
      const refused = await meta(denied);
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { type: string } }).error.type, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND');
    } finally {
      await Promise.all([at.close(), denied.close()]);
    }
  });
});
