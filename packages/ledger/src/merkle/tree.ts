import {
  compareBytes,
  MERKLE_HASH_LENGTH,
  MERKLE_INTERNAL_PREFIX,
  MERKLE_KEY_BITS,
  MERKLE_KEY_LENGTH,
  MERKLE_LEAF_PREFIX,
  MERKLE_NODE_LENGTH,
  emptyMerkleRoot,
  isEmptyMerkleHash,
  merkleInternalPreimage,
  merkleKeyBit,
  merkleLeafPreimage,
  merkleNodeHash,
} from '@jadechain/types';
import type { MerkleHashFunction, MerkleProof } from '@jadechain/types';
import { MerkleTreeError } from './errors.js';
import type { MerkleNode, NodeReader } from './node-store.js';

/** Sets `key` to `valueHash`, or deletes it when `valueHash` is null. */
export interface MerkleChange {
  readonly key: Uint8Array;
  readonly valueHash: Uint8Array | null;
}

/** A new root and the nodes it needs that did not exist before; nothing has been written. */
export interface MerkleUpdate {
  readonly root: Uint8Array;
  readonly newNodes: readonly MerkleNode[];
}

export interface MerkleEntry {
  readonly key: Uint8Array;
  readonly valueHash: Uint8Array;
}

/** The key's value hash (null when absent) and the proof of that answer. */
export interface MerkleProofResult {
  readonly valueHash: Uint8Array | null;
  readonly proof: MerkleProof;
}

type Empty = { readonly kind: 'empty' };
type Leaf = { readonly kind: 'leaf'; readonly id: Uint8Array; readonly key: Uint8Array; readonly valueHash: Uint8Array };
type Internal = { readonly kind: 'internal'; readonly id: Uint8Array; readonly left: Uint8Array; readonly right: Uint8Array };
/** A subtree known to be non-empty whose node nobody needed to read yet. */
type Unread = { readonly kind: 'unread'; readonly id: Uint8Array };
type Node = Empty | Leaf | Internal;
type Subtree = Node | Unread;
/** An entry to place in a rebuilt subtree; a Leaf is one whose node already exists. */
type Entry = MerkleEntry | Leaf;

const EMPTY: Empty = { kind: 'empty' };

/**
 * The sparse Merkle tree of JadeChain's authenticated state (docs/adr/0002-authenticated-state.md):
 * 32-byte keys to 32-byte value hashes, one root per version, every version readable and provable
 * through its root. The tree only reads; `update` returns the nodes to store.
 */
export class MerkleTree {
  constructor(
    private readonly hash: MerkleHashFunction,
    private readonly reader: NodeReader,
  ) {}

  /** The key's value hash in the tree with this root, or null when the key is absent. */
  get(root: Uint8Array, key: Uint8Array): Uint8Array | null {
    checkLength(key, MERKLE_KEY_LENGTH, 'a key');
    let node = this.readRoot(root);
    for (let depth = 0; node.kind === 'internal'; depth++) {
      node = this.readChild(merkleKeyBit(key, depth) === 0 ? node.left : node.right, depth + 1);
    }
    return node.kind === 'leaf' && compareBytes(node.key, key) === 0 ? node.valueHash.slice() : null;
  }

  /**
   * Applies a batch of changes to the tree with this root. Later changes of the same key win;
   * deleting an absent key does nothing. The result depends only on the final set of keys and
   * value hashes, not on the order or batching that produced it.
   */
  update(root: Uint8Array, changes: Iterable<MerkleChange>): MerkleUpdate {
    const sorted = sortChanges(changes);
    const newNodes: MerkleNode[] = [];
    const result = this.apply(this.readRoot(root), 0, sorted, 0, sorted.length, newNodes);
    return { root: new Uint8Array(subtreeId(result)), newNodes };
  }

  prove(root: Uint8Array, key: Uint8Array): MerkleProofResult {
    checkLength(key, MERKLE_KEY_LENGTH, 'a key');
    const siblings: Array<Uint8Array | null> = [];
    let node = this.readRoot(root);
    for (let depth = 0; node.kind === 'internal'; depth++) {
      const [next, sibling] = merkleKeyBit(key, depth) === 0 ? [node.left, node.right] : [node.right, node.left];
      siblings.push(isEmptyMerkleHash(sibling) ? null : sibling.slice());
      node = this.readChild(next, depth + 1);
    }
    if (node.kind === 'empty') return { valueHash: null, proof: { siblings, end: { kind: 'empty' } } };
    if (compareBytes(node.key, key) === 0) return { valueHash: node.valueHash.slice(), proof: { siblings, end: { kind: 'leaf' } } };
    const end = { kind: 'otherLeaf', key: node.key.slice(), valueHash: node.valueHash.slice() } as const;
    return { valueHash: null, proof: { siblings, end } };
  }

