/**
 * Google Sheets → asks for a sync after an edit. Paste this file as it is into Extensions → Apps Script (Code.gs),
 * then run `installTrigger` once; setup steps: docs/triggers.md.
 *
 * Settings, in Project Settings → Script properties (nothing to edit in the code; the secret never goes in it):
 *   mode               "service" (the default): POST <serviceUrl>/trigger of `npm run serve:sync`;
 *                      "github": a repository_dispatch that starts .github/workflows/sync.yml.
 *   serviceUrl         e.g. https://sync.example.org (service mode; https, or http to a loopback address).
 *   syncTriggerSecret  the service's SYNC_TRIGGER_SECRET (service mode).
 *   repository         e.g. my-org/workshop-site (github mode).
 *   githubToken        a fine-grained token for this repository, Contents: read and write (github mode).
 *
 * A burst of edits sends one request a minute: the first edit sends at once, later ones within the minute are
 * noted, and one more request goes out when the minute is over (a one-off time-driven trigger), so the last edit
 * is never left out. A failure (no answer, or a status other than 2xx) fails the execution with the status code
 * and what to check (Apps Script then e-mails the trigger's owner); the secret is never logged.
 */

/* exported onEditTrigger, sendPendingTrigger, installTrigger, testTrigger */

/** At most one request per this many seconds. */
var WINDOW_SECONDS = 60;
/** Script cache key: present while a request went out less than WINDOW_SECONDS ago. */
var SENT_KEY = 'syncTrigger.sentAt';
/** Script property: an edit arrived during the window and still needs its request. */
var PENDING_KEY = 'syncTrigger.pendingSince';
var GITHUB_API = 'https://api.github.com';
/** The event .github/workflows/sync.yml listens for. */
var EVENT_TYPE = 'sheet-edited';

/** The installable trigger's handler (on edit, on change): sends now, or notes the edit for the end of the window. */
function onEditTrigger() {
  withLock_(function () {
    if (CacheService.getScriptCache().get(SENT_KEY)) {
      notePending_();
      return;
    }
    send_();
  });
}

/** Runs once at the end of a window in which edits arrived (a one-off time-driven trigger): sends their request. */
function sendPendingTrigger() {
  withLock_(function () {
    removeTriggers_('sendPendingTrigger');
    if (!PropertiesService.getScriptProperties().getProperty(PENDING_KEY)) return;
    send_();
  });
}

/** Run once from the editor: adds the installable on-edit and on-change triggers (again: no duplicates). */
function installTrigger() {
  removeTriggers_('onEditTrigger');
  var sheet = SpreadsheetApp.getActive();
  ScriptApp.newTrigger('onEditTrigger').forSpreadsheet(sheet).onEdit().create();
  ScriptApp.newTrigger('onEditTrigger').forSpreadsheet(sheet).onChange().create();
  console.log('Installed: every edit of "' + sheet.getName() + '" now asks for a sync (at most one request a minute).');
}

/** Run from the editor to check the settings: sends one request now, whatever the window. */
function testTrigger() {
  withLock_(send_);
}

/** Sends the request, then starts a window; a failure throws with the status and what to check. */
function send_() {
  var properties = PropertiesService.getScriptProperties();
  var request = request_(properties);
  CacheService.getScriptCache().put(SENT_KEY, String(Date.now()), WINDOW_SECONDS);
  properties.deleteProperty(PENDING_KEY);
  var response;
  try {
    response = UrlFetchApp.fetch(request.url, request.params);
  } catch (error) {
    properties.setProperty(PENDING_KEY, new Date().toISOString());
    var reason = redact_(String(error && error.message ? error.message : error), request.token);
    throw new Error(
      'Could not reach ' + request.where + ' at ' + request.url + ': ' + reason + '. Check the address and that it is online.',
      {
        cause: error,
      },
    );
  }
  var status = response.getResponseCode();
  if (status < 200 || status > 299) {
    properties.setProperty(PENDING_KEY, new Date().toISOString());
    var answer = redact_(response.getContentText() || '', request.token)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
    var retry = response.getHeaders()['Retry-After'] || response.getHeaders()['retry-after'];
    console.error(request.where + ' answered ' + status + (retry ? ' (retry after ' + retry + ' s)' : '') + ': ' + (answer || '(no text)'));
    throw new Error(request.where + ' answered ' + status + ': ' + hint_(request.mode, status) + '.');
  }
  console.log(request.where + ' took the trigger (' + status + '): a sync follows shortly.');
}

