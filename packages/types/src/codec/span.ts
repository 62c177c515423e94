import { Codec } from './codec.js';
import type { Descriptor, JsonValue } from './codec.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * Reads and writes exactly as `inner`, and notes where the last value it read lay in its input.
 * Every value has one encoding, and a record is encoded the same nested or alone (spec/encoding.md),
 * so that slice of a decoded input is the value's own canonical encoding: a transaction's content
 * can be hashed from the request's bytes instead of being encoded again. Decoding is synchronous:
 * read `lastSpan()` right after the decode that read the value, before anything else decodes.
 */
export class SpanNoting<T> extends Codec<T> {
  readonly descriptor: Descriptor;
  #start = -1;
  #end = -1;

  constructor(readonly inner: Codec<T>) {
    super();
    this.descriptor = inner.descriptor;
  }

  write(writer: Writer, value: T): void {
    this.inner.write(writer, value);
  }

  read(reader: Reader): T {
    const start = reader.offset;
    const value = this.inner.read(reader);
    this.#start = start;
    this.#end = reader.offset;
    return value;
  }

  toJson(value: T): JsonValue {
    return this.inner.toJson(value);
  }

  fromJson(json: unknown): T {
    return this.inner.fromJson(json);
  }

  /** [start, end) of the last value read, as offsets into the input of the decode that read it. */
  lastSpan(): readonly [number, number] {
    return [this.#start, this.#end];
  }
}
