import { Codec } from './codec.js';
import type { Descriptor, JsonValue } from './codec.js';
import { CodecError } from './errors.js';
import { expectString, jsonTypeOf } from './json.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** One byte, 0x00 false or 0x01 true. JSON: true/false. */
class BoolCodec extends Codec<boolean> {
  readonly descriptor: Descriptor = { kind: 'bool' };

  write(writer: Writer, value: boolean): void {
    if (typeof value !== 'boolean') throw new CodecError('INVALID_VALUE', `expected a boolean, got ${typeof value}`);
    writer.u8(value ? 1 : 0);
  }

  read(reader: Reader): boolean {
    const byte = reader.u8();
    if (byte > 1) throw new CodecError('INVALID_BOOLEAN', `boolean byte is 0x${byte.toString(16)}, not 0x00 or 0x01`);
    return byte === 1;
  }

  toJson(value: boolean): JsonValue {
    return value;
  }

  fromJson(json: unknown): boolean {
    if (typeof json !== 'boolean') throw new CodecError('INVALID_JSON', `expected a boolean, got ${jsonTypeOf(json)}`);
    return json;
  }
}

/** Unsigned integer of 1, 2 or 4 bytes, big-endian, optionally capped below its width. JSON: a number. */
class UintCodec extends Codec<number> {
  readonly descriptor: Descriptor;
  private readonly bytes: 1 | 2 | 4;
  private readonly max: number;

  constructor(bytes: 1 | 2 | 4, max: number) {
    super();
    this.bytes = bytes;
    this.max = max;
    this.descriptor = { kind: 'uint', bytes, max };
  }

  private check(value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > this.max) {
      throw new CodecError('OUT_OF_RANGE', `${String(value)} is not an integer in [0, ${this.max}]`);
    }
    return value;
  }

  write(writer: Writer, value: number): void {
    this.check(value);
    if (this.bytes === 1) writer.u8(value);
    else if (this.bytes === 2) writer.u16(value);
    else writer.u32(value);
  }

  read(reader: Reader): number {
    const value = this.bytes === 1 ? reader.u8() : this.bytes === 2 ? reader.u16() : reader.u32();
    return this.check(value);
  }

  toJson(value: number): JsonValue {
    return value;
  }

  fromJson(json: unknown): number {
    if (typeof json !== 'number') throw new CodecError('INVALID_JSON', `expected a number, got ${jsonTypeOf(json)}`);
    return this.check(json);
  }
}

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * 64-bit integer as a bigint: eight bytes big-endian (two's complement when signed). JSON: a
 * decimal string without sign for zero, leading zeros or '+', so that it survives JSON parsers
 * that turn numbers into doubles.
 */
class Int64Codec extends Codec<bigint> {
  readonly descriptor: Descriptor;
  private readonly signed: boolean;
  private readonly min: bigint;
  private readonly max: bigint;

  constructor(signed: boolean, min: bigint, max: bigint) {
    super();
    this.signed = signed;
    this.min = min;
    this.max = max;
    this.descriptor = { kind: signed ? 'int64' : 'uint64', min, max };
  }

  private check(value: unknown): bigint {
    if (typeof value !== 'bigint') throw new CodecError('INVALID_VALUE', `expected a bigint, got ${typeof value}`);
    if (value < this.min || value > this.max) {
      throw new CodecError('OUT_OF_RANGE', `${value} is outside [${this.min}, ${this.max}]`);
    }
    return value;
  }

  write(writer: Writer, value: bigint): void {
    this.check(value);
    if (this.signed) writer.i64(value);
    else writer.u64(value);
  }

  read(reader: Reader): bigint {
    return this.check(this.signed ? reader.i64() : reader.u64());
  }

  toJson(value: bigint): JsonValue {
    return value.toString();
  }

  fromJson(json: unknown): bigint {
    const text = expectString(json, 'a 64-bit integer');
    if (!DECIMAL.test(text) || text === '-0') {
      throw new CodecError('INVALID_JSON', `"${text.slice(0, 40)}" is not a canonical decimal integer`);
    }
    return this.check(BigInt(text));
  }
}

export const bool: Codec<boolean> = new BoolCodec();
export const u8: Codec<number> = new UintCodec(1, 0xff);
export const u16: Codec<number> = new UintCodec(2, 0xffff);
export const u32: Codec<number> = new UintCodec(4, 0xffffffff);

/** A u8/u16/u32 capped at `max` (e.g. account mode bits). */
export function uint(bytes: 1 | 2 | 4, max: number): Codec<number> {
  return new UintCodec(bytes, max);
}

export const int64: Codec<bigint> = new Int64Codec(true, INT64_MIN, INT64_MAX);
export const uint64: Codec<bigint> = new Int64Codec(false, 0n, UINT64_MAX);

/** A signed 64-bit field restricted to [min, max] (e.g. versions, where −1 means "none"). */
export function int64Range(min: bigint, max: bigint = INT64_MAX): Codec<bigint> {
  return new Int64Codec(true, min, max);
}
