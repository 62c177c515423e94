import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BftRecordFile } from '@jadechain/consensus';
import { ClusterError } from './errors.js';

/** File name of a ledger's consensus record, inside the ledger's directory. */
export const RECORD_FILE_NAME = 'consensus-record';
/** "JCR1": JadeChain consensus record, layout 1. */
const MAGIC = Uint8Array.of(0x4a, 0x43, 0x52, 0x31);
const HEADER_BYTES = MAGIC.length + 4;
const CHECKSUM_BYTES = 32;

/**
 * The BFT write-ahead record of one ledger (spec/consensus.md §6) in `<ledger path>/consensus-record`:
 * "JCR1" ‖ u32 length (big-endian) ‖ record ‖ SHA-256 of everything before. A write goes to a
 * temporary file which is flushed, renamed over the record and followed by a flush of the
 * directory, so a crash leaves the old record or the new one. A file that is present but does not
 * check out is a start-up error (RECORD_CORRUPT): starting without the record could make this node
 * sign twice.
 */
export class DurableRecordFile implements BftRecordFile {
  readonly path: string;
  #current: Uint8Array | undefined;
  /** Writes in order: a later record never lands before an earlier one. */
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, current: Uint8Array | undefined) {
    this.path = path;
    this.#current = current;
  }

  /** Opens the record of the ledger whose LMDB environment is in `ledgerDirectory`. */
  static open(ledgerDirectory: string): DurableRecordFile {
    const path = join(ledgerDirectory, RECORD_FILE_NAME);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DurableRecordFile(path, undefined);
      throw new ClusterError('RECORD_UNAVAILABLE', `cannot read the consensus record ${path}: ${(error as Error).message}`);
    }
    return new DurableRecordFile(path, unwrap(bytes, path));
  }

  read(): Uint8Array | undefined {
    return this.#current;
  }

  write(record: Uint8Array): Promise<void> {
    const write = this.#writes.then(() => this.#replace(record));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async #replace(record: Uint8Array): Promise<void> {
    const temporary = `${this.path}.tmp`;
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(wrap(record));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    syncDirectory(dirname(this.path));
    this.#current = record;
  }
}

function checksum(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function wrap(record: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + record.length + CHECKSUM_BYTES);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(MAGIC.length, record.length);
  out.set(record, HEADER_BYTES);
  out.set(checksum(out.subarray(0, HEADER_BYTES + record.length)), HEADER_BYTES + record.length);
  return out;
}

function unwrap(bytes: Uint8Array, path: string): Uint8Array {
  const corrupt = (why: string): ClusterError =>
    new ClusterError('RECORD_CORRUPT', `the consensus record ${path} is ${why}; restore it from a backup, or move it away only if this node never signed at the heights it holds`);
  if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES || !MAGIC.every((byte, index) => bytes[index] === byte)) throw corrupt('not a consensus record (torn or overwritten)');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length);
  if (bytes.length !== HEADER_BYTES + length + CHECKSUM_BYTES) throw corrupt(`${bytes.length} bytes long where its header says ${HEADER_BYTES + length + CHECKSUM_BYTES} (torn)`);
  const expected = checksum(bytes.subarray(0, HEADER_BYTES + length));
  if (Buffer.compare(expected, bytes.subarray(HEADER_BYTES + length)) !== 0) throw corrupt('damaged (its checksum does not match)');
  // A plain Uint8Array copy (not a view of the Buffer read from disk).
  return new Uint8Array(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length));
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
function syncDirectory(directory: string): void {
  const descriptor = openSync(directory, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
