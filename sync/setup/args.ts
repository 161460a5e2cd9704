/**
 * The options of `npm run setup` (sync/setup/cli.ts): every question is also a flag, for scripts, CI and tests.
 * Credentials are not flags: a command line shows in `ps` and in the shell's history, so the Airtable token and the
 * Google API key come from AIRTABLE_TOKEN / GOOGLE_API_KEY, or are asked with hidden input. Parsing never throws.
 */
import { parseArgs } from 'node:util';
import { editDistance } from '../checks/edit-distance.ts';

const OPTIONS = {
  title: { type: 'string' },
  'short-title': { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  venue: { type: 'string' },
  city: { type: 'string' },
  country: { type: 'string' },
  'time-zone': { type: 'string' },
  'host-name': { type: 'string' },
  'host-url': { type: 'string' },
  edition: { type: 'string' },
  airtable: { type: 'string' },
  sheet: { type: 'string' },
  'google-key-file': { type: 'string' },
  'no-program-committee': { type: 'boolean', default: false },
  'remove-demo': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'no-sync': { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  config: { type: 'string', default: 'workshop.config.ts' },
  dotenv: { type: 'string', default: '.env' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Option = keyof typeof OPTIONS;

/** One line per option in `--help`; the record type makes a new option without a line a type error. */
const HELP: Record<Option, readonly [flag: string, text: string]> = {
  title: ['--title TEXT', 'full title, e.g. "1st Workshop on Data for Good"'],
  'short-title': ['--short-title TEXT', 'short title for the header and the browser tab'],
  start: ['--start YYYY-MM-DD', 'first day of the workshop'],
  end: ['--end YYYY-MM-DD', 'last day (default: the first day)'],
  venue: ['--venue TEXT', 'venue name (optional)'],
  city: ['--city TEXT', 'city'],
  country: ['--country TEXT', 'country (optional)'],
  'time-zone': ['--time-zone ZONE', 'IANA time zone of the venue, e.g. Europe/Berlin'],
  'host-name': ['--host-name TEXT', 'the host conference, e.g. "SIGIR 2025"'],
  'host-url': ['--host-url URL', "the host conference's http(s) address"],
  edition: ['--edition ID', 'folder under content/ and URL of the edition (default: start year + short title)'],
  airtable: ['--airtable URL|ID', "the base's address (https://airtable.com/app…/tbl…/viw…) or id (app…)"],
  sheet: ['--sheet URL|ID', "the Google Sheet's edit link, published link (pubhtml or CSV), or id"],
  'google-key-file': ['--google-key-file PATH', "a Google service account's JSON key (instead of GOOGLE_API_KEY)"],
  'no-program-committee': ['--no-program-committee', 'the workshop has no program committee table'],
  'remove-demo': ['--remove-demo', 'remove the demo edition (content/2024_2); by default it stays as an example'],
  force: ['--force', "overwrite the edition's edition.json if it exists"],
  'no-sync': ['--no-sync', 'do not run the first sync after the checks'],
  yes: ['-y, --yes', 'ask nothing: take the flags and defaults (also without a terminal)'],
  config: ['--config FILE', 'the config file to write (default workshop.config.ts)'],
  dotenv: ['--dotenv FILE', 'the file credentials go to (default .env, mode 600)'],
  help: ['-h, --help', 'print this help and exit'],
};

const width = Math.max(...Object.values(HELP).map(([flag]) => flag.length));

/** What `npm run setup -- --help` prints. */
export const USAGE = [
  'Usage: npm run setup [-- OPTIONS]',
  "Creates your workshop's edition, its config and .env, checks the sources (as npm run doctor) and runs the first sync.",
  'On a terminal it asks for what the options do not give; with --yes or without a terminal, a missing answer is an error.',
  '',
  ...Object.values(HELP).map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
  '',
  'Credentials are not options (a command line shows in ps and in the shell history): AIRTABLE_TOKEN and',
  'GOOGLE_API_KEY come from the environment, or are asked with hidden input. See docs/setup.md.',
  'Exit code: 0 all done; 1 the checks or the first sync failed (the files written stay); 2 a wrong or missing answer.',
].join('\n');

const parse = (args: string[]) => parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;

/** The flags' values, by option name. */
export type SetupFlags = ReturnType<typeof parse>;

export type ParsedSetupArgs = { kind: 'run'; flags: SetupFlags } | { kind: 'help' } | { kind: 'usage-error'; message: string };

const SEE_HELP = 'run npm run setup -- --help for the options';

function usageMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    if (/^--(airtable-token|token|google-api-key|api-key)(=|$)/i.test(quoted)) {
      return `${quoted.split('=')[0]} is not an option: credentials never go on the command line (it shows in ps and the shell history). Set AIRTABLE_TOKEN / GOOGLE_API_KEY in the environment, or let setup ask for them.`;
    }
    const near = Object.keys(OPTIONS).find((name) => editDistance(`--${name}`, quoted.split('=')[0] ?? '', 2) <= 2);
    return `Unknown option ${quoted}${near ? ` (did you mean --${near}?)` : ''}: ${SEE_HELP}.`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `Unexpected argument "${quoted}": npm run setup takes options only; ${SEE_HELP}.`;
  return `${error.message.replace(/\.$/, '')}: ${SEE_HELP}.`;
}

export function parseSetupArgs(argv: readonly string[]): ParsedSetupArgs {
  let values: SetupFlags;
  try {
    values = parse([...argv]);
  } catch (error) {
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) {
      return { kind: 'usage-error', message: usageMessage(error) };
    }
    throw error;
  }
  if (values.help) return { kind: 'help' };
  return { kind: 'run', flags: values };
}
