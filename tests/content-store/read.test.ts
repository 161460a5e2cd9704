/**
 * content-store/read.ts: reading content/<edition>/*.json and failing with the file, the entry and the field.
 * Each test copies tests/fixtures/content-minimal (a valid edition, 2025_3) to a temp dir and breaks one thing.
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScheduleReferences, contentDir, editionFolders, readCollection } from '../../content-store/read.ts';
import { ContentError } from '../../content-store/errors.ts';
import { FILES, type CollectionName } from '../../src/model/index.ts';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/content-minimal/', import.meta.url));
const EDITION = '2025_3';

let savedContentDir: string | undefined;
let root = '';

before(() => {
  savedContentDir = process.env['CONTENT_DIR'];
});
after(() => {
  if (savedContentDir === undefined) delete process.env['CONTENT_DIR'];
  else process.env['CONTENT_DIR'] = savedContentDir;
});
beforeEach(() => {
  delete process.env['CONTENT_DIR'];
  root = mkdtempSync(path.join(tmpdir(), 'content-files-'));
  cpSync(FIXTURE, path.join(root, 'content'), { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function fixturePath(file: string, edition = EDITION): string {
  return path.join(root, 'content', edition, file);
}

function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(fixturePath(file), 'utf8'));
}

function writeFixture(file: string, value: unknown, edition = EDITION): void {
  mkdirSync(path.dirname(fixturePath(file, edition)), { recursive: true });
  writeFileSync(fixturePath(file, edition), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** Runs `fn`, expects a ContentError and returns it. */
function contentError(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ContentError, `expected a ContentError, got ${String(error)}`);
    assert.equal(error.name, 'ContentError');
    return error;
  }
  assert.fail('expected a ContentError');
}

function readAll(edition = EDITION) {
  const read = (c: CollectionName) => readCollection(root, edition, c);
  return { editions: read('editions'), people: read('people'), schedule: read('schedule'), papers: read('papers') };
}

describe('reading valid content', () => {
  it('reads every collection of the fixture with edition-scoped ids and project-relative files', () => {
    const all = readAll();
    assert.deepEqual(
      all.editions.map((e) => e.id),
      ['2025_3'],
    );
    assert.deepEqual(
      all.people.map((p) => p.id),
      ['2025_3/ada-lovelace', '2025_3/alan-turing'],
    );
    assert.deepEqual(
      all.papers.map((p) => p.id),
      ['2025_3/1', '2025_3/2'],
    );
    assert.deepEqual(
      all.schedule.map((s) => s.id),
      ['2025_3/opening', '2025_3/keynote', '2025_3/paper-1'],
    );
    const [paper] = all.papers;
    assert.equal(paper!.edition, '2025_3');
    assert.equal(paper!.file, 'content/2025_3/papers.json');
    assert.equal(paper!.absolutePath, fixturePath('papers.json'));
    assert.equal(paper!.data['title'], 'On Computable Numbers');
    assert.doesNotThrow(() => checkScheduleReferences(all.schedule, all.people, all.papers));
  });

  it('treats a missing optional file as an empty collection', () => {
    rmSync(fixturePath('papers.json'));
    assert.deepEqual(readCollection(root, EDITION, 'papers'), []);
  });

  it('reads the committed demo edition of the project without errors', () => {
    const read = (c: CollectionName) => readCollection(PROJECT, '2024_2', c);
    const people = read('people');
    const schedule = read('schedule');
    const papers = read('papers');
    assert.equal(read('editions').length, 1);
    assert.ok(people.length > 0 && schedule.length > 0 && papers.length > 0);
    assert.doesNotThrow(() => checkScheduleReferences(schedule, people, papers));
  });
});

describe('contentDir / editionFolders', () => {
  it('defaults to <root>/content', () => {
    assert.equal(contentDir(root), path.join(root, 'content'));
  });

  it('resolves a relative CONTENT_DIR against the root and takes an absolute one as is', () => {
    process.env['CONTENT_DIR'] = 'other/content';
    assert.equal(contentDir(root), path.join(root, 'other', 'content'));
    const absolute = path.join(tmpdir(), 'somewhere-else');
    process.env['CONTENT_DIR'] = absolute;
    assert.equal(contentDir(root), absolute);
  });

  it('reads from CONTENT_DIR and names files relative to the root', () => {
    const elsewhere = path.join(root, 'staging');
    cpSync(FIXTURE, elsewhere, { recursive: true });
    rmSync(path.join(root, 'content'), { recursive: true });
    process.env['CONTENT_DIR'] = 'staging';
    const papers = readCollection(root, EDITION, 'papers');
    assert.equal(papers[0]?.file, 'staging/2025_3/papers.json');
  });

  it('lists, sorted, only folders that hold an edition.json', () => {
    writeFixture(FILES.editions, { ...(readFixture('edition.json') as object), id: '2024_1' }, '2024_1');
    mkdirSync(path.join(root, 'content', 'no-edition'));
    writeFileSync(path.join(root, 'content', 'README.md'), 'not an edition');
    assert.deepEqual(editionFolders(contentDir(root)), ['2024_1', '2025_3']);
    assert.deepEqual(editionFolders(path.join(root, 'missing')), []);
  });
});

