/**
 * A paper's links as the site shows them, the same way whether a link points elsewhere (`links`) or to the site's own
 * copy of a file the sync mirrored (`files`, e.g. a PDF attached in Airtable), which the site serves at
 * `/<edition>/files/<name>` under its base path (src/pages/[edition]/files/[file].ts).
 */
import { LINK_KINDS, type LinkKind } from '../model/index.ts';
import type { PaperEntry } from './edition.ts';
import { absoluteUrl, href } from './site.ts';

const LABELS: Record<LinkKind, string> = {
  pdf: 'PDF',
  arxiv: 'arXiv',
  code: 'Code',
  data: 'Data',
  slides: 'Slides',
  video: 'Video',
};

/** `12-pdf-1a2b3c4d5e.pdf` of `./files/12-pdf-1a2b3c4d5e.pdf` (the model allows no other folder). */
export const fileName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** The path inside the site of a paper's mirrored file: `2024_2/files/12-pdf-1a2b3c4d5e.pdf`. */
function filePath(paper: PaperEntry, file: string): string {
  const edition = paper.id.slice(0, paper.id.indexOf('/')); // collection ids are `<edition>/<id>`
  return `${edition}/files/${fileName(file)}`;
}

/** The paper's links in LINK_KINDS order: a mirrored file (under the base path) wins over a link of the same kind. */
export function paperLinks(paper: PaperEntry): { kind: LinkKind; label: string; url: string }[] {
  const { links, files = {} } = paper.data;
  return LINK_KINDS.flatMap((kind) => {
    const file = files[kind];
    const url = file === undefined ? links[kind] : href(filePath(paper, file));
    return url === undefined ? [] : [{ kind, label: LABELS[kind], url }];
  });
}

/**
 * The absolute URL of the paper's PDF, for `citation_pdf_url`: its link, or its mirrored copy on this site (only when
 * the site's address is known, `site`: a crawler needs an absolute URL).
 */
export function pdfUrl(paper: PaperEntry, site: URL | undefined): string | undefined {
  const file = paper.data.files?.pdf;
  if (file === undefined) return paper.data.links.pdf;
  return site ? absoluteUrl(filePath(paper, file), site) : undefined;
}
