import type { ValidatorSet } from '@jadechain/consensus';
import { cryptoSuite, type HashDigest } from '@jadechain/crypto';
import { countCertificateSigners, type CommitCertificate } from '@jadechain/types';

/**
 * Why a commit certificate does not prove its block to this validator set, or undefined when it
 * does: a quorum of distinct validators each validly signed the commit vote (ledger hash, height,
 * round, block hash).
 */
export function certificateDefect(ledgerHash: HashDigest, certificate: CommitCertificate, validators: ValidatorSet): string | undefined {
  const signers = validators.members.map((member) => ({ id: member.id, pubKey: member.publicKey }));
  const count = countCertificateSigners(cryptoSuite, ledgerHash, certificate, signers);
  if (count >= validators.quorum) return undefined;
  return `${count} valid commit votes of validators, a quorum is ${validators.quorum}`;
}
