/**
 * The stale-data alarm: after `alarm.afterFailures` failed runs in a row (once per streak), the site's content may be
 * out of date, so someone is told:
 * - `alarm.command` (SYNC_ALARM_COMMAND) runs in a shell with SYNC_ALARM_MESSAGE, SYNC_ALARM_FAILURES,
 *   SYNC_ALARM_LAST_ERROR and SYNC_ALARM_LAST_SUCCESS set (and without the sync's credentials);
 * - SYNC_ALARM_WEBHOOK gets a JSON POST (`text` for Slack/Mattermost-style hooks, plus the details), retried on
 *   429/5xx/network errors with short timeouts. Its URL holds a token: it is never logged.
 * Neither can crash the service: a failure is one log line.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import pRetry, { AbortError } from 'p-retry';
import { SECRET_ENV_VARS } from '../config.ts';

export interface Alarm {
  message: string;
  consecutiveFailures: number;
  lastError: string;
  lastSuccess: string | null;
}

export interface AlarmSettings {
  command: string | undefined;
  webhook: string | undefined;
  log: (line: string) => void;
  /** Webhook tries (default 3) and the deadline of each (default 5 s); the command's deadline (default 30 s). */
  webhookTries?: number;
  webhookTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/** Variables the alarm command does not need: the sync's credentials (it may use the alarm webhook). */
const SECRET_VARS = SECRET_ENV_VARS.filter((name) => name !== 'SYNC_ALARM_WEBHOOK');

export function alarmMessage(failures: number, lastError: string, lastSuccess: string | null): string {
  return (
    `workshop-sync: ${failures} syncs in a row failed; the published site may show stale content ` +
    `(last successful sync: ${lastSuccess ?? 'never since this state folder exists'}). Last error: ${lastError}`
  );
}

function runCommand(command: string, alarm: Alarm, settings: AlarmSettings): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SECRET_VARS) delete env[name];
  Object.assign(env, {
    SYNC_ALARM_MESSAGE: alarm.message,
    SYNC_ALARM_FAILURES: String(alarm.consecutiveFailures),
    SYNC_ALARM_LAST_ERROR: alarm.lastError,
    SYNC_ALARM_LAST_SUCCESS: alarm.lastSuccess ?? '',
  });
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: settings.commandTimeoutMs ?? 30_000 });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2_000) stderr += chunk.toString();
    });
    child.once('error', (error) => {
      settings.log(`The alarm command (SYNC_ALARM_COMMAND) could not start (${(error as NodeJS.ErrnoException).code ?? error.message}).`);
      resolve();
    });
    child.once('close', (code, signal) => {
      if (code === 0) settings.log('Alarm sent: the alarm command (SYNC_ALARM_COMMAND) ran.');
      else {
        const last = stderr.trim().split('\n').at(-1)?.slice(0, 200);
        settings.log(
          `The alarm command (SYNC_ALARM_COMMAND) failed (${signal ? `stopped by ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}. Fix the command; the service goes on.`,
        );
      }
      resolve();
    });
  });
}

/** Statuses a later try can fix; any other answer is final. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

async function postWebhook(url: string, alarm: Alarm, settings: AlarmSettings): Promise<void> {
  const body = JSON.stringify({
    text: alarm.message,
    service: 'workshop-sync',
    host: hostname(),
    consecutiveFailures: alarm.consecutiveFailures,
    lastError: alarm.lastError,
    lastSuccess: alarm.lastSuccess,
  });
  try {
    await pRetry(
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(settings.webhookTimeoutMs ?? 5_000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        const failure = new Error(`answered ${response.status}`);
        throw retryable(response.status) ? failure : new AbortError(failure);
      },
      { retries: (settings.webhookTries ?? 3) - 1, minTimeout: 200, maxTimeout: 2_000 },
    );
    settings.log('Alarm sent: the alarm webhook (SYNC_ALARM_WEBHOOK) accepted it.');
  } catch (error) {
    // fetch's own errors can name the URL: only our words, a status, or a system error code are said.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const what = /^answered \d+$/.test((error as Error).message)
      ? (error as Error).message
      : (error as Error).name === 'TimeoutError'
        ? 'did not answer in time'
        : `could not be reached (${typeof cause?.code === 'string' ? cause.code : 'network error'})`;
    settings.log(`The alarm webhook (SYNC_ALARM_WEBHOOK) ${what}. Check the URL; the service goes on.`);
  }
}

/** Sends the alarm through every configured channel; resolves when all are done, never rejects. */
export async function sendAlarm(alarm: Alarm, settings: AlarmSettings): Promise<void> {
  if (!settings.command && !settings.webhook) {
    settings.log(`${alarm.message} (No alarm is configured: set SYNC_ALARM_COMMAND or SYNC_ALARM_WEBHOOK to be told.)`);
    return;
  }
  settings.log(alarm.message);
  await Promise.all([
    settings.command ? runCommand(settings.command, alarm, settings) : undefined,
    settings.webhook ? postWebhook(settings.webhook, alarm, settings) : undefined,
  ]);
}
