/**
 * The files the sync mirrored for an edition's papers (a PDF attached in Airtable), served by the site itself:
 * /2024_2/files/12-pdf-1a2b3c4d5e.pdf, from content/<edition>/files/. Only files a published paper names are served.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIRoute, GetStaticPaths } from 'astro';
import { allEditions, loadEdition } from '../../../lib/edition.ts';
import { fileName } from '../../../lib/paper-links.ts';

/** The content folder, absolute (astro.config.mjs). */
declare const __CONTENT_DIR__: string;

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  key: 'application/vnd.apple.keynote',
  odp: 'application/vnd.oasis.opendocument.presentation',
  png: 'image/png',
  jpg: 'image/jpeg',
  zip: 'application/zip',
};

type Props = {
  /** The file on disk. */
  source: string;
  /** Which paper names it, for the message when it is missing. */
  paper: string;
};

export const getStaticPaths = (async () => {
  const paths: { params: { edition: string; file: string }; props: Props }[] = [];
  for (const edition of await allEditions()) {
    const served = new Set<string>();
    for (const paper of (await loadEdition(edition)).papers) {
      for (const file of Object.values(paper.data.files ?? {}).map(fileName)) {
        if (served.has(file)) continue;
        served.add(file);
        const source = path.join(__CONTENT_DIR__, edition.id, 'files', file);
        paths.push({ params: { edition: edition.id, file }, props: { source, paper: paper.data.id } });
      }
    }
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute<Props> = async ({ props }) => {
  const bytes = await readFile(props.source).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `${props.source} (named by paper "${props.paper}" in its edition's papers.json, field "files") cannot be read (${code}): run the sync again, or restore the file from git.`,
      { cause: error },
    );
  });
  const type = CONTENT_TYPES[path.extname(props.source).slice(1)] ?? 'application/octet-stream';
  return new Response(new Uint8Array(bytes), { headers: { 'Content-Type': type } });
};
