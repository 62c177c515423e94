import type { HashDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { CommitCertificate } from '@jadechain/types';
import type { CommitSigner } from '../engine.js';

/** The round of every single-node block: there is one proposer and no round change. */
export const SINGLE_NODE_ROUND = 0;

/**
 * A 1-of-1 commit certificate: the node's own signature of the block's `CommitVote`, checkable
 * like any quorum's certificate (the vote message is the same domain-tagged encoding).
 */
export function selfCertificate(ledgerHash: HashDigest, height: number, blockHash: HashDigest, signer: CommitSigner): CommitCertificate {
  const vote = { ledgerHash, height: BigInt(height), round: SINGLE_NODE_ROUND, blockHash };
  return {
    height: vote.height,
    round: SINGLE_NODE_ROUND,
    blockHash,
    votes: [{ voter: signer.voter, signature: signer.sign(commitVoteMessage(vote)) }],
  };
}
