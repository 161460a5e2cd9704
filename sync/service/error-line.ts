/**
 * One line for a run's `error`, safe to log and to write to status.json. Our own errors (SyncFailed, SourceError,
 * ConfigError, TargetError, LockError) already say what happened without secrets; anything else (a bug, a library's
 * error) could quote a URL or a header, so every line is also scrubbed of token patterns and of the configured
 * secrets' values. A failed sync's line names its first error, with the address of its record or cell when known (the
 * base's and spreadsheet's ids are in it: it goes where the error text already goes, status.json and the alarm).
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

/** ` (https://airtable.com/app…/tbl…/rec…)`: the address of the record or cell of the error `text`, if known. */
function linkOf(text: string, error: SyncFailed): string {
  const url = error.report.problems?.find((p) => p.text === text)?.url;
  return url === undefined ? '' : ` (${url})`;
}

export function errorLine(error: unknown, secrets: Secrets): string {
  const known = isOwnError(error);
  let text = error instanceof Error ? (known ? error.message : `${error.name}: ${error.message}`) : String(error);
  // SyncFailed says how many rows need fixing; the first of them makes the line actionable on its own.
  const first = error instanceof SyncFailed ? error.report.errors[0] : undefined;
  if (first) text = `${text} First: ${first}`;
  // The link goes last and whole: a long line is cut before it.
  const link = first ? linkOf(first, error as SyncFailed) : '';
  text = text.replace(/\s*\n\s*/g, ' ').trim();
  for (const secret of secretValues(secrets)) text = text.split(secret).join('***');
  text = redactSecrets(text);
  const room = MAX_LENGTH - link.length;
  return `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${link}`;
}
