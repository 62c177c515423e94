import { open } from 'lmdb';
import type { RangeOptions, RootDatabase, Transaction } from 'lmdb';
import { resolve } from 'node:path';
import type { KVEntry, KVSnapshot, KVStore, ScanOptions, WriteBatch } from './kv.js';
import type { ScanRange } from './scan-range.js';
import { BufferedWriteBatch } from './batch.js';
import { checkKey, plainBytes } from './bytes.js';
import { checkedIteration, toScanRange } from './scan-range.js';
import { StorageError } from './errors.js';
import { checkDataFile } from './lmdb-files.js';

export interface LmdbStoreOptions {
  /**
   * Initial size of the memory map in bytes. Optional: lmdb-js grows the map by itself when a
   * transaction needs more room, so this only saves a few early remaps.
   */
  readonly mapSize?: number;
}

type BinaryDatabase = RootDatabase<Uint8Array, Uint8Array>;

/** Paths open in this process: LMDB forbids opening one environment twice in a process. */
const openPaths = new Set<string>();

/**
 * The default store: one LMDB environment (a directory holding data.mdb and lock.mdb) per
 * ledger. Each commit is one LMDB write transaction, synced to disk before its promise resolves
 * (docs/adr/0003-storage-lmdb.md). Reads are synchronous, on memory-mapped pages.
 */
export class LmdbStore implements KVStore {
  readonly #db: BinaryDatabase;
  readonly #path: string;
  readonly #pendingCommits = new Set<Promise<unknown>>();
  readonly #snapshots = new Set<LmdbSnapshot>();
  #closing: Promise<void> | undefined;

  private constructor(db: BinaryDatabase, path: string) {
    this.#db = db;
    this.#path = path;
  }

