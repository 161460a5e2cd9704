/**
 * A scratch folder for one build's ASTRO_SCRATCH_DIR (Astro's generated .astro/ and cache, see astro.config.mjs).
 * It is made inside the project, under .scratch/ (git-ignored), because Astro resolves its own packages from its
 * root: a root under /tmp cannot find node_modules.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRATCH = fileURLToPath(new URL('../../.scratch/', import.meta.url));

export function makeScratchDir(): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(path.join(SCRATCH, 'build-'));
}
