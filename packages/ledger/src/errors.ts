import type { HashDigest } from '@jadechain/crypto';

/**
 * Errors of the ledger that are not a transaction's own failure (those are recorded results with
 * a TransactionState code). Codes are stable: the node, the CLI and the API report them as is.
 */
export type LedgerErrorCode =
  /** Stored data does not decode or contradicts itself. */
  | 'CORRUPT_STATE'
  /** The store holds no ledger (no genesis block). */
  | 'NOT_INITIALIZED'
  /** The store was written in a layout this version does not read (see spec/ledger.md, "Storage layout"). */
  | 'UNSUPPORTED_LAYOUT'
  /** The store already holds a ledger. */
  | 'ALREADY_INITIALIZED'
  /** A batch's height is not its parent's height plus one. */
  | 'HEIGHT_MISMATCH'
  /** A batch's consensus timestamp is earlier than its parent's. */
  | 'TIMESTAMP_REGRESSION'
  /** A batch breaks the ledger's block limits (transactions or bytes per block). */
  | 'BATCH_TOO_LARGE'
  /** A write set does not extend the committed tip, or was committed already. */
  | 'NOT_ON_TIP'
  /** A commit certificate is for another block. */
  | 'CERTIFICATE_MISMATCH'
  /** A block, transaction or account asked for does not exist (at that height). */
  | 'NOT_FOUND'
  /** A genesis proposal or its signatures are not acceptable. */
  | 'INVALID_GENESIS'
  /**
   * A contract's wall-clock watchdog fired: its result cannot be reproduced, so this node builds
   * no block from the batch (and so does not vote for it).
   */
  | 'CONTRACT_ABSTAINED';

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  /** The transaction at fault, when one is (CONTRACT_ABSTAINED): a mempool may drop it. */
  readonly transactionHash: HashDigest | undefined;

  constructor(code: LedgerErrorCode, message: string, transactionHash?: HashDigest) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
    this.transactionHash = transactionHash;
  }
}