/** The request for the configured mode; refuses missing or unsafe settings before anything is sent. */
function request_(properties) {
  var mode = setting_(properties, 'mode', 'service').toLowerCase();
  var token;
  if (mode === 'service') {
    var url = triggerUrl_(setting_(properties, 'serviceUrl'));
    token = setting_(properties, 'syncTriggerSecret');
    return {
      mode: mode,
      where: 'the sync service',
      url: url,
      token: token,
      params: { method: 'post', headers: { Authorization: 'Bearer ' + token }, muteHttpExceptions: true, followRedirects: false },
    };
  }
  if (mode === 'github') {
    var repository = setting_(properties, 'repository');
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
      throw new Error('The script property repository ("' + repository + '") is not of the form owner/name, e.g. my-org/workshop-site.');
    }
    token = setting_(properties, 'githubToken');
    return {
      mode: mode,
      where: 'GitHub (' + repository + ')',
      url: GITHUB_API + '/repos/' + repository + '/dispatches',
      token: token,
      params: {
        method: 'post',
        contentType: 'application/json',
        headers: { Accept: 'application/vnd.github+json', Authorization: 'Bearer ' + token, 'X-GitHub-Api-Version': '2022-11-28' },
        payload: JSON.stringify({ event_type: EVENT_TYPE, client_payload: { source: 'google-sheets' } }),
        muteHttpExceptions: true,
      },
    };
  }
  throw new Error('The script property mode ("' + mode + '") is not known: use "service" or "github".');
}

/** A script property, trimmed; `fallback` when missing or empty. */
function setting_(properties, name, fallback) {
  var value = properties.getProperty(name);
  if (value === null || value === undefined || String(value).trim() === '') {
    if (fallback !== undefined) return fallback;
    throw new Error('The script property "' + name + '" is missing: add it in Project Settings → Script properties (docs/triggers.md).');
  }
  return String(value).trim();
}

/** The service's /trigger address: https, or http only to this machine (a secret must not cross a network in clear). */
function triggerUrl_(serviceUrl) {
  var parts = /^(https?):\/\/([^/?#\s@]+)(\/[^?#\s]*)?$/i.exec(serviceUrl);
  if (!parts) {
    // Not echoed: a malformed address may hold a password.
    throw new Error(
      'The script property serviceUrl is not an address of the form https://host[:port][/path], e.g. https://sync.example.org.',
    );
  }
  var scheme = parts[1].toLowerCase();
  var host = parts[2].toLowerCase();
  var hostname = host.replace(/:\d+$/, '');
  var loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  if (scheme !== 'https' && !loopback) {
    throw new Error('serviceUrl must start with https:// (the secret would travel unencrypted); got ' + scheme + '://' + host + '.');
  }
  var path = (parts[3] || '').replace(/\/+$/, '').replace(/\/trigger$/, '');
  return scheme + '://' + host + path + '/trigger';
}

/** What to check for a status, in words. */
function hint_(mode, status) {
  if (mode === 'github') {
    if (status === 401) return 'the githubToken script property is wrong or expired';
    if (status === 403 || status === 404)
      return 'the token cannot reach the repository: check "repository" and the token\'s Contents: read and write access';
    if (status === 422) return 'GitHub refused the event; check the repository name';
    return 'GitHub did not take the event; the next edit tries again';
  }
  if (status === 401) return "the syncTriggerSecret script property does not match the service's SYNC_TRIGGER_SECRET";
  if (status === 429) return "too many failed attempts from Google's address; fix the secret, then wait a minute";
  if (status === 503) return 'the service has no SYNC_TRIGGER_SECRET set, so its trigger is off';
  if (status === 404 || status === 405) return 'serviceUrl does not point at the sync service';
  if (status >= 500) return 'the service failed; see its log';
  return 'see the answer above';
}

/** Notes an edit made during the window, and makes sure one request goes out when the window is over. */
function notePending_() {
  var properties = PropertiesService.getScriptProperties();
  if (!properties.getProperty(PENDING_KEY)) properties.setProperty(PENDING_KEY, new Date().toISOString());
  var scheduled = ScriptApp.getProjectTriggers().some(function (trigger) {
    return trigger.getHandlerFunction() === 'sendPendingTrigger';
  });
  if (!scheduled) {
    ScriptApp.newTrigger('sendPendingTrigger')
      .timeBased()
      .after(WINDOW_SECONDS * 1000)
      .create();
  }
}

function removeTriggers_(handler) {
  ScriptApp.getProjectTriggers().forEach(function (trigger) {
    if (trigger.getHandlerFunction() === handler) ScriptApp.deleteTrigger(trigger);
  });
}

/** Runs `task` holding the script lock, so that two edits at the same moment send one request. */
function withLock_(task) {
  var lock = LockService.getScriptLock();
  if (!lock.tryLock(20000)) {
    console.warn('Another edit held the script lock for 20 s; its request covers this edit.');
    return;
  }
  try {
    task();
  } finally {
    lock.releaseLock();
  }
}

function redact_(text, token) {
  return token ? text.split(token).join('[secret]') : text;
}
