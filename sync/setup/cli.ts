/**
 * `npm run setup`: a new organizer's way in. Asks (or takes as flags) the workshop's details and its sources, writes
 * content/<edition>/edition.json, workshop.config.ts and .env (mode 600), runs doctor's checks and then the first
 * sync. Exit code: 0 all done; 1 the checks or the first sync failed (the files written stay: fix, then
 * `npm run doctor` and `npm run sync`); 2 a wrong option or a missing or wrong answer (nothing written).
 * See docs/setup.md.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { resolveConfig } from '../config.ts';
import { diagnose } from '../doctor/diagnose.ts';
import { renderConfigFile } from '../doctor/config-file.ts';
import { formatReport } from '../doctor/format.ts';
import type { DoctorReport } from '../doctor/types.ts';
import { exitCodeOf } from '../errors.ts';
import { supportsHyperlinks } from '../hyperlinks.ts';
import type { TemplateOverrides } from '../template.ts';
import { parseSetupArgs, USAGE, type SetupFlags } from './args.ts';
import { credentialsEnv, gatherCredentials } from './credentials.ts';
import { DEMO_EDITION, editionFrom, removeDemo, writeEdition } from './edition-file.ts';
import { ENV_KEYS, writeEnvFile } from './env-file.ts';
import { PromptClosed, terminalPrompter, type Prompter } from './prompt.ts';
import { answersFromFlags, askAnswers, askYesNo, type SetupAnswers } from './questions.ts';
import { sourceSettings } from './sources.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Variables naming a source, which would win over the config's sources: blanked for the runs setup makes. */
const SOURCE_VARS = ['AIRTABLE_BASE_ID', 'GOOGLE_SHEETS_ID', 'GOOGLE_SHEETS_CSV_URL'] as const;
/** The emulators' (or a proxy's) addresses: kept in .env when set, so that later syncs use them too. */
const ENDPOINT_VARS = ['AIRTABLE_ENDPOINT_URL', 'GOOGLE_SHEETS_ROOT_URL'] as const;

/** What to do when the checks or the first sync fail: the files written stay. */
const AFTER_FAILURE = 'The files setup wrote stay as they are: fix what is said, then run npm run doctor, then npm run sync.';

const say = (line: string) => process.stdout.write(`${line}\n`);
const relative = (file: string) => (path.relative(root, file).startsWith('..') ? file : path.relative(root, file) || '.');

/** The environment: this process's variables over the env file's (as npm run sync reads them). */
function environment(envFile: string): NodeJS.ProcessEnv {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** Writes the config file; an existing one that changes is kept as `<file>.bak` (once: the first version setup saw). */
function writeConfig(file: string, text: string, backup: { done: boolean }): string | undefined {
  let saved: string | undefined;
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') === text) return undefined;
    if (!backup.done) {
      copyFileSync(file, `${file}.bak`);
      saved = `${file}.bak`;
    }
  }
  backup.done = true;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return saved;
}

/**
 * Airtable allows 5 requests a second per base, and answers a sixth with a 30 s penalty. The checks share one
 * throttle in this process (sync/sources/index.ts airtableThrottle); the first sync is another process, with its own:
 * before it, setup lets the last second's requests go out of the window.
 */
async function airtableWindow(answers: SetupAnswers): Promise<void> {
  if (answers.airtable) await new Promise((resolve) => setTimeout(resolve, 1_100));
}

/** `npm run sync` as its script runs it, in the project root, with `env`; resolves with its exit code. */
function runFirstSync(configFile: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--optimize-for-size', '--import=./sync/ts-cache.mjs', 'sync/cli.ts', '--config', configFile], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', resolve);
  });
}

/** The answers and credentials, asked or from the flags; a number is the exit code when they could not be had. */
async function gather(flags: SetupFlags, env: NodeJS.ProcessEnv, contentDir: string, cwd: string) {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !flags.yes;
  const prompter: Prompter | undefined = interactive ? terminalPrompter() : undefined;
  const ctx = { contentDir, force: flags.force };
  try {
    let answers: SetupAnswers;
    if (prompter) {
      say('Set up your workshop. Press Enter to take the [default]; Ctrl-C to stop (nothing is written until the end).');
      answers = await askAnswers(flags, ctx, prompter, say);
    } else {
      const result = answersFromFlags(flags, ctx);
      if (!result.ok) return refuse(result.missing, result.errors);
      answers = result.answers;
    }
    if (answers.sheet?.kind === 'published-csv' && answers.sheet.note) say(answers.sheet.note);
    const credentials = await gatherCredentials(answers, { env, keyFile: flags['google-key-file'], cwd }, prompter, say);
    if (!credentials.ok) return refuse(credentials.missing, credentials.errors);
    const demo = existsSync(path.join(contentDir, DEMO_EDITION, 'edition.json')) && answers.edition !== DEMO_EDITION;
    const dropDemo =
      demo &&
      (flags['remove-demo'] ||
        (prompter !== undefined && !(await askYesNo(prompter, say, `Keep the demo edition (${DEMO_EDITION}) as an example?`, true))));
    return { answers, credentials: credentials.credentials, dropDemo };
  } catch (error) {
    if (!(error instanceof PromptClosed)) throw error;
    process.stderr.write('\nSetup stopped: nothing was written.\n');
    return 130;
  } finally {
    prompter?.close();
  }
}

