/**
 * Airtable automation → "Run a script": asks for a sync right after a record is created or updated.
 * Paste this file as it is; setup steps: docs/triggers.md.
 *
 * Settings, in the script action's left panel (nothing to edit in the code):
 *   Input variables  mode        "service" (the default): POST <serviceUrl>/trigger of `npm run serve:sync`;
 *                                "github": a repository_dispatch that starts .github/workflows/sync.yml.
 *                    serviceUrl  e.g. https://sync.example.org (service mode; https, or http to a loopback address).
 *                    repository  e.g. my-org/workshop-site (github mode).
 *   Secrets          syncTriggerSecret  the service's SYNC_TRIGGER_SECRET (service mode).
 *                    githubToken        a fine-grained token for this repository, Contents: read and write (github mode).
 *
 * A failure (no answer, or a status other than 2xx) fails the automation run with the status code and what to check;
 * the secret is never logged.
 */

const GITHUB_API = 'https://api.github.com';
/** The event .github/workflows/sync.yml listens for. */
const EVENT_TYPE = 'sheet-edited';

/** A setting from the action's input variables, trimmed; `fallback` when missing or empty. */
function setting(config, name, fallback) {
  const value = config[name];
  if (value === undefined || value === null || String(value).trim() === '') {
    if (fallback !== undefined) return fallback;
    throw new Error(`The input variable "${name}" is missing: add it in this action's "Input variables" (docs/triggers.md).`);
  }
  return String(value).trim();
}

/** A secret from the action's Secrets panel (input.secret), never from the code or the input variables. */
async function secret(name) {
  let value;
  try {
    value = await input.secret(name);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`The secret "${name}" is missing: add it in this action's "Secrets" panel (docs/triggers.md), not in the code.`);
  }
  return value.trim();
}

/**
 * The service's /trigger address: https, or http only to this machine (a secret must not cross a network in clear).
 * Parsed by hand: not every script host has the URL class.
 */
function triggerUrl(serviceUrl) {
  const parts = /^(https?):\/\/([^/?#\s@]+)(\/[^?#\s]*)?$/i.exec(serviceUrl);
  if (!parts) {
    // Not echoed: a malformed address may hold a password.
    throw new Error('serviceUrl is not an address of the form https://host[:port][/path], e.g. https://sync.example.org.');
  }
  const scheme = parts[1].toLowerCase();
  const host = parts[2].toLowerCase();
  const hostname = host.replace(/:\d+$/, '');
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  if (scheme !== 'https' && !loopback) {
    throw new Error(`serviceUrl must start with https:// (the secret would travel unencrypted); got ${scheme}://${host}.`);
  }
  const path = (parts[3] || '').replace(/\/+$/, '').replace(/\/trigger$/, '');
  return `${scheme}://${host}${path}/trigger`;
}

/** What to check for a status, in words. */
function hint(mode, status) {
  if (mode === 'github') {
    if (status === 401) return 'the githubToken secret is wrong or expired';
    if (status === 403 || status === 404)
      return 'the token cannot reach the repository: check "repository" and the token\'s Contents: read and write access';
    if (status === 422) return 'GitHub refused the event; check the repository name';
    return 'GitHub did not take the event; try again later';
  }
  if (status === 401) return "the syncTriggerSecret secret does not match the service's SYNC_TRIGGER_SECRET";
  if (status === 429) return 'too many failed attempts from this address; fix the secret, then wait a minute';
  if (status === 503) return 'the service has no SYNC_TRIGGER_SECRET set, so its trigger is off';
  if (status === 404 || status === 405) return 'serviceUrl does not point at the sync service';
  if (status >= 500) return 'the service failed; see its log';
  return 'see the answer above';
}

async function main() {
  const config = input.config();
  const mode = setting(config, 'mode', 'service').toLowerCase();
  let request;
  let token;
  if (mode === 'service') {
    token = await secret('syncTriggerSecret');
    request = {
      where: 'the sync service',
      url: triggerUrl(setting(config, 'serviceUrl')),
      init: { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
    };
  } else if (mode === 'github') {
    const repository = setting(config, 'repository');
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
      throw new Error(`repository "${repository}" is not of the form owner/name, e.g. my-org/workshop-site.`);
    }
    token = await secret('githubToken');
    request = {
      where: `GitHub (${repository})`,
      url: `${GITHUB_API}/repos/${repository}/dispatches`,
      init: {
        method: 'POST',
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'X-GitHub-Api-Version': '2022-11-28',
        },
        body: JSON.stringify({ event_type: EVENT_TYPE, client_payload: { source: 'airtable' } }),
      },
    };
  } else {
    throw new Error(`mode "${mode}" is not known: use "service" or "github".`);
  }

  let response;
  try {
    response = await fetch(request.url, request.init);
  } catch (error) {
    const reason = String(error && error.message ? error.message : error)
      .split(token)
      .join('[secret]');
    throw new Error(`Could not reach ${request.where} at ${request.url}: ${reason}. Check the address and that it is online.`, {
      cause: error,
    });
  }
  if (response.status < 200 || response.status > 299) {
    const text = await response.text().catch(() => '');
    const answer = text.split(token).join('[secret]').replace(/\s+/g, ' ').trim().slice(0, 300);
    const retry = response.headers.get('retry-after');
    console.error(`${request.where} answered ${response.status}${retry ? ` (retry after ${retry} s)` : ''}: ${answer || '(no text)'}`);
    throw new Error(`${request.where} answered ${response.status}: ${hint(mode, response.status)}.`);
  }
  console.log(`${request.where} took the trigger (${response.status}): a sync follows shortly.`);
}

await main();
