/**
 * Start-up checks of the HTTP endpoint, when it is on (a port is set): a trigger secret that cannot be guessed
 * (32 characters or more, no whitespace), and an address of this machine only (loopback) unless
 * `service.trigger.public` (SYNC_PUBLIC=1) says otherwise, in which case the secret is required. Each refusal is a
 * ConfigError (exit code 2) that says what to do; the secret's value is never part of it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ServiceSettings } from '../config.ts';
import { ConfigError } from '../errors.ts';

const MIN_SECRET_LENGTH = 32;
const MAKE_ONE = 'Make one with `openssl rand -hex 32` and set it as SYNC_TRIGGER_SECRET in the service environment (or .env).';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(address) === 6 && /^(0{0,4}:){2,7}0{0,3}1$/.test(address);
}

/** Whether `host` (an address or a name, as `listen` gets it) means loopback only. `""` means every interface. */
async function isLoopbackHost(host: string): Promise<boolean> {
  if (host.trim() === '') return false;
  if (host === 'localhost') return true;
  if (isIP(host) !== 0) return isLoopbackAddress(host);
  try {
    const found = await lookup(host, { all: true });
    return found.length > 0 && found.every((a) => isLoopbackAddress(a.address));
  } catch (error) {
    throw new ConfigError(
      `service.trigger.host "${host}" is not an address and does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'}): use an address of this machine, e.g. "127.0.0.1".`,
    );
  }
}

export async function checkExposure(trigger: ServiceSettings['trigger'], secret: string | undefined): Promise<void> {
  if (trigger.port === undefined) return;
  if (secret !== undefined && /\s/.test(secret)) {
    throw new ConfigError(`SYNC_TRIGGER_SECRET contains whitespace, which the "Authorization: Bearer" form cannot carry. ${MAKE_ONE}`);
  }
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `SYNC_TRIGGER_SECRET is shorter than ${MIN_SECRET_LENGTH} characters: a short secret can be guessed. ${MAKE_ONE} The service did not start.`,
    );
  }
  if (trigger.public) {
    if (secret === undefined) {
      throw new ConfigError(
        `service.trigger.public (SYNC_PUBLIC) is on, but SYNC_TRIGGER_SECRET is not set: a public endpoint needs it for POST /trigger and GET /status. ${MAKE_ONE}`,
      );
    }
    return;
  }
  if (!(await isLoopbackHost(trigger.host))) {
    const shown = trigger.host.trim() === '' ? '"" (every interface)' : `"${trigger.host}"`;
    throw new ConfigError(
      `service.trigger.host ${shown} is not a loopback address: the endpoint would be reachable from other machines. ` +
        'If that is meant, set service.trigger.public: true in workshop.config.ts (or SYNC_PUBLIC=1); GET /status then needs the secret too. ' +
        'Otherwise use "127.0.0.1" and a reverse proxy with TLS in front of POST /trigger.',
    );
  }
}