  /** Every entry of the tree with this root, in ascending key order. */
  *entries(root: Uint8Array): Generator<MerkleEntry> {
    yield* this.entriesBelow(this.readRoot(root), 0);
  }

  private *entriesBelow(node: Node, depth: number): Generator<MerkleEntry> {
    if (node.kind === 'leaf') yield { key: node.key.slice(), valueHash: node.valueHash.slice() };
    if (node.kind !== 'internal') return;
    yield* this.entriesBelow(this.readChild(node.left, depth + 1), depth + 1);
    yield* this.entriesBelow(this.readChild(node.right, depth + 1), depth + 1);
  }

  /** Applies changes[lo, hi), whose keys all lie under `node` at `depth`. */
  private apply(node: Node, depth: number, changes: readonly MerkleChange[], lo: number, hi: number, out: MerkleNode[]): Subtree {
    if (lo === hi) return node;
    if (node.kind === 'empty') return this.buildAll(depth, insertions(changes, lo, hi), out);
    if (node.kind === 'leaf') return this.buildAll(depth, mergeWithLeaf(node, changes, lo, hi), out);
    const split = firstWithBitSet(changes, lo, hi, depth);
    const left = lo < split ? this.apply(this.readChild(node.left, depth + 1), depth + 1, changes, lo, split, out) : unread(node.left);
    const right = split < hi ? this.apply(this.readChild(node.right, depth + 1), depth + 1, changes, split, hi, out) : unread(node.right);
    if (compareBytes(subtreeId(left), node.left) === 0 && compareBytes(subtreeId(right), node.right) === 0) return node;
    return this.join(left, right, out);
  }

  private buildAll(depth: number, entries: readonly Entry[], out: MerkleNode[]): Subtree {
    return this.build(depth, entries, 0, entries.length, out);
  }

  /** The subtree at `depth` holding exactly entries[lo, hi) (sorted by key); ranges, not copies, at every level. */
  private build(depth: number, entries: readonly Entry[], lo: number, hi: number, out: MerkleNode[]): Subtree {
    if (lo === hi) return EMPTY;
    if (hi - lo === 1) {
      const only = entries[lo] as Entry;
      return 'kind' in only ? only : this.newLeaf(only.key, only.valueHash, out);
    }
    const split = firstWithBitSet(entries, lo, hi, depth);
    return this.join(this.build(depth + 1, entries, lo, split, out), this.build(depth + 1, entries, split, hi, out), out);
  }

  /** Puts two halves together: a lone leaf moves up in place of its parent, as the hashing rules require. */
  private join(left: Subtree, right: Subtree, out: MerkleNode[]): Subtree {
    if (left.kind === 'empty' && right.kind === 'empty') return EMPTY;
    if (left.kind === 'empty' || right.kind === 'empty') {
      const only = left.kind === 'empty' ? right : left;
      const resolved = only.kind === 'unread' ? this.readChild(only.id, 0) : only;
      if (resolved.kind === 'leaf') return resolved;
    }
    const bytes = merkleInternalPreimage(subtreeId(left), subtreeId(right));
    const node: Internal = { kind: 'internal', id: merkleNodeHash(this.hash, bytes), left: subtreeId(left), right: subtreeId(right) };
    out.push({ id: node.id, bytes });
    return node;
  }

  private newLeaf(key: Uint8Array, valueHash: Uint8Array, out: MerkleNode[]): Leaf {
    const bytes = merkleLeafPreimage(key, valueHash);
    const leaf: Leaf = { kind: 'leaf', id: merkleNodeHash(this.hash, bytes), key, valueHash };
    out.push({ id: leaf.id, bytes });
    return leaf;
  }

  private readRoot(root: Uint8Array): Node {
    checkLength(root, MERKLE_HASH_LENGTH, 'a root');
    return this.readChild(root, 0);
  }

