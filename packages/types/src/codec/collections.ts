import { Codec } from './codec.js';
import type { Descriptor, JsonValue } from './codec.js';
import { CodecError, rethrowWithin } from './errors.js';
import { expectArray, expectObject } from './json.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** Unsigned lexicographic comparison of two byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** An encoded element inside a writer: its key is bytes [start, keyEnd), the whole is [start, end). */
interface Span {
  start: number;
  keyEnd: number;
  end: number;
}

/**
 * Puts the elements written from `spans[0].start` to the writer's end into ascending order of
 * their keys, refusing equal keys. Elements are usually written in order already, which is
 * checked first without copying.
 */
function canonicalizeSpans(writer: Writer, spans: Span[], what: string): void {
  let ordered = true;
  for (let i = 1; i < spans.length; i++) {
    const order = compareKeys(writer, spans[i - 1] as Span, spans[i] as Span);
    if (order === 0) throw new CodecError('NOT_CANONICAL', `${what} [${i}] repeats an earlier one`);
    if (order > 0) ordered = false;
  }
  if (ordered) return;
  const regionStart = (spans[0] as Span).start;
  const region = writer.written(regionStart, writer.length).slice();
  const keyOf = (span: Span): Uint8Array => region.subarray(span.start - regionStart, span.keyEnd - regionStart);
  const sorted = [...spans].sort((a, b) => compareBytes(keyOf(a), keyOf(b)));
  const reordered = new Uint8Array(region.length);
  let at = 0;
  for (const span of sorted) {
    reordered.set(region.subarray(span.start - regionStart, span.end - regionStart), at);
    at += span.end - span.start;
  }
  writer.rewriteFrom(regionStart, reordered);
}

function compareKeys(writer: Writer, a: Span, b: Span): number {
  return compareBytes(writer.written(a.start, a.keyEnd), writer.written(b.start, b.keyEnd));
}

function checkCount(count: number, min: number, max: number): void {
  if (count < min || count > max) {
    throw new CodecError('LENGTH_OUT_OF_RANGE', `count ${count} is outside [${min}, ${max}]`);
  }
}

/**
 * Value present or absent: 0x00, or 0x01 followed by the value. JSON: the value, or null when
 * absent; inside a structure an absent field is an omitted member instead (null is refused there).
 */
export class OptionalCodec<T> extends Codec<T | undefined> {
  readonly isOptional = true;
  readonly descriptor: Descriptor;
  private readonly inner: Codec<T>;

  constructor(inner: Codec<T>) {
    super();
    this.inner = inner;
    this.descriptor = { kind: 'optional', inner };
  }

  write(writer: Writer, value: T | undefined): void {
    if (value === undefined) {
      writer.u8(0);
    } else {
      writer.u8(1);
      this.inner.write(writer, value);
    }
  }

  read(reader: Reader): T | undefined {
    const presence = reader.u8();
    if (presence === 0) return undefined;
    if (presence !== 1) throw new CodecError('INVALID_BOOLEAN', `presence byte is 0x${presence.toString(16)}`);
    return this.inner.read(reader);
  }

  toJson(value: T | undefined): JsonValue {
    return value === undefined ? null : this.inner.toJson(value);
  }

  fromJson(json: unknown): T | undefined {
    return json === null || json === undefined ? undefined : this.inner.fromJson(json);
  }
}

export interface ListOptions {
  readonly min?: number;
  readonly max: number;
}

/** Sequence: varint count, then each element. JSON: an array. */
class ListCodec<T> extends Codec<readonly T[]> {
  readonly descriptor: Descriptor;
  protected readonly item: Codec<T>;
  protected readonly min: number;
  protected readonly max: number;

  constructor(item: Codec<T>, options: ListOptions, canonicalSet: boolean) {
    super();
    this.item = item;
    this.min = options.min ?? 0;
    this.max = options.max;
    this.descriptor = { kind: 'list', item, min: this.min, max: this.max, canonicalSet };
  }

  protected checkArray(value: unknown): readonly T[] {
    if (!Array.isArray(value)) throw new CodecError('INVALID_VALUE', 'expected an array');
    checkCount(value.length, this.min, this.max);
    return value as readonly T[];
  }

  write(writer: Writer, value: readonly T[]): void {
    this.checkArray(value);
    writer.varint(value.length);
    for (let i = 0; i < value.length; i++) {
      try {
        this.item.write(writer, value[i] as T);
      } catch (error) {
        rethrowWithin(error, `[${i}]`);
      }
    }
  }

  read(reader: Reader): readonly T[] {
    const count = reader.varint();
    checkCount(count, this.min, this.max);
    const out: T[] = [];
    for (let i = 0; i < count; i++) {
      try {
        out.push(this.item.read(reader));
      } catch (error) {
        rethrowWithin(error, `[${i}]`);
      }
    }
    return out;
  }

  toJson(value: readonly T[]): JsonValue {
    return value.map((element) => this.item.toJson(element));
  }

  fromJson(json: unknown): readonly T[] {
    const array = expectArray(json, 'a list');
    checkCount(array.length, this.min, this.max);
    const out: T[] = [];
    for (let i = 0; i < array.length; i++) {
      try {
        out.push(this.item.fromJson(array[i]));
      } catch (error) {
        rethrowWithin(error, `[${i}]`);
      }
    }
    return out;
  }
}

