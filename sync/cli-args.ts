/**
 * The arguments of `npm run sync` (sync/cli.ts): its options, the `--help` text, and one line for a mistyped option
 * or a stray argument instead of Node's stack trace. Parsing never throws: it says what to do.
 */
import { parseArgs } from 'node:util';
import { editDistance } from './checks/edit-distance.ts';

const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  config: { type: 'string', default: 'workshop.config.ts' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** One line per option in `--help`; the record type makes a new option without a line a type error. */
const HELP: Record<keyof typeof OPTIONS, readonly [flag: string, text: string]> = {
  'dry-run': ['--dry-run', 'print what would change; write nothing'],
  json: ['--json', 'print a machine-readable report on stdout (progress stays on stderr)'],
  force: ['--force', 'write even when a collection would lose more than half of its entries'],
  config: ['--config FILE', 'another config file than workshop.config.ts'],
  help: ['-h, --help', 'print this help and exit'],
};

const width = Math.max(...Object.values(HELP).map(([flag]) => flag.length));

/** What `npm run sync -- --help` prints. */
export const USAGE = [
  'Usage: npm run sync [-- OPTIONS]   (or: node sync/cli.ts [OPTIONS])',
  'One sync of the newest edition (or the configured one) from its spreadsheets into content/.',
  '',
  ...Object.values(HELP).map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
  '',
  'Credentials and settings come from environment variables (AIRTABLE_TOKEN, GOOGLE_API_KEY, CONTENT_DIR, …),',
  'also read from a .env file: see docs/configuration.md. How a sync works: docs/sync.md.',
  'Exit code: 0 done (changed or not); 1 failed, content/ untouched; 2 a configuration error or a wrong option;',
  '130/143 stopped by SIGINT/SIGTERM before its write.',
].join('\n');

interface SyncArgs {
  dryRun: boolean;
  json: boolean;
  force: boolean;
  config: string;
}

export type ParsedArgs =
  | { kind: 'run'; args: SyncArgs }
  | { kind: 'help' }
  /** `message`: one line naming the wrong argument and pointing at --help. */
  | { kind: 'usage-error'; message: string };

const SEE_HELP = 'run npm run sync -- --help for the options';

/** The message of Node's parseArgs error, reworded: which argument is wrong, and where to look. */
function usageMessage(error: Error & { code?: string }): string {
  // parseArgs names the argument in quotes: "Unknown option '--dryrun'", "Unexpected argument 'now'".
  const quoted = /'([^']*)'/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = Object.keys(OPTIONS).find((name) => editDistance(`--${name}`, quoted ?? '', 2) <= 2);
      return `Unknown option ${quoted ?? ''}${near ? ` (did you mean --${near}?)` : ''}: ${SEE_HELP}.`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${quoted ?? ''}": npm run sync takes options only; ${SEE_HELP}.`;
    default:
      // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: "--config" without a file, or "--force=yes".
      return `${error.message.replace(/\.$/, '')}: ${SEE_HELP}.`;
  }
}

export function parseSyncArgs(argv: readonly string[]): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) {
      return { kind: 'usage-error', message: usageMessage(error) };
    }
    throw error;
  }
  if (values.help) return { kind: 'help' };
  return { kind: 'run', args: { dryRun: values['dry-run'], json: values.json, force: values.force, config: values.config } };
}
