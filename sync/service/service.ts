/**
 * The service put together: status, runner, cron schedule, optional trigger endpoint (debounced), and a stop that
 * winds it all down. main.ts adds the process around it (.env, config, signals, exit codes); tests start it
 * in-process with their own config and target.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedConfig } from '../config.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { ConfigError } from '../errors.ts';
import { createDebouncer, type Debouncer } from './debounce.ts';
import { checkExposure } from './exposure.ts';
import { startTriggerServer, type TriggerServer } from './http.ts';
import { createRunner, type Runner, type RunnerOptions } from './runner.ts';
import { checkSchedule, schedule } from './schedule.ts';
import { createStatus, type StatusStore } from './status.ts';
import type { RebuildTarget } from './types.ts';

export interface ServiceOptions {
  config: ResolvedConfig;
  target: RebuildTarget;
  /** Human log lines. */
  log: (line: string) => void;
  /** The per-run JSON lines (default: stdout). */
  print?: (line: string) => void;
  /** Run once at start (reason `start`); default true. */
  runAtStart?: boolean;
  policy?: RetryPolicy;
  lockMaxAgeMs?: number;
  alarm?: RunnerOptions['alarm'];
}

export interface Service {
  runner: Runner;
  status: StatusStore;
  /** The trigger endpoint, when `trigger.port` is set. */
  server: TriggerServer | undefined;
  triggers: Debouncer;
  /**
   * Stops the schedule and the endpoint, aborts the current run and waits up to `graceMs` for it to settle (longer
   * while it is writing content/, which takes milliseconds and must not be cut), then writes status.json.
   * Resolves true when the run settled in time.
   */
  stop(graceMs?: number): Promise<boolean>;
}

const DEFAULT_GRACE_MS = 20_000;

export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, target, log } = options;
  const settings = config.service;
  checkSchedule(settings);
  await checkExposure(settings.trigger, config.secrets.triggerSecret);
  const status = createStatus({ config, target: target.kind, log, ...(options.print ? { print: options.print } : {}) });
  const runner = createRunner({
    config,
    target,
    status,
    log,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.lockMaxAgeMs === undefined ? {} : { lockMaxAgeMs: options.lockMaxAgeMs }),
    ...(options.alarm ? { alarm: options.alarm } : {}),
  });
  const task = schedule(settings, () => runner.run('cron'));
  status.setNextRun(() => task.getNextRun());
  const { debounceMs } = settings.trigger;
  const triggers = createDebouncer(() => void runner.run('trigger'), { waitMs: debounceMs, maxWaitMs: debounceMs * 10 });

  let server: TriggerServer | undefined;
  if (settings.trigger.port !== undefined) {
    if (!config.secrets.triggerSecret)
      log('POST /trigger is off: set SYNC_TRIGGER_SECRET to let an automation ask for a sync (GET /status and /healthz work without it).');
    try {
      server = await startTriggerServer({
        host: settings.trigger.host,
        port: settings.trigger.port,
        secret: config.secrets.triggerSecret,
        public: settings.trigger.public,
        log,
        onTrigger: () => triggers.push(),
        status: () => status.current(),
        afterFailures: settings.alarm.afterFailures,
      });
    } catch (error) {
      await task.destroy();
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(
        `cannot listen on ${settings.trigger.host}:${settings.trigger.port} (${code}): set SYNC_PORT to a free port, or trigger.host to an address of this machine.`,
      );
    }
    if (settings.trigger.public) {
      log(
        `The HTTP endpoint is public (service.trigger.public), bound to ${server.url}: POST /trigger and GET /status need SYNC_TRIGGER_SECRET; wrong secrets are limited per address. Put a reverse proxy with TLS in front of it.`,
      );
    }
  }

  await status.write();
  if (options.runAtStart !== false) void runner.run('start');

  let stopping: Promise<boolean> | undefined;
  const stop = async (graceMs: number): Promise<boolean> => {
    await task.destroy();
    status.setNextRun(() => null);
    triggers.cancel();
    await server?.close();
    const aborted = runner.abort().then(() => true);
    const waitGrace = async () => {
      const timer = new AbortController();
      const grace = delay(graceMs, false, { signal: timer.signal }).catch(() => false);
      const settled = await Promise.race([aborted, grace]);
      timer.abort();
      return settled;
    };
    let settled = await waitGrace();
    if (!settled && runner.step === 'write') settled = await waitGrace();
    if (!settled)
      log(`The current run did not stop within ${Math.round(graceMs / 1000)} s (at step: ${runner.step ?? 'starting'}); exiting anyway.`);
    await status.setRunning(false);
    return settled;
  };
  return {
    runner,
    status,
    server,
    triggers,
    stop: (graceMs = DEFAULT_GRACE_MS) => (stopping ??= stop(graceMs)),
  };
}