/**
 * A set: encoded as a list whose elements are in strictly ascending order of their encodings.
 * The encoder sorts (the order of the given array does not matter) and refuses repeats; the
 * binary decoder refuses anything out of order; the JSON decoder accepts any order and returns
 * the canonical one.
 */
class SetCodec<T> extends ListCodec<T> {
  constructor(item: Codec<T>, options: ListOptions) {
    super(item, options, true);
  }

  override write(writer: Writer, value: readonly T[]): void {
    this.checkArray(value);
    writer.varint(value.length);
    const spans: Span[] = [];
    for (let i = 0; i < value.length; i++) {
      const start = writer.length;
      try {
        this.item.write(writer, value[i] as T);
      } catch (error) {
        rethrowWithin(error, `[${i}]`);
      }
      spans.push({ start, keyEnd: writer.length, end: writer.length });
    }
    canonicalizeSpans(writer, spans, 'set element');
  }

  override read(reader: Reader): readonly T[] {
    const count = reader.varint();
    checkCount(count, this.min, this.max);
    const out: T[] = [];
    let previousStart = -1;
    let previousEnd = -1;
    for (let i = 0; i < count; i++) {
      const start = reader.offset;
      try {
        out.push(this.item.read(reader));
      } catch (error) {
        rethrowWithin(error, `[${i}]`);
      }
      if (i > 0 && compareBytes(reader.span(previousStart, previousEnd), reader.span(start, reader.offset)) >= 0) {
        throw new CodecError('NOT_CANONICAL', 'set elements are not in strictly ascending order').within(`[${i}]`);
      }
      previousStart = start;
      previousEnd = reader.offset;
    }
    return out;
  }

  override fromJson(json: unknown): readonly T[] {
    const elements = super.fromJson(json);
    // Canonical order comes from the binary form: encode, then decode.
    return this.decode(this.encode(elements));
  }
}

export interface MapOptions {
  readonly max: number;
}

/**
 * Text-keyed map: varint count, then key/value pairs in strictly ascending order of the key's
 * encoding (varint length then UTF-8, i.e. shorter keys first). TypeScript: a plain record.
 * JSON: an object.
 */
class TextMapCodec<V> extends Codec<Readonly<Record<string, V>>> {
  readonly descriptor: Descriptor;
  private readonly key: Codec<string>;
  private readonly value: Codec<V>;
  private readonly max: number;

  constructor(key: Codec<string>, value: Codec<V>, options: MapOptions) {
    super();
    this.key = key;
    this.value = value;
    this.max = options.max;
    this.descriptor = { kind: 'map', key, value, max: this.max };
  }

  write(writer: Writer, map: Readonly<Record<string, V>>): void {
    if (typeof map !== 'object' || map === null) throw new CodecError('INVALID_VALUE', 'expected an object');
    const keys = Object.keys(map);
    checkCount(keys.length, 0, this.max);
    writer.varint(keys.length);
    const spans: Span[] = [];
    for (const key of keys) {
      const start = writer.length;
      try {
        this.key.write(writer, key);
        const keyEnd = writer.length;
        this.value.write(writer, map[key] as V);
        spans.push({ start, keyEnd, end: writer.length });
      } catch (error) {
        rethrowWithin(error, key);
      }
    }
    if (spans.length > 0) canonicalizeSpans(writer, spans, 'map key');
  }

  read(reader: Reader): Readonly<Record<string, V>> {
    const count = reader.varint();
    checkCount(count, 0, this.max);
    const entries: [string, V][] = [];
    let previousStart = -1;
    let previousEnd = -1;
    for (let i = 0; i < count; i++) {
      const start = reader.offset;
      const key = this.key.read(reader);
      if (i > 0 && compareBytes(reader.span(previousStart, previousEnd), reader.span(start, reader.offset)) >= 0) {
        throw new CodecError('NOT_CANONICAL', 'map keys are not in strictly ascending order').within(key);
      }
      previousStart = start;
      previousEnd = reader.offset;
      try {
        entries.push([key, this.value.read(reader)]);
      } catch (error) {
        rethrowWithin(error, key);
      }
    }
    // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
    return Object.fromEntries(entries);
  }

  toJson(map: Readonly<Record<string, V>>): JsonValue {
    return Object.fromEntries(Object.keys(map).map((key) => [key, this.value.toJson(map[key] as V)]));
  }

  fromJson(json: unknown): Readonly<Record<string, V>> {
    const object = expectObject(json, 'a map');
    const entries: [string, V][] = [];
    for (const key of Object.keys(object)) {
      try {
        this.key.fromJson(key);
        entries.push([key, this.value.fromJson(object[key])]);
      } catch (error) {
        rethrowWithin(error, key);
      }
    }
    checkCount(entries.length, 0, this.max);
    return this.decode(this.encode(Object.fromEntries(entries)));
  }
}

export function optional<T>(inner: Codec<T>): OptionalCodec<T> {
  return new OptionalCodec(inner);
}

export function list<T>(item: Codec<T>, options: ListOptions): Codec<readonly T[]> {
  return new ListCodec(item, options, false);
}

export function set<T>(item: Codec<T>, options: ListOptions): Codec<readonly T[]> {
  return new SetCodec(item, options);
}

export function textMap<V>(key: Codec<string>, value: Codec<V>, options: MapOptions): Codec<Readonly<Record<string, V>>> {
  return new TextMapCodec(key, value, options);
}
