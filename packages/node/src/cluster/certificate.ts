import type { Validator, ValidatorSet } from '@jadechain/consensus';
import { CryptoError, cryptoSuite, type HashDigest, type PubKey, type SignatureDigest } from '@jadechain/crypto';
import { commitVoteMessage, type CommitCertificate, type Vote } from '@jadechain/types';

/**
 * Why a commit certificate does not prove its block to this validator set, or undefined when it
 * does: a quorum of distinct validators each validly signed the commit vote (ledger hash, height,
 * round, block hash). Votes name their voter by participant id or by key; votes of non-validators
 * and repeated votes do not count.
 */
export function certificateDefect(ledgerHash: HashDigest, certificate: CommitCertificate, validators: ValidatorSet): string | undefined {
  const message = commitVoteMessage({ ledgerHash, height: certificate.height, round: certificate.round, blockHash: certificate.blockHash });
  const signers = new Set<number>();
  for (const vote of certificate.votes) {
    const validator = voterOf(vote, validators);
    if (validator === undefined || signers.has(validator.id)) continue;
    if (verifies(validator.publicKey, message, vote.signature)) signers.add(validator.id);
  }
  if (signers.size >= validators.quorum) return undefined;
  return `${signers.size} valid commit votes of validators, a quorum is ${validators.quorum}`;
}

function voterOf(vote: Vote, validators: ValidatorSet): Validator | undefined {
  const voter = vote.voter;
  if (voter.type === 'PARTICIPANT_ID') return validators.get(voter.id);
  return validators.members.find((member) => member.publicKey.equals(voter.pubKey));
}

function verifies(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean {
  try {
    return cryptoSuite.verify(publicKey, message, signature);
  } catch (error) {
    // A signature of another algorithm than the key's is simply not a valid vote.
    if (error instanceof CryptoError) return false;
    throw error;
  }
}
