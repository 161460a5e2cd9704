/**
 * sync/ts-cache.mjs, the stripped-TypeScript cache that `npm run sync` and `npm run serve:sync` start with: run as
 * they run it (`node --import=./sync/ts-cache.mjs`), in a scratch project holding a copy of the hook, so that its
 * cache (node_modules/.cache/workshop-site-ts/) is the test's own. Whether Node loaded its TypeScript stripper (amaro)
 * is read from process.moduleLoadList in the child.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('../../sync/ts-cache.mjs', import.meta.url));

let project = '';
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'ts-cache-'));
  mkdirSync(path.join(project, 'sync'));
  cpSync(HOOK, path.join(project, 'sync', 'ts-cache.mjs'));
  writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(project, 'greet.ts'), 'export const greet = (name: string): string => `hello ${name}`;\n');
  // The error is thrown on line 6, after lines with types to strip.
  writeFileSync(
    path.join(project, 'main.ts'),
    [
      "import { greet } from './greet.ts';",
      'interface Shown { text: string }',
      'const shown: Shown = { text: greet(process.argv[2] ?? "world") };',
      "const amaro = process.moduleLoadList.some((name: string) => name.includes('amaro'));",
      'console.log(JSON.stringify({ ...shown, amaro }));',
      'try { throw new Error("here"); } catch (error) { console.log((error as Error).stack?.split("\\n")[1]?.trim()); }',
      '',
    ].join('\n'),
  );
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

/** `node --import=./sync/ts-cache.mjs main.ts` in the scratch project. */
function run(file = 'main.ts'): { status: number | null; text: string; amaro: boolean; at: string; stderr: string } {
  const child = spawnSync(process.execPath, ['--import=./sync/ts-cache.mjs', file], { cwd: project, encoding: 'utf8' });
  const [first = '{}', at = ''] = child.stdout.split('\n');
  const { text = '', amaro = false } = JSON.parse(first) as { text?: string; amaro?: boolean };
  return { status: child.status, text, amaro, at, stderr: child.stderr };
}

const entries = () => readdirSync(path.join(project, 'node_modules', '.cache', 'workshop-site-ts'));

test('a warm start runs the cached text and never loads the stripper; stack traces keep their lines', () => {
  const cold = run();
  assert.deepEqual([cold.status, cold.text, cold.amaro, cold.stderr], [0, 'hello world', true, ''], 'no experimental warning either');
  assert.equal(entries().length, 2, 'one entry per file');
  const warm = run();
  assert.deepEqual([warm.status, warm.text, warm.amaro, warm.stderr], [0, 'hello world', false, '']);
  assert.match(warm.at, /main\.ts:6:13\)?$/, 'the line and column in main.ts');
  assert.equal(warm.at, cold.at);
});

test('an edited file is stripped again, never run stale, even with the same size', () => {
  run();
  writeFileSync(path.join(project, 'greet.ts'), 'export const greet = (name: string): string => `HELLO ${name}`;\n');
  const edited = run();
  assert.deepEqual([edited.text, edited.amaro], ['HELLO world', true]);
  assert.equal(entries().length, 2, 'the entry replaced, not added');
  assert.deepEqual([run().text, run().amaro], ['HELLO world', false]);
});

test('no cache folder possible: the files run as without the hook', () => {
  mkdirSync(path.join(project, 'node_modules'));
  writeFileSync(path.join(project, 'node_modules', '.cache'), 'a file where the folder would go');
  const { status, text, stderr } = run();
  assert.deepEqual([status, text, stderr], [0, 'hello world', '']);
});

test('TypeScript that Node cannot strip fails with Node’s own error, as without the hook', () => {
  writeFileSync(path.join(project, 'enum.ts'), 'enum Kind { Talk }\nconsole.log(Kind.Talk);\n');
  const child = spawnSync(process.execPath, ['--import=./sync/ts-cache.mjs', 'enum.ts'], { cwd: project, encoding: 'utf8' });
  const plain = spawnSync(process.execPath, ['enum.ts'], { cwd: project, encoding: 'utf8' });
  assert.notEqual(child.status, 0);
  assert.equal(child.status, plain.status);
  assert.match(child.stderr, /ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX/);
});
