import { CodecLimits, hashDigest, int64, list, optional, record, signatureDigest, struct, u32, uint64, union } from '@jadechain/types';
import type { Infer } from '@jadechain/types';

/** Most transaction hashes one block value may carry (the ledger's own limit is usually lower). */
export const MAX_BATCH_TRANSACTIONS = 65_536;

/**
 * A prevote: "at this height and round, executing the proposal gives this block" (or nil).
 * Signed as `signedBytes(PrevoteContent)`.
 */
export const PrevoteContent = record('BftPrevote', 0x0152, {
  ledgerHash: hashDigest,
  height: uint64,
  round: u32,
  voter: u32,
  blockHash: optional(hashDigest),
});
export type PrevoteContent = Infer<typeof PrevoteContent>;

/**
 * A precommit with the voter's clock reading. The timestamp is what block times are derived
 * from (spec/consensus.md §5); `signature` covers it. A precommit for a block also carries
 * `commitSignature`, the voter's signature of the ledger's `CommitVote` for that block, which is
 * what goes into the block's `CommitCertificate` and can be checked with no consensus code.
 */
export const PrecommitContent = record('BftPrecommit', 0x0153, {
  ledgerHash: hashDigest,
  height: uint64,
  round: u32,
  voter: u32,
  blockHash: optional(hashDigest),
  timestamp: int64,
});
export type PrecommitContent = Infer<typeof PrecommitContent>;

export const SignedPrevote = struct({ content: PrevoteContent, signature: signatureDigest });
export type SignedPrevote = Infer<typeof SignedPrevote>;

export const SignedPrecommit = struct({
  content: PrecommitContent,
  signature: signatureDigest,
  commitSignature: optional(signatureDigest),
});
export type SignedPrecommit = Infer<typeof SignedPrecommit>;

/**
 * What a leader proposes: the batch of transaction hashes for `height` on top of `parentHash`,
 * with the block timestamp and the quorum of precommits of the parent it is derived from.
 * Validators execute it; the resulting header hash is what they vote on.
 */
export const BlockValue = record('BftBlockValue', 0x0150, {
  height: uint64,
  parentHash: hashDigest,
  timestamp: int64,
  transactions: list(hashDigest, { min: 1, max: MAX_BATCH_TRANSACTIONS }),
  timeEvidence: list(SignedPrecommit, { min: 1, max: CodecLimits.MAX_PARTICIPANTS }),
});
export type BlockValue = Infer<typeof BlockValue>;

/** A leader's proposal of a value for one round; `validRound` is set when it re-proposes a value that had a quorum of prevotes in that round. */
export const ProposalContent = record('BftProposal', 0x0151, {
  ledgerHash: hashDigest,
  height: uint64,
  round: u32,
  proposer: u32,
  validRound: optional(u32),
  value: BlockValue,
});
export type ProposalContent = Infer<typeof ProposalContent>;

export const SignedProposal = struct({ content: ProposalContent, signature: signatureDigest });
export type SignedProposal = Infer<typeof SignedProposal>;

/**
 * A decided height: a quorum of precommits of one round for one block and the value that
 * executes to it (no value for height 0, whose "precommits" only seed block 1's timestamp).
 * Lagging nodes catch up from these.
 */
export const Decision = record('BftDecision', 0x0154, {
  height: uint64,
  round: u32,
  value: optional(BlockValue),
  precommits: list(SignedPrecommit, { min: 1, max: CodecLimits.MAX_PARTICIPANTS }),
});
export type Decision = Infer<typeof Decision>;

/**
 * Everything validators send one another. The transport authenticates the sender. A proposal
 * that re-proposes a value (`validRound` set) travels with the quorum of prevotes for it in that
 * round (its "polka"), so that validators who missed that round can still accept it.
 */
export const ConsensusMessage = union(
  'BftMessage',
  { tagBytes: 2, versioned: true },
  {
    PROPOSAL: { code: 0x0158, fields: { proposal: SignedProposal, polka: list(SignedPrevote, { max: CodecLimits.MAX_PARTICIPANTS }) } },
    PREVOTE: { code: 0x0159, fields: { prevote: SignedPrevote } },
    PRECOMMIT: { code: 0x015a, fields: { precommit: SignedPrecommit } },
    DECISION: { code: 0x015b, fields: { decision: Decision } },
    DECISION_REQUEST: { code: 0x015c, fields: { height: uint64 } },
  },
);
export type ConsensusMessage = Infer<typeof ConsensusMessage>;

/** The domain tag in front of every signed consensus content: ASCII "JADECHAIN/BFT" and a zero byte. */
export const BFT_SIGNATURE_DOMAIN_TEXT = 'JADECHAIN/BFT\0';
const DOMAIN = new TextEncoder().encode(BFT_SIGNATURE_DOMAIN_TEXT);

function withDomain(encoded: Uint8Array): Uint8Array {
  const message = new Uint8Array(DOMAIN.length + encoded.length);
  message.set(DOMAIN);
  message.set(encoded, DOMAIN.length);
  return message;
}

/** The bytes a proposer signs. */
export function proposalSignedBytes(content: ProposalContent): Uint8Array {
  return withDomain(ProposalContent.encode(content));
}

/** The bytes a prevoter signs. */
export function prevoteSignedBytes(content: PrevoteContent): Uint8Array {
  return withDomain(PrevoteContent.encode(content));
}

/** The bytes a precommitter signs (the commit vote is signed separately, see `commitVoteMessage`). */
export function precommitSignedBytes(content: PrecommitContent): Uint8Array {
  return withDomain(PrecommitContent.encode(content));
}
