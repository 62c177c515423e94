import type { KVEntry, KVSnapshot, KVStore, ScanOptions, WriteBatch } from './kv.js';
import type { Chunks } from './sorted-chunks.js';
import { applyOperations, entriesInRange, lookup } from './sorted-chunks.js';
import { BufferedWriteBatch } from './batch.js';
import { checkKey } from './bytes.js';
import { checkedIteration, toScanRange } from './scan-range.js';
import { StorageError } from './errors.js';

/**
 * An in-memory store for tests and tools: the same contract as the LMDB store, nothing on disk.
 * The state is an immutable sorted structure, so a snapshot (or a running scan) is a reference
 * to one version and costs nothing to take.
 */
export class MemoryStore implements KVStore {
  #state: Chunks = [];
  #closed = false;
  readonly #snapshots = new Set<MemorySnapshot>();

  get(key: Uint8Array): Uint8Array | undefined {
    this.#checkOpen();
    return readValue(this.#state, key);
  }

  scan(options?: ScanOptions): Iterable<KVEntry> {
    this.#checkOpen();
    return scanChunks(() => this.#checkOpen(), () => this.#state, options);
  }

  newBatch(): WriteBatch {
    this.#checkOpen();
    return new BufferedWriteBatch(this);
  }

  async commit(batch: WriteBatch): Promise<void> {
    this.#checkOpen();
    const written = BufferedWriteBatch.lastPerKeySorted(BufferedWriteBatch.takeOperations(batch, this));
    // The state outlives the batch: own copies, not views of the batch's arena.
    const operations = written.map(({ key, value }) => ({ key: key.slice(), value: value?.slice() }));
    this.#state = applyOperations(this.#state, operations);
  }

  snapshot(): KVSnapshot {
    this.#checkOpen();
    const snapshot = new MemorySnapshot(this.#state, (released) => this.#snapshots.delete(released));
    this.#snapshots.add(snapshot);
    return snapshot;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const snapshot of this.#snapshots) snapshot.release();
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError('CLOSED', 'the store is closed');
  }
}

class MemorySnapshot implements KVSnapshot {
  readonly #state: Chunks;
  readonly #onRelease: (snapshot: MemorySnapshot) => void;
  #released = false;

  constructor(state: Chunks, onRelease: (snapshot: MemorySnapshot) => void) {
    this.#state = state;
    this.#onRelease = onRelease;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#checkLive();
    return readValue(this.#state, key);
  }

  scan(options?: ScanOptions): Iterable<KVEntry> {
    this.#checkLive();
    return scanChunks(() => this.#checkLive(), () => this.#state, options);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#onRelease(this);
  }

  #checkLive(): void {
    if (this.#released) throw new StorageError('CLOSED', 'the snapshot was released');
  }
}

function readValue(state: Chunks, key: Uint8Array): Uint8Array | undefined {
  checkKey(key);
  return lookup(state, key)?.slice();
}

/** Checks the options now; takes the state when iteration starts. */
function scanChunks(check: () => void, state: () => Chunks, options: ScanOptions | undefined): Iterable<KVEntry> {
  const range = toScanRange(options);
  if (range === undefined) return [];
  return { [Symbol.iterator]: () => checkedIteration(check, () => entriesInRange(state(), range)) };
}
