/** sync/steps/fetch.ts: a table with a sink reaches the sink, not the rows, from a source that reads it in one go. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../sync/config.ts';
import type { SourceRow } from '../../sync/map/types.ts';
import { sourceFactory } from '../../sync/sources/index.ts';
import { fetchRows } from '../../sync/steps/fetch.ts';

test('local files: the Papers rows go to its sink (restarted never), the other tables into the rows', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fetch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const table = (name: string, rows: Record<string, unknown>[]) => writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(rows));
  table('Organizers', [{ Name: 'Ada Lovelace' }]);
  table('Speakers', [{ Name: 'Alan Turing' }]);
  table('Papers', [{ 'Paper ID': 1, Title: 'One', Status: 'Accepted' }, { 'Paper ID': 2, Title: 'Two', Status: 'Rejected' }]);
  table('Schedule', [{ Title: 'Opening' }]);
  const local = 'local-files' as const;
  const config = resolveConfig(
    { tables: { organizers: local, speakers: local, papers: local, schedule: local, programCommittee: 'none' }, sources: { localFiles: { dir } } },
    dir,
    {},
  );
  const taken: SourceRow[][] = [];
  let restarts = 0;
  const fetched = await fetchRows(config, sourceFactory(config), { sinks: { papers: { add: (rows) => void taken.push([...rows]), restart: () => void restarts++ } } });
  assert.equal(fetched.rows.papers, undefined);
  assert.deepEqual(taken.map((rows) => rows.map((r) => r.fields['Title'])), [['One', 'Two']]);
  assert.equal(restarts, 0);
  assert.deepEqual(fetched.rows.organizers?.map((r) => r.fields['Name']), ['Ada Lovelace']);
  assert.deepEqual(fetched.rows.schedule?.map((r) => r.fields['Title']), ['Opening']);
});
