/**
 * Failures of the peer↔peer side of a peer: its consensus record file, its choice of engine, and
 * the blocks and transactions it takes from other peers. Codes are wire codes, like NodeError's.
 */
export type ClusterErrorCode =
  /** The consensus record file is torn or corrupt: the peer refuses to start rather than forget what it signed. */
  | 'RECORD_CORRUPT'
  /** The consensus record file cannot be read or written. */
  | 'RECORD_UNAVAILABLE'
  /** The configured consensus protocol cannot run this ledger (single-node with several CONSENSUS participants). */
  | 'CONSENSUS_MISMATCH'
  /** A block offered by block sync failed a check (certificate, transactions, resulting hash). */
  | 'BLOCK_REFUSED';

export class ClusterError extends Error {
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string) {
    super(message);
    this.name = 'ClusterError';
    this.code = code;
  }
}
