import type { HashDigest, SignatureDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { BftCrypto } from './crypto.js';
import { precommitSignedBytes, prevoteSignedBytes, proposalSignedBytes } from './messages.js';
import type { PrecommitContent, PrevoteContent, ProposalContent, SignedPrecommit, SignedPrevote, SignedProposal } from './messages.js';
import type { ValidatorSet } from './validators.js';

export function signProposal(crypto: BftCrypto, content: ProposalContent): SignedProposal {
  return { content, signature: crypto.sign(proposalSignedBytes(content)) };
}

export function signPrevote(crypto: BftCrypto, content: PrevoteContent): SignedPrevote {
  return { content, signature: crypto.sign(prevoteSignedBytes(content)) };
}

/** Signs a precommit and, for a block, the commit vote that goes into the block's certificate. */
export function signPrecommit(crypto: BftCrypto, content: PrecommitContent): SignedPrecommit {
  const signature = crypto.sign(precommitSignedBytes(content));
  if (content.blockHash === undefined) return { content, signature };
  return { content, signature, commitSignature: crypto.sign(commitVoteMessage(commitVoteOf(content, content.blockHash))) };
}

function commitVoteOf(content: PrecommitContent, blockHash: HashDigest): { ledgerHash: HashDigest; height: bigint; round: number; blockHash: HashDigest } {
  return { ledgerHash: content.ledgerHash, height: content.height, round: content.round, blockHash };
}

export function verifyProposal(crypto: BftCrypto, validators: ValidatorSet, proposal: SignedProposal): boolean {
  const signer = validators.get(proposal.content.proposer);
  return signer !== undefined && crypto.verify(signer.publicKey, proposalSignedBytes(proposal.content), proposal.signature);
}

export function verifyPrevote(crypto: BftCrypto, validators: ValidatorSet, prevote: SignedPrevote): boolean {
  const signer = validators.get(prevote.content.voter);
  return signer !== undefined && crypto.verify(signer.publicKey, prevoteSignedBytes(prevote.content), prevote.signature);
}

/**
 * Checks a precommit's signature and its commit-vote signature if it carries one. A nil precommit
 * must carry none; a block precommit must carry one when `requireCommitVote` (votes and
 * decisions), while time evidence inside a block value may travel without it.
 */
export function verifyPrecommit(crypto: BftCrypto, validators: ValidatorSet, precommit: SignedPrecommit, requireCommitVote: boolean): boolean {
  const { content, commitSignature } = precommit;
  const signer = validators.get(content.voter);
  if (signer === undefined || !crypto.verify(signer.publicKey, precommitSignedBytes(content), precommit.signature)) return false;
  if (content.blockHash === undefined || commitSignature === undefined) {
    return commitSignature === undefined && !(requireCommitVote && content.blockHash !== undefined);
  }
  return crypto.verify(signer.publicKey, commitVoteMessage(commitVoteOf(content, content.blockHash)), commitSignature);
}

/** Whether two signed messages carry the same signature (then they are the same message). */
export function sameSignature(a: { readonly signature: SignatureDigest }, b: { readonly signature: SignatureDigest }): boolean {
  return a.signature.equals(b.signature);
}
