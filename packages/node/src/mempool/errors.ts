import type { HashDigest } from '@jadechain/crypto';
import type { CheckCode } from '@jadechain/ledger';

/**
 * Why the mempool refused a transaction. Refusals are values, not exceptions: the gateway maps
 * each code to its answer (MEMPOOL_FULL to 503 with Retry-After, the check codes to 4xx).
 * The stateless check's codes (`CheckCode` of @jadechain/ledger) come through unchanged.
 */
export type RefusalCode =
  /** The pool holds its maximum count or bytes: back off and retry. */
  | 'MEMPOOL_FULL'
  /** The same transaction (same hash) is already waiting or being checked. */
  | 'DUPLICATE'
  /** The ledger already holds this transaction (its recorded result stands). */
  | 'ALREADY_COMMITTED'
  /** The transaction's timestamp is outside the window around consensus time. */
  | 'TIMESTAMP_OUT_OF_WINDOW'
  /** The pool is closed (the peer is shutting down). */
  | 'CLOSED'
  | CheckCode;

export type Admission =
  | { readonly admitted: true; readonly transactionHash: HashDigest }
  | {
      readonly admitted: false;
      readonly code: RefusalCode;
      readonly message: string;
      /** Absent when the transaction did not decode. */
      readonly transactionHash?: HashDigest;
    };

export type MempoolErrorCode =
  /** An option is out of range. */
  | 'INVALID_CONFIG'
  /** The signature pool was closed while work was queued or asked for work after closing. */
  | 'VERIFIER_CLOSED'
  /** A verification worker died or answered something unexpected. */
  | 'VERIFIER_FAILED';

export class MempoolError extends Error {
  readonly code: MempoolErrorCode;

  constructor(code: MempoolErrorCode, message: string, options?: { readonly cause: unknown }) {
    super(message, options);
    this.name = 'MempoolError';
    this.code = code;
  }
}
