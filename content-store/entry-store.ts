/**
 * A collection's new entries, held as their JSON text in megabyte blocks, with an index by id; the diff and the write
 * take what they need from here: each entry's fingerprint, and the file's bytes chunk by chunk in id order (the bytes
 * `stableJson` gives for the entries sorted by `compareIds`).
 *
 * With a `spillFile`, every full block moves to that file (a hidden temporary next to the collection file; `close`
 * removes it, and a sync that was killed leaves it to the next one's stale-temp cleanup): what stays in memory per
 * entry is its id, where its text is and its fingerprint, so 50,000 papers cost a few megabytes instead of their
 * ~80 MB of text. If the file cannot be created or written (a read-only or full disk), the blocks stay in memory.
 *
 * Each entry's text is kept indented as the collection file prints it (`arrayChunks`), so that the file's bytes are
 * the blocks' bytes in id order, copied as they are: writing 50,000 papers makes no string per entry.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { compareIds, entryJson, fingerprintOf } from './json.ts';

const BLOCK_BYTES = 1 << 20;
const FIRST = Buffer.from('[\n  ');
const NEXT = Buffer.from(',\n  ');
const END = Buffer.from('\n]\n');
const EMPTY = Buffer.from('[]\n');

/** A block's bytes: in memory, or at `position` in the spill file. */
type Block = { buffer: Buffer } | { position: number };

interface Slot {
  block: number;
  start: number;
  end: number;
  fingerprint: string;
}

export interface EntryStoreOptions {
  /** Where full blocks go (created by the store, removed by `close`). Without it, everything stays in memory. */
  spillFile?: string;
}

export class EntryStore {
  private readonly blocks: Block[] = [];
  private current: Buffer | undefined;
  private used = 0;
  private readonly slots = new Map<string, Slot>();
  private readonly spillFile: string | undefined;
  private spilling: boolean;
  private fd: number | undefined;
  /** Bytes in the spill file so far. */
  private position = 0;

  constructor(options: EntryStoreOptions = {}) {
    this.spillFile = options.spillFile;
    this.spilling = options.spillFile !== undefined;
  }

  /** A store holding these entries (the first of each id). */
  static of(entries: Iterable<{ id: string }>): EntryStore {
    const store = new EntryStore();
    for (const entry of entries) store.add(entry);
    return store;
  }

  /** Keeps `entry`, unless an entry with its id is kept already (the first one wins): then returns false. */
  add(entry: { id: string }): boolean {
    if (this.slots.has(entry.id)) return false;
    this.slots.set(entry.id, this.append(entryJson(entry)));
    return true;
  }

  /**
   * Puts `entry` in the place of the kept entry with its id (a paper whose mirrored files are known only after its
   * page was mapped); its old text stays, unused, in its block. Returns false when no entry has that id.
   */
  replace(entry: { id: string }): boolean {
    if (!this.slots.has(entry.id)) return false;
    this.slots.set(entry.id, this.append(entryJson(entry)));
    return true;
  }

  /** The kept entry with this id, parsed from its text; undefined when there is none. */
  get(id: string): unknown {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : JSON.parse(this.text(slot));
  }

  /** Writes `entryText`, indented, after the last entry's (in a new block when it does not fit): where it is. */
  private append(entryText: string): Slot {
    const text = entryText.replaceAll('\n', '\n  ');
    const bytes = Buffer.byteLength(text);
    if (!this.current || this.used + bytes > this.current.length) {
      // A block moved to the spill file leaves its buffer free for the next one.
      const free = this.seal() && this.current!.length >= bytes ? this.current : undefined;
      this.current = free ?? Buffer.allocUnsafe(Math.max(BLOCK_BYTES, bytes));
      this.blocks.push({ buffer: this.current });
      this.used = 0;
    }
    const start = this.used;
    this.used += this.current.write(text, start);
    return { block: this.blocks.length - 1, start, end: this.used, fingerprint: fingerprintOf(entryText) };
  }

  /** Whether an entry with this id is kept. */
  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Each entry's fingerprint (the SHA-256 of its stableJson), by id, in the order the entries were added. */
  fingerprints(): Map<string, string> {
    return new Map([...this.slots].map(([id, slot]) => [id, slot.fingerprint]));
  }

  /**
   * The collection file's bytes (`stableJson` of the entries in id order, as `arrayChunks` prints them), read again
   * entry by entry each call (an entry's bytes in memory are a view of its block, not a copy).
   */
  *chunks(): Generator<Uint8Array> {
    const ids = [...this.slots.keys()].sort(compareIds);
    let first = true;
    for (const id of ids) {
      yield first ? FIRST : NEXT;
      yield this.bytes(this.slots.get(id)!);
      first = false;
    }
    yield first ? EMPTY : END;
  }

  /** Removes the spill file. The store is empty afterwards. */
  close(): void {
    this.slots.clear();
    this.blocks.length = 0;
    this.current = undefined;
    this.spilling = false;
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.spillFile!, { force: true });
  }

  private text(slot: Slot): string {
    return this.bytes(slot).toString('utf8');
  }

  /** The slot's bytes: a view of its block in memory, or read from the spill file. */
  private bytes(slot: Slot): Buffer {
    const block = this.blocks[slot.block]!;
    if ('buffer' in block) return block.buffer.subarray(slot.start, slot.end);
    const bytes = Buffer.allocUnsafe(slot.end - slot.start);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(this.fd!, bytes, read, bytes.length - read, block.position + slot.start + read);
      if (n === 0) throw new Error(`the sync's temporary file ${this.spillFile} was cut short; run the sync again.`);
      read += n;
    }
    return bytes;
  }

  /** Moves the current block to the spill file, if there is one and it takes the bytes; true when it did. */
  private seal(): boolean {
    if (!this.current || !this.spilling || this.used === 0) return false;
    try {
      this.fd ??= openSync(this.spillFile!, 'wx+', 0o600);
      let written = 0;
      while (written < this.used) written += writeSync(this.fd, this.current, written, this.used - written, this.position + written);
      this.blocks[this.blocks.length - 1] = { position: this.position };
      this.position += this.used;
      return true;
    } catch {
      this.spilling = false; // a read-only or full disk: the blocks from here on stay in memory
      return false;
    }
  }
}
