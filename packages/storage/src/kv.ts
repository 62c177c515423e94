/**
 * The storage contract of JadeChain: an ordered byte-key/byte-value store with atomic, durable
 * batches and consistent snapshots. The ledger writes exactly one batch per committed block.
 *
 * Keys are 1 to MAX_KEY_BYTES bytes, ordered byte by byte as unsigned numbers (a key sorts
 * before every longer key it is a prefix of). Values are any bytes, including none. Every
 * Uint8Array handed in is copied and every one handed out is a fresh copy, so neither side can
 * change the other's bytes later.
 */

/**
 * The longest key, in bytes: LMDB's compile-time default (MDB_MAXKEYSIZE). lmdb-js builds LMDB
 * with a larger limit, but holding to the default keeps the files usable by stock LMDB builds
 * and tools, and keeps every adapter to the same rule.
 */
export const MAX_KEY_BYTES = 511;

export interface ScanOptions {
  /** Inclusive lower bound; omitted or empty: from the first key. */
  readonly start?: Uint8Array;
  /** Exclusive upper bound; omitted: to the last key. */
  readonly end?: Uint8Array;
  /** Walk from the upper bound down; the bounds keep their meaning. */
  readonly reverse?: boolean;
  /** Stop after this many entries (a non-negative integer). */
  readonly limit?: number;
}

export interface KVEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface KVReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Entries in unsigned lexicographic key order (reversed when asked). The iteration reads one
   * consistent state, fixed when it starts: batches committed meanwhile do not show. Iterate to
   * the end or break out of the loop, so that the state it holds is let go.
   */
  scan(options?: ScanOptions): Iterable<KVEntry>;
}

/**
 * A set of writes applied all together or not at all. Later writes to a key win (a delete then a
 * put of one key is a put). A batch belongs to the store that made it and is committed once.
 */
export interface WriteBatch {
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** The number of distinct keys the batch writes or deletes. */
  readonly size: number;
}

/** A read view that does not change while later batches commit; release it when done. */
export interface KVSnapshot extends KVReader {
  release(): void;
}

export interface KVStore extends KVReader {
  newBatch(): WriteBatch;
  /**
   * Applies the batch atomically. The promise resolves only once the batch is durable (flushed
   * to disk for persistent stores); a crash at any moment leaves either all of it or none.
   * Batches apply in the order commit was called; reads see a batch once its promise resolved.
   */
  commit(batch: WriteBatch): Promise<void>;
  snapshot(): KVSnapshot;
  /** Waits for pending commits, releases open snapshots, then closes; later calls fail CLOSED. */
  close(): Promise<void>;
}
