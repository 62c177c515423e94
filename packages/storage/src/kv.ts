/**
 * The storage contract of JadeChain: an ordered byte-key/byte-value store with atomic, durable
 * batches and consistent snapshots. The ledger writes exactly one batch per committed block.
 */
export interface ScanOptions {
  /** Inclusive lower bound. */
  readonly start?: Uint8Array;
  /** Exclusive upper bound. */
  readonly end?: Uint8Array;
  readonly reverse?: boolean;
  readonly limit?: number;
}

export interface KVEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface KVReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /** Entries in unsigned lexicographic key order (reversed when asked). */
  scan(options?: ScanOptions): Iterable<KVEntry>;
}

/** A set of writes applied all together or not at all. Later writes to a key win. */
export interface WriteBatch {
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
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
   */
  commit(batch: WriteBatch): Promise<void>;
  snapshot(): KVSnapshot;
  close(): Promise<void>;
}
