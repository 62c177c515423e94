import type { HashDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { BftCrypto } from '../bft/crypto.js';
import { hexOf } from '../bft/crypto.js';
import type { ConsensusMessage } from '../bft/messages.js';
import type { ValidatorSet } from '../bft/validators.js';
import type { SimNode } from './node.js';
import { SIM_EPOCH_MS } from './node.js';

/**
 * The properties every run must keep (spec/consensus.md §9). Each returns the violations found,
 * worded so that a failing seed says what went wrong where.
 */

/** What the checkers read of a node: who it is and its committed chain. */
export type ChainView = Pick<SimNode, 'validator' | 'store'>;

/** No two honest nodes commit different blocks at one height. */
export function checkAgreement(nodes: readonly ChainView[]): string[] {
  const violations: string[] = [];
  const seen = new Map<number, { key: string; validator: number }>();
  for (const node of nodes) {
    for (const block of node.store.chain) {
      const first = seen.get(block.height);
      if (first === undefined) seen.set(block.height, { key: block.key, validator: node.validator });
      else if (first.key !== block.key) violations.push(`agreement: v${first.validator} and v${node.validator} committed different blocks at height ${block.height}`);
    }
  }
  return violations;
}

/** Every applied transaction was submitted by a client and valid, and is applied once per chain. */
export function checkValidity(nodes: readonly ChainView[], submittedValid: ReadonlySet<string>): string[] {
  const violations: string[] = [];
  for (const node of nodes) {
    const applied = new Set<string>();
    for (const block of node.store.chain) {
      for (const transaction of block.applied) {
        if (!submittedValid.has(transaction)) violations.push(`validity: v${node.validator} applied ${transaction.slice(0, 16)}… at ${block.height}, never submitted valid`);
        if (applied.has(transaction)) violations.push(`validity: v${node.validator} applied ${transaction.slice(0, 16)}… twice`);
        applied.add(transaction);
      }
    }
  }
  return violations;
}

/**
 * Every committed block carries a certificate of a quorum of distinct, valid commit votes for it,
 * from the validators of its height: those its parent's state names (`setOf` gives their keys).
 */
export function checkCertificates(
  nodes: readonly ChainView[],
  setOf: (ids: readonly number[]) => ValidatorSet,
  ledgerHash: HashDigest,
  crypto: Pick<BftCrypto, 'verify'>,
): string[] {
  const violations: string[] = [];
  for (const node of nodes) {
    const chain = node.store.chain;
    for (const block of chain.slice(1)) {
      const validators = setOf((chain[block.height - 1] as (typeof chain)[number]).validators);
      const certificate = block.certificate;
      const where = `certificate: v${node.validator} block ${block.height}`;
      if (certificate === undefined || certificate.height !== BigInt(block.height) || !certificate.blockHash.equals(block.blockHash)) {
        violations.push(`${where} has no certificate for it`);
        continue;
      }
      const message = commitVoteMessage({ ledgerHash, height: certificate.height, round: certificate.round, blockHash: certificate.blockHash });
      const voters = new Set<number>();
      for (const vote of certificate.votes) {
        const voter = vote.voter.type === 'PARTICIPANT_ID' ? validators.get(vote.voter.id) : undefined;
        if (voter === undefined || voters.has(voter.id) || !crypto.verify(voter.publicKey, message, vote.signature)) {
          violations.push(`${where} has a vote that is unknown, repeated or invalid`);
        } else {
          voters.add(voter.id);
        }
      }
      if (voters.size < validators.quorum) violations.push(`${where} has ${voters.size} valid votes, a quorum is ${validators.quorum}`);
    }
  }
  return violations;
}

/**
 * Block timestamps increase strictly, and none runs ahead of every honest clock: a block is no
 * later than the latest honest clock reading when it was first committed, or its parent plus 1 ms.
 */
export function checkTimestamps(nodes: readonly ChainView[], firstCommitMs: ReadonlyMap<number, number>, maxSkewMs: number): string[] {
  const violations: string[] = [];
  for (const node of nodes) {
    const chain = node.store.chain;
    for (let height = 1; height < chain.length; height++) {
      const block = chain[height] as (typeof chain)[number];
      const parent = chain[height - 1] as (typeof chain)[number];
      if (block.timestamp <= parent.timestamp) violations.push(`timestamp: v${node.validator} block ${height} is not after its parent`);
      const committedAt = firstCommitMs.get(height);
      if (committedAt === undefined) continue;
      const bound = BigInt(SIM_EPOCH_MS + committedAt + maxSkewMs);
      const limit = bound > parent.timestamp + 1n ? bound : parent.timestamp + 1n;
      if (block.timestamp > limit) violations.push(`timestamp: block ${height} is ${block.timestamp - limit} ms ahead of every honest clock`);
    }
  }
  return violations;
}

/**
 * Every valid submitted transaction is committed by every honest node (so each has every block up
 * to the last one that applied a transaction). A node that missed a later block holding nothing
 * new while the network fell idle catches up at the next activity; that is not a violation.
 */
export function checkLiveness(nodes: readonly ChainView[], submittedValid: ReadonlySet<string>): string[] {
  const violations: string[] = [];
  for (const node of nodes) {
    const missing = [...submittedValid].filter((transaction) => !node.store.appliedAt.has(transaction)).length;
    if (missing > 0) violations.push(`liveness: v${node.validator} lacks ${missing} of ${submittedValid.size} transactions at height ${node.store.tip.height}`);
  }
  return violations;
}

/** Honest nodes never sign two different proposals or votes for one height, round and step, across restarts. */
export class DoubleSignWatch {
  private readonly signatures = new Map<string, string>();
  readonly violations: string[] = [];

  observe(validator: number, message: ConsensusMessage): void {
    const signed =
      message.type === 'PROPOSAL'
        ? { content: message.proposal.content, signer: message.proposal.content.proposer, signature: message.proposal.signature }
        : message.type === 'PREVOTE'
          ? { content: message.prevote.content, signer: message.prevote.content.voter, signature: message.prevote.signature }
          : message.type === 'PRECOMMIT'
            ? { content: message.precommit.content, signer: message.precommit.content.voter, signature: message.precommit.signature }
            : undefined;
    if (signed === undefined || signed.signer !== validator) return;
    const key = `${message.type}/${signed.content.height}/${signed.content.round}/${validator}`;
    const signature = hexOf(signed.signature.toBytes());
    const earlier = this.signatures.get(key);
    if (earlier === undefined) this.signatures.set(key, signature);
    else if (earlier !== signature) this.violations.push(`double sign: honest v${validator} signed two ${key.split('/')[0]}s at height ${signed.content.height} round ${signed.content.round}`);
  }
}
