import { CodecError } from './errors.js';
import { readUtf8 } from './utf8.js';

/** A cursor over encoded bytes; every read checks that the bytes are there. */
export class Reader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** Offset of the next byte to read. */
  offset = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(count: number): void {
    if (this.offset + count > this.bytes.length) {
      throw new CodecError('TRUNCATED', `needs ${count} more byte(s), ${this.remaining} left`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] as number;
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  i64(): bigint {
    this.need(8);
    const value = this.view.getBigInt64(this.offset);
    this.offset += 8;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  /** Unsigned LEB128 in [0, 2^32 − 1]; refuses non-minimal forms and overflow. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let index = 0; ; index++) {
      const byte = this.u8();
      // A fifth byte above 0x0f would carry bits beyond 2^32 (or a sixth byte).
      if (index === 4 && byte > 0x0f) throw new CodecError('VARINT_OVERFLOW', 'varint does not fit in 32 bits');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (byte === 0 && index > 0) {
          throw new CodecError('NON_MINIMAL_VARINT', 'varint has a redundant trailing zero group');
        }
        return value;
      }
      scale *= 0x80;
    }
  }

  /** A copy of the next `count` bytes. */
  bytesCopy(count: number): Uint8Array {
    this.need(count);
    const start = this.offset;
    this.offset += count;
    return this.bytes.slice(start, this.offset);
  }

  /** The next `count` bytes without copying (a view of the input). */
  bytesView(count: number): Uint8Array {
    this.need(count);
    const start = this.offset;
    this.offset += count;
    return this.bytes.subarray(start, this.offset);
  }

  /** The next `count` bytes decoded as strict UTF-8. */
  utf8(count: number): string {
    this.need(count);
    const start = this.offset;
    this.offset += count;
    return readUtf8(this.bytes, start, this.offset);
  }

  /** Bytes in [start, end) of the input, without copying (used to compare set elements). */
  span(start: number, end: number): Uint8Array {
    return this.bytes.subarray(start, end);
  }
}
