/** content-store/json.ts: deterministic JSON, and the one-entry-at-a-time array form giving the same bytes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { arrayChunks, compareIds, entryJson } from '../../content-store/json.ts';
import { stableJson } from './fixtures.ts';

const chunked = (entries: readonly unknown[]) => [...arrayChunks(entries.map(entryJson))].join('');

test('stableJson sorts keys at every level, drops undefined, indents by two, ends with a newline', () => {
  assert.equal(
    stableJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: 'x' } }),
    '{\n  "a": {\n    "c": "x",\n    "d": [\n      2,\n      {\n        "f": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
  );
});

test("arrayChunks of the entries' entryJson, joined, give the bytes of stableJson for every committed collection and for odd entries", () => {
  for (const file of ['people', 'papers', 'schedule']) {
    const entries = JSON.parse(readFileSync(new URL(`../../content/2024_2/${file}.json`, import.meta.url), 'utf8')) as unknown[];
    assert.equal(chunked(entries), stableJson(entries), file);
  }
  const odd = [
    { id: '10', text: 'a\nb  \n', list: [], map: {}, nested: [[1, [2]], { z: null }] },
    { id: '2', gone: undefined },
    'plain',
    3,
  ];
  assert.equal(chunked(odd), stableJson(odd));
  assert.equal(chunked([]), '[]\n');
});

test('compareIds orders ids numerically where they are numbers, and never calls two ids equal', () => {
  assert.deepEqual(['10', '2', 'b', 'a'].sort(compareIds), ['2', '10', 'a', 'b']);
  assert.notEqual(compareIds('a', 'A'), 0);
});