/** Exit 2, listing what to give. Nothing has been written. */
function refuse(missing: readonly string[], errors: readonly string[]): number {
  const lines = ['Setup needs more to go on; nothing was written.'];
  if (errors.length > 0) lines.push('Wrong:', ...errors.map((e) => `  ${e}`));
  if (missing.length > 0) lines.push(`Missing: give ${missing.join(', ')}.`);
  lines.push('Run npm run setup on a terminal to be asked, or see npm run setup -- --help.');
  process.stderr.write(`${lines.join('\n')}\n`);
  return 2;
}

export async function runSetup(argv: readonly string[]): Promise<number> {
  const parsed = parseSetupArgs(argv);
  if (parsed.kind === 'help') {
    say(USAGE);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const flags = parsed.flags;
  // npm runs scripts in the project root; paths the organizer types are read from where they typed them.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  const configFile = path.resolve(cwd, flags.config);
  const envFile = path.resolve(cwd, flags.dotenv);
  const env = environment(envFile);
  const blankSources = Object.fromEntries(SOURCE_VARS.map((name) => [name, '']));
  const contentDir = resolveConfig({}, root, { ...env, ...blankSources }).contentDir;

  const gathered = await gather(flags, env, contentDir, cwd);
  if (typeof gathered === 'number') return gathered;
  const { answers, credentials, dropDemo } = gathered;

  // Everything is checked before anything is written.
  const settings = sourceSettings(answers);
  const edition = editionFrom(answers, relative(contentDir));
  const secrets = credentialsEnv(credentials);
  const endpoints = Object.fromEntries(ENDPOINT_VARS.flatMap((name) => (env[name]?.trim() ? [[name, env[name].trim()]] : [])));
  const runEnv: NodeJS.ProcessEnv = { ...env, ...blankSources, ...secrets, ...endpoints };
  const configInput = { edition: answers.edition, ...settings };
  const config = resolveConfig(configInput, root, runEnv);

  const editionFile = await writeEdition(contentDir, edition, flags.force);
  say(`✓ Wrote ${relative(editionFile)}: the edition's settings (edit its overview, topics and call for papers there).`);
  const backup = { done: false };
  const render = (mapping: TemplateOverrides) => renderConfigFile(configFile, { edition: answers.edition, ...settings, mapping });
  const saved = writeConfig(configFile, render({}), backup);
  say(`✓ Wrote ${relative(configFile)}: the sources and tables${saved ? ` (the previous one is kept as ${relative(saved)})` : ''}.`);
  const envValues = { ...secrets, ...endpoints };
  if (Object.keys(envValues).length > 0) {
    const { existed } = writeEnvFile(envFile, envValues);
    const names = ENV_KEYS.filter((k) => k in envValues).join(', ');
    say(`✓ ${existed ? 'Updated' : 'Wrote'} ${relative(envFile)} (mode 600, git-ignored, never print it): ${names}.`);
  }
  if (dropDemo && removeDemo(contentDir, answers.edition))
    say(`✓ Removed the demo edition ${relative(path.join(contentDir, DEMO_EDITION))}.`);
  for (const name of SOURCE_VARS) {
    if (process.env[name]?.trim()) say(`! ${name} is set in this shell: it overrides ${relative(configFile)} for later syncs; unset it.`);
  }

  say('\nChecking the sources (npm run doctor)…');
  let report: DoctorReport;
  try {
    report = await diagnose(config);
    // What the checks found (a renamed column, optional columns the tables lack, Airtable ids) goes in the config,
    // and the sources are checked again with it: that is what the sync will read.
    if (Object.keys(report.mapping).length > 0) {
      writeConfig(configFile, render(report.mapping), backup);
      say(`✓ Saved the mapping found (renamed columns, absent optional ones, Airtable ids) in ${relative(configFile)}.`);
      report = await diagnose(resolveConfig({ ...configInput, template: report.mapping }, root, runEnv));
    }
  } catch (error) {
    if (exitCodeOf(error) === undefined) throw error;
    process.stderr.write(`${(error as Error).message}\n${AFTER_FAILURE}\n`);
    return 1;
  }
  // Setup has just saved the mapping found: no hint to save it.
  process.stdout.write(formatReport(report, { hyperlinks: supportsHyperlinks(process.stdout), writeHint: false }));
  if (!report.ok) {
    process.stderr.write(`The checks found problems (above). ${AFTER_FAILURE}\n`);
    return 1;
  }
  if (flags['no-sync']) {
    say('Skipped the first sync (--no-sync): run npm run sync when ready, then npm run build.');
    return 0;
  }
  say('\nThe first sync (npm run sync)…');
  await airtableWindow(answers);
  const code = await runFirstSync(configFile, runEnv);
  if (code !== 0) {
    process.stderr.write(`The first sync failed (exit code ${String(code)}). ${AFTER_FAILURE}\n`);
    return 1;
  }
  say(
    `\nDone: ${answers.title} is in ${relative(path.join(contentDir, answers.edition))}. Preview it with npm run dev; build it with npm run build.`,
  );
  return 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await runSetup(process.argv.slice(2));
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === undefined) throw error;
    process.stderr.write(`Setup: ${(error as Error).message}\n`);
    process.exitCode = code;
  }
}
