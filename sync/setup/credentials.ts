/**
 * The credentials the chosen sources need: the Airtable token (AIRTABLE_TOKEN) for a base, and for a sheet read
 * through the API a Google API key (GOOGLE_API_KEY) or a service account's key file (--google-key-file or
 * GOOGLE_APPLICATION_CREDENTIALS). The token and API key are never flags — a command line shows in `ps` and in the
 * shell's history — so they come from the environment or are typed with hidden input; none is ever printed.
 */
import path from 'node:path';
import { secretsFrom } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { Prompter } from './prompt.ts';
import type { SetupAnswers } from './questions.ts';

export interface Credentials {
  airtableToken?: string;
  googleApiKey?: string;
  /** Absolute path of a service account's JSON key. */
  googleKeyFile?: string;
}

export type CredentialsResult = { ok: true; credentials: Credentials } | { ok: false; missing: string[]; errors: string[] };

const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** The key file's absolute path if it holds a service account's key, else what is wrong (never its content). */
function checkKeyFile(file: string, cwd: string): { ok: true; file: string } | { ok: false; error: string } {
  const full = path.resolve(cwd, file);
  try {
    secretsFrom({ GOOGLE_APPLICATION_CREDENTIALS: full });
    return { ok: true, file: full };
  } catch (error) {
    if (error instanceof ConfigError)
      return { ok: false, error: error.message.replace('GOOGLE_APPLICATION_CREDENTIALS names', 'The key file') };
    throw error;
  }
}

/** A typed credential is one line without spaces. */
const credentialShape = (value: string) => /^\S+$/.test(value);

/**
 * What the answers' sources need, from `env` and the flag, asked with hidden input when `prompter` is given (a
 * terminal). Without one, a missing credential is listed with how to give it.
 */
export async function gatherCredentials(
  answers: SetupAnswers,
  input: { env: NodeJS.ProcessEnv; keyFile: string | undefined; cwd: string },
  prompter: Prompter | undefined,
  say: (line: string) => void,
): Promise<CredentialsResult> {
  const credentials: Credentials = {};
  const missing: string[] = [];
  const errors: string[] = [];
  const needsAirtable = answers.airtable !== undefined;
  const needsGoogle = answers.sheet?.kind === 'google-sheets';

  if (needsAirtable) {
    const token = set(input.env['AIRTABLE_TOKEN']);
    if (token) credentials.airtableToken = token;
    else if (prompter) {
      for (;;) {
        const typed = await prompter.ask('Airtable personal access token (hidden; scopes data.records:read and schema.bases:read): ', {
          hidden: true,
        });
        if (credentialShape(typed)) {
          credentials.airtableToken = typed;
          break;
        }
        say('  The token is one word (pat…): paste it again.');
      }
    } else missing.push('AIRTABLE_TOKEN (an environment variable: tokens are never flags)');
  }

  if (needsGoogle) {
    const apiKey = set(input.env['GOOGLE_API_KEY']);
    const keyFile = input.keyFile ?? set(input.env['GOOGLE_APPLICATION_CREDENTIALS']);
    if (keyFile !== undefined) {
      const checked = checkKeyFile(keyFile, input.cwd);
      if (checked.ok) credentials.googleKeyFile = checked.file;
      else errors.push(`--google-key-file: ${checked.error}`);
    } else if (apiKey) credentials.googleApiKey = apiKey;
    else if (prompter) {
      for (;;) {
        const typed = await prompter.ask("Google API key (hidden; empty to use a service account's key file instead): ", { hidden: true });
        if (typed !== '' && credentialShape(typed)) {
          credentials.googleApiKey = typed;
          break;
        }
        if (typed === '') {
          const file = await prompter.ask("Path of the service account's JSON key file: ");
          const checked = checkKeyFile(file, input.cwd);
          if (checked.ok) {
            credentials.googleKeyFile = checked.file;
            break;
          }
          say(`  ${checked.error}`);
        } else say('  The key is one word: paste it again.');
      }
    } else missing.push('GOOGLE_API_KEY (an environment variable) or --google-key-file');
  }
  return missing.length > 0 || errors.length > 0 ? { ok: false, missing, errors } : { ok: true, credentials };
}

/** The credentials as environment variables, for .env and the processes setup runs. */
export function credentialsEnv(credentials: Credentials): Record<string, string> {
  return {
    ...(credentials.airtableToken ? { AIRTABLE_TOKEN: credentials.airtableToken } : {}),
    ...(credentials.googleApiKey ? { GOOGLE_API_KEY: credentials.googleApiKey } : {}),
    ...(credentials.googleKeyFile ? { GOOGLE_APPLICATION_CREDENTIALS: credentials.googleKeyFile } : {}),
  };
}
