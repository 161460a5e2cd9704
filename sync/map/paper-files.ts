/**
 * Files attached in a paper's link columns (a PDF attached in Airtable's PDF column): the mapping keeps the
 * attachment as a reference beside the paper; the mirror step (steps/paper-files.ts) downloads and checks it, and the
 * paper then links to the site's own copy (`files` in the model).
 */
import type { LinkKind, Paper } from '../../src/model/index.ts';
import type { Origin, SourceRow } from '../sources/types.ts';
import { excerpt, type AttachmentRef } from './parse.ts';
import type { RowReader } from './row-reader.ts';
import type { Mapped } from './types.ts';

/** An attachment of a paper's link column, not yet mirrored. */
export interface PaperFileRef {
  kind: LinkKind;
  /** The column it came from, for the messages about it. */
  column: string;
  attachment: AttachmentRef;
}

/** A paper with the row it came from and the files attached in its link columns. */
export interface MappedPaper extends Mapped<Paper> {
  files?: PaperFileRef[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An attachment as Airtable lists it: `{ id: "att…", url, filename, size, type }` (a file name may be missing). */
function isAttachment(value: unknown): value is Record<string, unknown> & { url: string } {
  return isRecord(value) && typeof value['url'] === 'string' && (typeof value['filename'] === 'string' || /^att/.test(String(value['id'])));
}

function toRef(item: Record<string, unknown> & { url: string }): AttachmentRef {
  const ref: AttachmentRef = {
    attachmentId: typeof item['id'] === 'string' ? item['id'] : '',
    filename: typeof item['filename'] === 'string' ? item['filename'] : '',
    url: item.url,
  };
  if (typeof item['size'] === 'number') ref.size = item['size'];
  if (typeof item['type'] === 'string') ref.type = item['type'];
  return ref;
}

/**
 * The file attached in a link column, when the cell holds attachments (an attachment field); undefined for any other
 * cell, which is read as a link. Several files: the first, with a warning naming the others.
 */
export function readLinkFile(row: SourceRow, r: RowReader, column: string | undefined): AttachmentRef | undefined {
  if (column === undefined) return undefined;
  const cell = row.fields[column];
  const items: unknown[] = Array.isArray(cell) ? cell : [cell];
  if (items.length === 0 || !items.every(isAttachment)) return undefined;
  const refs = items.map(toRef);
  const [first] = refs;
  if (refs.length > 1) {
    const name = (ref: AttachmentRef) => `"${excerpt(ref.filename || ref.attachmentId || 'unnamed', 60)}"`;
    const others = refs.slice(1, 4).map(name).join(', ') + (refs.length > 4 ? ', …' : '');
    r.warn(
      column,
      `holds ${refs.length} files; only the first, ${name(first!)}, is published and ${others} left out. Keep one file in this cell.`,
    );
  }
  return first;
}

/** A file to mirror: the attachment, and the paper and row it belongs to. */
export interface PaperFile extends PaperFileRef {
  paperId: string;
  origin: Origin;
}
