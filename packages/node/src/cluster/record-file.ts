import { createHash } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, openSync, readFileSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { BftRecordFile } from '@jadechain/consensus';
import { ClusterError } from './errors.js';

/** The two slot files of a ledger's consensus record, inside the ledger's directory. */
export const RECORD_FILE_NAMES = ['consensus-record.0', 'consensus-record.1'] as const;
/** "JCR2": JadeChain consensus record, layout 2 (two slots written in place). */
const MAGIC = Uint8Array.of(0x4a, 0x43, 0x52, 0x32);
const HEADER_BYTES = MAGIC.length + 8 + 4;
const CHECKSUM_BYTES = 32;

interface Slot {
  readonly sequence: bigint;
  readonly record: Uint8Array;
}

/**
 * The BFT write-ahead record of one ledger (spec/consensus.md §6), in two slot files written in
 * turn, in place: "JCR2" ‖ u64 sequence ‖ u32 length (big-endian) ‖ record ‖ SHA-256 of
 * everything before. A write overwrites the older slot and flushes it (fdatasync); the record is
 * the valid slot with the higher sequence. A crash mid-write tears only the slot being written,
 * whose record was never reported durable, and the other slot still holds the one before. So a
 * write costs one positioned write and one data flush, both off the event loop, on descriptors
 * opened once, with no rename or directory flush (the slot files are created, and their
 * directory flushed, once at open). A slot is not truncated: bytes after its checksum are what
 * is left of a longer, older record, and reading ignores them. Slots that exist but none of
 * which checks out are a start-up error (RECORD_CORRUPT): starting without the record could make
 * this node sign twice.
 */
export class DurableRecordFile implements BftRecordFile {
  readonly #descriptors: readonly [number, number];
  #current: Slot | undefined;
  /** Writes in order: a later record never lands before an earlier one. */
  #writes: Promise<void> = Promise.resolve();

  private constructor(descriptors: readonly [number, number], current: Slot | undefined) {
    this.#descriptors = descriptors;
    this.#current = current;
  }

  /** Opens (creating the slot files of) the record of the ledger whose LMDB environment is in `ledgerDirectory`. */
  static open(ledgerDirectory: string): DurableRecordFile {
    const paths = [join(ledgerDirectory, RECORD_FILE_NAMES[0]), join(ledgerDirectory, RECORD_FILE_NAMES[1])] as const;
    const slots = paths.map((path) => readSlot(path));
    const valid = slots.filter((slot): slot is Slot => slot !== undefined && slot !== 'EMPTY' && slot !== 'INVALID');
    if (valid.length === 0 && slots.includes('INVALID')) {
      throw new ClusterError(
        'RECORD_CORRUPT',
        `the consensus record in ${ledgerDirectory} is damaged (no slot checks out); restore it from a backup, or move it away only if this node never signed at the heights it holds`,
      );
    }
    if (slots.includes(undefined)) createSlots(ledgerDirectory, paths);
    const current = valid.reduce<Slot | undefined>((best, slot) => (best === undefined || slot.sequence > best.sequence ? slot : best), undefined);
    return new DurableRecordFile([openSync(paths[0], 'r+'), openSync(paths[1], 'r+')], current);
  }

  read(): Uint8Array | undefined {
    return this.#current?.record;
  }

  write(record: Uint8Array): Promise<void> {
    const write = this.#writes.then(() => this.#writeSlot(record));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  /** Lets go of the slot files once the writes queued so far are done; the record is not written after. */
  async close(): Promise<void> {
    await this.#writes;
    for (const descriptor of this.#descriptors) closeSync(descriptor);
  }

  async #writeSlot(record: Uint8Array): Promise<void> {
    const sequence = (this.#current?.sequence ?? -1n) + 1n;
    const bytes = wrap(sequence, record);
    const descriptor = this.#descriptors[Number(sequence % 2n)] as number;
    await writeAt(descriptor, bytes, 0, bytes.length, 0);
    await flushData(descriptor);
    this.#current = { sequence, record };
  }
}

const writeAt = promisify(write);
const flushData = promisify(fdatasync);

/** A slot's content: undefined when the file is missing, EMPTY when never written, INVALID when torn or damaged. */
function readSlot(path: string): Slot | 'EMPTY' | 'INVALID' | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClusterError('RECORD_UNAVAILABLE', `cannot read the consensus record ${path}: ${(error as Error).message}`);
  }
  if (bytes.length === 0) return 'EMPTY';
  if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES || !MAGIC.every((byte, index) => bytes[index] === byte)) return 'INVALID';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sequence = view.getBigUint64(MAGIC.length);
  const length = view.getUint32(MAGIC.length + 8);
  if (bytes.length < HEADER_BYTES + length + CHECKSUM_BYTES) return 'INVALID';
  const stored = bytes.subarray(HEADER_BYTES + length, HEADER_BYTES + length + CHECKSUM_BYTES);
  if (Buffer.compare(checksum(bytes.subarray(0, HEADER_BYTES + length)), stored) !== 0) return 'INVALID';
  // A plain Uint8Array copy (not a view of the Buffer read from disk).
  return { sequence, record: new Uint8Array(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length)) };
}

function checksum(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function wrap(sequence: bigint, record: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + record.length + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  view.setBigUint64(MAGIC.length, sequence);
  view.setUint32(MAGIC.length + 8, record.length);
  out.set(record, HEADER_BYTES);
  out.set(checksum(out.subarray(0, HEADER_BYTES + record.length)), HEADER_BYTES + record.length);
  return out;
}

/** Creates the missing slot files empty and makes their directory entries durable. */
function createSlots(directory: string, paths: readonly string[]): void {
  for (const path of paths) closeSync(openSync(path, 'a', 0o600));
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
