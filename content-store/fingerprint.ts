/**
 * A fingerprint of what the site is built from: every file under content/ (all editions, their photos and files),
 * by path and bytes. Hidden files are left out — a sync's staged files and its journal — as the site never reads
 * them. The service keeps the fingerprint of each local build, to tell at
 * start whether the published site was built from the content/ it holds now.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every non-hidden file under `dir`, as paths relative to it with forward slashes, sorted. */
async function contentFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await contentFiles(dir, rel)));
    else if (entry.isFile()) files.push(rel);
  }
  return files.sort();
}

async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `sha256:<hex>` of the content folder; a missing folder has the fingerprint of no files. */
export async function contentFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await contentFiles(dir)) hash.update(`${file}\u0000${await fileDigest(path.join(dir, file))}\n`);
  return `sha256:${hash.digest('hex')}`;
}
