/**
 * `npm start`, the main job in one command: sync, build, serve.
 * - Without credentials: starts the local emulators with the demo spreadsheets (dev/demo/) and points the real
 *   clients (airtable.js, @googleapis/sheets) at them.
 * - With credentials (AIRTABLE_TOKEN, GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_SHEETS_CSV_URL — in
 *   the environment or in .env): the same against the real services.
 * A failed sync leaves content/ as it was; the site is then built from that last good content, and served.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../sync/config.ts';
import { exitCodeOf, SyncFailed } from '../sync/errors.ts';
import { runSync } from '../sync/pipeline.ts';
import { createProgress } from '../sync/progress.ts';
import { startDemoEmulators, type DemoEmulators } from './demo/emulators.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const astro = path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs');
const CREDENTIALS = ['AIRTABLE_TOKEN', 'GOOGLE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_SHEETS_CSV_URL'];

let current: ChildProcess | undefined;

function run(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [astro, ...args], { cwd: root, stdio: 'inherit' });
    current = child;
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// Ctrl-C or a service manager's SIGTERM stops the build or the server too, not only this process.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (!current) process.exit(0);
    current.once('exit', () => process.exit(0));
    current.kill(signal);
  });
}

async function sync(): Promise<void> {
  let demo: DemoEmulators | undefined;
  if (!CREDENTIALS.some((name) => process.env[name])) {
    demo = await startDemoEmulators();
    Object.assign(process.env, demo.env);
    console.log(
      `No credentials set: syncing the demo spreadsheets from local emulators (Airtable ${demo.airtable.url}, Google Sheets ${demo.sheets.url}).`,
    );
  }
  const progress = createProgress();
  try {
    const report = await runSync(await loadConfig(root), { onEvent: (e) => progress.onEvent(e) });
    progress.done();
    console.log(
      `Sync of ${report.edition}: ${report.summary} in ${(report.durationMs / 1000).toFixed(1)} s; photos ${report.photos.downloaded} downloaded, ${report.photos.reused} unchanged.`,
    );
    if (report.warnings.length > 0)
      console.log(`Warnings (${report.warnings.length}):\n${report.warnings.map((w) => `  - ${w}`).join('\n')}`);
  } catch (error) {
    progress.done();
    // A sync that failed (or could not start) leaves content/ as it was: the site is built from that.
    if (exitCodeOf(error) === undefined) throw error;
    const errors = error instanceof SyncFailed ? error.report.errors.map((e) => `\n  - ${e}`).join('') : '';
    console.error(`Sync failed: ${(error as Error).message}${errors}\nBuilding the site from the content already in content/.`);
  } finally {
    await demo?.close();
  }
}

if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
await sync();
const built = await run(['build']);
if (built !== 0) {
  console.error('The build failed (see above); nothing to serve.');
  process.exit(built);
}
// PORT picks another port than Astro's 4321 (e.g. when that one is taken).
const port = process.env['PORT']?.trim();
process.exitCode = await run(['preview', '--host', '127.0.0.1', ...(port ? ['--port', port] : [])]);
