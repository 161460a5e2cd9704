/** Shared set-up of the sync integration tests: the demo emulators and a private copy of content/. */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type ResolvedConfig, type WorkshopConfig } from '../../sync/config.ts';
import type { RetryPolicy } from '../../sync/http/retry.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EDITION = '2024_2';
/** Fast retries for tests: same policy, shorter waits. */
export const FAST: RetryPolicy = { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20, rateLimitPenaltyMs: 100 };

process.env['NO_PROXY'] = '127.0.0.1,localhost';

/** A copy of the committed content in a temporary folder; `empty` leaves only edition.json. */
export function contentCopy(options: { empty?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sync-content-'));
  cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
  if (options.empty) {
    for (const name of readdirSync(path.join(dir, EDITION))) {
      if (name !== 'edition.json') rmSync(path.join(dir, EDITION, name), { recursive: true, force: true });
    }
  }
  return dir;
}

export function configFor(env: Record<string, string>, contentDir: string, config: WorkshopConfig = {}): ResolvedConfig {
  return resolveConfig(config, ROOT, { ...env, CONTENT_DIR: contentDir });
}

/** Every file under `dir` with its bytes and modification time, to prove what a sync touched. */
export function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else files.set(path.relative(dir, file), { bytes: readFileSync(file).toString('base64'), mtimeMs: statSync(file).mtimeMs });
    }
  };
  walk(dir);
  return files;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** What a finished process gave. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` in the project root as a user runs it, in its own process: the environment of the tests without
 * their Airtable/Google variables (and without `drop`), plus `env`, proxies off for 127.0.0.1.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  drop: readonly string[] = [],
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AIRTABLE|GOOGLE)_/.test(k) && k !== 'NODE_TEST_CONTEXT' && !drop.includes(k)),
    );
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...clean, NO_PROXY: '127.0.0.1,localhost', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
