import type { HashDigest } from '@jadechain/crypto';
import type { CommitCertificate } from '@jadechain/types';
import type { BftCrypto } from './crypto.js';
import { hashKey } from './crypto.js';
import { BftError } from './errors.js';
import { OutputGate } from './gate.js';
import { HeightState } from './height.js';
import type { Execution, ParentBlock } from './height.js';
import { DEFAULT_TIMEOUTS } from './io.js';
import type { BftConfig, BftOutput, BftTimeouts, ChainTip, MisbehaviourKind, TimerStep } from './io.js';
import { BlockValue, MAX_BATCH_TRANSACTIONS } from './messages.js';
import type { ConsensusMessage, Decision, SignedPrecommit, SignedPrevote, SignedProposal } from './messages.js';
import type { SafetyRecord } from './record.js';
import type { Replay } from './restore.js';
import type { ValidatorSet } from './validators.js';

/**
 * The core's state across heights and the effects every rule uses: emitting (through the
 * persistence gate), timers, executions and decisions. The rules themselves live in rules.ts
 * (rounds and votes), intake.ts (messages) and catchup.ts (decisions between nodes).
 */
export class Machine {
  readonly ledgerHash: HashDigest;
  readonly validators: ValidatorSet;
  /** The validators that decided the parent of the current height: whose precommits are its time evidence. */
  parentValidators: ValidatorSet;
  readonly self: number;
  readonly crypto: BftCrypto;
  readonly timeouts: BftTimeouts;
  readonly maxBatchTransactions: number;
  readonly retainDecisions: number;
  readonly gate = new OutputGate();
  state: HeightState;
  /** Recent decisions by height, served to lagging peers. */
  readonly decisions = new Map<number, Decision>();
  /** Decisions whose commit the host has not acknowledged, ascending. */
  pending: Decision[] = [];
  /** The newest decision, kept in the record even once committed (peers may still need it). */
  lastDecision: Decision | undefined;
  committedHeight: number;
  /** Highest height each peer is known to have reached. */
  readonly peerHeights = new Map<number, number>();
  /** Messages for the next height, by sender, replayed when this node gets there. */
  future = new Map<number, ConsensusMessage[]>();
  /** Decided blocks re-executed after a restart, in height order: committed once they execute. */
  readonly replays: Replay[] = [];
  /** Outputs of the input being handled. */
  out: BftOutput[] = [];
  /** The host's clock at the input being handled (ms); only precommit timestamps read it. */
  now = 0n;

