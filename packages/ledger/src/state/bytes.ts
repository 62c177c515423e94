import { LedgerError } from '../errors.js';

/** Small byte helpers for storage keys: fixed-width big-endian integers sort like the numbers. */

const TWO_TO_32 = 2 ** 32;

export function u64be(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  // Heights, revisions and positions are safe integers: two 32-bit halves, no BigInt or DataView
  // (this runs several times per transaction).
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    writeU32be(out, 0, Math.floor(value / TWO_TO_32));
    writeU32be(out, 4, value % TWO_TO_32);
  } else {
    new DataView(out.buffer).setBigUint64(0, BigInt(value));
  }
  return out;
}

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function writeU32be(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

export function readU64be(bytes: Uint8Array, offset = 0): number {
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
  // Heights, revisions and counts stay far below 2^53; a larger number means corrupt data.
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new LedgerError('CORRUPT_STATE', `stored integer ${value} is out of range`);
  return Number(value);
}

export function readU32be(bytes: Uint8Array, offset = 0): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Joins byte strings: `concatBytes`, or a `ScratchJoiner`'s join. */
export type JoinBytes = (...parts: readonly Uint8Array[]) => Uint8Array;

/**
 * Joins parts into one reused buffer, for values handed straight to a storage batch (which
 * copies them at once): a block writes ≈ 20,000 of them, and an own buffer each (off-heap
 * beyond 64 bytes) was a large share of the block's garbage. The result is valid only until
 * the next call.
 */
export class ScratchJoiner {
  private buffer = new Uint8Array(4096);

  readonly join: JoinBytes = (...parts) => {
    let length = 0;
    for (const part of parts) length += part.length;
    if (length > this.buffer.length) this.buffer = new Uint8Array(Math.max(length, this.buffer.length * 2));
    let offset = 0;
    for (const part of parts) {
      this.buffer.set(part, offset);
      offset += part.length;
    }
    return this.buffer.subarray(0, length);
  };
}

/** A Map key for bytes: one char per byte, so equal bytes give equal strings and order is kept. */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
