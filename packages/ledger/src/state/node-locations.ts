import { MERKLE_HASH_LENGTH, MERKLE_INTERNAL_PREFIX, MERKLE_NODE_LENGTH } from '@jadechain/types';
import type { NodeReader } from '../merkle/index.js';
import { LedgerError } from '../errors.js';
import { ByteArena, writeU32be, writeU64be } from './bytes.js';
import { HashSlotTable } from './hash-slots.js';

/**
 * Where the store keeps a tree node: the height of the block that made it and its place among
 * that block's new nodes (ADR 0002). Keyed so, a block's nodes are appended side by side instead
 * of scattered over the store by their hashes, which made every commit rewrite a page per node.
 */
export const NODE_LOCATION_LENGTH = 12;

/** An internal node's record: its 65-byte preimage, then the locations of its two children. */
export const INTERNAL_RECORD_LENGTH = MERKLE_NODE_LENGTH + 2 * NODE_LOCATION_LENGTH;

const NO_LOCATION = new Uint8Array(NODE_LOCATION_LENGTH);

/** Writes height (u64) ‖ sequence (u32), big-endian, at `offset`: no temporary arrays (this runs for every new node). */
function writeNodeLocation(target: Uint8Array, offset: number, height: number, sequence: number): void {
  writeU64be(target, offset, height);
  writeU32be(target, offset + 8, sequence);
}

/** Where a node's record is read from: by id (caches, pending blocks), else by its location. */
export interface NodeRecordSource {
  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined;
  rootLocation(id: Uint8Array): Uint8Array | undefined;
}

/** The locations of the nodes one block makes, in the order made: height ‖ 0, height ‖ 1, ... */
export class NewNodeLocations {
  readonly #arena = new ByteArena(NODE_LOCATION_LENGTH * 512);
  #sequence = 0;

  constructor(private readonly height: number) {}

  next(): Uint8Array {
    const location = this.#arena.take(NODE_LOCATION_LENGTH);
    writeNodeLocation(location, 0, this.height, this.#sequence++);
    return location;
  }
}

/**
 * The tree's reader over a state source: hands the tree each node's 65-byte preimage and
 * remembers the locations its record gives for the node's children, so that the child, read
 * next, is found where it is stored. A walk starts at a root, found through the root index.
 * One reader serves one walk or one block's updates; it forgets everything with it.
 */
export class LocatingReader implements NodeReader {
  /** Node id → location, in a flat table (a block's walk learns thousands). */
  readonly #locations: HashSlotTable;
  readonly #records = new ByteArena(INTERNAL_RECORD_LENGTH * 512);

  /** `locations`: an empty table for the walk (a block's, from BlockLocationTables; a small new one by default). */
  constructor(
    private readonly source: NodeRecordSource,
    locations: HashSlotTable = newLocationTable(64),
  ) {
    this.#locations = locations;
  }

  getNode(id: Uint8Array): Uint8Array | undefined {
    const slot = this.#locations.find(id);
    let location = slot < 0 ? undefined : this.#locations.valueView(slot);
    if (location === undefined) {
      // Not named by a parent read so far: a root. Its location is needed too, should it
      // become a child of a new node (a one-leaf tree gaining a second key).
      location = this.source.rootLocation(id);
      if (location !== undefined) this.#locations.set(id, 0, location);
    }
    const record = this.source.getNode(id, location);
    if (record === undefined) return undefined;
    if (record.length === INTERNAL_RECORD_LENGTH && record[0] === MERKLE_INTERNAL_PREFIX) {
      this.#learn(record, 1, MERKLE_NODE_LENGTH);
      this.#learn(record, 1 + MERKLE_HASH_LENGTH, MERKLE_NODE_LENGTH + NODE_LOCATION_LENGTH);
    }
    return record.length === MERKLE_NODE_LENGTH ? record : record.subarray(0, MERKLE_NODE_LENGTH);
  }

  /** A node given its location in this block. */
  remember(id: Uint8Array, location: Uint8Array): void {
    this.#locations.set(id, 0, location);
  }

  /** The location of a node this reader read a parent of (or was told); the empty tree has none. */
  locationOf(id: Uint8Array): Uint8Array {
    // A copy: the caller keeps it with the block, and a view would keep this reader's whole table alive.
    return isEmptyAt(id, 0) ? NO_LOCATION : this.#locations.valueView(this.#known(id, 0)).slice();
  }

  /**
   * A node's record as stored: its preimage, and for an internal node its children's locations.
   * Internal records are cut from shared arenas (valid for as long as the caller keeps them).
   */
  recordOf(preimage: Uint8Array): Uint8Array {
    if (preimage[0] !== MERKLE_INTERNAL_PREFIX) return preimage;
    const record = this.#records.take(INTERNAL_RECORD_LENGTH);
    record.set(preimage);
    // An empty child has no location: the record's bytes stay zero there.
    if (!isEmptyAt(preimage, 1)) this.#locations.copyValue(this.#known(preimage, 1), record, MERKLE_NODE_LENGTH);
    if (!isEmptyAt(preimage, 1 + MERKLE_HASH_LENGTH)) this.#locations.copyValue(this.#known(preimage, 1 + MERKLE_HASH_LENGTH), record, MERKLE_NODE_LENGTH + NODE_LOCATION_LENGTH);
    return record;
  }

  /** The slot of the known location of the 32-byte id at bytes[at]. */
  #known(bytes: Uint8Array, at: number): number {
    const slot = this.#locations.find(bytes, at);
    if (slot < 0) {
      throw new LedgerError('CORRUPT_STATE', `no location known for tree node ${Buffer.from(bytes.subarray(at, at + MERKLE_HASH_LENGTH)).toString('hex')}`);
    }
    return slot;
  }

  #learn(record: Uint8Array, idAt: number, locationAt: number): void {
    if (isEmptyAt(record, idAt)) return;
    this.#locations.set(record, idAt, record, locationAt, NODE_LOCATION_LENGTH);
  }
}

function newLocationTable(expectedNodes: number): HashSlotTable {
  return new HashSlotTable(MERKLE_HASH_LENGTH, NODE_LOCATION_LENGTH, expectedNodes);
}

/** Slots of a spare table kept for the next block at most (2^18 slots ≈ 12 MB): one huge block does not pin its table for good. */
const MAX_SPARE_SLOTS = 1 << 18;

/**
 * The location table of each block's walk, reused from one block to the next: allocating and
 * zeroing a table sized for a block (≈1.5 MB for 300 transactions) cost ≈5 µs per transaction of
 * a peer's main thread, clearing a used one a few microseconds per block. Blocks are finished one
 * at a time (finalizeState is synchronous), and nothing keeps a view into the table past its walk
 * (LocatingReader copies what it hands out).
 */
export class BlockLocationTables {
  #spare: HashSlotTable | undefined;

  /** An empty table for about `expectedNodes` locations, for one walk; give it back after. */
  take(expectedNodes: number): HashSlotTable {
    const spare = this.#spare;
    this.#spare = undefined;
    if (spare === undefined || spare.capacity < expectedNodes) return newLocationTable(expectedNodes);
    spare.clear();
    return spare;
  }

  giveBack(table: HashSlotTable): void {
    if (table.slots <= MAX_SPARE_SLOTS && (this.#spare === undefined || this.#spare.capacity < table.capacity)) this.#spare = table;
  }
}

function isEmptyAt(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + MERKLE_HASH_LENGTH; i++) if (bytes[i] !== 0) return false;
  return true;
}
