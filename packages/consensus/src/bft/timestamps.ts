import type { HashDigest } from '@jadechain/crypto';
import type { SignedPrecommit } from './messages.js';

/**
 * The block timestamp rule (spec/consensus.md §5): the (f+1)-th smallest of the timestamps of a
 * quorum of precommits for the parent block — the median when the quorum has 2f+1 members. At
 * most f of them are Byzantine, so the result is at least one honest timestamp and at most
 * another: it lies within the honest validators' clocks, and it exceeds the parent's timestamp
 * because every honest precommit does.
 */
export function blockTimestamp(timestamps: readonly bigint[], maxFaulty: number): bigint {
  if (timestamps.length <= maxFaulty) throw new RangeError(`${timestamps.length} timestamps cannot outvote ${maxFaulty} faulty validators`);
  const sorted = [...timestamps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[maxFaulty] as bigint;
}

/** What an honest validator puts in its precommit for a block of timestamp `blockTime`: its clock, but always later than the block. */
export function precommitTimestamp(now: bigint, blockTime: bigint): bigint {
  return now > blockTime ? now : blockTime + 1n;
}

/**
 * The evidence a leader attaches: `quorum` precommits for the parent from the lowest validator
 * ids it holds, stripped of their commit votes (the timestamp needs only the precommit signature).
 */
export function chooseTimeEvidence(precommits: Iterable<SignedPrecommit>, quorum: number): SignedPrecommit[] | undefined {
  const chosen = [...precommits].sort((a, b) => a.content.voter - b.content.voter).slice(0, quorum);
  if (chosen.length < quorum) return undefined;
  return chosen.map((precommit) => ({ content: precommit.content, signature: precommit.signature }));
}

/** Whether a precommit is for `blockHash` at `height` of this ledger. */
export function precommitIsFor(precommit: SignedPrecommit, ledgerHash: HashDigest, height: number, blockHash: HashDigest): boolean {
  const { content } = precommit;
  return (
    content.height === BigInt(height) &&
    content.blockHash !== undefined &&
    content.blockHash.equals(blockHash) &&
    content.ledgerHash.equals(ledgerHash)
  );
}