describe('errors name the file, the entry and the field', () => {
  it('a paper without authors', () => {
    const papers = readFixture('papers.json') as Record<string, unknown>[];
    delete papers[1]!['authors'];
    writeFixture('papers.json', papers);
    const error = contentError(() => readCollection(root, EDITION, 'papers'));
    assert.equal(error.file, 'content/2025_3/papers.json');
    assert.match(error.message, /^content\/2025_3\/papers\.json, entry 2 \(id "2"\): field "authors" is missing; add it\./);
    assert.match(error.message, /Fix it in the source/);
  });

  it('a misspelt field is reported, not silently dropped', () => {
    const people = readFixture('people.json') as Record<string, unknown>[];
    people[0]!['homePage'] = 'https://example.org/';
    writeFixture('people.json', people);
    const error = contentError(() => readCollection(root, EDITION, 'people'));
    assert.match(error.message, /entry 1 \(id "[^"]+"\): "homePage" is not a field of the content model; check the spelling/);
  });

  it('a paper with an empty author list says what to do', () => {
    const papers = readFixture('papers.json') as Record<string, unknown>[];
    papers[0]!['authors'] = [];
    writeFixture('papers.json', papers);
    const error = contentError(() => readCollection(root, EDITION, 'papers'));
    assert.ok(error.message.includes('entry 1 (id "1")'), error.message);
    assert.ok(error.message.includes('field "authors" list at least one author'), error.message);
  });

  it('a nested field is named with its full path', () => {
    const papers = readFixture('papers.json') as Record<string, unknown>[];
    papers[0]!['links'] = { pdf: 'javascript:alert(1)' };
    writeFixture('papers.json', papers);
    const error = contentError(() => readCollection(root, EDITION, 'papers'));
    assert.ok(error.message.includes('field "links.pdf" must be an http'), error.message);
  });

  it('an array element is named with its index', () => {
    const papers = readFixture('papers.json') as Record<string, unknown>[];
    papers[0]!['authors'] = ['Alan Turing', ''];
    writeFixture('papers.json', papers);
    const error = contentError(() => readCollection(root, EDITION, 'papers'));
    assert.ok(error.message.includes('field "authors[1]" must not be empty'), error.message);
  });

  it('every problem of an entry is listed', () => {
    const people = readFixture('people.json') as Record<string, unknown>[];
    people[1] = { ...people[1], role: 'speaker', homepage: 'javascript:alert(1)' };
    writeFixture('people.json', people);
    const error = contentError(() => readCollection(root, EDITION, 'people'));
    assert.ok(error.message.includes('entry 2 (id "alan-turing")'), error.message);
    assert.ok(error.message.includes('field "role"'), error.message);
    assert.ok(error.message.includes('field "homepage"'), error.message);
  });

  it('an entry without an id is named by its position', () => {
    const schedule = readFixture('schedule.json') as Record<string, unknown>[];
    delete schedule[2]!['id'];
    writeFixture('schedule.json', schedule);
    const error = contentError(() => readCollection(root, EDITION, 'schedule'));
    assert.match(error.message, /content\/2025_3\/schedule\.json, entry 3: field "id" /);
  });

  it('a schedule item that ends before it starts', () => {
    const schedule = readFixture('schedule.json') as Record<string, unknown>[];
    schedule[1]!['end'] = '2025-07-17T09:00';
    writeFixture('schedule.json', schedule);
    const error = contentError(() => readCollection(root, EDITION, 'schedule'));
    assert.ok(error.message.includes('entry 2 (id "keynote"): field "end" must be after start'), error.message);
  });

  it('duplicate ids', () => {
    const people = readFixture('people.json') as Record<string, unknown>[];
    people.push({ ...people[0], name: 'Another Ada' });
    writeFixture('people.json', people);
    const error = contentError(() => readCollection(root, EDITION, 'people'));
    assert.ok(error.message.startsWith('content/2025_3/people.json, entry 3 (id "ada-lovelace"): '), error.message);
    assert.ok(error.message.includes('the id "ada-lovelace" is used twice'), error.message);
  });

  it('the same id in two editions is fine', () => {
    writeFixture(FILES.editions, { ...(readFixture('edition.json') as object), id: '2024_1' }, '2024_1');
    writeFixture('people.json', readFixture('people.json'), '2024_1');
    const ids = [...readCollection(root, '2024_1', 'people'), ...readCollection(root, EDITION, 'people')].map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('edition.json whose id differs from its folder', () => {
    writeFixture('edition.json', { ...(readFixture('edition.json') as object), id: '2025_4' });
    const error = contentError(() => readCollection(root, EDITION, 'editions'));
    assert.equal(error.file, 'content/2025_3/edition.json');
    assert.ok(error.message.includes('field "id"'), error.message);
    assert.ok(error.message.includes('"2025_4"') && error.message.includes('"2025_3"'), error.message);
  });

  it('an invalid edition.json field has no entry number', () => {
    writeFixture('edition.json', { ...(readFixture('edition.json') as object), timeZone: 'Mars/Olympus' });
    const error = contentError(() => readCollection(root, EDITION, 'editions'));
    assert.match(error.message, /^content\/2025_3\/edition\.json: field "timeZone" must be an IANA time zone/);
  });

  it('invalid JSON', () => {
    writeFixture('papers.json', '[{ "id": "1", "title": "Trailing comma", }]');
    const error = contentError(() => readCollection(root, EDITION, 'papers'));
    assert.equal(error.file, 'content/2025_3/papers.json');
    assert.match(error.message, /^content\/2025_3\/papers\.json: is not valid JSON \(/);
  });

  it('a collection file that is not an array', () => {
    writeFixture('people.json', { id: 'ada-lovelace', name: 'Ada', role: 'keynote' });
    const error = contentError(() => readCollection(root, EDITION, 'people'));
    assert.match(error.message, /^content\/2025_3\/people\.json: must be a JSON array/);
  });

  it('a schedule speaker who is not in people.json', () => {
    const schedule = readFixture('schedule.json') as Record<string, unknown>[];
    schedule[1]!['speakers'] = ['ada-lovelace', 'grace-hopper'];
    writeFixture('schedule.json', schedule);
    const all = readAll();
    const error = contentError(() => checkScheduleReferences(all.schedule, all.people, all.papers));
    assert.equal(error.file, 'content/2025_3/schedule.json');
    assert.ok(error.message.includes('entry id "keynote"'), error.message);
    assert.ok(error.message.includes('field "speakers" names "grace-hopper"'), error.message);
    assert.ok(error.message.includes('people.json'), error.message);
  });

  it('a schedule paper that is not in papers.json', () => {
    const schedule = readFixture('schedule.json') as Record<string, unknown>[];
    schedule[2]!['paper'] = '99';
    writeFixture('schedule.json', schedule);
    const all = readAll();
    const error = contentError(() => checkScheduleReferences(all.schedule, all.people, all.papers));
    assert.ok(error.message.includes('entry id "paper-1"'), error.message);
    assert.ok(error.message.includes('field "paper" names "99"'), error.message);
    assert.ok(error.message.includes('papers.json'), error.message);
  });

  it('a speaker of another edition does not count', () => {
    writeFixture(FILES.editions, { ...(readFixture('edition.json') as object), id: '2024_1' }, '2024_1');
    writeFixture('people.json', [{ id: 'grace-hopper', name: 'Grace Hopper', role: 'keynote' }], '2024_1');
    const schedule = readFixture('schedule.json') as Record<string, unknown>[];
    schedule[1]!['speakers'] = ['grace-hopper'];
    writeFixture('schedule.json', schedule);
    const all = readAll();
    const otherPeople = readCollection(root, '2024_1', 'people');
    const error = contentError(() => checkScheduleReferences(all.schedule, [...all.people, ...otherPeople], all.papers));
    assert.ok(error.message.includes('"grace-hopper"'), error.message);
  });
});

describe('a person with several roles (otherRoles)', () => {
  /** people.json with Ada Lovelace (a keynote speaker in the fixture) given `fields`. */
  function writeAda(fields: Record<string, unknown>): void {
    const people = readFixture('people.json') as Record<string, unknown>[];
    people[0] = { ...people[0], ...fields };
    writeFixture('people.json', people);
  }

  it('reads further roles beside the role, as one entry', () => {
    writeAda({ role: 'invited', otherRoles: ['panelist'] });
    const people = readCollection(root, EDITION, 'people');
    assert.deepEqual(
      people.map((p) => [p.id, p.data['role'], p.data['otherRoles']]),
      [
        ['2025_3/ada-lovelace', 'invited', ['panelist']],
        ['2025_3/alan-turing', 'organizer', undefined],
      ],
    );
  });

  const refused: [string, Record<string, unknown>, string][] = [
    [
      'the role itself',
      { role: 'invited', otherRoles: ['panelist', 'invited'] },
      `field "otherRoles" holds the person's role "invited"; list only the further roles here`,
    ],
    [
      'a repeated role',
      { role: 'invited', otherRoles: ['panelist', 'panelist'] },
      'field "otherRoles" repeats "panelist"; list each role once',
    ],
    ['an empty list', { role: 'invited', otherRoles: [] }, 'field "otherRoles" is empty; leave it out when the person has one role'],
    ['an unknown role', { role: 'invited', otherRoles: ['dancer'] }, 'field "otherRoles[0]"'],
    ['a single role, not a list', { role: 'invited', otherRoles: 'panelist' }, 'field "otherRoles"'],
  ];
  for (const [what, fields, message] of refused) {
    it(`refuses ${what}, naming the entry and the field`, () => {
      writeAda(fields);
      const error = contentError(() => readCollection(root, EDITION, 'people'));
      assert.equal(error.file, 'content/2025_3/people.json');
      assert.ok(error.message.includes('entry 1 (id "ada-lovelace")'), error.message);
      assert.ok(error.message.includes(message), error.message);
    });
  }
});
