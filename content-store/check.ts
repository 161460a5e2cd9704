/**
 * `npm run check:content`: validates every edition under content/ (or CONTENT_DIR) with the content model, the
 * same checks the build runs, without building. Prints one line per edition; exits 1 on the first invalid file.
 */
import { fileURLToPath } from 'node:url';
import { FILES, type CollectionName } from '../src/model/index.ts';
import { ContentError } from './errors.ts';
import { checkScheduleReferences, contentDir, editionFolders, readCollection } from './read.ts';
import { finishInterruptedWrites } from './journal.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = contentDir(root);
const editions = editionFolders(dir);

if (editions.length === 0) {
  console.error(`No edition found in ${dir}: add <edition>/edition.json there (or set CONTENT_DIR).`);
  process.exit(1);
}

// A write that a killed sync left halfway is completed first, as the build does.
for (const line of await finishInterruptedWrites(dir)) console.log(line);

try {
  for (const edition of editions) {
    const counts = (Object.keys(FILES) as CollectionName[]).map((c) => [c, readCollection(root, edition, c)] as const);
    const byName = Object.fromEntries(counts);
    checkScheduleReferences(byName['schedule'] ?? [], byName['people'] ?? [], byName['papers'] ?? []);
    console.log(
      `${edition}: ok (${counts
        .filter(([c]) => c !== 'editions')
        .map(([c, e]) => `${e.length} ${c}`)
        .join(', ')})`,
    );
  }
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  console.error(error.message);
  process.exit(1);
}
