import { MAX_HINTED_TRANSACTIONS } from '@jadechain/consensus';
import { BlockHeader, CommitCertificate, bytes, hashDigest, list, record, struct, u16, u32, uint64 } from '@jadechain/types';

/**
 * The peer↔peer protocol (spec/node-protocol.md §7) on the authenticated transport, role PEER:
 * consensus messages, transaction fetch and block sync, each record a canonical-codec record.
 */
export const PEER_CHANNEL = Object.freeze({
  /** MESSAGE PeerConsensusMessage: one BFT message of one ledger, from a validator. */
  CONSENSUS: 0x0200,
  /** REQUEST PeerTransactionsRequest → RESPONSE PeerTransactionsResponse. */
  TRANSACTIONS: 0x0201,
  /** REQUEST PeerStatusRequest → RESPONSE PeerStatusResponse. */
  STATUS: 0x0202,
  /** REQUEST PeerBlocksRequest → RESPONSE PeerBlocksResponse. */
  BLOCKS: 0x0203,
  /** MESSAGE PeerProposerHint: transactions named to a round's proposer that has not proposed. */
  PROPOSER_HINT: 0x0204,
  /** REQUEST PeerBlockPageRequest → RESPONSE PeerBlockPageResponse: the rest of a block too large for one BLOCKS answer. */
  BLOCK_PAGE: 0x0205,
});

/** Largest consensus message accepted (a proposal of 65,536 hashes with full time evidence fits in 3 MiB). */
export const MAX_CONSENSUS_MESSAGE_BYTES = 3 * 1024 * 1024;
/** Most transactions asked for in one fetch request. */
export const MAX_FETCH_HASHES = 1024;
/** Most blocks asked for in one block-sync request. */
export const MAX_SYNC_BLOCKS = 64;
/** Answers stay below this many bytes of bodies, so that they fit the transport's 4 MiB frame. */
export const MAX_ANSWER_BYTES = 3 * 1024 * 1024;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

export const PeerConsensusMessage = record('PeerConsensusMessage', 0x0170, {
  ledgerHash: hashDigest,
  /** The canonical encoding of a ConsensusMessage (spec/consensus.md §2). */
  message: bytes(1, MAX_CONSENSUS_MESSAGE_BYTES),
});
export type PeerConsensusMessage = ReturnType<typeof PeerConsensusMessage.decode>;

export const PeerTransactionsRequest = record('PeerTransactionsRequest', 0x0171, {
  ledgerHash: hashDigest,
  transactionHashes: list(hashDigest, { min: 1, max: MAX_FETCH_HASHES }),
});
export type PeerTransactionsRequest = ReturnType<typeof PeerTransactionsRequest.decode>;

/** The canonical encodings of the asked transactions the peer holds (pool or ledger), in any order. */
export const PeerTransactionsResponse = record('PeerTransactionsResponse', 0x0172, {
  transactions: list(bytes(1, MAX_TRANSACTION_BYTES), { max: MAX_FETCH_HASHES }),
});
export type PeerTransactionsResponse = ReturnType<typeof PeerTransactionsResponse.decode>;

export const PeerStatusRequest = record('PeerStatusRequest', 0x0173, {});
export type PeerStatusRequest = ReturnType<typeof PeerStatusRequest.decode>;

export const LedgerTip = struct({ ledgerHash: hashDigest, height: uint64, blockHash: hashDigest });
export type LedgerTip = ReturnType<typeof LedgerTip.decode>;

/** The committed tip of every ledger the peer holds. */
export const PeerStatusResponse = record('PeerStatusResponse', 0x0174, { ledgers: list(LedgerTip, { max: 1024 }) });
export type PeerStatusResponse = ReturnType<typeof PeerStatusResponse.decode>;

/**
 * To the proposer of `round` at `height`, from a validator that holds these transactions and has
 * waited part of the round for its proposal; a proposer with nothing to propose fetches them.
 */
export const PeerProposerHint = record('PeerProposerHint', 0x0177, {
  ledgerHash: hashDigest,
  height: uint64,
  round: u32,
  transactionHashes: list(hashDigest, { min: 1, max: MAX_HINTED_TRANSACTIONS }),
});
export type PeerProposerHint = ReturnType<typeof PeerProposerHint.decode>;

export const PeerBlocksRequest = record('PeerBlocksRequest', 0x0175, {
  ledgerHash: hashDigest,
  fromHeight: uint64,
  maxBlocks: u16,
});
export type PeerBlocksRequest = ReturnType<typeof PeerBlocksRequest.decode>;

/** Most transactions one block sync answer or page carries. */
const MAX_SYNCED_TRANSACTIONS = 65_536;

/**
 * A committed block as block sync carries it: enough to re-execute it and check the result.
 * `transactions` holds all `transactionCount` of them, or, for a block whose bodies alone exceed
 * an answer (MAX_ANSWER_BYTES), the first ones: the asker pages in the rest with BLOCK_PAGE.
 */
export const SyncedBlock = struct({
  header: BlockHeader,
  certificate: CommitCertificate,
  transactionCount: u32,
  /** The canonical TransactionRequest encodings, in block order. */
  transactions: list(bytes(1, MAX_TRANSACTION_BYTES), { max: MAX_SYNCED_TRANSACTIONS }),
});
export type SyncedBlock = ReturnType<typeof SyncedBlock.decode>;

/** Consecutive blocks from `fromHeight`, as many as the count and byte bounds allow (none if beyond the tip). */
export const PeerBlocksResponse = record('PeerBlocksResponse', 0x0176, { blocks: list(SyncedBlock, { max: MAX_SYNC_BLOCKS }) });
export type PeerBlocksResponse = ReturnType<typeof PeerBlocksResponse.decode>;

/** The transactions of committed block `height` from `fromIndex` on. */
export const PeerBlockPageRequest = record('PeerBlockPageRequest', 0x0178, {
  ledgerHash: hashDigest,
  height: uint64,
  fromIndex: u32,
});
export type PeerBlockPageRequest = ReturnType<typeof PeerBlockPageRequest.decode>;

/** As many as MAX_ANSWER_BYTES allows, and at least one while any is left; none past the block's end. */
export const PeerBlockPageResponse = record('PeerBlockPageResponse', 0x0179, {
  transactions: list(bytes(1, MAX_TRANSACTION_BYTES), { max: MAX_SYNCED_TRANSACTIONS }),
});
export type PeerBlockPageResponse = ReturnType<typeof PeerBlockPageResponse.decode>;
