/**
 * The deploy-hook target's note of what it last deployed: `<stateDir>/deployed-from.json`, the fingerprint of
 * content/ (content-store/fingerprint.ts) when the hook last accepted a build. Read at start: content/ that differs
 * from it (an `npm run sync` by hand, a `git pull`, a publish that never succeeded) is deployed then.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../../../content-store/atomic.ts';

const fileIn = (stateDir: string) => path.join(stateDir, 'deployed-from.json');

/** The fingerprint of the content last deployed, or undefined when none is recorded (or the note cannot be read). */
export async function readDeployedFrom(stateDir: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(fileIn(stateDir), 'utf8')) as { content?: unknown } | null;
    return typeof value?.content === 'string' ? value.content : undefined;
  } catch {
    return undefined;
  }
}

export function writeDeployedFrom(stateDir: string, content: string): Promise<void> {
  return writeAtomic(fileIn(stateDir), `${JSON.stringify({ content }, null, 2)}\n`);
}
