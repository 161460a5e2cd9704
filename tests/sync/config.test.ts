/**
 * sync/config.ts: the config file's defaults, the environment winning over it, secrets kept apart, and settings
 * that are wrong stopping with the name of what to fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig } from '../../sync/config.ts';
import { ConfigError } from '../../sync/errors.ts';
import { AIRTABLE_API, SHEETS_API } from '../../sync/sources/endpoints.ts';

const ROOT = '/project';

describe('resolveConfig', () => {
  test('without a file or variables: the documented defaults', () => {
    const config = resolveConfig({}, ROOT, {});
    assert.equal(config.contentDir, '/project/content');
    assert.deepEqual(config.tables, {
      organizers: 'airtable',
      speakers: 'airtable',
      papers: 'airtable',
      programCommittee: 'airtable',
      schedule: 'google-sheets',
    });
    assert.equal(config.sources.airtable.endpointUrl, AIRTABLE_API);
    assert.equal(config.sources.googleSheets.rootUrl, SHEETS_API);
    assert.match(`${AIRTABLE_API} ${SHEETS_API}`, /^https:\/\/\S+ https:\/\/\S+\/$/, 'the live APIs, over https');
    assert.equal(config.onInvalidRow, 'skip', 'a refused row is left out, its last published version kept');
    assert.equal(config.service.cron, '*/10 * * * *');
    assert.deepEqual(config.service.target, { kind: 'local', siteDir: 'site', keep: 3 });
    assert.equal(config.service.trigger.port, undefined, 'the trigger endpoint is opt-in');
    assert.equal(config.service.alarm.afterFailures, 3);
  });

  test('the environment wins over the file; credentials go to secrets only', () => {
    const config = resolveConfig({ sources: { airtable: { baseId: 'appFROMFILE0000000' } } }, ROOT, {
      AIRTABLE_BASE_ID: ' appFROMENV00000000 ',
      AIRTABLE_TOKEN: 'patSECRET',
      AIRTABLE_ENDPOINT_URL: 'http://127.0.0.1:1234',
      GOOGLE_SHEETS_ID: 'sheet-id',
      GOOGLE_API_KEY: 'key-secret',
      CONTENT_DIR: '/elsewhere/content',
      SYNC_CRON: '*/5 * * * *',
      SYNC_TZ: 'America/New_York',
      SYNC_TARGET: 'git',
      SYNC_PORT: '8787',
      SYNC_ALARM_AFTER: '5',
      SYNC_ALARM_COMMAND: 'notify-send stale',
      SYNC_TRIGGER_SECRET: 'trigger-secret',
      DEPLOY_HOOK_URL: 'https://api.netlify.com/build_hooks/secret',
      SYNC_ALARM_WEBHOOK: 'https://hooks.slack.com/services/secret',
    });
    assert.equal(config.sources.airtable.baseId, 'appFROMENV00000000');
    assert.equal(config.sources.airtable.endpointUrl, 'http://127.0.0.1:1234');
    assert.equal(config.sources.googleSheets.spreadsheetId, 'sheet-id');
    assert.equal(config.contentDir, '/elsewhere/content');
    assert.deepEqual(
      [config.service.cron, config.service.timeZone, config.service.target, config.service.trigger.port, config.service.alarm],
      [
        '*/5 * * * *',
        'America/New_York',
        { kind: 'git', remote: 'origin', push: true },
        8787,
        { afterFailures: 5, command: 'notify-send stale' },
      ],
    );
    assert.deepEqual(config.secrets, {
      airtableToken: 'patSECRET',
      googleApiKey: 'key-secret',
      googleServiceAccount: undefined,
      triggerSecret: 'trigger-secret',
      deployHookUrl: 'https://api.netlify.com/build_hooks/secret',
      alarmWebhook: 'https://hooks.slack.com/services/secret',
    });
    const { secrets: _secrets, ...rest } = config;
    for (const secret of ['patSECRET', 'key-secret', 'trigger-secret', 'build_hooks/secret', 'services/secret']) {
      assert.ok(!JSON.stringify(rest).includes(secret), `${secret} outside secrets`);
    }
  });

  test('a published CSV and no Sheets id: the schedule comes from the CSV', () => {
    const config = resolveConfig({}, ROOT, { GOOGLE_SHEETS_CSV_URL: 'http://127.0.0.1:9/spreadsheets/d/e/x/pub?output=csv' });
    assert.equal(config.tables.schedule, 'published-csv');
    assert.equal(config.sources.publishedCsv.urls['Schedule'], 'http://127.0.0.1:9/spreadsheets/d/e/x/pub?output=csv');
    assert.equal(
      resolveConfig({}, ROOT, { GOOGLE_SHEETS_CSV_URL: 'https://x/pub?output=csv', GOOGLE_SHEETS_ID: 'id' }).tables.schedule,
      'google-sheets',
    );
  });

  test('wrong settings stop with what to fix', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.message;
      }
      return assert.fail('expected a ConfigError');
    };
    assert.match(
      message(() => resolveConfig({ onInvalidRow: 'ignore' }, ROOT, {})),
      /^workshop\.config\.ts is invalid — onInvalidRow: /,
    );
    assert.match(
      message(() => resolveConfig({ tabels: {} }, ROOT, {})),
      /workshop\.config\.ts is invalid — .*tabels/,
    );
    assert.match(
      message(() => resolveConfig({}, ROOT, { SYNC_TARGET: 'ftp' })),
      /^SYNC_TARGET must be local, deploy-hook, git or none, not "ftp"/,
    );
    assert.match(
      message(() => resolveConfig({}, ROOT, { SYNC_PORT: 'eighty' })),
      /^SYNC_PORT must be a whole number, not "eighty"/,
    );
    assert.match(
      message(() => resolveConfig({}, ROOT, { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' })),
      /GOOGLE_APPLICATION_CREDENTIALS names \/nonexistent\/key\.json, which is not a readable JSON key file/,
    );
  });

  test('the template is keyed by table; the former keys by source say how to rewrite them', () => {
    const config = resolveConfig({ template: { papers: { table: 'Submissions' }, schedule: { dayFirst: true } } }, ROOT, {});
    assert.equal(config.template.papers.table, 'Submissions');
    assert.equal(config.template.schedule.dayFirst, true);
    assert.throws(
      () => resolveConfig({ template: { airtable: { papers: { table: 'Submissions' } } } }, ROOT, {}),
      (error: unknown) => error instanceof ConfigError && /template: is keyed by table now: write template\.papers/.test(error.message),
    );
  });
});
