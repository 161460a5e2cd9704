/** The test server itself: index resolution, content types, 404s and no escape from the served folder. */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, removeDir } from '../helpers/browser.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';

/** A raw GET that keeps the path exactly as written (fetch would normalize `..` away). */
function rawGet(
  base: string,
  rawPath: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static test server', () => {
  let parent = '';
  let server: StaticServer;

  before(async () => {
    parent = await makeTempDir('static-server-test');
    const root = path.join(parent, 'site');
    await mkdir(path.join(root, 'x', 'y'), { recursive: true });
    await writeFile(path.join(parent, 'secret.txt'), 'outside the root');
    await writeFile(path.join(root, 'index.html'), '<p>home</p>');
    await writeFile(path.join(root, 'x', 'index.html'), '<p>x</p>');
    await writeFile(path.join(root, 'x', 'cal.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    await writeFile(path.join(root, 'x', 'y', 'style.css'), 'p{}');
    await writeFile(path.join(root, 'x', 'y', 'app.js'), '1');
    await writeFile(path.join(root, 'x', 'y', 'map.xml'), '<a/>');
    await writeFile(path.join(root, 'x', 'y', 'pic.svg'), '<svg/>');
    await writeFile(path.join(root, 'x', 'y', 'file.unknown'), '?');
    server = await startStaticServer(root);
  });

  after(async () => {
    await server?.close();
    await removeDir(parent);
  });

  test('listens on 127.0.0.1 with an ephemeral port', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(new URL(server.url).port, '0');
  });

  test('serves / and /x/ from their index.html as HTML', async () => {
    const home = await fetch(server.url);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await home.text(), '<p>home</p>');
    const x = await fetch(new URL('x/', server.url));
    assert.equal(x.status, 200);
    assert.equal(await x.text(), '<p>x</p>');
  });

  test('redirects a folder without its trailing slash', async () => {
    const res = await fetch(new URL('x', server.url), { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/x/');
  });

  test('sends the content type of each extension (ics is text/calendar)', async () => {
    const expected: [string, RegExp][] = [
      ['x/cal.ics', /^text\/calendar\b/],
      ['x/y/style.css', /^text\/css\b/],
      ['x/y/app.js', /^text\/javascript\b/],
      ['x/y/map.xml', /^application\/xml\b/],
      ['x/y/pic.svg', /^image\/svg\+xml$/],
    ];
    for (const [file, type] of expected) {
      const res = await fetch(new URL(file, server.url));
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', type, file);
      await res.arrayBuffer();
    }
  });

  test('answers 404 for missing files and unknown file types', async () => {
    for (const file of ['nope.html', 'x/nope/', 'x/y/file.unknown']) {
      const res = await fetch(new URL(file, server.url));
      assert.equal(res.status, 404, file);
      await res.arrayBuffer();
    }
  });

  test('never serves a file outside its root, whatever the path encoding', async () => {
    for (const raw of [
      '/../secret.txt',
      '/x/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/x/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
    ]) {
      const res = await rawGet(server.url, raw);
      assert.notEqual(res.status, 200, `${raw} answered 200`);
      assert.doesNotMatch(res.body, /outside the root/, raw);
    }
  });

  test('rejects malformed percent-encoding with 400', async () => {
    const res = await rawGet(server.url, '/%E0%A4%A');
    assert.equal(res.status, 400);
  });
});
