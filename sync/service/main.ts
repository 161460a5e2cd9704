/**
 * `npm run serve:sync`: the sync as a long-running service. Syncs at start, then on the cron schedule (SYNC_CRON,
 * default every 10 minutes) and, when SYNC_PORT is set, on `POST /trigger`; publishes through the rebuild target
 * (SYNC_TARGET) when content changed. Human log lines go to stderr, one JSON line per run to stdout.
 *   --config F  another config file than workshop.config.ts
 *   -h, --help  print the options (a wrong option: exit 2)
 * SIGTERM / SIGINT: stops the schedule and the endpoint, aborts the current run (a write in progress completes),
 * releases the lock, writes status.json, exits 0 (1 if the run did not stop within 20 s). A second signal exits at
 * once (the lock file is still removed), unless it comes within a second of the first: that is the same stop sent
 * twice (a terminal's Ctrl-C reaches npm and node, and npm passes its own on). A build child is ended on every exit
 * (targets/build-child.ts). A second service on the same state folder exits 1 at once (instance.ts).
 * Exit code 2: a configuration error (bad SYNC_CRON or SYNC_TZ, SYNC_PORT in use, a SYNC_TRIGGER_SECRET shorter than
 * 32 characters or with whitespace, a trigger.host that is not loopback without trigger.public (exposure.ts), a
 * target's missing setting such as DEPLOY_HOOK_URL…); 1: any other failure to start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, secretsFrom } from '../config.ts';
import { exitCodeOf } from '../errors.ts';
import { errorLine } from './error-line.ts';
import { claimFolder } from './instance.ts';
import { startService, type Service } from './service.ts';
import { createTarget } from './targets/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

const USAGE = [
  'Usage: npm run serve:sync [-- OPTIONS]',
  'The sync as a long-running service: at start, on a cron schedule and on POST /trigger; publishes when content changed.',
  '',
  '  --config FILE  another config file than workshop.config.ts',
  '  -h, --help     print this help and exit',
  '',
  'Settings: SYNC_* environment variables or service in workshop.config.ts; see docs/service.md.',
].join('\n');

async function start(): Promise<Service | number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { config: { type: 'string', default: 'workshop.config.ts' }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: false,
    }));
  } catch (error) {
    log(`${(error as Error).message.replace(/\.$/, '')}: run npm run serve:sync -- --help for the options.`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Credentials may sit in .env (never committed); variables already set win.
  if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  try {
    const config = await loadConfig(root, values.config);
    const target = createTarget(config);
    // One service per state folder; the lock goes with the process (its 'exit' hook removes it).
    const claim = await claimFolder(config, log);
    const service = await startService({ config, target, log });
    if (service.server) await claim.setPort(service.server.port);
    const status = service.status.current();
    const listening = service.server
      ? `POST /trigger, GET /status and GET /healthz on ${service.server.url}`
      : 'no HTTP endpoint (set SYNC_PORT for POST /trigger, GET /status, GET /healthz)';
    log(
      `Sync service started (pid ${process.pid}, target ${target.kind}): cron "${status.cron}" in ${status.timeZone}, next run ${status.nextRun ?? 'none'}; ${listening}.`,
    );
    return service;
  } catch (error) {
    // A target's missing setting (DEPLOY_HOOK_URL, a git remote) is found when it is created: a configuration error too.
    if (exitCodeOf(error) === 2) {
      log(`Configuration: ${(error as Error).message}`);
      return 2;
    }
    log(`The sync service could not start: ${errorLine(error, secretsFrom(process.env, false))}`);
    return 1;
  }
}

const started = await start();
if (typeof started === 'number') {
  process.exitCode = started;
} else {
  let stoppingSince: number | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stoppingSince !== undefined) {
        if (Date.now() - stoppingSince < 1_000) return;
        log(`${signal} again: exiting now.`);
        process.exit(1);
      }
      stoppingSince = Date.now();
      log(`${signal}: stopping (the current run is aborted; a write in progress completes).`);
      void started.stop().then((settled) => {
        log(settled ? 'Stopped.' : 'Stopped before the current run finished.');
        // Open client sockets (keep-alive) would hold the process: exit explicitly.
        process.exit(settled ? 0 : 1);
      });
    });
  }
}