  /** Opens (creating if needed) the store in directory `path`. */
  static open(path: string, options: LmdbStoreOptions = {}): LmdbStore {
    const fullPath = resolve(path);
    if (openPaths.has(fullPath)) throw new StorageError('IO', `the store at ${fullPath} is already open in this process`);
    checkDataFile(fullPath);
    let db: BinaryDatabase;
    try {
      db = open<Uint8Array, Uint8Array>(fullPath, {
        keyEncoding: 'binary',
        encoding: 'binary',
        // Durability (ADR 0003): LMDB's own commit protocol, fsync before the commit returns.
        overlappingSync: false,
        noSync: false,
        noMetaSync: false,
        commitDelay: 0,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
    } catch (error) {
      throw engineError(error, `cannot open the store at ${fullPath}`);
    }
    openPaths.add(fullPath);
    return new LmdbStore(db, fullPath);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#checkOpen();
    return readValue(this.#db, key, undefined);
  }

  scan(options?: ScanOptions): Iterable<KVEntry> {
    this.#checkOpen();
    return scanRange(this.#db, toScanRange(options), undefined, () => this.#checkOpen());
  }

  newBatch(): WriteBatch {
    this.#checkOpen();
    return new BufferedWriteBatch(this);
  }

  commit(batch: WriteBatch): Promise<void> {
    let written: Promise<unknown>;
    try {
      this.#checkOpen();
      const operations = BufferedWriteBatch.takeOperations(batch, this);
      const db = this.#db;
      // lmdb-js runs a batch's writes on its write thread inside one LMDB transaction (batches
      // queued in the same event-loop turn share it); the promise settles after mdb_txn_commit,
      // which with these options has synced the data pages and then the meta page. Writes apply
      // in order, so a later write to a key wins. lmdb-js copies each key and keeps a reference
      // to each value (a view of the batch's arena) until its thread has written it.
      written = db.batch(() => {
        for (const { key, value } of operations) {
          if (value === undefined) void db.remove(key);
          else void db.put(key, value);
        }
      });
    } catch (error) {
      return Promise.reject(error instanceof StorageError ? error : engineError(error, 'cannot queue the batch'));
    }
    const committed = written.then(
      () => undefined,
      (error: unknown) => {
        throw engineError(error, 'the batch did not commit');
      },
    );
    const tracked = committed.catch(() => undefined).finally(() => this.#pendingCommits.delete(tracked));
    this.#pendingCommits.add(tracked);
    return committed;
  }

  snapshot(): KVSnapshot {
    this.#checkOpen();
    const transaction = this.#db.useReadTransaction();
    const snapshot = new LmdbSnapshot(this.#db, transaction, (released) => this.#snapshots.delete(released));
    this.#snapshots.add(snapshot);
    return snapshot;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    // Refuse new work at once, finish what was accepted, then let go of readers and the files.
    await Promise.all(this.#pendingCommits);
    for (const snapshot of this.#snapshots) snapshot.release();
    try {
      await this.#db.close();
    } finally {
      openPaths.delete(this.#path);
    }
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) throw new StorageError('CLOSED', 'the store is closed');
  }
}

class LmdbSnapshot implements KVSnapshot {
  readonly #db: BinaryDatabase;
  readonly #transaction: Transaction;
  readonly #onRelease: (snapshot: LmdbSnapshot) => void;
  #released = false;

  constructor(db: BinaryDatabase, transaction: Transaction, onRelease: (snapshot: LmdbSnapshot) => void) {
    this.#db = db;
    this.#transaction = transaction;
    this.#onRelease = onRelease;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.#checkLive();
    return readValue(this.#db, key, this.#transaction);
  }

  scan(options?: ScanOptions): Iterable<KVEntry> {
    this.#checkLive();
    return scanRange(this.#db, toScanRange(options), this.#transaction, () => this.#checkLive());
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#transaction.done();
    this.#onRelease(this);
  }

  #checkLive(): void {
    if (this.#released) throw new StorageError('CLOSED', 'the snapshot was released');
  }
}

function readValue(db: BinaryDatabase, key: Uint8Array, transaction: Transaction | undefined): Uint8Array | undefined {
  checkKey(key);
  let value: Uint8Array | undefined;
  try {
    value = transaction === undefined ? db.get(key) : db.get(key, { transaction });
  } catch (error) {
    throw engineError(error, 'cannot read');
  }
  return value === undefined ? undefined : plainBytes(value);
}

function scanRange(db: BinaryDatabase, range: ScanRange | undefined, transaction: Transaction | undefined, check: () => void): Iterable<KVEntry> {
  if (range === undefined) return [];
  const options = rangeOptions(range, transaction);
  return { [Symbol.iterator]: () => checkedIteration(check, () => lmdbEntries(db, options)) };
}

function* lmdbEntries(db: BinaryDatabase, options: RangeOptions): Generator<KVEntry> {
  try {
    for (const { key, value } of db.getRange(options)) yield { key: plainBytes(key), value: plainBytes(value) };
  } catch (error) {
    throw engineError(error, 'cannot scan');
  }
}

/** The smallest possible key; lmdb-js ends an unbounded reverse range just above it. */
const FIRST_KEY = new Uint8Array([0]);

/** Our bounds are [start, end) in both directions; lmdb-js starts a reverse range at its `start`. */
function rangeOptions(range: ScanRange, transaction: Transaction | undefined): RangeOptions {
  const options: RangeOptions = range.reverse
    ? {
        reverse: true,
        ...(range.end === undefined ? {} : { start: range.end, exclusiveStart: true }),
        end: range.start ?? FIRST_KEY,
        inclusiveEnd: true,
      }
    : {
        ...(range.start === undefined ? {} : { start: range.start }),
        ...(range.end === undefined ? {} : { end: range.end }),
      };
  if (range.limit !== undefined) options.limit = range.limit;
  if (transaction !== undefined) options.transaction = transaction;
  return options;
}

/** LMDB's error names for damaged files; anything else the engine reports counts as IO. */
const CORRUPTION_MARKERS = ['MDB_CORRUPTED', 'MDB_PAGE_NOTFOUND', 'MDB_INVALID', 'MDB_VERSION_MISMATCH'];

function engineError(error: unknown, context: string): StorageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = CORRUPTION_MARKERS.some((marker) => message.includes(marker)) ? 'CORRUPT' : 'IO';
  return new StorageError(code, `${context}: ${message}`, { cause: error });
}
