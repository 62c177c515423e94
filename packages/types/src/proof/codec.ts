import { MerkleProofError } from './errors.js';
import { MERKLE_HASH_LENGTH, MERKLE_KEY_BITS, MERKLE_KEY_LENGTH, isEmptyMerkleHash } from './hashing.js';
import { checkMerkleProofShape } from './proof.js';
import type { MerkleProof, MerkleProofEnd } from './proof.js';

/**
 * The canonical binary form of a MerkleProof (docs/adr/0002-authenticated-state.md):
 *
 *   u8   end kind: 0x00 empty, 0x01 leaf (the proven key's own), 0x02 other leaf
 *   u16  depth d, big-endian, 0..256
 *   ⌈d/8⌉ bytes  presence bitmap: bit i (most significant bit of each byte first) is 1 exactly
 *                when siblings[i] is not empty; the unused low bits of the last byte are 0
 *   32 bytes × (number of 1 bits)  the non-empty siblings, root end first, none all zero
 *   if other leaf: 32-byte key ‖ 32-byte value hash
 *
 * Every proof has exactly one encoding and the decoder accepts nothing else.
 */
const END_EMPTY = 0x00;
const END_LEAF = 0x01;
const END_OTHER_LEAF = 0x02;
const HEADER_LENGTH = 3;
const OTHER_LEAF_LENGTH = MERKLE_KEY_LENGTH + MERKLE_HASH_LENGTH;

/** The longest encoding: 256 non-empty siblings and an other leaf. */
export const MAX_MERKLE_PROOF_LENGTH = HEADER_LENGTH + MERKLE_KEY_BITS / 8 + MERKLE_KEY_BITS * MERKLE_HASH_LENGTH + OTHER_LEAF_LENGTH;

export function encodeMerkleProof(proof: MerkleProof): Uint8Array {
  checkMerkleProofShape(proof);
  const depth = proof.siblings.length;
  const bitmapLength = Math.ceil(depth / 8);
  const present = proof.siblings.filter((sibling): sibling is Uint8Array => sibling !== null);
  const end = proof.end;
  const out = new Uint8Array(
    HEADER_LENGTH + bitmapLength + present.length * MERKLE_HASH_LENGTH + (end.kind === 'otherLeaf' ? OTHER_LEAF_LENGTH : 0),
  );
  out[0] = end.kind === 'empty' ? END_EMPTY : end.kind === 'leaf' ? END_LEAF : END_OTHER_LEAF;
  out[1] = depth >>> 8;
  out[2] = depth & 0xff;
  proof.siblings.forEach((sibling, index) => {
    if (sibling !== null) out[HEADER_LENGTH + (index >>> 3)] = (out[HEADER_LENGTH + (index >>> 3)] ?? 0) | (0x80 >>> (index & 7));
  });
  let offset = HEADER_LENGTH + bitmapLength;
  for (const sibling of present) {
    out.set(sibling, offset);
    offset += MERKLE_HASH_LENGTH;
  }
  if (end.kind === 'otherLeaf') {
    out.set(end.key, offset);
    out.set(end.valueHash, offset + MERKLE_KEY_LENGTH);
  }
  return out;
}

/** Decodes the canonical binary form; throws MerkleProofError on anything else. */
export function decodeMerkleProof(bytes: Uint8Array): MerkleProof {
  if (bytes.length > MAX_MERKLE_PROOF_LENGTH) {
    throw new MerkleProofError('OVERSIZED', `a proof is at most ${MAX_MERKLE_PROOF_LENGTH} bytes, got ${bytes.length}`);
  }
  const reader = new ProofReader(bytes);
  const kind = reader.byte();
  if (kind !== END_EMPTY && kind !== END_LEAF && kind !== END_OTHER_LEAF) {
    throw new MerkleProofError('UNKNOWN_END_KIND', `unknown proof end kind 0x${kind.toString(16).padStart(2, '0')}`);
  }
  const depth = (reader.byte() << 8) | reader.byte();
  if (depth > MERKLE_KEY_BITS) throw new MerkleProofError('INVALID_DEPTH', `a proof has at most ${MERKLE_KEY_BITS} levels, got ${depth}`);
  const bitmap = reader.take(Math.ceil(depth / 8));
  if (depth % 8 !== 0 && ((bitmap[bitmap.length - 1] ?? 0) & (0xff >>> depth % 8)) !== 0) {
    throw new MerkleProofError('NONCANONICAL', 'the unused bits of the sibling bitmap must be zero');
  }
  const siblings: Array<Uint8Array | null> = [];
  for (let index = 0; index < depth; index++) {
    if ((((bitmap[index >>> 3] ?? 0) << (index & 7)) & 0x80) === 0) {
      siblings.push(null);
      continue;
    }
    const sibling = reader.take(MERKLE_HASH_LENGTH);
    if (isEmptyMerkleHash(sibling)) throw new MerkleProofError('NONCANONICAL', 'an empty sibling must be marked in the bitmap, not sent as zeros');
    siblings.push(sibling);
  }
  let end: MerkleProofEnd;
  if (kind === END_OTHER_LEAF) end = { kind: 'otherLeaf', key: reader.take(MERKLE_KEY_LENGTH), valueHash: reader.take(MERKLE_HASH_LENGTH) };
  else end = { kind: kind === END_LEAF ? 'leaf' : 'empty' };
  reader.finish();
  return { siblings, end };
}

/** Reads forward through the input, copying out what it returns so callers own their bytes. */
class ProofReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    return this.take(1)[0] ?? 0;
  }

  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) {
      throw new MerkleProofError('TRUNCATED', `the proof ends at byte ${this.bytes.length}, needed ${this.offset + length}`);
    }
    const slice = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  finish(): void {
    if (this.offset !== this.bytes.length) {
      throw new MerkleProofError('TRAILING_BYTES', `${this.bytes.length - this.offset} bytes follow the proof`);
    }
  }
}
