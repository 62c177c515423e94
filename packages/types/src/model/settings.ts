import { hashAlgorithm, list, record, set, signatureAlgorithm, struct, text, textMap, u32 } from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import { identityModeCodec } from './enums.js';
import { CodecLimits } from './limits.js';
import { Certificate } from './values.js';

/** The ledger's hash algorithm (for transaction, block and state hashes) and the signature algorithms it accepts. */
export const CryptoSettings = struct({
  hashAlgorithm,
  signatureAlgorithms: set(signatureAlgorithm, { min: 1, max: CodecLimits.MAX_SIGNATURE_ALGORITHMS }),
});
export type CryptoSettings = Infer<typeof CryptoSettings>;

/** Consensus provider and its properties (name → text value), opaque to the ledger. */
export const ConsensusSettings = struct({
  provider: text({ min: 1, max: CodecLimits.MAX_NAME_BYTES }),
  properties: textMap(
    text({ min: 1, max: CodecLimits.MAX_NAME_BYTES }),
    text({ max: CodecLimits.MAX_CONSENSUS_PROPERTY_BYTES }),
    { max: CodecLimits.MAX_CONSENSUS_PROPERTIES },
  ),
});
export type ConsensusSettings = Infer<typeof ConsensusSettings>;

/** Size limits the ledger enforces on transactions and blocks (in bytes of the canonical encoding). */
export const LedgerLimits = struct({
  maxTransactionBytes: u32,
  maxOperationsPerTransaction: u32,
  maxTransactionsPerBlock: u32,
  maxBlockBytes: u32,
  maxValueBytes: u32,
});
export type LedgerLimits = Infer<typeof LedgerLimits>;

/**
 * Everything the ledger needs to validate transactions. `timestampWindowMs`: a transaction's
 * timestamp must lie within this many milliseconds of the block's consensus timestamp.
 * `rootCertificates`: the trusted roots in CA identity mode (empty in KEYPAIR mode).
 */
export const LedgerSettings = record('LedgerSettings', 0x0620, {
  protocolVersion: u32,
  crypto: CryptoSettings,
  consensus: ConsensusSettings,
  identityMode: identityModeCodec,
  rootCertificates: list(Certificate, { max: CodecLimits.MAX_ROOT_CERTIFICATES }),
  limits: LedgerLimits,
  timestampWindowMs: u32,
});
export type LedgerSettings = Infer<typeof LedgerSettings>;
