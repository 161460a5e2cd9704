/** content-store/json-read.ts: a JSON array read an element at a time gives what JSON.parse of the whole gives. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readEntries, readFingerprints } from '../../content-store/diff.ts';
import { readJsonArray, splitArray } from '../../content-store/json-read.ts';
import { entryJson, fingerprintOf } from '../../content-store/json.ts';
import { stableJson } from './fixtures.ts';

/** `text` cut into pieces of `size` bytes (multi-byte characters and escapes split across pieces too). */
const pieces = (text: string, size: number): Buffer[] => {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

const ARRAYS = [
  '[]',
  ' \n[ ]\n',
  '[1]',
  '[1,2 , "a,]\\"b\\\\" ,{"x":[1,{"y":"}]"}]}, null ,true, false, -1.5e3]',
  '[ "é€😀", {"ü": "\\u00e9\\n"} ]',
  '[[[]],[{}],{"a":{"b":{"c":[]}}}]',
];

test('splitArray gives the elements JSON.parse gives, wherever the bytes are cut', () => {
  for (const text of ARRAYS) {
    for (let size = 1; size <= Buffer.byteLength(text); size++) {
      assert.deepEqual([...splitArray(pieces(text, size))], JSON.parse(text), `${text} in pieces of ${size}`);
    }
  }
});

test('splitArray throws on what is not one JSON array, as JSON.parse would', () => {
  for (const text of [
    '',
    '   ',
    '[',
    '[1',
    '[1,]',
    '[,1]',
    '[1,,2]',
    '[1 2]',
    '[1] x',
    '[] []',
    '{"a":1}',
    '"[1]"',
    '[}',
    '["a]',
    '[{"a":1]',
  ]) {
    assert.throws(() => [...splitArray(pieces(text, 3))], SyntaxError, text);
  }
});

test('readJsonArray reads a committed collection file in small chunks to the same entries', () => {
  const file = new URL('../../content/2024_2/papers.json', import.meta.url);
  const whole = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  assert.deepEqual([...readJsonArray(file.pathname, 7)], whole);
  assert.deepEqual([...readJsonArray(file.pathname)], whole);
});

test('readFingerprints: each entry by id, as the entries would be fingerprinted; a damaged or missing file is empty', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'json-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'papers.json');
  const entries = [{ id: '2', title: 'B' }, { id: '10', title: 'A', authors: ['X'] }, { title: 'no id' }];
  writeFileSync(file, stableJson(entries));
  assert.deepEqual(
    readFingerprints(file),
    new Map([
      ['2', fingerprintOf(entryJson(entries[0]))],
      ['10', fingerprintOf(entryJson(entries[1]))],
    ]),
  );
  assert.deepEqual(readEntries(file), entries.slice(0, 2));
  writeFileSync(file, stableJson(entries).slice(0, -10)); // cut short, as by a full disk
  assert.equal(readFingerprints(file).size, 0);
  assert.deepEqual(readEntries(file), []);
  assert.equal(readFingerprints(path.join(dir, 'none.json')).size, 0);
});
