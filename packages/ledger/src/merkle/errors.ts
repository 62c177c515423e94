/**
 * Failures of the authenticated-state tree. A missing or malformed node means the store lost or
 * corrupted data the tree relies on; the others are caller mistakes.
 */
export type MerkleTreeErrorCode =
  /** A node the root refers to is not in the store (or not yet in the overlay). */
  | 'MISSING_NODE'
  /** Stored node bytes are not a well-formed leaf or internal node. */
  | 'CORRUPT_NODE'
  /** A key, value hash or root is not 32 bytes long. */
  | 'INVALID_LENGTH';

export class MerkleTreeError extends Error {
  readonly code: MerkleTreeErrorCode;

  constructor(code: MerkleTreeErrorCode, message: string) {
    super(message);
    this.name = 'MerkleTreeError';
    this.code = code;
  }
}
