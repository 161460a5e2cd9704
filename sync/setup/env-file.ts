/**
 * `.env`: the credentials (and the emulators' addresses when set) for `npm run sync`, `doctor` and the service, which
 * read it at start. Created with mode 600, or updated in place keeping every other line; git-ignored. Its values are
 * never printed. Lines that would override workshop.config.ts's sources (AIRTABLE_BASE_ID, GOOGLE_SHEETS_ID,
 * GOOGLE_SHEETS_CSV_URL, left from an earlier set-up) are commented out, saying why.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';

/** The variables setup writes. */
export const ENV_KEYS = [
  'AIRTABLE_TOKEN',
  'GOOGLE_API_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AIRTABLE_ENDPOINT_URL',
  'GOOGLE_SHEETS_ROOT_URL',
] as const;

/** Variables that name a source and win over the config file: setup's sources go to the config. */
const SOURCE_OVERRIDES = ['AIRTABLE_BASE_ID', 'GOOGLE_SHEETS_ID', 'GOOGLE_SHEETS_CSV_URL'] as const;

const assignment = (line: string) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];

/** A value as a .env line holds it: bare when plain, else quoted so that `#` and spaces survive. */
function quote(key: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new ConfigError(`${key} holds a line break: a .env value must be one line.`);
  if (/^[A-Za-z0-9_./:@+,-]*$/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new ConfigError(`${key} holds both kinds of quotes, which a .env file cannot hold: rename the file or folder it names.`);
}

/** The new text of the file: `values` set (each once, where it was or at the end), source overrides commented out. */
export function updateEnvText(existing: string, values: Readonly<Record<string, string>>): string {
  const pending = new Map(Object.entries(values));
  const lines: string[] = [];
  for (const line of existing === '' ? [] : existing.replace(/\r?\n$/, '').split(/\r?\n/)) {
    const key = assignment(line);
    if (key !== undefined && key in values) {
      // The first assignment is replaced; a later duplicate would win over it, so it goes.
      const value = pending.get(key);
      if (value !== undefined) lines.push(`${key}=${quote(key, value)}`);
      pending.delete(key);
    } else if (key !== undefined && (SOURCE_OVERRIDES as readonly string[]).includes(key)) {
      lines.push(`# Commented out by npm run setup: workshop.config.ts names the sources now, and ${key} would override it.`, `# ${line}`);
    } else lines.push(line);
  }
  if (pending.size > 0) {
    lines.push('# Written by npm run setup. Never commit this file (it is in .gitignore).');
    for (const [key, value] of pending) lines.push(`${key}=${quote(key, value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Creates or updates `file` (mode 600, replaced atomically); returns whether it existed. */
export function writeEnvFile(file: string, values: Readonly<Record<string, string>>): { existed: boolean } {
  const existed = existsSync(file);
  const text = updateEnvText(existed ? readFileSync(file, 'utf8') : '', values);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return { existed };
}
