/**
 * Every failure of the proof module is a MerkleProofError with a stable code, so that light
 * clients, the SDK and the API report a malformed proof the same way.
 */
export type MerkleProofErrorCode =
  /** A root, key, value hash or hash output is not 32 bytes long. */
  | 'INVALID_LENGTH'
  /** The proof bytes end before the structure they announce. */
  | 'TRUNCATED'
  /** Bytes remain after a complete proof. */
  | 'TRAILING_BYTES'
  /** The input is longer than the largest possible proof. */
  | 'OVERSIZED'
  /** The proof claims more levels than a 256-bit key has. */
  | 'INVALID_DEPTH'
  /** The end-of-path tag is not one this format defines. */
  | 'UNKNOWN_END_KIND'
  /** The proof is well-formed but not in its single canonical form (padding bits, zero siblings). */
  | 'NONCANONICAL'
  /** The JSON form does not have the required shape. */
  | 'INVALID_JSON';

export class MerkleProofError extends Error {
  readonly code: MerkleProofErrorCode;

  constructor(code: MerkleProofErrorCode, message: string) {
    super(message);
    this.name = 'MerkleProofError';
    this.code = code;
  }
}
