import { CodecError } from './errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/** A JSON value as produced by `toJson` (and accepted, after checks, by `fromJson`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type CryptoValueType = 'hash' | 'pubkey' | 'signature' | 'address';

export interface FieldDescriptor {
  readonly name: string;
  readonly codec: Codec<unknown>;
}

export interface VariantDescriptor {
  readonly name: string;
  readonly code: number;
  readonly fields: readonly FieldDescriptor[];
}

/**
 * What a codec is, for tools that walk schemas (the spec tables, the property tests that generate
 * arbitrary values of every structure). Encoding never looks at it.
 */
export type Descriptor =
  | { readonly kind: 'bool' }
  | { readonly kind: 'uint'; readonly bytes: 1 | 2 | 4; readonly max: number }
  | { readonly kind: 'int64' | 'uint64'; readonly min: bigint; readonly max: bigint }
  | { readonly kind: 'bytes'; readonly min: number; readonly max: number }
  | {
      readonly kind: 'text';
      readonly min: number;
      readonly max: number;
      readonly pattern?: RegExp;
      readonly jsonText?: boolean;
    }
  | { readonly kind: 'crypto'; readonly type: CryptoValueType }
  | { readonly kind: 'algorithm'; readonly algorithmKind: 'hash' | 'signature' }
  | { readonly kind: 'optional'; readonly inner: Codec<unknown> }
  | {
      readonly kind: 'list';
      readonly item: Codec<unknown>;
      readonly min: number;
      readonly max: number;
      readonly canonicalSet: boolean;
    }
  | { readonly kind: 'map'; readonly key: Codec<string>; readonly value: Codec<unknown>; readonly max: number }
  | { readonly kind: 'enum'; readonly name: string; readonly codes: ReadonlyMap<string, number> }
  | { readonly kind: 'bitset'; readonly name: string; readonly bytes: 1 | 2 | 4; readonly codes: ReadonlyMap<string, number> }
  | { readonly kind: 'struct'; readonly fields: readonly FieldDescriptor[] }
  | {
      readonly kind: 'record';
      readonly name: string;
      readonly typeCode: number;
      readonly version: number;
      readonly fields: readonly FieldDescriptor[];
    }
  | {
      readonly kind: 'union';
      readonly name: string;
      readonly tagBytes: 1 | 2;
      readonly versioned: boolean;
      readonly variants: readonly VariantDescriptor[];
    };

/** Writers above this size are not kept for reuse, so one huge encoding does not pin memory. */
const REUSABLE_WRITER_LIMIT = 1 << 20;
let spareWriter: Writer | undefined = new Writer();

/**
 * A codec is the single definition of a type: its canonical binary encoding (`write`/`read`), its
 * JSON form (`toJson`/`fromJson`) and, through `Infer`, its TypeScript type. Binary decoding is
 * strict: every value has exactly one encoding and anything else is refused with a CodecError.
 */
export abstract class Codec<T> {
  abstract readonly descriptor: Descriptor;

  /** Appends the encoding of `value`; throws CodecError if `value` breaks the field's rules. */
  abstract write(writer: Writer, value: T): void;

  /** Reads one value at the reader's offset. */
  abstract read(reader: Reader): T;

  abstract toJson(value: T): JsonValue;

  /** Checks and converts a parsed JSON value; as strict as `read`. */
  abstract fromJson(json: unknown): T;

  /** The canonical encoding of `value`. */
  encode(value: T): Uint8Array {
    const writer = spareWriter ?? new Writer();
    // Taken while in use, so a nested encode() gets its own writer.
    spareWriter = undefined;
    try {
      writer.reset();
      this.write(writer, value);
      return writer.finish();
    } finally {
      if (writer.capacity <= REUSABLE_WRITER_LIMIT) spareWriter = writer;
    }
  }

  /** Decodes exactly one value filling all of `bytes`. */
  decode(bytes: Uint8Array): T {
    const reader = new Reader(bytes);
    const value = this.read(reader);
    if (reader.remaining !== 0) {
      throw new CodecError('TRAILING_BYTES', `${reader.remaining} byte(s) after the end of the value`);
    }
    return value;
  }

  toJsonText(value: T): string {
    return JSON.stringify(this.toJson(value));
  }

  /** Parses JSON text and decodes it; duplicate member names resolve as JSON.parse does (last wins). */
  fromJsonText(text: string): T {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CodecError('INVALID_JSON', `not JSON text: ${(error as Error).message}`);
    }
    return this.fromJson(parsed);
  }
}

/** The TypeScript type a codec encodes. */
export type Infer<C> = C extends Codec<infer T> ? T : never;