  constructor(config: BftConfig, tip: ChainTip) {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
    for (const [name, value] of Object.entries(timeouts)) {
      if (!Number.isSafeInteger(value) || value < 0) throw new BftError('INVALID_CONFIG', `timeout ${name} must be a whole number of ms, got ${value}`);
    }
    const maxBatch = config.maxBatchTransactions ?? 2000;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1 || maxBatch > MAX_BATCH_TRANSACTIONS) {
      throw new BftError('INVALID_CONFIG', `maxBatchTransactions must be in 1..${MAX_BATCH_TRANSACTIONS}`);
    }
    if (!config.validators.has(config.self)) throw new BftError('INVALID_VALIDATOR_SET', `validator ${config.self} is not in the set`);
    this.ledgerHash = config.ledgerHash;
    this.validators = config.validators;
    this.parentValidators = config.parentValidators ?? config.validators;
    this.self = config.self;
    this.crypto = config.crypto;
    this.timeouts = timeouts;
    this.maxBatchTransactions = maxBatch;
    this.retainDecisions = Math.max(1, config.retainDecisions ?? 64);
    this.committedHeight = tip.height;
    for (const decision of config.retainedDecisions ?? []) this.decisions.set(Number(decision.height), decision);
    this.state = new HeightState(tip.height + 1, parentOf(tip.height, tip.blockHash, tip.timestamp));
  }

  get quorum(): number {
    return this.validators.quorum;
  }

  get maxFaulty(): number {
    return this.validators.maxFaulty;
  }

  isLeader(round: number): boolean {
    return this.validators.proposer(this.state.height, round).id === this.self;
  }

  broadcast(message: ConsensusMessage): void {
    this.gate.route({ type: 'broadcast', message }, this.out);
  }

  send(to: number, message: ConsensusMessage): void {
    if (to !== this.self) this.gate.route({ type: 'send', to, message }, this.out);
  }

  setTimer(step: TimerStep, round: number): void {
    const base = step === 'propose' ? this.timeouts.proposeMs : step === 'prevote' ? this.timeouts.prevoteMs : this.timeouts.precommitMs;
    const delayMs = step === 'retransmit' ? this.timeouts.retransmitMs : base + this.timeouts.roundIncrementMs * round;
    this.out.push({ type: 'set-timer', timer: { height: this.state.height, round, step }, delayMs });
  }

  /** Keeps one retransmit timer running at this height. */
  armRetransmit(): void {
    if (this.state.retransmitArmed || this.state.decided) return;
    this.state.retransmitArmed = true;
    this.state.retransmitMark = `${this.state.round}/${this.state.step}`;
    this.setTimer('retransmit', this.state.round);
  }

  report(kind: MisbehaviourKind, validator: number, round: number, detail: string, proof: readonly ConsensusMessage[] = []): void {
    this.out.push({ type: 'evidence', misbehaviour: { kind, validator, height: this.state.height, round, detail, proof } });
  }

  valueDigest(value: BlockValue): HashDigest {
    return this.crypto.hash(BlockValue.encode(value));
  }

  /** Asks the host to execute a value on the parent unless it was already (or is being) executed. */
  execute(value: BlockValue, digest: HashDigest = this.valueDigest(value)): Execution {
    const key = hashKey(digest);
    const known = this.state.executions.get(key);
    if (known !== undefined) return known;
    const execution: Execution = { state: 'pending', value };
    this.state.executions.set(key, execution);
    this.out.push({ type: 'execute', height: this.state.height, parentHash: this.state.parent.blockHash, value, valueDigest: digest });
    return execution;
  }

  /** Records the decision, hands the block to the host to commit and moves to the next height. */
  decide(blockKey: string, round: number, precommits: readonly SignedPrecommit[]): void {
    const state = this.state;
    const known = state.values.get(blockKey);
    if (known === undefined) throw new Error('decide without a value');
    const decision: Decision = { height: BigInt(state.height), round, value: known.value, precommits };
    state.decided = true;
    this.pending.push(decision);
    this.lastDecision = decision;
    this.decisions.set(state.height, decision);
    this.decisions.delete(state.height - this.retainDecisions);
    this.gate.markDecided();
    this.gate.route({ type: 'commit', height: state.height, blockHash: known.blockHash, certificate: certificateOf(decision, known.blockHash), decision }, this.out);
    const evidence = new Map<number, SignedPrecommit>();
    for (const precommit of precommits) evidence.set(precommit.content.voter, precommit);
    for (const r of state.precommits.roundsWithVotes()) {
      for (const precommit of state.precommits.at(r).votesFor(blockKey)) {
        if (!evidence.has(precommit.content.voter)) evidence.set(precommit.content.voter, precommit);
      }
    }
    this.enterHeight(parentOf(state.height, known.blockHash, known.value.timestamp), evidence);
    // The next height belongs to another validator set: nothing more is signed under this one.
    if (known.changesValidators) this.state.closed = 'reconfiguration';
  }

  /** Starts a fresh height on top of `parent`; what arrived early for it is replayed by the caller. */
  enterHeight(parent: ParentBlock, evidence: ReadonlyMap<number, SignedPrecommit>): void {
    if (this.state.parent.height !== parent.height) this.parentValidators = this.validators;
    this.state = new HeightState(parent.height + 1, parent);
    for (const [voter, precommit] of evidence) this.state.parentEvidence.set(voter, precommit);
  }

  takeFutureMessages(): [number, ConsensusMessage][] {
    const messages: [number, ConsensusMessage][] = [];
    for (const [from, list] of this.future) for (const message of list) messages.push([from, message]);
    this.future = new Map();
    return messages;
  }

  /** The prevotes that justify re-proposing the valid block (empty when there is none). */
  polka(): SignedPrevote[] {
    const state = this.state;
    if (state.validBlock === undefined) return [];
    return state.prevotes.peek(state.validRound)?.votesFor(state.validBlock) ?? [];
  }

  /** A proposal as sent: a re-proposal carries its polka. */
  proposalMessage(proposal: SignedProposal): ConsensusMessage {
    return { type: 'PROPOSAL', proposal, polka: proposal.content.validRound === undefined ? [] : this.polka() };
  }

  record(): SafetyRecord {
    const state = this.state;
    const blockOf = (key: string | undefined): { value: BlockValue; blockHash: HashDigest } | undefined =>
      key === undefined ? undefined : state.values.get(key);
    const locked = blockOf(state.lockedBlock);
    const valid = blockOf(state.validBlock);
    const values = [locked, valid].filter((entry, i, all) => entry !== undefined && all.indexOf(entry) === i);
    return {
      ledgerHash: this.ledgerHash,
      height: BigInt(state.height),
      round: state.round,
      step: state.step,
      ...(locked !== undefined ? { lockedRound: state.lockedRound, lockedBlock: locked.blockHash } : {}),
      ...(valid !== undefined ? { validRound: state.validRound, validBlock: valid.blockHash } : {}),
      values: values.map((entry) => (entry as { value: BlockValue }).value),
      validPolka: this.polka(),
      proposals: [...state.ownProposals.values()].map((own) => own.message),
      prevotes: [...state.ownPrevotes.values()].map((own) => own.message),
      precommits: [...state.ownPrecommits.values()].map((own) => own.message),
      decisions: this.lastDecision === undefined || this.pending.includes(this.lastDecision) ? this.pending : [this.lastDecision, ...this.pending],
      parentEvidence: [...state.parentEvidence.values()],
    };
  }
}

export function parentOf(height: number, blockHash: HashDigest, timestamp: bigint): ParentBlock {
  return { height, blockHash, key: hashKey(blockHash), timestamp };
}

/** The ledger's certificate of a decision: every precommit's commit-vote signature, by participant id. */
export function certificateOf(decision: Decision, blockHash: HashDigest): CommitCertificate {
  return {
    height: decision.height,
    round: decision.round,
    blockHash,
    votes: decision.precommits.map((precommit) => {
      if (precommit.commitSignature === undefined) throw new Error('a decision precommit without a commit vote');
      return { voter: { type: 'PARTICIPANT_ID' as const, id: precommit.content.voter }, signature: precommit.commitSignature };
    }),
  };
}