  private readChild(id: Uint8Array, depth: number): Node {
    if (isEmptyMerkleHash(id)) return EMPTY;
    if (depth > MERKLE_KEY_BITS) throw new MerkleTreeError('CORRUPT_NODE', 'the tree is deeper than a key is long');
    const bytes = this.reader.getNode(id);
    if (bytes === undefined) throw new MerkleTreeError('MISSING_NODE', `node ${Buffer.from(id).toString('hex')} is not in the store`);
    if (bytes.length !== MERKLE_NODE_LENGTH) throw new MerkleTreeError('CORRUPT_NODE', `a node is ${MERKLE_NODE_LENGTH} bytes, got ${bytes.length}`);
    // Views rather than copies: node bytes are never modified once created.
    const first = new Uint8Array(bytes.buffer, bytes.byteOffset + 1, MERKLE_HASH_LENGTH);
    const second = new Uint8Array(bytes.buffer, bytes.byteOffset + 1 + MERKLE_HASH_LENGTH, MERKLE_HASH_LENGTH);
    if (bytes[0] === MERKLE_LEAF_PREFIX) return { kind: 'leaf', id, key: first, valueHash: second };
    if (bytes[0] === MERKLE_INTERNAL_PREFIX) return { kind: 'internal', id, left: first, right: second };
    throw new MerkleTreeError('CORRUPT_NODE', `unknown node prefix ${bytes[0]}`);
  }
}

function unread(id: Uint8Array): Subtree {
  return isEmptyMerkleHash(id) ? EMPTY : { kind: 'unread', id };
}

const EMPTY_ID = emptyMerkleRoot();

function subtreeId(subtree: Subtree): Uint8Array {
  return subtree.kind === 'empty' ? EMPTY_ID : subtree.id;
}

/** Validated changes in key order, one per key (the last one given). */
function sortChanges(changes: Iterable<MerkleChange>): MerkleChange[] {
  const indexed = [...changes].map((change, index) => {
    checkLength(change.key, MERKLE_KEY_LENGTH, 'a key');
    if (change.valueHash !== null) checkLength(change.valueHash, MERKLE_HASH_LENGTH, 'a value hash');
    return { change, index };
  });
  indexed.sort((a, b) => compareBytes(a.change.key, b.change.key) || a.index - b.index);
  return indexed
    .filter((item, i) => {
      const next = indexed[i + 1];
      return next === undefined || compareBytes(next.change.key, item.change.key) !== 0;
    })
    .map((item) => item.change);
}

function insertions(changes: readonly MerkleChange[], lo: number, hi: number): Entry[] {
  const entries: Entry[] = [];
  for (let i = lo; i < hi; i++) {
    const change = changes[i];
    if (change?.valueHash) entries.push({ key: change.key, valueHash: change.valueHash });
  }
  return entries;
}

/** The entries under a position that held one leaf, after changes[lo, hi); the leaf is reused if it keeps its value. */
function mergeWithLeaf(leaf: Leaf, changes: readonly MerkleChange[], lo: number, hi: number): Entry[] {
  const entries = insertions(changes, lo, hi);
  const at = firstIndex(entries, (entry) => compareBytes(entry.key, leaf.key) >= 0);
  const replacement = entries[at];
  if (replacement !== undefined && compareBytes(replacement.key, leaf.key) === 0) {
    if (compareBytes(replacement.valueHash, leaf.valueHash) === 0) entries[at] = leaf;
    return entries;
  }
  const deleted = changes.slice(lo, hi).some((change) => change.valueHash === null && compareBytes(change.key, leaf.key) === 0);
  if (!deleted) entries.splice(at, 0, leaf);
  return entries;
}

/** First index in [lo, hi) whose key has bit `depth` set; keys there share their first `depth` bits, so the bits are sorted. */
function firstWithBitSet(items: ReadonlyArray<{ readonly key: Uint8Array }>, lo: number, hi: number, depth: number): number {
  return firstIndex(items, (item) => merkleKeyBit(item.key, depth) === 1, lo, hi);
}

/** Binary search for the first index in [lo, hi) where a monotone predicate holds (hi if none). */
function firstIndex<T>(items: readonly T[], holds: (item: T) => boolean, lo = 0, hi = items.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holds(items[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkLength(value: Uint8Array, length: number, what: string): void {
  if (value.length !== length) throw new MerkleTreeError('INVALID_LENGTH', `${what} must be ${length} bytes, got ${value.length}`);
}
