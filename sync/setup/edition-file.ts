/**
 * `content/<edition>/edition.json`: the edition's own settings from the answers, with a placeholder overview that
 * says where to write the real one. Checked with the content model's schema before anything is written, written
 * with sorted keys like every content file.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { entryJson } from '../../content-store/json.ts';
import { writeAtomic } from '../../content-store/atomic.ts';
import { editionSchema, type Edition } from '../../src/model/edition.ts';
import { ConfigError } from '../errors.ts';
import type { SetupAnswers } from './questions.ts';

/** The demo edition that ships with the project: it stays as an example unless removed on request. */
export const DEMO_EDITION = '2024_2';

/** The edition's settings, checked; a ConfigError lists what the schema refused. */
export function editionFrom(answers: SetupAnswers, contentFolder: string): Edition {
  const where = `${contentFolder}/${answers.edition}/edition.json`;
  const candidate = {
    id: answers.edition,
    title: answers.title,
    shortTitle: answers.shortTitle,
    dates: { start: answers.start, end: answers.end },
    venue: answers.venue,
    hostConference: answers.hostConference,
    timeZone: answers.timeZone,
    overview:
      `Welcome to ${answers.title}. This overview is a placeholder written by \`npm run setup\`: ` +
      `write the real one in ${where} ("overview", in markdown), with the topics ("topics") and the call for papers ("callForPapers").`,
    topics: [],
  };
  const parsed = editionSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`The edition's settings are invalid, nothing was written — ${issues.join('; ')}.`);
  }
  return parsed.data;
}

/** Writes the edition's edition.json; refuses to replace one unless `force`. */
export async function writeEdition(contentDir: string, edition: Edition, force: boolean): Promise<string> {
  const file = path.join(contentDir, edition.id, 'edition.json');
  if (existsSync(file) && !force) {
    throw new ConfigError(`${file} exists already: choose another edition id (--edition), or give --force to overwrite its settings.`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  await writeAtomic(file, `${entryJson(edition)}\n`);
  return file;
}

/** Removes the demo edition's folder; false when there is none (or it is the edition being set up). */
export function removeDemo(contentDir: string, edition: string): boolean {
  const dir = path.join(contentDir, DEMO_EDITION);
  if (edition === DEMO_EDITION || !existsSync(path.join(dir, 'edition.json'))) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}
