/**
 * sync/sources/published-csv.ts: both links organizers have for a published tab lead to its CSV. The links are
 * recognised by their path, whatever the host, so these tests name 127.0.0.1, never a live host.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../sync/errors.ts';
import { csvLinkOf, publishedCsvSource } from '../../sync/sources/published-csv.ts';

const PUB = 'http://127.0.0.1:9/spreadsheets/d/e/2PACX-1vTRMzc0vmmj11ItBZKc';

test('the web-page link an iframe embeds becomes the CSV link of the same tab', () => {
  assert.equal(csvLinkOf(`${PUB}/pubhtml?gid=0&single=true`), `${PUB}/pub?gid=0&single=true&output=csv`);
  assert.equal(
    csvLinkOf(`${PUB}/pubhtml?gid=1847002595&single=true&widget=true&headers=false`),
    `${PUB}/pub?gid=1847002595&single=true&output=csv`,
  );
  assert.equal(csvLinkOf(`${PUB}/pubhtml/sheet?headers=false&gid=7`), `${PUB}/pub?gid=7&single=true&output=csv`);
});

test('a web-page link without a gid is the first tab', () => {
  assert.equal(csvLinkOf(`${PUB}/pubhtml`), `${PUB}/pub?output=csv`);
  assert.equal(csvLinkOf(`${PUB}/pubhtml?widget=true&headers=false`), `${PUB}/pub?output=csv`);
});

test('a CSV link and any other URL are kept as they are; a pub link of another output gets output=csv', () => {
  for (const link of [
    `${PUB}/pub?gid=0&single=true&output=csv`,
    `${PUB}/pub?output=csv`,
    'http://127.0.0.1:9/spreadsheets/d/1AbC/export?format=csv&gid=0',
    'https://example.org/schedule.csv',
    'http://127.0.0.1:8123/spreadsheets/d/e/2PACX-x/pub?output=csv&gid=3',
  ]) {
    assert.equal(csvLinkOf(link), link);
  }
  assert.equal(csvLinkOf(`${PUB}/pub?gid=3&single=true&output=tsv`), `${PUB}/pub?gid=3&single=true&output=csv`);
  assert.equal(
    csvLinkOf('http://127.0.0.1:9/spreadsheets/d/1AbCdEf/pubhtml?gid=5'),
    'http://127.0.0.1:9/spreadsheets/d/1AbCdEf/pub?gid=5&single=true&output=csv',
    'the legacy link with the spreadsheet id',
  );
});

test('the source still refuses a link that is not http(s)', () => {
  assert.throws(() => publishedCsvSource({ urls: { Schedule: 'file:///etc/passwd' } }), ConfigError);
  assert.throws(() => publishedCsvSource({ urls: { Schedule: '' } }), /must be an http\(s\) URL/);
});
