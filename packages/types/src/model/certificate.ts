import type { HashDigest, PubKey } from '@jadechain/crypto';
import type { CommitCertificate } from './block.js';
import { commitVoteMessage, type VerifyingSuite } from './hashing.js';

/** A participant a certificate's votes may come from: its key, and its participant id when known. */
export interface CertificateSigner {
  readonly pubKey: PubKey;
  readonly id?: number;
}

/**
 * How many distinct `signers` validly signed the commit vote of `certificate` on the ledger
 * `ledgerHash` (its height, round and block hash). A vote names its voter by key or by
 * participant id; a signer whose id is not known may match a vote by id through its signature.
 * Repeated votes, votes of strangers and signatures of another algorithm than the key's count
 * nothing. The peer's block sync and the SDK's proof check both decide quorum with this count.
 */
export function countCertificateSigners(
  suite: VerifyingSuite,
  ledgerHash: HashDigest,
  certificate: CommitCertificate,
  signers: readonly CertificateSigner[],
): number {
  const message = commitVoteMessage({ ledgerHash, height: certificate.height, round: certificate.round, blockHash: certificate.blockHash });
  const counted = new Set<number>();
  for (const vote of certificate.votes) {
    const voter = vote.voter;
    const signer = signers.findIndex((candidate, index) => {
      if (counted.has(index)) return false;
      const named = voter.type === 'PUBKEY' ? voter.pubKey.equals(candidate.pubKey) : candidate.id === undefined || candidate.id === voter.id;
      return named && suite.verify(candidate.pubKey, message, vote.signature);
    });
    if (signer >= 0) counted.add(signer);
  }
  return counted.size;
}
