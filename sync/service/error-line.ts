/**
 * One line for a run's `error`, safe to log and to write to status.json. Our own errors (SyncFailed, SourceError,
 * ConfigError, TargetError, LockError) already say what happened without secrets; anything else (a bug, a library's
 * error) could quote a URL or a header, so every line is also scrubbed of token patterns and of the configured
 * secrets' values.
 */
import type { Secrets } from '../config.ts';
import { isOwnError, SyncFailed } from '../errors.ts';
import { redactSecrets } from '../http/retry.ts';

const MAX_LENGTH = 600;

/** The secrets' values (and the service account's private key), longest first. */
function secretValues(secrets: Secrets): string[] {
  const values = [
    secrets.airtableToken,
    secrets.googleApiKey,
    secrets.googleServiceAccount?.private_key,
    secrets.triggerSecret,
    secrets.deployHookUrl,
    secrets.alarmWebhook,
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4).sort((a, b) => b.length - a.length);
}

export function errorLine(error: unknown, secrets: Secrets): string {
  const known = isOwnError(error);
  let text = error instanceof Error ? (known ? error.message : `${error.name}: ${error.message}`) : String(error);
  // SyncFailed says how many rows need fixing; the first of them makes the line actionable on its own.
  const first = error instanceof SyncFailed ? error.report.errors[0] : undefined;
  if (first) text = `${text} First: ${first}`;
  text = text.replace(/\s*\n\s*/g, ' ').trim();
  for (const secret of secretValues(secrets)) text = text.split(secret).join('***');
  text = redactSecrets(text);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
