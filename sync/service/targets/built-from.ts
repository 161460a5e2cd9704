/**
 * The local target's note of what the served build was made from: `<stateDir>/site-built-from.json`, the build's
 * folder name and the fingerprint of content/ it was built from (content-store/fingerprint.ts). Written after each
 * build is switched live; read at start to tell whether the site must be built again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../../../content-store/atomic.ts';

interface BuiltFrom {
  /** The build folder's name under builds/. */
  build: string;
  /** contentFingerprint() of content/ when the build started. */
  content: string;
}

const fileIn = (stateDir: string) => path.join(stateDir, 'site-built-from.json');

/** The note, or undefined when there is none or it cannot be read (then the site counts as built from unknown content). */
export async function readBuiltFrom(stateDir: string): Promise<BuiltFrom | undefined> {
  try {
    const value = JSON.parse(await readFile(fileIn(stateDir), 'utf8')) as Partial<BuiltFrom> | null;
    return typeof value?.build === 'string' && typeof value.content === 'string'
      ? { build: value.build, content: value.content }
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeBuiltFrom(stateDir: string, note: BuiltFrom): Promise<void> {
  return writeAtomic(fileIn(stateDir), `${JSON.stringify(note, null, 2)}\n`);
}
