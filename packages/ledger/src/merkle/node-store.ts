import type { KVReader, WriteBatch } from '@jadechain/storage';
import { bytesKey, sameBytes } from '../state/bytes.js';

/**
 * Tree nodes are immutable and content-addressed: a node's id is the hash of its bytes, and its
 * bytes are exactly its hash preimage (prefix ‖ two 32-byte fields). Old roots therefore stay
 * readable for as long as their nodes are kept, and writing a node twice is harmless.
 */
export interface MerkleNode {
  readonly id: Uint8Array;
  /** 65 bytes that may be a view into a larger shared buffer: honour byteOffset/byteLength. */
  readonly bytes: Uint8Array;
}

/** Where the tree reads nodes from: a store, or pending write sets stacked on a store. */
export interface NodeReader {
  getNode(id: Uint8Array): Uint8Array | undefined;
}

/**
 * Nodes kept in a key-value store under `prefix ‖ id`: the tree's stand-alone store, for a tree
 * kept outside a ledger (its tests, bench/merkle.mjs). A ledger stores nodes by location instead
 * (state/node-locations.ts, ADR 0002).
 */
export class KVNodeReader implements NodeReader {
  constructor(
    private readonly store: Pick<KVReader, 'get'>,
    private readonly prefix: Uint8Array,
  ) {}

  getNode(id: Uint8Array): Uint8Array | undefined {
    return this.store.get(nodeStoreKey(this.prefix, id));
  }
}

/** Adds nodes to the block's write batch, under the same keys KVNodeReader reads. */
export function putMerkleNodes(batch: WriteBatch, prefix: Uint8Array, nodes: Iterable<MerkleNode>): void {
  for (const node of nodes) batch.put(nodeStoreKey(prefix, node.id), node.bytes);
}

function nodeStoreKey(prefix: Uint8Array, id: Uint8Array): Uint8Array {
  const key = new Uint8Array(prefix.length + id.length);
  key.set(prefix);
  key.set(id, prefix.length);
  return key;
}

/**
 * Nodes of not-yet-committed blocks in front of a base reader, so that a block can execute on
 * top of a parent that consensus has not committed yet. Stack one overlay per pending block.
 */
export class OverlayNodeReader implements NodeReader {
  private readonly pending = new NodeIndex();

  constructor(
    private readonly base: NodeReader,
    nodes: Iterable<MerkleNode> = [],
  ) {
    this.add(nodes);
  }

  add(nodes: Iterable<MerkleNode>): void {
    for (const node of nodes) this.pending.add(node);
  }

  getNode(id: Uint8Array): Uint8Array | undefined {
    return this.pending.get(id) ?? this.base.getNode(id);
  }
}

/**
 * Nodes by id. Ids are hashes, so their first 30 bits already spread well and index a Map with
 * small-integer keys, much cheaper than a string per lookup; the rare ids that share those bits
 * with another go to a second, string-keyed map.
 */
class NodeIndex {
  private readonly byLeadingBits = new Map<number, MerkleNode>();
  private readonly sharingLeadingBits = new Map<string, Uint8Array>();

  add(node: MerkleNode): void {
    const leading = leadingBits(node.id);
    const existing = this.byLeadingBits.get(leading);
    if (existing === undefined) this.byLeadingBits.set(leading, node);
    else if (!sameBytes(existing.id, node.id)) this.sharingLeadingBits.set(bytesKey(node.id), node.bytes);
  }

  get(id: Uint8Array): Uint8Array | undefined {
    const node = this.byLeadingBits.get(leadingBits(id));
    if (node === undefined) return undefined;
    return sameBytes(node.id, id) ? node.bytes : this.sharingLeadingBits.get(bytesKey(id));
  }
}

function leadingBits(id: Uint8Array): number {
  return (((id[0] ?? 0) & 0x3f) << 24) | ((id[1] ?? 0) << 16) | ((id[2] ?? 0) << 8) | (id[3] ?? 0);
}
