/**
 * The site's collection loader: every edition's JSON under content/ (or CONTENT_DIR), validated first with
 * the content model (errors name file, entry and field), then stored with ids `<edition>/<id>`. A write that a
 * killed sync left halfway is completed first (content-store/journal.ts), so a build never reads files of two syncs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';
import { FILES, type CollectionName } from '../model/index.ts';
import { checkScheduleReferences, contentDir, editionFolders, readCollection, type ContentEntry } from '../../content-store/read.ts';
import { finishInterruptedWrites } from '../../content-store/journal.ts';

/** Scopes a schedule item's references to its edition, as the collection ids are `<edition>/<id>`. */
function scopeReferences(entry: ContentEntry): Record<string, unknown> {
  const data = { ...entry.data };
  if (Array.isArray(data['speakers'])) data['speakers'] = data['speakers'].map((s) => `${entry.edition}/${String(s)}`);
  if (typeof data['paper'] === 'string') data['paper'] = `${entry.edition}/${data['paper']}`;
  return data;
}

export function editionContentLoader(collection: CollectionName): Loader {
  return {
    name: `edition-content:${collection}`,
    load: async (context) => {
      const { config, store, watcher, logger } = context;
      // The project root (srcDir's parent), also when ASTRO_SCRATCH_DIR moves Astro's own root elsewhere.
      const root = fileURLToPath(new URL('../', config.srcDir));
      const astroRoot = fileURLToPath(config.root);
      const dir = contentDir(root);
      const syncAll = async () => {
        for (const line of await finishInterruptedWrites(dir, (d) => path.relative(root, d))) logger.warn(line);
        store.clear();
        for (const edition of editionFolders(dir)) {
          const entries = readCollection(root, edition, collection);
          if (collection === 'schedule') {
            checkScheduleReferences(entries, readCollection(root, edition, 'people'), readCollection(root, edition, 'papers'));
          }
          for (const entry of entries) {
            const raw = collection === 'schedule' ? scopeReferences(entry) : entry.data;
            const data = await context.parseData({ id: entry.id, data: raw, filePath: entry.absolutePath });
            // Astro resolves photos against the entry's file, relative to its own root.
            const filePath = path.relative(astroRoot, entry.absolutePath).split(path.sep).join('/');
            store.set({ id: entry.id, data, filePath, digest: context.generateDigest(raw) });
          }
        }
      };
      await syncAll();
      // The schedule also depends on people and papers, whose ids it references.
      const watchedFiles: string[] = collection === 'schedule' ? [FILES.schedule, FILES.people, FILES.papers] : [FILES[collection]];
      // In `astro dev`, reload when any edition's JSON changes (a sync ran, or someone edited a file).
      watcher?.add(dir);
      watcher?.on('change', (changed) => {
        if (!changed.startsWith(dir + path.sep) || !watchedFiles.includes(path.basename(changed))) return;
        logger.info(`Reloading ${collection} after a change to ${path.relative(root, changed)}`);
        syncAll().catch((error: unknown) => logger.error(error instanceof Error ? error.message : String(error)));
      });
    },
  };
}
