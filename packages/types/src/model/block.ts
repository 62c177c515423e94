import { hashDigest, int64, list, optional, pubKey, record, set, signatureDigest, struct, u32, uint64, union } from '../codec/index.js';
import type { Infer } from '../codec/index.js';
import { Participant } from './accounts.js';
import { CodecLimits } from './limits.js';

/**
 * A block header. The block hash is the hash of its encoding with the ledger's hash algorithm
 * (`blockHash`); the ledger hash is the genesis block's hash, so the genesis header has neither
 * `ledgerHash` nor `previousHash` and every later header has both. `timestamp` is the consensus
 * timestamp in milliseconds. The roots are those of the state after the block's transactions:
 * `adminRoot` covers settings, participants, roles and user roles.
 */
export const BlockHeader = record('BlockHeader', 0x0110, {
  ledgerHash: optional(hashDigest),
  height: uint64,
  previousHash: optional(hashDigest),
  timestamp: int64,
  transactionSetRoot: hashDigest,
  adminRoot: hashDigest,
  userRoot: hashDigest,
  dataAccountRoot: hashDigest,
  contractRoot: hashDigest,
  eventRoot: hashDigest,
  participantSetHash: hashDigest,
  protocolVersion: u32,
});
export type BlockHeader = Infer<typeof BlockHeader>;

/** The active participants, ordered by id; `participantSetHash` is the hash of its encoding. */
export const ParticipantSet = record('ParticipantSet', 0x0622, {
  participants: list(Participant, { max: CodecLimits.MAX_PARTICIPANTS }),
});
export type ParticipantSet = Infer<typeof ParticipantSet>;

/**
 * What a participant votes for: this block hash at this height and round of this ledger. The
 * signed message is `commitVoteMessage(vote)`: a fixed ASCII domain tag, then this record's
 * encoding, so a vote signature can never be mistaken for a transaction or init signature.
 */
export const CommitVote = record('CommitVote', 0x0141, {
  ledgerHash: hashDigest,
  height: uint64,
  round: u32,
  blockHash: hashDigest,
});
export type CommitVote = Infer<typeof CommitVote>;

/** Who voted: a participant by id, or by public key. */
export const Voter = union(
  'Voter',
  { tagBytes: 1, versioned: false },
  {
    PARTICIPANT_ID: { code: 0x01, fields: { id: u32 } },
    PUBKEY: { code: 0x02, fields: { pubKey } },
  },
);
export type Voter = Infer<typeof Voter>;

export const Vote = struct({ voter: Voter, signature: signatureDigest });
export type Vote = Infer<typeof Vote>;

/**
 * Proof that a quorum committed a block: votes for (ledger hash, height, round, block hash).
 * Votes form a set (canonical order), so equal certificates have equal bytes.
 */
export const CommitCertificate = record('CommitCertificate', 0x0140, {
  height: uint64,
  round: u32,
  blockHash: hashDigest,
  votes: set(Vote, { min: 1, max: CodecLimits.MAX_PARTICIPANTS }),
});
export type CommitCertificate = Infer<typeof CommitCertificate>;
