/** content-store/entry-store.ts: entries kept as text (spilled to a file), giving the bytes of the collection file. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EntryStore } from '../../content-store/entry-store.ts';
import { entryJson, fingerprintOf } from '../../content-store/json.ts';
import { stableJson } from './fixtures.ts';
import { byId } from '../sync/fixtures.ts';

const scratch = (t: { after: (fn: () => void) => void }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'entry-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const join = (store: EntryStore) => [...store.chunks()].join('');

/** About 3 MB of papers (three blocks and more), one of them larger than a block, with text in several scripts. */
const papers = Array.from({ length: 1500 }, (_, i) => ({
  id: String(1500 - i),
  title: `Paper ${i} — naïve café 论文 ${'x'.repeat(i % 7)}`,
  abstract: (i === 700 ? 'A very long abstract. ' : 'Words and more words. ').repeat(i === 700 ? 70_000 : 90),
  authors: ['Ada Lovelace', 'Zoë Ðorđević'],
}));

test('an in-memory store gives stableJson of its entries in id order, and their fingerprints', () => {
  const committed = JSON.parse(readFileSync(new URL('../../content/2024_2/schedule.json', import.meta.url), 'utf8')) as { id: string }[];
  const store = EntryStore.of([...committed].reverse());
  assert.equal(join(store), stableJson(byId(committed)));
  assert.equal(store.fingerprints().size, committed.length);
  assert.deepEqual(store.fingerprints().get(committed[0]!.id), fingerprintOf(entryJson(committed[0])));
  assert.equal(join(EntryStore.of([])), '[]\n');
});

test('the first entry of an id is kept; a later one is refused', () => {
  const store = new EntryStore();
  const [first, second] = [
    { id: '1', title: 'first' },
    { id: '1', title: 'second' },
  ];
  assert.equal(store.add(first), true);
  assert.equal(store.add(second), false);
  assert.equal(join(store), stableJson([first]));
});

test('with a spill file, full blocks leave memory for the file (private to the user), bytes unchanged; close removes it', (t) => {
  const spillFile = path.join(scratch(t), '.papers.json.spill.tmp');
  const store = new EntryStore({ spillFile });
  for (const paper of papers) store.add(paper);
  const total = papers.reduce((sum, p) => sum + Buffer.byteLength(entryJson(p)), 0);
  assert.ok(total > 3 << 20, `the entries span several blocks (${total} bytes)`);
  const spilled = statSync(spillFile).size;
  assert.ok(spilled >= total - (2 << 20), `at most the block being filled stays in memory (${total - spilled} of ${total} bytes)`);
  assert.equal(statSync(spillFile).mode & 0o777, 0o600);
  assert.equal(join(store), stableJson(byId(papers)));
  assert.equal(join(store), stableJson(byId(papers)), 'the chunks can be made again (hash, then write)');
  assert.equal(store.fingerprints().get('800'), fingerprintOf(entryJson(papers.find((p) => p.id === '800'))));
  store.close();
  assert.equal(existsSync(spillFile), false);
});

test('a spill file that cannot be made (no such folder, a read-only disk) keeps the blocks in memory', () => {
  const spillFile = path.join(tmpdir(), 'no-such-folder-entry-store', 'spill.tmp');
  const store = new EntryStore({ spillFile });
  for (const paper of papers) store.add(paper);
  assert.equal(existsSync(spillFile), false);
  assert.equal(join(store), stableJson(byId(papers)));
  store.close();
});

test('replace puts an entry in the place of the one with its id, also in a spilled block; get reads it back', (t) => {
  const store = new EntryStore({ spillFile: path.join(scratch(t), '.papers.json.spill') });
  for (const paper of papers) store.add(paper);
  const [spilled, last] = [papers[0]!, papers.at(-1)!];
  assert.deepEqual(store.get(spilled.id), spilled);
  const withFile = <T extends { id: string }>(paper: T) => ({ ...paper, files: { pdf: `./files/${paper.id}-pdf.pdf` } });
  for (const paper of [spilled, last]) assert.equal(store.replace(withFile(paper)), true);
  assert.equal(store.replace({ id: 'nobody' }), false, 'no entry is added by replace');
  const expected = papers.map((p) => (p === spilled || p === last ? withFile(p) : p));
  assert.equal(join(store), stableJson(byId(expected)));
  assert.deepEqual(
    [...store.fingerprints().keys()],
    papers.map((p) => p.id),
    'the order of the entries stays',
  );
  assert.deepEqual(store.get(last.id), expected.at(-1));
  assert.equal(store.get('nobody'), undefined);
  store.close();
});
