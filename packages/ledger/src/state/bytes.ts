import { LedgerError } from '../errors.js';

/** Small byte helpers for storage keys: fixed-width big-endian integers sort like the numbers. */

const TWO_TO_32 = 2 ** 32;

export function u64be(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  // Heights, revisions and positions are safe integers: two 32-bit halves, no BigInt or DataView
  // (this runs several times per transaction).
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    writeU64be(out, 0, value);
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

/** Writes a non-negative safe integer as 64 bits big-endian at `offset`: two 32-bit halves. */
export function writeU64be(out: Uint8Array, offset: number, value: number): void {
  writeU32be(out, offset, Math.floor(value / TWO_TO_32));
  writeU32be(out, offset + 4, value % TWO_TO_32);
}

/** Writes a 32-bit value big-endian at `offset`, no temporary array or DataView. */
export function writeU32be(out: Uint8Array, offset: number, value: number): void {
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

// Node's native latin1 decoder takes any Uint8Array as `this`: calling it directly skips the
// Buffer object that Buffer.from(view) would allocate for every key (tree walks make several per node).
const latin1Slice = Buffer.prototype.latin1Slice as unknown as (this: Uint8Array, start: number, end: number) => string;

const latin1WriteInto = Buffer.prototype.latin1Write as unknown as (this: Uint8Array, text: string, offset: number, length: number) => number;

/** Writes a latin1 string (from `bytesKey`) back as bytes into `target`, which it must fit. */
export function latin1Write(target: Uint8Array, text: string): void {
  latin1WriteInto.call(target, text, 0, text.length);
}

/**
 * A Map key for bytes[start, end): one char per byte, so equal bytes give equal strings and
 * order is kept. A range of a larger array (an id inside a node record) needs no view of its own.
 */
export function bytesKey(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return latin1Slice.call(bytes, start, end);
}

/**
 * Hands out small zeroed views cut from shared slabs. For arrays made by the thousand per block
 * (node records and locations, cached nodes read back): V8 gives each typed array over 64 bytes
 * an off-heap buffer of its own, and allocating and collecting those was a large share of a
 * block's work. A slab is never reused; it lives while any view into it does.
 */
export class ByteArena {
  #slab = new Uint8Array(0);
  #used = 0;

  constructor(private readonly slabBytes: number) {}

  take(length: number): Uint8Array {
    if (this.#used + length > this.#slab.length) {
      this.#slab = new Uint8Array(Math.max(this.slabBytes, length));
      this.#used = 0;
    }
    this.#used += length;
    return this.#slab.subarray(this.#used - length, this.#used);
  }
}

/** Equal bytes; compares from the end, where hashes and keys that end in one differ soonest. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
