export { MerkleProofError } from './errors.js';
export type { MerkleProofErrorCode } from './errors.js';
export {
  MERKLE_HASH_LENGTH,
  MERKLE_KEY_LENGTH,
  MERKLE_KEY_BITS,
  MERKLE_LEAF_PREFIX,
  MERKLE_INTERNAL_PREFIX,
  MERKLE_NODE_LENGTH,
  emptyMerkleRoot,
  isEmptyMerkleHash,
  merkleLeafPreimage,
  merkleInternalPreimage,
  merkleNodeHash,
  merkleKeyBit,
} from './hashing.js';
export type { MerkleHashFunction } from './hashing.js';
export { checkMerkleProofShape, verifyMerkleProof } from './proof.js';
export type { MerkleProof, MerkleProofEnd } from './proof.js';
export { MAX_MERKLE_PROOF_LENGTH, encodeMerkleProof, decodeMerkleProof } from './codec.js';
export { merkleProofToJson, merkleProofFromJson } from './json.js';
export type { MerkleProofJson } from './json.js';
