/**
 * Errors the BFT core raises to its host. Misbehaving peers never raise: their messages are
 * dropped and reported as evidence outputs. These codes mean the host broke its contract or the
 * node's own durable state is inconsistent, so continuing could make this node sign twice.
 */
export type BftErrorCode =
  /** The validator set is empty, has repeated ids, or does not contain the local signer. */
  | 'INVALID_VALIDATOR_SET'
  /** A configuration value is out of range (timeouts, batch limits). */
  | 'INVALID_CONFIG'
  /** The write-ahead record does not fit the ledger tip it is restored against. */
  | 'RECORD_INCONSISTENT'
  /** Re-executing a decided block gave another block hash than its certificate names. */
  | 'REPLAY_MISMATCH'
  /** An input refers to something the core never asked for (an unknown persist sequence, a commit ahead of any decision). */
  | 'UNEXPECTED_INPUT';

export class BftError extends Error {
  readonly code: BftErrorCode;

  constructor(code: BftErrorCode, message: string) {
    super(message);
    this.name = 'BftError';
    this.code = code;
  }
}
