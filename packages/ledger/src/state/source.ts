import type { KVReader } from '@jadechain/storage';
import { concatBytes, readU32be, readU64be, u32be, u64be } from './bytes.js';
import type { JoinBytes } from './bytes.js';
import { latestRecordKey, nodeKey, nodeRootKey, listItemKey, recordKey, slotPrefix, transactionIndexKey } from './layout.js';
import type { DatasetId } from './layout.js';
import type { NodeCache } from './node-cache.js';

/** Where one dataset entry lives: its dataset, its enclosing account (if nested) and its tree key. */
export class Slot {
  /** `R ‖ dataset ‖ scope ‖ key`: the storage prefix of the slot's records, and its identity. */
  readonly prefix: Uint8Array;

  constructor(
    readonly dataset: DatasetId,
    /** Empty for top-level datasets; the account's 32-byte tree key for nested ones. */
    readonly scope: Uint8Array,
    /** The 32-byte key of the entry in its tree. */
    readonly key: Uint8Array,
  ) {
    this.prefix = slotPrefix(dataset, scope, key);
  }
}

/** One revision of a slot: the canonical record bytes and the height of the block that wrote it. */
export interface StoredRecord {
  readonly revision: number;
  readonly height: number;
  readonly bytes: Uint8Array;
}

export interface TransactionLocation {
  readonly height: number;
  readonly index: number;
}

/**
 * Everything execution and queries read, as of one block. Implemented by the store (filtered to
 * a height) and by pending layers stacked on it.
 */
export interface StateSource {
  latest(slot: Slot): StoredRecord | undefined;
  atRevision(slot: Slot, revision: number): StoredRecord | undefined;
  listItem(list: Uint8Array, position: number): Uint8Array | undefined;
  transactionLocation(txHash: Uint8Array): TransactionLocation | undefined;
  /**
   * A tree node's record (state/node-locations.ts) by id, from a cache or a pending block, else
   * from the store at `location` (a root's location is looked up when none is given).
   */
  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined;
  /** Where a tree's root node is stored (a walk learns every other node's location from its parent). */
  rootLocation(id: Uint8Array): Uint8Array | undefined;
  /** Content-addressed data by its full storage key (only ever referenced by hash from a record). */
  blob(key: Uint8Array): Uint8Array | undefined;
}

/** The value of a superseded revision: the height that wrote it, then the record. */
export function historyValue(record: StoredRecord, join: JoinBytes = concatBytes): Uint8Array {
  return join(u64be(record.height), record.bytes);
}

/** The value of a slot's latest revision: height, revision, then the record. */
export function latestValue(record: StoredRecord, join: JoinBytes = concatBytes): Uint8Array {
  return join(u64be(record.height), u64be(record.revision), record.bytes);
}

function readLatestValue(value: Uint8Array): StoredRecord {
  return { height: readU64be(value, 0), revision: readU64be(value, 8), bytes: value.subarray(16) };
}

export function locationValue(location: TransactionLocation, join: JoinBytes = concatBytes): Uint8Array {
  return join(u64be(location.height), u32be(location.index));
}

export function readLocation(value: Uint8Array): TransactionLocation {
  return { height: readU64be(value, 0), index: readU32be(value, 8) };
}

/** Committed state as of `height`: anything a later block wrote is invisible. */
export class StoreSource implements StateSource {
  constructor(
    private readonly store: KVReader,
    readonly height: number,
    private readonly nodes: NodeCache,
  ) {}

  latest(slot: Slot): StoredRecord | undefined {
    const value = this.store.get(latestRecordKey(slot.prefix));
    if (value === undefined) return undefined;
    const latest = readLatestValue(value);
    if (latest.height <= this.height) return latest;
    // Written after this view's block: the answer is the newest superseded revision old enough.
    const start = recordKey(slot.prefix, 0);
    const end = recordKey(slot.prefix, latest.revision);
    for (const entry of this.store.scan({ start, end, reverse: true })) {
      const height = readU64be(entry.value, 0);
      if (height <= this.height) return { revision: readU64be(entry.key, slot.prefix.length), height, bytes: entry.value.subarray(8) };
    }
    return undefined;
  }

  atRevision(slot: Slot, revision: number): StoredRecord | undefined {
    const value = this.store.get(recordKey(slot.prefix, revision));
    let record: StoredRecord | undefined;
    if (value !== undefined) {
      record = { revision, height: readU64be(value, 0), bytes: value.subarray(8) };
    } else {
      const latest = this.store.get(latestRecordKey(slot.prefix));
      record = latest === undefined ? undefined : readLatestValue(latest);
      if (record?.revision !== revision) return undefined;
    }
    return record.height <= this.height ? record : undefined;
  }

  listItem(list: Uint8Array, position: number): Uint8Array | undefined {
    // Lists only grow and callers bound positions by a count read as of this height.
    return this.store.get(listItemKey(list, position));
  }

  transactionLocation(txHash: Uint8Array): TransactionLocation | undefined {
    const value = this.store.get(transactionIndexKey(txHash));
    if (value === undefined) return undefined;
    const location = readLocation(value);
    return location.height <= this.height ? location : undefined;
  }

  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined {
    const cached = this.nodes.get(id);
    if (cached !== undefined) return cached;
    const stored = location ?? this.rootLocation(id);
    if (stored === undefined) return undefined;
    const bytes = this.store.get(nodeKey(stored));
    if (bytes !== undefined) this.nodes.add(id, bytes);
    return bytes;
  }

  rootLocation(id: Uint8Array): Uint8Array | undefined {
    return this.store.get(nodeRootKey(id));
  }

  blob(key: Uint8Array): Uint8Array | undefined {
    return this.store.get(key);
  }
}
