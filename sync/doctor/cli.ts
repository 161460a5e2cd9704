/**
 * `npm run doctor`: connects to every source the config's tables come from and says, per table, which column each
 * template field is read from (or what is missing, with the nearest names), which columns are published and which stay
 * private, the token's scopes and the sheet's sharing — and whether a sync would succeed. Writes nothing, unless:
 *   --write     save the mapping found (renamed columns, Airtable ids) into the config file's marked block, then check again
 *   --json      print the report as JSON on stdout
 *   --config F  another config file than workshop.config.ts
 *   -h, --help  print the options
 * Exit code: 0 when a sync would succeed, 1 when it would not, 2 for a wrong option or a configuration error.
 * Credentials come from the environment or .env, as for npm run sync; none is ever printed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, resolveConfig } from '../config.ts';
import { ConfigError, exitCodeOf } from '../errors.ts';
import { supportsHyperlinks } from '../hyperlinks.ts';
import { writeMapping } from './config-file.ts';
import { diagnose } from './diagnose.ts';
import { formatReport } from './format.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = [
  'Usage: npm run doctor [-- OPTIONS]',
  'Checks every source of the config: each table, each field → its column, the token and the sheet sharing.',
  '',
  '  --write        save the mapping found (renamed columns, Airtable ids) into the config file, then check again',
  '  --json         print the report as JSON on stdout',
  '  --config FILE  another config file than workshop.config.ts',
  '  -h, --help     print this help and exit',
  '',
  'Exit code: 0 a sync would succeed; 1 it would not (the report says what to fix); 2 a wrong option or configuration.',
  'What each message means and how to fix it: docs/doctor.md.',
].join('\n');

const OPTIONS = {
  write: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  config: { type: 'string', default: 'workshop.config.ts' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** JSON with object keys sorted, to compare two mappings whatever their keys' order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export async function runDoctor(args: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message.replace(/\.$/, '')}: run npm run doctor -- --help for the options.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`);
  const file = path.resolve(root, values.config);
  const out = (text: string) => process.stdout.write(text);
  try {
    let config = await loadConfig(root, values.config);
    let report = await diagnose(config);
    if (values.json && !values.write) out(`${JSON.stringify(report, null, 2)}\n`);
    if (!values.json) {
      // The hint to --write only when it would change the file's mapping.
      const current = (await import(pathToFileURL(file).href).catch(() => ({}))) as { default?: { template?: unknown } };
      const writeHint = canonical(current.default?.template ?? {}) !== canonical(report.mapping);
      out(formatReport(report, { hyperlinks: supportsHyperlinks(process.stdout), writeHint }));
    }
    if (!values.write) return report.ok ? 0 : 1;
    try {
      writeMapping(file, report.mapping);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      if (values.json) out(`${JSON.stringify({ ...report, written: false }, null, 2)}\n`);
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    // Checked again with what was written: the renames found are now the config's.
    const written = (await import(`${pathToFileURL(file).href}?written=${Date.now()}`)) as { default?: unknown };
    config = resolveConfig(written.default ?? {}, root);
    report = await diagnose(config);
    if (values.json) out(`${JSON.stringify({ ...report, written: true }, null, 2)}\n`);
    else
      out(
        `\nWrote the mapping into ${path.relative(root, file) || file}. Checked again with it:\n${report.ok ? '✓ A sync would succeed.' : '✗ A sync would still fail: see the problems above.'}\n`,
      );
    return report.ok ? 0 : 1;
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === undefined) throw error;
    process.stderr.write(code === 2 ? `Configuration: ${(error as Error).message}\n` : `${(error as Error).message}\n`);
    return code;
  }
}

if (import.meta.main) process.exitCode = await runDoctor(process.argv.slice(2));
