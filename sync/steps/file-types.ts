/**
 * What a paper's link column may hold as a file attached in Airtable, by the kind of link: the types accepted, told
 * by the file's content (its signature, with file-type), never by its name or the type it claims; and whether the
 * bytes hold a whole file, not the first part of one. Never HTML, SVG, scripts or programs: the site serves these
 * files from its own address, where such a file could run.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { FILE_EXTENSIONS, LinkKind } from '../../src/model/index.ts';
import { isWholeImage } from './photo-downloads.ts';

type Extension = (typeof FILE_EXTENSIONS)[number];

/** Every type a file may have, with the extension it is stored under and its name in messages. */
const TYPES = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { ext: 'pptx', label: 'PowerPoint (.pptx)' },
  'application/vnd.apple.keynote': { ext: 'key', label: 'Keynote' },
  'application/vnd.oasis.opendocument.presentation': { ext: 'odp', label: 'OpenDocument presentation (.odp)' },
  'image/png': { ext: 'png', label: 'PNG' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG' },
  'application/zip': { ext: 'zip', label: 'ZIP' },
} as const satisfies Record<string, { ext: Extension; label: string }>;

export type FileType = keyof typeof TYPES;

/**
 * The types accepted in each kind of link column (see docs/sync.md, "Files attached to papers"). The PDF and arXiv
 * columns take a PDF only; slides also a presentation or a poster's image; code and data a ZIP archive; a video is
 * never stored (link to where it is hosted).
 */
export const ACCEPTED: Record<LinkKind, readonly FileType[]> = {
  pdf: ['application/pdf'],
  arxiv: ['application/pdf'],
  code: ['application/zip'],
  data: ['application/zip'],
  slides: [
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.apple.keynote',
    'application/vnd.oasis.opendocument.presentation',
    'image/png',
    'image/jpeg',
  ],
  video: [],
};

/** "PDF", or "PDF, Keynote or PNG": the accepted types of a kind, for messages. */
export function acceptedLabel(kind: LinkKind): string {
  const labels = ACCEPTED[kind].map((type) => TYPES[type].label);
  return labels.length <= 1 ? (labels[0] ?? 'nothing') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)!}`;
}

/** The extension a file of `type` is stored under, if `type` is one a file may have. */
export function extensionOf(type: string | undefined): Extension | undefined {
  return type !== undefined && Object.hasOwn(TYPES, type) ? TYPES[type as FileType].ext : undefined;
}

/** file-type looks past a UTF-8 byte-order mark and an ID3 tag; a file must start with its own signature. */
const SKIPPED_PREFIXES = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ID3')];

/** The type of `bytes` by their signature, if it is one of TYPES (else undefined: HTML, SVG, a program, text…). */
export async function sniffFileType(bytes: Uint8Array): Promise<FileType | undefined> {
  if (SKIPPED_PREFIXES.some((prefix) => Buffer.from(bytes.subarray(0, prefix.length)).equals(prefix))) return undefined;
  const mime = (await fileTypeFromBuffer(bytes))?.mime;
  return mime !== undefined && Object.hasOwn(TYPES, mime) ? (mime as FileType) : undefined;
}

/** The ZIP end-of-central-directory record's signature, within the last 64 KiB + 22 bytes of every whole ZIP. */
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * Whether `bytes` of `type` (as sniffed) hold a whole file: a PDF has its `%%EOF` marker in its last kilobyte (where
 * readers look for it), a ZIP (and a presentation, which is one) its end-of-directory record, an image its end.
 */
export function isWholeFile(bytes: Uint8Array, type: FileType): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'application/pdf':
      return buffer.subarray(0, 5).toString('latin1') === '%PDF-' && buffer.subarray(-1024).includes('%%EOF', 0, 'latin1');
    case 'image/png':
    case 'image/jpeg':
      return isWholeImage(bytes, type);
    default:
      return buffer.subarray(-(65_536 + 22)).includes(ZIP_END);
  }
}
