import type { WriteBatch } from './kv.js';
import { checkKey, checkValue, compareBytes, keyId } from './bytes.js';
import { StorageError } from './errors.js';

/** One write of a batch: a put, or a delete when `value` is undefined. */
export interface BatchOperation {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

/**
 * Sizes of arena chunks: the first is small (most batches outside block commits hold a few
 * writes), each next one twice the last, up to 1 MiB. A block's batch holds ≈ 20,000 small
 * writes; copying them into a few large buffers instead of one small buffer each keeps them out
 * of the garbage collector's way, and lmdb-js resolves the address of a value's buffer once per
 * buffer, not once per value.
 */
const FIRST_CHUNK_BYTES = 4096;
const LARGEST_CHUNK_BYTES = 1 << 20;

/** Slots per operation in the offsets table: chunk, key start, key length, value start, value length (-1: delete). */
const SLOTS = 5;

/**
 * Collects a batch's writes, in order, for the store that made it. Keys and values are copied
 * into append-only arena chunks (the contract: the caller may reuse its arrays at once); a
 * chunk never moves once made, so views into it stay valid until the batch is dropped.
 */
export class BufferedWriteBatch implements WriteBatch {
  readonly #owner: object;
  readonly #chunks: Uint8Array[] = [];
  #chunk: Uint8Array = new Uint8Array(0);
  #used = 0;
  #offsets: Int32Array = new Int32Array(SLOTS * 256);
  #count = 0;
  #distinct: number | undefined = 0;
  #committed = false;

  constructor(owner: object) {
    this.#owner = owner;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#checkOpen();
    checkKey(key);
    checkValue(value);
    this.#append(key, value);
  }

  delete(key: Uint8Array): void {
    this.#checkOpen();
    checkKey(key);
    this.#append(key, undefined);
  }

  /** The number of distinct keys; counted when asked, since stores themselves never need it. */
  get size(): number {
    if (this.#distinct === undefined) {
      const keys = new Set<string>();
      for (const { key } of this.#operations()) keys.add(keyId(key));
      this.#distinct = keys.size;
    }
    return this.#distinct;
  }

  /**
   * Hands the writes to the owning store, in the order they were made (a later write to a key
   * wins), and closes the batch to further use. The views share the batch's arena: a store that
   * keeps them beyond the commit must copy them or keep the batch's chunks alive.
   */
  static takeOperations(batch: WriteBatch, owner: object): BatchOperation[] {
    if (!(batch instanceof BufferedWriteBatch) || batch.#owner !== owner) {
      throw new StorageError('INVALID_ARGUMENT', 'a batch can only be committed to the store that made it');
    }
    batch.#checkOpen();
    batch.#committed = true;
    return batch.#operations();
  }

  /** The writes with only the last one per key kept, sorted by key (for stores that merge sorted runs). */
  static lastPerKeySorted(operations: readonly BatchOperation[]): BatchOperation[] {
    const indexed = operations.map((operation, index) => ({ operation, index }));
    indexed.sort((a, b) => compareBytes(a.operation.key, b.operation.key) || a.index - b.index);
    return indexed
      .filter((item, i) => {
        const next = indexed[i + 1];
        return next === undefined || compareBytes(next.operation.key, item.operation.key) !== 0;
      })
      .map((item) => item.operation);
  }

  #append(key: Uint8Array, value: Uint8Array | undefined): void {
    const valueLength = value === undefined ? 0 : value.length;
    this.#reserve(key.length + valueLength);
    const chunk = this.#chunk;
    const keyStart = this.#used;
    chunk.set(key, keyStart);
    const valueStart = keyStart + key.length;
    if (value !== undefined) chunk.set(value, valueStart);
    this.#used = valueStart + valueLength;
    if (this.#offsets.length < (this.#count + 1) * SLOTS) {
      const grown = new Int32Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    const at = this.#count * SLOTS;
    const offsets = this.#offsets;
    offsets[at] = this.#chunks.length - 1;
    offsets[at + 1] = keyStart;
    offsets[at + 2] = key.length;
    offsets[at + 3] = valueStart;
    offsets[at + 4] = value === undefined ? -1 : valueLength;
    this.#count++;
    this.#distinct = undefined;
  }

  /** Makes room for `bytes` in the current chunk, starting a new one (at least that big) if needed. */
  #reserve(bytes: number): void {
    if (this.#chunks.length > 0 && this.#used + bytes <= this.#chunk.length) return;
    const next = this.#chunks.length === 0 ? FIRST_CHUNK_BYTES : Math.min(this.#chunk.length * 2, LARGEST_CHUNK_BYTES);
    this.#chunk = new Uint8Array(Math.max(next, bytes));
    this.#chunks.push(this.#chunk);
    this.#used = 0;
  }

  #operations(): BatchOperation[] {
    const operations: BatchOperation[] = new Array<BatchOperation>(this.#count);
    const offsets = this.#offsets;
    for (let i = 0; i < this.#count; i++) {
      const at = i * SLOTS;
      const chunk = this.#chunks[offsets[at] as number] as Uint8Array;
      const key = chunk.subarray(offsets[at + 1], (offsets[at + 1] as number) + (offsets[at + 2] as number));
      const valueLength = offsets[at + 4] as number;
      const valueStart = offsets[at + 3] as number;
      operations[i] = { key, value: valueLength < 0 ? undefined : chunk.subarray(valueStart, valueStart + valueLength) };
    }
    return operations;
  }

  #checkOpen(): void {
    if (this.#committed) throw new StorageError('INVALID_ARGUMENT', 'this batch was committed already; make a new one');
  }
}
