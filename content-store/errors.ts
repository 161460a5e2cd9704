/**
 * The content store's errors, each one actionable line: invalid content (which file, entry and field), a write
 * journal that cannot be applied, a write that failed (which file, and what the errno means for the person who has
 * to free the disk or fix the permissions).
 */

/** Invalid content: says which file, entry and field, and what to do. */
export class ContentError extends Error {
  override name = 'ContentError';
  readonly file: string;
  constructor(file: string, where: string, problem: string) {
    super(`${file}${where ? `, ${where}` : ''}: ${problem}. Fix it in the source (or in ${file}) and build again.`);
    this.file = file;
  }
}

/** The journal cannot be applied: damaged, or a staged file it names is gone. Says what to do. */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** A file of the plan could not be written. `committed`: the journal was written, the next sync completes it. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly file: string;
  readonly code: string | undefined;
  readonly committed: boolean;
  constructor(file: string, cause: unknown, committed: boolean) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`${file}: ${code ?? String(cause)}`, { cause });
    this.file = file;
    this.code = code;
    this.committed = committed;
  }
}

/** What an errno means for the person who has to free the disk or fix the permissions. */
export function describeWriteError(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (ENOSPC). Free space on the disk that holds content/';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT). Free space or raise the quota';
    case 'EFBIG':
      return 'a file is larger than this process may write (EFBIG). Raise the file-size limit of the sync (ulimit -f)';
    case 'EROFS':
      return 'the disk is read-only (EROFS). Mount it writable';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}). Let the user that runs the sync write to content/`;
    default:
      return `${code ?? 'an unexpected error'}. Check the disk that holds content/`;
  }
}
