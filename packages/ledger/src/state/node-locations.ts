import { MERKLE_HASH_LENGTH, MERKLE_INTERNAL_PREFIX, MERKLE_NODE_LENGTH, isEmptyMerkleHash } from '@jadechain/types';
import type { NodeReader } from '../merkle/index.js';
import { LedgerError } from '../errors.js';
import { u32be, u64be } from './bytes.js';

/**
 * Where the store keeps a tree node: the height of the block that made it and its place among
 * that block's new nodes (ADR 0002). Keyed so, a block's nodes are appended side by side instead
 * of scattered over the store by their hashes, which made every commit rewrite a page per node.
 */
export const NODE_LOCATION_LENGTH = 12;

/** An internal node's record: its 65-byte preimage, then the locations of its two children. */
export const INTERNAL_RECORD_LENGTH = MERKLE_NODE_LENGTH + 2 * NODE_LOCATION_LENGTH;

const NO_LOCATION = new Uint8Array(NODE_LOCATION_LENGTH);

export function nodeLocation(height: number, sequence: number): Uint8Array {
  const location = new Uint8Array(NODE_LOCATION_LENGTH);
  location.set(u64be(height));
  location.set(u32be(sequence), 8);
  return location;
}

/** Where a node's record is read from: by id (caches, pending blocks), else by its location. */
export interface NodeRecordSource {
  getNode(id: Uint8Array, location?: Uint8Array): Uint8Array | undefined;
  rootLocation(id: Uint8Array): Uint8Array | undefined;
}

/**
 * The tree's reader over a state source: hands the tree each node's 65-byte preimage and
 * remembers the locations its record gives for the node's children, so that the child, read
 * next, is found where it is stored. A walk starts at a root, found through the root index.
 * One reader serves one walk or one block's updates; it forgets everything with it.
 */
export class LocatingReader implements NodeReader {
  readonly #locations = new Map<string, Uint8Array>();

  constructor(private readonly source: NodeRecordSource) {}

  getNode(id: Uint8Array): Uint8Array | undefined {
    const key = keyOf(id);
    let location = this.#locations.get(key);
    if (location === undefined) {
      // Not named by a parent read so far: a root. Its location is needed too, should it
      // become a child of a new node (a one-leaf tree gaining a second key).
      location = this.source.rootLocation(id);
      if (location !== undefined) this.#locations.set(key, location);
    }
    const record = this.source.getNode(id, location);
    if (record === undefined) return undefined;
    if (record.length === INTERNAL_RECORD_LENGTH && record[0] === MERKLE_INTERNAL_PREFIX) {
      this.#learn(record.subarray(1, 1 + MERKLE_HASH_LENGTH), record.subarray(MERKLE_NODE_LENGTH, MERKLE_NODE_LENGTH + NODE_LOCATION_LENGTH));
      this.#learn(record.subarray(1 + MERKLE_HASH_LENGTH, MERKLE_NODE_LENGTH), record.subarray(MERKLE_NODE_LENGTH + NODE_LOCATION_LENGTH));
    }
    return record.subarray(0, MERKLE_NODE_LENGTH);
  }

  /** A node given its location in this block. */
  remember(id: Uint8Array, location: Uint8Array): void {
    this.#locations.set(keyOf(id), location);
  }

  /** The location of a node this reader read a parent of (or was told); the empty tree has none. */
  locationOf(id: Uint8Array): Uint8Array {
    if (isEmptyMerkleHash(id)) return NO_LOCATION;
    const location = this.#locations.get(keyOf(id));
    if (location === undefined) throw new LedgerError('CORRUPT_STATE', `no location known for tree node ${Buffer.from(id).toString('hex')}`);
    return location;
  }

  /** A node's record as stored: its preimage, and for an internal node its children's locations. */
  recordOf(preimage: Uint8Array): Uint8Array {
    if (preimage[0] !== MERKLE_INTERNAL_PREFIX) return preimage;
    const record = new Uint8Array(INTERNAL_RECORD_LENGTH);
    record.set(preimage);
    record.set(this.locationOf(preimage.subarray(1, 1 + MERKLE_HASH_LENGTH)), MERKLE_NODE_LENGTH);
    record.set(this.locationOf(preimage.subarray(1 + MERKLE_HASH_LENGTH, MERKLE_NODE_LENGTH)), MERKLE_NODE_LENGTH + NODE_LOCATION_LENGTH);
    return record;
  }

  #learn(id: Uint8Array, location: Uint8Array): void {
    if (!isEmptyMerkleHash(id)) this.#locations.set(keyOf(id), location);
  }
}

function keyOf(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('latin1');
}
