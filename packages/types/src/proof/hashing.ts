import { MerkleProofError } from './errors.js';

/**
 * The hashing rules of JadeChain's authenticated state, shared by the tree in @jadechain/ledger
 * and by the standalone verifier (docs/adr/0002-authenticated-state.md).
 *
 * The tree is a sparse Merkle tree over 256-bit keys, walked most significant bit first. A
 * subtree holding no key hashes to 32 zero bytes; a subtree holding exactly one key is that key's
 * leaf; any other subtree is an internal node over its two halves. Node preimages carry a
 * one-byte prefix so that no leaf can be passed off as an internal node or the other way round.
 */

/** Any 32-byte hash (SHA256, SM3): the caller picks the algorithm and records its tag. */
export type MerkleHashFunction = (data: Uint8Array) => Uint8Array;

export const MERKLE_HASH_LENGTH = 32;
export const MERKLE_KEY_LENGTH = 32;
export const MERKLE_KEY_BITS = MERKLE_KEY_LENGTH * 8;
export const MERKLE_LEAF_PREFIX = 0x00;
export const MERKLE_INTERNAL_PREFIX = 0x01;
/** Both node preimages are a prefix byte and two 32-byte fields. */
export const MERKLE_NODE_LENGTH = 1 + 2 * MERKLE_HASH_LENGTH;

/** The root of the tree that holds no key (a fresh copy each call, so nobody can alter it). */
export function emptyMerkleRoot(): Uint8Array {
  return new Uint8Array(MERKLE_HASH_LENGTH);
}

export function isEmptyMerkleHash(hash: Uint8Array): boolean {
  for (const byte of hash) if (byte !== 0) return false;
  return true;
}

/** Preimage of a leaf: 0x00 ‖ key ‖ value hash. */
export function merkleLeafPreimage(key: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return nodePreimage(MERKLE_LEAF_PREFIX, key, valueHash);
}

/** Preimage of an internal node: 0x01 ‖ left child hash ‖ right child hash (zeros when empty). */
export function merkleInternalPreimage(left: Uint8Array, right: Uint8Array): Uint8Array {
  return nodePreimage(MERKLE_INTERNAL_PREFIX, left, right);
}

/**
 * Node preimages are carved out of shared chunks: V8 gives every typed array longer than 64 bytes
 * its own off-heap buffer, and allocating (and collecting) one per node was the largest single
 * cost of a tree update. A chunk stays alive while any node cut from it does.
 */
const NODES_PER_CHUNK = 1024;
let chunk = new Uint8Array(0);
let chunkOffset = 0;

function allocateNode(): Uint8Array {
  if (chunkOffset === chunk.length) {
    chunk = new Uint8Array(MERKLE_NODE_LENGTH * NODES_PER_CHUNK);
    chunkOffset = 0;
  }
  chunkOffset += MERKLE_NODE_LENGTH;
  return new Uint8Array(chunk.buffer, chunkOffset - MERKLE_NODE_LENGTH, MERKLE_NODE_LENGTH);
}

function nodePreimage(prefix: number, first: Uint8Array, second: Uint8Array): Uint8Array {
  const preimage = allocateNode();
  preimage[0] = prefix;
  preimage.set(first, 1);
  preimage.set(second, 1 + MERKLE_HASH_LENGTH);
  return preimage;
}

/** Hashes a node preimage, refusing hash functions that do not give 32 bytes. */
export function merkleNodeHash(hash: MerkleHashFunction, preimage: Uint8Array): Uint8Array {
  const digest = hash(preimage);
  if (digest.length !== MERKLE_HASH_LENGTH) {
    throw new MerkleProofError('INVALID_LENGTH', `the hash function returned ${digest.length} bytes, not ${MERKLE_HASH_LENGTH}`);
  }
  return digest;
}

/** Bit `index` of a key, counting from the most significant bit of its first byte. */
export function merkleKeyBit(key: Uint8Array, index: number): 0 | 1 {
  return (((key[index >>> 3] ?? 0) >>> (7 - (index & 7))) & 1) as 0 | 1;
}

/** How many leading bits two keys share (256 when equal). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < MERKLE_KEY_LENGTH; i++) {
    const diff = (a[i] ?? 0) ^ (b[i] ?? 0);
    if (diff !== 0) return i * 8 + Math.clz32(diff) - 24;
  }
  return MERKLE_KEY_BITS;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function requireLength(value: Uint8Array, length: number, what: string): void {
  if (value.length !== length) {
    throw new MerkleProofError('INVALID_LENGTH', `${what} must be ${length} bytes, got ${value.length}`);
  }
}
