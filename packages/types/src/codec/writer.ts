import { CodecError } from './errors.js';
import { writeUtf8 } from './utf8.js';

const INITIAL_CAPACITY = 512;

/**
 * An append-only byte buffer over one growing Uint8Array: encoders write into it directly, so
 * encoding a structure allocates one buffer (plus one copy for the result) instead of one small
 * array per field joined at the end.
 */
export class Writer {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity: number = INITIAL_CAPACITY) {
    this.buffer = new Uint8Array(capacity);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Makes room for `count` more bytes. */
  private reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Size of the underlying buffer. */
  get capacity(): number {
    return this.buffer.length;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
  }

  /** Eight bytes, big-endian two's complement; the caller has checked the range. */
  i64(value: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.length, value);
    this.length += 8;
  }

  /** Eight bytes, big-endian unsigned; the caller has checked the range. */
  u64(value: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, value);
    this.length += 8;
  }

  /** Unsigned LEB128 of a value in [0, 2^32 − 1], in its shortest form. */
  varint(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new CodecError('OUT_OF_RANGE', `varint ${value} is not an integer in [0, 2^32 - 1]`);
    }
    this.reserve(5);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Writes `text` as UTF-8; `byteLength` is its UTF-8 length, from utf8Length(). */
  utf8(text: string, byteLength: number): void {
    this.reserve(byteLength);
    this.length = writeUtf8(text, this.buffer, this.length);
  }

  /** The bytes written in [start, end), without copying; valid until the next write. */
  written(start: number, end: number): Uint8Array {
    return this.buffer.subarray(start, end);
  }

  /** Replaces the bytes from `start` to the end with `data` (used to reorder a set in place). */
  rewriteFrom(start: number, data: Uint8Array): void {
    this.length = start;
    this.bytes(data);
  }

  /** A copy of everything written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** Forgets what was written, keeping the buffer for reuse. */
  reset(): void {
    this.length = 0;
  }
}
