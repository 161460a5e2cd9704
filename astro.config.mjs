// @ts-check
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig } from 'astro/config';
import sitemap from '@astrojs/sitemap';

/**
 * SITE_URL: the public address of the site (absolute links in the sitemap, Open Graph and calendars).
 * BASE_PATH: a sub-path when the site is not served at the root (e.g. "/workshop" on GitHub Pages).
 * CONTENT_DIR / OUT_DIR: the content folder (default content/) and the output folder (default dist/).
 * ASTRO_SCRATCH_DIR: for builds that may run beside others (tests, benchmarks), a folder inside the project: Astro's generated `.astro/`
 *   folder (which lists the content photos to bundle) and its cache go there instead of the shared project ones.
 */
const project = fileURLToPath(new URL('.', import.meta.url));
/** The content folder, absolute: the endpoint that serves papers' mirrored files reads them there (__CONTENT_DIR__). */
const contentDir = path.resolve(project, process.env.CONTENT_DIR || 'content');
const site = process.env.SITE_URL || 'http://localhost:4321';
const base = process.env.BASE_PATH || '/';
const scratch = process.env.ASTRO_SCRATCH_DIR;
// Astro stages prerendered pages in `<cwd>/.astro/.prerender/` when outDir lies outside the working directory (a
// build into /tmp): builds running side by side in one project would overwrite each other's chunks there. A build
// with its own scratch folder works in it instead.
if (scratch) process.chdir(path.resolve(scratch));

export default defineConfig({
  site,
  base,
  trailingSlash: 'ignore',
  outDir: path.resolve(project, process.env.OUT_DIR || 'dist'),
  ...(scratch
    ? {
        root: path.resolve(scratch),
        srcDir: path.join(project, 'src'),
        publicDir: path.join(project, 'public'),
        cacheDir: path.join(path.resolve(scratch), 'cache'),
      }
    : {}),
  integrations: [sitemap()],
  build: { inlineStylesheets: 'always' },
  vite: { define: { __CONTENT_DIR__: JSON.stringify(contentDir) } },
  devToolbar: { enabled: false },
});
