import { fromBase64, toBase64 } from './base64.js';
import { Codec } from './codec.js';
import type { Descriptor, JsonValue } from './codec.js';
import { CodecError } from './errors.js';
import { expectString } from './json.js';
import type { Reader } from './reader.js';
import { utf8Length } from './utf8.js';
import type { Writer } from './writer.js';

function checkLength(length: number, min: number, max: number, unit: string): void {
  if (length < min || length > max) {
    throw new CodecError('LENGTH_OUT_OF_RANGE', `length ${length} ${unit} is outside [${min}, ${max}]`);
  }
}

/** Byte string: varint length, then the bytes. JSON: canonical base64 (RFC 4648 §4). */
class BytesCodec extends Codec<Uint8Array> {
  readonly descriptor: Descriptor;
  private readonly min: number;
  private readonly max: number;

  constructor(min: number, max: number) {
    super();
    this.min = min;
    this.max = max;
    this.descriptor = { kind: 'bytes', min, max };
  }

  write(writer: Writer, value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw new CodecError('INVALID_VALUE', 'expected a Uint8Array');
    checkLength(value.length, this.min, this.max, 'bytes');
    writer.varint(value.length);
    writer.bytes(value);
  }

  read(reader: Reader): Uint8Array {
    const length = reader.varint();
    checkLength(length, this.min, this.max, 'bytes');
    return reader.bytesCopy(length);
  }

  toJson(value: Uint8Array): JsonValue {
    return toBase64(value);
  }

  fromJson(json: unknown): Uint8Array {
    const value = fromBase64(expectString(json, 'base64 bytes'));
    checkLength(value.length, this.min, this.max, 'bytes');
    return value;
  }
}

export interface TextOptions {
  /** Minimum UTF-8 length in bytes (default 0). */
  readonly min?: number;
  /** Maximum UTF-8 length in bytes. */
  readonly max: number;
  /** A pattern the whole text must match (checked after the length). */
  readonly pattern?: RegExp;
  /** The text must be a JSON text (RFC 8259); it is kept exactly as given, never re-serialised. */
  readonly jsonText?: boolean;
}

/** Unicode text: varint UTF-8 length, then strict UTF-8. JSON: a string. */
class TextCodec extends Codec<string> {
  readonly descriptor: Descriptor;
  private readonly min: number;
  private readonly max: number;
  private readonly pattern: RegExp | undefined;
  private readonly jsonText: boolean;

  constructor(options: TextOptions) {
    super();
    this.min = options.min ?? 0;
    this.max = options.max;
    this.pattern = options.pattern;
    this.jsonText = options.jsonText ?? false;
    this.descriptor = {
      kind: 'text',
      min: this.min,
      max: this.max,
      ...(options.pattern === undefined ? {} : { pattern: options.pattern }),
      ...(this.jsonText ? { jsonText: true } : {}),
    };
  }

  private checkRules(value: string): void {
    if (this.pattern !== undefined && !this.pattern.test(value)) {
      throw new CodecError('INVALID_VALUE', `"${value.slice(0, 40)}" does not match ${String(this.pattern)}`);
    }
    if (this.jsonText) {
      try {
        JSON.parse(value);
      } catch {
        throw new CodecError('INVALID_VALUE', 'text is not valid JSON');
      }
    }
  }

  /** Checks a string from either side (value or JSON) and returns its UTF-8 length. */
  private check(value: unknown): number {
    if (typeof value !== 'string') throw new CodecError('INVALID_VALUE', `expected a string, got ${typeof value}`);
    const length = utf8Length(value);
    checkLength(length, this.min, this.max, 'UTF-8 bytes');
    this.checkRules(value);
    return length;
  }

  write(writer: Writer, value: string): void {
    const length = this.check(value);
    writer.varint(length);
    writer.utf8(value, length);
  }

  read(reader: Reader): string {
    const length = reader.varint();
    checkLength(length, this.min, this.max, 'UTF-8 bytes');
    const value = reader.utf8(length);
    this.checkRules(value);
    return value;
  }

  toJson(value: string): JsonValue {
    return value;
  }

  fromJson(json: unknown): string {
    const value = expectString(json, 'text');
    this.check(value);
    return value;
  }
}

export function bytes(min: number, max: number): Codec<Uint8Array> {
  return new BytesCodec(min, max);
}

export function text(options: TextOptions): Codec<string> {
  return new TextCodec(options);
}
