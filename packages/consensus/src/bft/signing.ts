import type { HashDigest, SignatureDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { BftCrypto } from './crypto.js';
import { sameBytes } from './crypto.js';
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

/**
 * Signed bytes by content object: a message verified by several nodes of one process (the
 * simulator) or checked twice is encoded once. Contents are never mutated, so this is safe.
 */
const signedBytesCache = new WeakMap<object, Uint8Array>();
const commitBytesCache = new WeakMap<object, Uint8Array>();

function cached<C extends object>(content: C, encode: (content: C) => Uint8Array, cache = signedBytesCache): Uint8Array {
  let bytes = cache.get(content);
  if (bytes === undefined) {
    bytes = encode(content);
    cache.set(content, bytes);
  }
  return bytes;
}

export function verifyProposal(crypto: BftCrypto, validators: ValidatorSet, proposal: SignedProposal): boolean {
  const signer = validators.get(proposal.content.proposer);
  return signer !== undefined && crypto.verify(signer.publicKey, cached(proposal.content, proposalSignedBytes), proposal.signature);
}

export function verifyPrevote(crypto: BftCrypto, validators: ValidatorSet, prevote: SignedPrevote): boolean {
  const signer = validators.get(prevote.content.voter);
  return signer !== undefined && crypto.verify(signer.publicKey, cached(prevote.content, prevoteSignedBytes), prevote.signature);
}

/**
 * Checks a precommit's signature and its commit-vote signature if it carries one. A nil precommit
 * must carry none; a block precommit must carry one when `requireCommitVote` (votes and
 * decisions), while time evidence inside a block value may travel without it.
 */
export function verifyPrecommit(crypto: BftCrypto, validators: ValidatorSet, precommit: SignedPrecommit, requireCommitVote: boolean): boolean {
  const { content, commitSignature } = precommit;
  const signer = validators.get(content.voter);
  if (signer === undefined || !crypto.verify(signer.publicKey, cached(content, precommitSignedBytes), precommit.signature)) return false;
  if (content.blockHash === undefined || commitSignature === undefined) {
    return commitSignature === undefined && !(requireCommitVote && content.blockHash !== undefined);
  }
  const blockHash = content.blockHash;
  return crypto.verify(signer.publicKey, cached(content, (c) => commitVoteMessage(commitVoteOf(c, blockHash)), commitBytesCache), commitSignature);
}

/*
 * Whether two signed messages are the same message: the same signatures over the same content.
 * A node skips verifying a message identical to one it verified; comparing signatures alone
 * would let altered content ride on a genuine signature.
 */

function sameOptional(a: SignatureDigest | undefined, b: SignatureDigest | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

export function sameProposal(a: SignedProposal, b: SignedProposal): boolean {
  return a === b || (a.signature.equals(b.signature) && sameBytes(cached(a.content, proposalSignedBytes), cached(b.content, proposalSignedBytes)));
}

export function samePrevote(a: SignedPrevote, b: SignedPrevote): boolean {
  return a === b || (a.signature.equals(b.signature) && sameBytes(cached(a.content, prevoteSignedBytes), cached(b.content, prevoteSignedBytes)));
}

export function samePrecommit(a: SignedPrecommit, b: SignedPrecommit): boolean {
  return (
    a === b ||
    (a.signature.equals(b.signature) &&
      sameOptional(a.commitSignature, b.commitSignature) &&
      sameBytes(cached(a.content, precommitSignedBytes), cached(b.content, precommitSignedBytes)))
  );
}
