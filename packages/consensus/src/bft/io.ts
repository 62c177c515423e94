import type { HashDigest } from '@jadechain/crypto';
import type { CommitCertificate } from '@jadechain/types';
import type { BftCrypto } from './crypto.js';
import type { BlockValue, ConsensusMessage, Decision } from './messages.js';
import type { SafetyRecord } from './record.js';
import type { ValidatorSet } from './validators.js';

/** Round timeouts grow linearly with the round, so after GST they eventually exceed any message delay. */
export interface BftTimeouts {
  readonly proposeMs: number;
  readonly prevoteMs: number;
  readonly precommitMs: number;
  /** Added to each of the three timeouts per round. */
  readonly roundIncrementMs: number;
  /** How often an active node re-sends its latest messages (lossy links) and asks for decisions it lacks. */
  readonly retransmitMs: number;
}

export const DEFAULT_TIMEOUTS: BftTimeouts = Object.freeze({
  proposeMs: 3000,
  prevoteMs: 1000,
  precommitMs: 1000,
  roundIncrementMs: 500,
  retransmitMs: 2000,
});

export interface BftConfig {
  readonly ledgerHash: HashDigest;
  readonly validators: ValidatorSet;
  /** This node's validator id; `crypto.sign` signs with that validator's key. */
  readonly self: number;
  readonly crypto: BftCrypto;
  readonly timeouts?: Partial<BftTimeouts>;
  /** Most transactions a leader asks for per block (default 2000, JD Chain's batch size). */
  readonly maxBatchTransactions?: number;
  /** How many recent decisions a node keeps to serve lagging peers (default 64). */
  readonly retainDecisions?: number;
  /**
   * The validators that decided the tip block, whose precommits for it are the time evidence of
   * the first height (spec/consensus.md §13); `validators` when absent. They differ only right
   * after a validator-set change.
   */
  readonly parentValidators?: ValidatorSet;
  /** Decisions a previous core of this node kept (handed over across a set change), still served to lagging peers. */
  readonly retainedDecisions?: readonly Decision[];
}

/** The last block the ledger has durably committed (for a new ledger: the genesis block, height 0). */
export interface ChainTip {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly timestamp: bigint;
}

export type TimerStep = 'propose' | 'prevote' | 'precommit' | 'retransmit';

export interface TimerKey {
  readonly height: number;
  readonly round: number;
  readonly step: TimerStep;
}

export type ExecutionOutcome =
  /**
   * `changesValidators`: the block changes the validator set, so its height is the last this
   * core decides; the host restarts consensus with the new set once the block is committed.
   */
  | { readonly valid: true; readonly blockHash: HashDigest; readonly changesValidators?: boolean }
  /** The batch breaks the ledger's batch rules, or its transactions cannot be obtained. */
  | { readonly valid: false; readonly reason: string };

export type BftInput =
  /** A message from validator `from` (authenticated by the transport). */
  | { readonly type: 'message'; readonly from: number; readonly message: ConsensusMessage }
  | { readonly type: 'timeout'; readonly timer: TimerKey }
  | { readonly type: 'executed'; readonly height: number; readonly valueDigest: HashDigest; readonly outcome: ExecutionOutcome }
  /** The record of this sequence number (and every earlier one) is durable. */
  | { readonly type: 'persisted'; readonly sequence: number }
  /** The block of this height is durably committed. */
  | { readonly type: 'committed'; readonly height: number }
  /** The mempool holds transactions that no block below `height` contains. */
  | { readonly type: 'transactions-available'; readonly height: number }
  /** The answer to `request-batch` (empty when the mempool has nothing new). */
  | { readonly type: 'batch'; readonly height: number; readonly round: number; readonly transactions: readonly HashDigest[] };

export type MisbehaviourKind =
  | 'CONFLICTING_PROPOSAL'
  | 'CONFLICTING_PREVOTE'
  | 'CONFLICTING_PRECOMMIT'
  | 'INVALID_SIGNATURE'
  | 'INVALID_PROPOSAL'
  | 'WRONG_PROPOSER'
  | 'INVALID_DECISION'
  | 'MALFORMED_MESSAGE';

/** A peer broke the protocol. Conflicting messages come with both signed messages as proof. */
export interface Misbehaviour {
  readonly kind: MisbehaviourKind;
  readonly validator: number;
  readonly height: number;
  readonly round: number;
  readonly detail: string;
  readonly proof: readonly ConsensusMessage[];
}

export type BftOutput =
  | { readonly type: 'broadcast'; readonly message: ConsensusMessage }
  | { readonly type: 'send'; readonly to: number; readonly message: ConsensusMessage }
  | { readonly type: 'set-timer'; readonly timer: TimerKey; readonly delayMs: number }
  /** Execute `value` on top of block `parentHash` (committed, or decided and executed before) writing nothing; answer with `executed`. */
  | { readonly type: 'execute'; readonly height: number; readonly parentHash: HashDigest; readonly value: BlockValue; readonly valueDigest: HashDigest }
  /** Commit the executed block `blockHash` with its certificate, in height order; answer with `committed`. */
  | { readonly type: 'commit'; readonly height: number; readonly blockHash: HashDigest; readonly certificate: CommitCertificate; readonly decision: Decision }
  /** Persist `record` durably, replacing the previous one; answer with `persisted`. Held messages wait for it. */
  | { readonly type: 'persist'; readonly sequence: number; readonly record: SafetyRecord }
  /** Answer with `batch`: up to `maxTransactions` mempool transactions that no decided block contains. */
  | { readonly type: 'request-batch'; readonly height: number; readonly round: number; readonly maxTransactions: number }
  | { readonly type: 'evidence'; readonly misbehaviour: Misbehaviour };
