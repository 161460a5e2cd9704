/**
 * Reads a JSON file holding one array, an element at a time: a collection of 50,000 papers is never held as one
 * string nor parsed whole. Only the top level is split here; each element is parsed by JSON.parse, so anything that
 * is not exactly one valid JSON array throws a SyntaxError, as JSON.parse of the whole file would.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** The elements of the array in `file`, in order; `chunkBytes` is how much is read at a time. */
export function* readJsonArray(file: string, chunkBytes = 1 << 20): Generator<unknown> {
  const fd = openSync(file, 'r');
  try {
    yield* splitArray(readChunks(fd, chunkBytes));
  } finally {
    closeSync(fd);
  }
}

function* readChunks(fd: number, size: number): Generator<Buffer> {
  for (;;) {
    const buffer = Buffer.alloc(size);
    const read = readSync(fd, buffer);
    if (read === 0) return;
    yield buffer.subarray(0, read);
  }
}

/** Splits the bytes of one JSON array into its elements (structural characters are ASCII, so bytes will do). */
export function* splitArray(chunks: Iterable<Buffer>): Generator<unknown> {
  const invalid = (what: string) => new SyntaxError(`not a JSON array: ${what}`);
  let state: 'before' | 'inside' | 'after' = 'before';
  let depth = 0; // nesting inside the array's elements
  let inString = false;
  let escaped = false;
  let element: Buffer[] = [];
  let elementStart: number; // where the current element starts in the current chunk, or -1
  let afterComma = false;
  const parse = (): unknown => {
    const text = Buffer.concat(element).toString('utf8').trim();
    element = [];
    if (text === '') throw invalid('an empty element');
    return JSON.parse(text);
  };
  for (const chunk of chunks) {
    elementStart = state === 'inside' && (element.length > 0 || depth > 0 || inString) ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (state !== 'inside') {
        if (isSpace(byte)) continue;
        if (state === 'after' || byte !== OPEN_ARRAY)
          throw invalid(state === 'after' ? 'something follows the array' : 'it does not start with "["');
        state = 'inside';
        continue;
      }
      if (inString) {
        // Jump to the string's closing quote (or the chunk's end), stopping at an escape on the way.
        if (escaped) {
          escaped = false;
          continue;
        }
        const quote = chunk.indexOf(QUOTE, i);
        const end = quote === -1 ? chunk.length : quote;
        const slash = chunk.subarray(i, end).indexOf(BACKSLASH);
        if (slash !== -1) {
          i += slash; // the next byte is escaped
          escaped = true;
        } else {
          i = end;
          inString = quote === -1;
        }
        continue;
      }
      if (byte === QUOTE) {
        inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        depth++;
      } else if (depth > 0 && (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT)) {
        depth--;
      } else if (depth === 0 && (byte === COMMA || byte === CLOSE_ARRAY)) {
        if (elementStart >= 0) element.push(chunk.subarray(elementStart, i));
        elementStart = -1;
        const empty = element.every((part) => part.every(isSpace));
        if (byte === CLOSE_ARRAY && empty && !afterComma) {
          element = [];
        } else {
          yield parse();
        }
        afterComma = byte === COMMA;
        if (byte === CLOSE_ARRAY) state = 'after';
        continue;
      }
      if (elementStart < 0 && !isSpace(byte)) elementStart = i;
    }
    if (elementStart >= 0) element.push(chunk.subarray(elementStart));
  }
  if (state !== 'after') throw invalid(state === 'before' ? 'the file is empty' : 'it ends before its closing "]"');
}
