import type { WriteBatch } from './kv.js';
import { copyKey, copyValue, keyId } from './bytes.js';
import { StorageError } from './errors.js';

/** One write of a batch: a put, or a delete when `value` is undefined. */
export interface BatchOperation {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

/** Collects a batch's writes, keeping only the last one per key, for the store that made it. */
export class BufferedWriteBatch implements WriteBatch {
  readonly #operations = new Map<string, BatchOperation>();
  readonly #owner: object;
  #committed = false;

  constructor(owner: object) {
    this.#owner = owner;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#checkOpen();
    const ownKey = copyKey(key);
    this.#operations.set(keyId(ownKey), { key: ownKey, value: copyValue(value) });
  }

  delete(key: Uint8Array): void {
    this.#checkOpen();
    const ownKey = copyKey(key);
    this.#operations.set(keyId(ownKey), { key: ownKey, value: undefined });
  }

  get size(): number {
    return this.#operations.size;
  }

  /** Hands the writes to the owning store and closes the batch to further use. */
  static takeOperations(batch: WriteBatch, owner: object): BatchOperation[] {
    if (!(batch instanceof BufferedWriteBatch) || batch.#owner !== owner) {
      throw new StorageError('INVALID_ARGUMENT', 'a batch can only be committed to the store that made it');
    }
    batch.#checkOpen();
    batch.#committed = true;
    return [...batch.#operations.values()];
  }

  #checkOpen(): void {
    if (this.#committed) throw new StorageError('INVALID_ARGUMENT', 'this batch was committed already; make a new one');
  }
}
