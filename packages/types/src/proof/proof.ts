import { MerkleProofError } from './errors.js';
import {
  MERKLE_HASH_LENGTH,
  MERKLE_KEY_BITS,
  MERKLE_KEY_LENGTH,
  bytesEqual,
  commonPrefixBits,
  emptyMerkleRoot,
  isEmptyMerkleHash,
  merkleInternalPreimage,
  merkleKeyBit,
  merkleLeafPreimage,
  merkleNodeHash,
  requireLength,
} from './hashing.js';
import type { MerkleHashFunction } from './hashing.js';

/**
 * What the path towards a key ends in.
 * - `leaf`: the key's own leaf; proves that the key holds the value hash being verified.
 * - `empty`: an empty subtree; proves that the key is absent.
 * - `otherLeaf`: the only key of the subtree the path ends in is a different one, so the key
 *   is absent. It carries that leaf's contents because the verifier must rehash it.
 */
export type MerkleProofEnd =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'otherLeaf'; readonly key: Uint8Array; readonly valueHash: Uint8Array };

/**
 * The evidence for one key against one root. `siblings[i]` is the hash of the sibling of the
 * path node at depth i + 1, that is, of the other half under the path node at depth i (root = 0);
 * `null` stands for an empty subtree. The path ends at depth `siblings.length`.
 */
export interface MerkleProof {
  readonly siblings: ReadonlyArray<Uint8Array | null>;
  readonly end: MerkleProofEnd;
}

/**
 * Throws MerkleProofError unless the proof has the shape of a canonical proof: at most 256
 * levels, non-empty siblings of 32 bytes that are not all zero (empty ones are `null`), and a
 * known end with 32-byte fields.
 */
export function checkMerkleProofShape(proof: MerkleProof): void {
  if (proof.siblings.length > MERKLE_KEY_BITS) {
    throw new MerkleProofError('INVALID_DEPTH', `a proof has at most ${MERKLE_KEY_BITS} levels, got ${proof.siblings.length}`);
  }
  for (const sibling of proof.siblings) {
    if (sibling === null) continue;
    requireLength(sibling, MERKLE_HASH_LENGTH, 'a sibling hash');
    if (isEmptyMerkleHash(sibling)) throw new MerkleProofError('NONCANONICAL', 'an empty sibling must be null, not zero bytes');
  }
  const end = proof.end;
  if (end.kind === 'otherLeaf') {
    requireLength(end.key, MERKLE_KEY_LENGTH, 'the other leaf key');
    requireLength(end.valueHash, MERKLE_HASH_LENGTH, 'the other leaf value hash');
  } else if (end.kind !== 'leaf' && end.kind !== 'empty') {
    throw new MerkleProofError('UNKNOWN_END_KIND', 'unknown proof end kind');
  }
}

/**
 * Checks a claim about the tree with the given root: that `key` holds `valueHash`, or, when
 * `valueHash` is null, that `key` is absent.
 *
 * Returns false for any proof that does not establish the claim, including malformed proofs.
 * Throws MerkleProofError INVALID_LENGTH only for mistakes of the caller: a root, key or value
 * hash that is not 32 bytes, or a hash function that does not return 32 bytes.
 */
export function verifyMerkleProof(
  hash: MerkleHashFunction,
  root: Uint8Array,
  key: Uint8Array,
  valueHash: Uint8Array | null,
  proof: MerkleProof,
): boolean {
  requireLength(root, MERKLE_HASH_LENGTH, 'the root');
  requireLength(key, MERKLE_KEY_LENGTH, 'the key');
  if (valueHash !== null) requireLength(valueHash, MERKLE_HASH_LENGTH, 'the value hash');
  try {
    checkMerkleProofShape(proof);
  } catch (error) {
    if (error instanceof MerkleProofError) return false;
    throw error;
  }
  const endHash = pathEndHash(hash, key, valueHash, proof);
  if (endHash === null) return false;
  let node = endHash;
  for (let depth = proof.siblings.length - 1; depth >= 0; depth--) {
    const sibling = proof.siblings[depth] ?? emptyMerkleRoot();
    const preimage = merkleKeyBit(key, depth) === 0 ? merkleInternalPreimage(node, sibling) : merkleInternalPreimage(sibling, node);
    node = merkleNodeHash(hash, preimage);
  }
  return bytesEqual(node, root);
}

/** The hash the path must end in for the claim to hold, or null if the end contradicts it. */
function pathEndHash(hash: MerkleHashFunction, key: Uint8Array, valueHash: Uint8Array | null, proof: MerkleProof): Uint8Array | null {
  const end = proof.end;
  if (valueHash !== null) {
    return end.kind === 'leaf' ? merkleNodeHash(hash, merkleLeafPreimage(key, valueHash)) : null;
  }
  if (end.kind === 'empty') return emptyMerkleRoot();
  if (end.kind !== 'otherLeaf') return null;
  // The other leaf must sit on this key's path, or it says nothing about this key.
  if (commonPrefixBits(end.key, key) < proof.siblings.length || bytesEqual(end.key, key)) return null;
  return merkleNodeHash(hash, merkleLeafPreimage(end.key, end.valueHash));
}
