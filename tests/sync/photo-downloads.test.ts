/**
 * sync/steps/photo-downloads.ts against a local HTTP server (127.0.0.1, port 0): whole-image checks, only accepted
 * image types kept (by their bytes, never SVG), refused URL schemes, at most `concurrency` downloads at once, one download per attachment shared by prefetch and take, and
 * staged files nobody took deleted by discard.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import { createPhotoDownloads, isWholeImage, PhotoRejected } from '../../sync/steps/photo-downloads.ts';
import type { SourceRow } from '../../sync/sources/types.ts';

const JPEG = readFileSync(new URL('../../dev/demo/photos/alex-example.jpg', import.meta.url));
/** The smallest files of the other accepted types, whole by isWholeImage. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.alloc(17),
  Buffer.from('0000000049454e44ae426082', 'hex'),
]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(12)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(12), Buffer.from([0x3b])]);
const AVIF = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif'), Buffer.alloc(4), Buffer.from('avifmif1miaf')]);

describe('isWholeImage', () => {
  it('accepts whole images and refuses a signature glued onto something else', async () => {
    assert.equal(isWholeImage(JPEG, 'image/jpeg'), true);
    const glued = Buffer.concat([JPEG.subarray(0, 3), Buffer.from('<svg onload=alert(1)>')]);
    assert.equal((await fileTypeFromBuffer(glued))?.mime, 'image/jpeg', 'the first bytes alone pass for a JPEG');
    assert.equal(isWholeImage(glued, 'image/jpeg'), false);
    assert.equal(isWholeImage(JPEG.subarray(0, JPEG.length - 2), 'image/jpeg'), false, 'cut short before its end marker');
    assert.equal(isWholeImage(PNG, 'image/png'), true);
    assert.equal(isWholeImage(PNG.subarray(0, 20), 'image/png'), false);
    assert.equal(isWholeImage(WEBP, 'image/webp'), true);
    assert.equal(isWholeImage(WEBP.subarray(0, 20), 'image/webp'), false);
  });
});

describe('createPhotoDownloads', () => {
  let server: Server;
  let origin = '';
  let active = 0;
  let most = 0;
  const served = new Map<string, number>();
  /** Path → the bytes served there instead of the JPEG. */
  const bodies = new Map<string, Buffer>();
  const dirs: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      served.set(req.url!, (served.get(req.url!) ?? 0) + 1);
      active++;
      most = Math.max(most, active);
      setTimeout(() => {
        active--;
        const body = bodies.get(req.url!) ?? JPEG;
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(body.length) });
        res.end(body);
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
  const options = (dir: string, concurrency = 3) => ({
    photosDir: dir,
    maxBytes: 5_000_000,
    types: ['image/jpeg', 'image/png', 'image/webp'],
    timeoutMs: 5_000,
    concurrency,
  });
  const row = (i: number): SourceRow => ({
    source: 'Airtable',
    table: 'Speakers',
    where: { recordId: `rec${i}` },
    fields: {
      Photo: [
        {
          id: `attPhoto${String(i).padStart(9, '0')}`,
          url: `${origin}/p/${i}.jpg`,
          filename: `${i}.jpg`,
          type: 'image/jpeg',
          size: JPEG.length,
        },
      ],
    },
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
    assert.ok(
      [...served.values()].every((n) => n === 1),
      'each photo was downloaded once',
    );
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

  it('keeps a whole image of an accepted type, by its bytes whatever its claimed type, and refuses anything else', async () => {
    const all = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif'];
    const downloads = createPhotoDownloads({ ...options(photosDir()), types: all });
    const get = (name: string, body: Buffer) => {
      bodies.set(`/typed/${name}`, body);
      return downloads.take({
        attachmentId: `att${name.replace(/\W/g, '')}`,
        url: `${origin}/typed/${name}`,
        filename: name,
        type: 'image/jpeg',
        size: body.length,
      });
    };
    for (const [name, body, ext] of [
      ['p.png', PNG, 'png'],
      ['g.gif', GIF, 'gif'],
      ['w.webp', WEBP, 'webp'],
      ['a.avif', AVIF, 'avif'],
      ['j.jpg', JPEG, 'jpg'],
    ] as const) {
      const staged = await get(name, body);
      assert.equal(path.extname(staged.file), `.${ext}`, `${name} is stored by the type of its bytes`);
      assert.deepEqual(readFileSync(staged.temp), body);
    }
    const refused = async (name: string, body: Buffer, reason: RegExp) =>
      assert.rejects(get(name, body), (error: unknown) => error instanceof PhotoRejected && reason.test(error.message), name);
    await refused(
      'x.svg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      /is not an accepted image \(image\/jpeg; accepted: /,
    );
    await refused('x.txt', Buffer.from('not an image at all'), /is not an accepted image/);
    await refused('x.bmp', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]), /is not an accepted image/);
    // file-type alone would look past these prefixes and see the JPEG behind them.
    await refused('bom.jpg', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), JPEG]), /is not an accepted image/);
    await refused('id3.jpg', Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), JPEG]), /is not an accepted image/);
    await refused('glued.jpg', Buffer.concat([JPEG.subarray(0, 3), Buffer.from('<svg onload=alert(1)>')]), /is not a whole image/);
    const narrow = createPhotoDownloads(options(photosDir()));
    bodies.set('/typed/narrow.gif', GIF);
    await assert.rejects(
      narrow.take({ attachmentId: 'attNarrow', url: `${origin}/typed/narrow.gif`, filename: 'n.gif' }),
      /is not an accepted image \(image\/gif; accepted: image\/jpeg, image\/png, image\/webp\)/,
    );
    await downloads.discard();
  });
});
