// @ts-check
/**
 * Start-up of `npm run sync` and `npm run serve:sync` (`node --import=./sync/ts-cache.mjs …`): our TypeScript files
 * with their types stripped, kept between runs. Node 22 strips the types of every .ts file it loads, on every start,
 * with amaro (swc built to WebAssembly), which it must load and compile first: about a third of the sync's start-up
 * CPU (docs/performance.md). Node 22's own compile cache (NODE_COMPILE_CACHE) keeps V8's code but not the stripped text
 * (Node 23.8 added that), so it does not help here. This hook keeps, for each of our .ts files, the text Node would
 * run, with the SHA-256 of the file's bytes (and of the stripper's version) it was made from: an entry is used only for
 * the very bytes it was made from, so an edited file is stripped again, never run stale. A warm start loads no amaro.
 *
 * Where: node_modules/.cache/workshop-site-ts/ (git-ignored with node_modules, owned by whoever installed the
 * project; delete it at any time). Any failure — a read-only folder, an unreadable entry, a file Node cannot strip —
 * leaves the file to Node's own loading, which reports its errors as usual: the cache can only make a start faster.
 * Files under node_modules and outside the project are never touched.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

/** The project root (this file is in sync/), as a file: URL with a trailing slash. */
const root = new URL('..', import.meta.url).href;
const cacheDir = fileURLToPath(new URL('node_modules/.cache/workshop-site-ts/', root));
/** The stripper's output can change with its version: a new Node makes every entry miss. */
const stripper = `${process.version} amaro ${process.versions['amaro'] ?? '?'}`;
/** Ends each entry, on the last line, so that the code keeps its line numbers (stack traces point at the .ts file). */
const MARK = '\n//# workshop-site-ts-cache ';

/** stripTypeScriptTypes() is "experimental" in Node 22 and says so on stderr; Node's own loader strips silently. */
function strip(/** @type {string} */ code, /** @type {(code: string, options: { mode: 'strip' }) => string} */ stripTypes) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called from here
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return stripTypes(code, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The text to run for `url`, from the cache or stripped now (and kept); undefined to leave the file to Node. */
function stripped(/** @type {string} */ url, /** @type {(code: string, options: { mode: 'strip' }) => string} */ stripTypes) {
  const bytes = readFileSync(fileURLToPath(url));
  const digest = createHash('sha256').update(stripper).update('\0').update(bytes).digest('hex');
  const entry = `${cacheDir}${createHash('sha256').update(url).digest('hex').slice(0, 40)}.js`;
  try {
    const cached = readFileSync(entry, 'utf8');
    if (cached.endsWith(`${MARK}${digest}\n`)) return cached;
  } catch {
    // Not cached yet.
  }
  const code = `${strip(bytes.toString('utf8'), stripTypes)}${MARK}${digest}\n`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written whole, then renamed: a sync started at the same time reads the old entry or the new one, never half.
    const temporary = `${entry}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, entry);
  } catch {
    // A read-only node_modules: run without keeping it.
  }
  return code;
}

const { registerHooks, stripTypeScriptTypes } = nodeModule;
// Both came in Node 22.13–22.15; with an older Node (package.json asks for ≥ 22.12) Node loads the files itself.
if (typeof registerHooks === 'function' && typeof stripTypeScriptTypes === 'function') {
  registerHooks({
    load(url, context, nextLoad) {
      if (context.format !== 'module-typescript' || !url.startsWith(root) || url.includes('/node_modules/')) return nextLoad(url, context);
      let source;
      try {
        source = stripped(url, stripTypeScriptTypes);
      } catch {
        return nextLoad(url, context);
      }
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
