/**
 * sync/steps/photo-downloads.ts against a local HTTP server (127.0.0.1, port 0): whole-image checks, refused URL
 * schemes, at most `concurrency` downloads at once, one download per attachment shared by prefetch and take, and
 * staged files nobody took deleted by discard.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPhotoDownloads, isWholeImage, PhotoRejected, sniffImageType } from '../../sync/steps/photo-downloads.ts';
import type { SourceRow } from '../../sync/map/types.ts';

const JPEG = readFileSync(new URL('../../sync/demo/photos/alex-example.jpg', import.meta.url));

describe('isWholeImage', () => {
  it('accepts whole images and refuses a signature glued onto something else', () => {
    assert.equal(isWholeImage(JPEG, 'image/jpeg'), true);
    const glued = Buffer.concat([JPEG.subarray(0, 3), Buffer.from('<svg onload=alert(1)>')]);
    assert.equal(sniffImageType(glued), 'image/jpeg', 'the first bytes alone pass for a JPEG');
    assert.equal(isWholeImage(glued, 'image/jpeg'), false);
    assert.equal(isWholeImage(JPEG.subarray(0, JPEG.length - 2), 'image/jpeg'), false, 'cut short before its end marker');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(17), Buffer.from('0000000049454e44ae426082', 'hex')]);
    assert.equal(isWholeImage(png, 'image/png'), true);
    assert.equal(isWholeImage(png.subarray(0, 20), 'image/png'), false);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(12)]);
    assert.equal(isWholeImage(webp, 'image/webp'), true);
    assert.equal(isWholeImage(webp.subarray(0, 20), 'image/webp'), false);
  });
});

describe('createPhotoDownloads', () => {
  let server: Server;
  let origin = '';
  let active = 0;
  let most = 0;
  const served = new Map<string, number>();
  const dirs: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      served.set(req.url!, (served.get(req.url!) ?? 0) + 1);
      active++;
      most = Math.max(most, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(JPEG.length) });
        res.end(JPEG);
      }, 30);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const photosDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'photo-downloads-'));
    dirs.push(dir);
    return path.join(dir, 'photos');
  };
  const options = (dir: string, concurrency = 3) => ({ photosDir: dir, maxBytes: 5_000_000, types: ['image/jpeg', 'image/png', 'image/webp'], timeoutMs: 5_000, concurrency });
  const row = (i: number): SourceRow => ({
    source: 'Airtable',
    table: 'Speakers',
    where: { recordId: `rec${i}` },
    fields: { Photo: [{ id: `attPhoto${String(i).padStart(9, '0')}`, url: `${origin}/p/${i}.jpg`, filename: `${i}.jpg`, type: 'image/jpeg', size: JPEG.length }] },
  });
  const refOf = (r: SourceRow) => {
    const [a] = r.fields['Photo'] as { id: string; url: string; filename: string }[];
    return { attachmentId: a!.id, url: a!.url, filename: a!.filename, type: 'image/jpeg', size: JPEG.length };
  };

  it('prefetches at most `concurrency` at a time; take() reuses the download; discard() deletes what nobody took', async () => {
    served.clear();
    most = 0;
    const dir = photosDir();
    const downloads = createPhotoDownloads(options(dir, 3));
    const rows = Array.from({ length: 10 }, (_, i) => row(i));
    downloads.prefetch(rows, 'Photo');
    const taken = await Promise.all(rows.slice(0, 4).map((r) => downloads.take(refOf(r))));
    for (const staged of taken) {
      assert.ok(existsSync(staged.temp), 'a taken photo is staged');
      assert.equal(path.dirname(staged.file), dir);
      assert.match(path.basename(staged.file), /^attPhoto\d{9}-\d+\.jpg$/);
    }
    await downloads.discard();
    assert.ok(most <= 3, `${most} downloads at once`);
    assert.equal(served.size, 10, 'every photo was prefetched');
    assert.ok([...served.values()].every((n) => n === 1), 'each photo was downloaded once');
    const left = readdirSync(dir);
    assert.deepEqual(left.sort(), taken.map((t) => path.basename(t.temp)).sort(), 'only the taken photos stay staged');
  });

  it('refuses a file: URL without reading it, and never prefetches a photo already on disk', async () => {
    const dir = photosDir();
    const downloads = createPhotoDownloads(options(dir));
    const file = { attachmentId: 'attFile', url: 'file:///etc/passwd', filename: 'x.jpg' };
    await assert.rejects(downloads.take(file), (error: unknown) => error instanceof PhotoRejected && /a file: URL/.test(error.message));

    served.clear();
    const first = createPhotoDownloads(options(dir));
    const staged = await first.take(refOf(row(42)));
    const { rename } = await import('node:fs/promises');
    await rename(staged.temp, staged.file);
    const again = createPhotoDownloads(options(dir));
    again.prefetch([row(42)], 'Photo');
    await again.discard();
    assert.equal(served.get('/p/42.jpg'), 1, 'a photo on disk is not downloaded again');
  });
});
