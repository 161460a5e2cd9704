/**
 * The sync as a user waits for it, for bench/sync.ts: the command of package.json's `sync` script (`node [flags]
 * sync/cli.ts`) as its own process, timed from spawn to exit (Node's start-up and the config's loading included, npm's
 * own start-up not), its peak RSS read from /proc/<pid>/status (VmHWM, polled every 20 ms: Linux only, as the
 * bench's load average). And the check that linked authors were published as names.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one run of the whole process took. */
export interface ProcessRun {
  wallMs: number;
  maxRssKb: number;
}

/** Polls a process's peak RSS (VmHWM, in KiB) until stopped; returns the largest value read. */
function watchPeakRss(pid: number): () => number {
  let peak = 0;
  const read = () => {
    try {
      const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) peak = Math.max(peak, Number(kb));
    } catch {
      // The process has just exited: its last reading stands.
    }
  };
  read();
  const timer = setInterval(read, 20);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/**
 * Runs `node <nodeFlags> sync/cli.ts --config <a temporary config>` in `root` with `env` (the emulators' variables)
 * and CONTENT_DIR = `contentDir`. The config: `config` plus a temporary stateDir, so that the bench's lock never meets
 * another sync of this working tree. Rejects, with the process's output, when it exits with another code than 0.
 */
export async function runSyncProcess(
  root: string,
  nodeFlags: readonly string[],
  config: object,
  env: Record<string, string>,
  contentDir: string,
): Promise<ProcessRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-sync-process-'));
  const configFile = path.join(scratch, 'bench.config.mjs');
  writeFileSync(configFile, `export default ${JSON.stringify({ ...config, service: { stateDir: path.join(scratch, 'state') } })};\n`);
  try {
    return await new Promise<ProcessRun>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [...nodeFlags, 'sync/cli.ts', '--config', configFile], {
        cwd: root,
        env: { ...process.env, ...env, CONTENT_DIR: contentDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stopWatching = watchPeakRss(child.pid!);
      let wallMs = 0;
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', () => (wallMs = performance.now() - started));
      child.on('error', reject);
      child.on('close', (code) => {
        const maxRssKb = stopWatching();
        if (code === 0) resolve({ wallMs, maxRssKb });
        else reject(new Error(`npm run sync (node ${nodeFlags.join(' ')} sync/cli.ts) exited with ${code}:\n${output}`));
      });
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const RECORD_ID = /\brec[A-Za-z0-9]{14}\b/;

/**
 * Throws unless `papers.json` of `contentDir/edition` holds `papers` papers whose authors are all names of `people`
 * (2–4 each) and no `rec…` record id anywhere.
 */
export function assertAuthorsAreNames(contentDir: string, edition: string, papers: number, people: readonly string[]): void {
  const file = path.join(contentDir, edition, 'papers.json');
  const text = readFileSync(file, 'utf8');
  const id = RECORD_ID.exec(text)?.[0];
  if (id) throw new Error(`${file} publishes the record id ${id}: the linked authors were not turned into names.`);
  const published = JSON.parse(text) as { id: string; authors?: string[] }[];
  if (published.length !== papers) throw new Error(`${file} holds ${published.length} papers, not the ${papers} of the base.`);
  const names = new Set(people);
  const wrong = published.find((p) => !p.authors || p.authors.length < 2 || p.authors.length > 4 || !p.authors.every((a) => names.has(a)));
  if (wrong) {
    throw new Error(`${file}: paper ${wrong.id} has the authors ${JSON.stringify(wrong.authors)}, not 2–4 names of the People table.`);
  }
}
