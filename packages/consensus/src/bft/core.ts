import type { HashDigest } from '@jadechain/crypto';
import { notePeerHeight } from './catchup.js';
import { hashKey } from './crypto.js';
import { BftError } from './errors.js';
import { onMessage } from './intake.js';
import type { BftConfig, BftInput, BftOutput, ChainTip, ExecutionOutcome } from './io.js';
import { Machine, certificateOf } from './machine.js';
import type { Decision } from './messages.js';
import type { SafetyRecord, Step } from './record.js';
import { restore } from './restore.js';
import { activate, onBatch, onTimeout, progress, tryPropose } from './rules.js';

/**
 * The BFT protocol as a deterministic state machine (spec/consensus.md). The host feeds it
 * inputs — messages, timer firings, execution results, persistence and commit acknowledgements,
 * mempool news — with its clock reading, and carries out the outputs in order. The core has no
 * clock, randomness, I/O or Node API of its own: the same inputs always give the same outputs.
 */
export class BftCore {
  private constructor(private readonly machine: Machine) {}

  /**
   * A core at the ledger's committed tip, restored from the last persisted record if there is
   * one (the host must have persisted every record the previous core emitted before acting on
   * anything that followed it).
   */
  static start(config: BftConfig, tip: ChainTip, record: SafetyRecord | undefined, now: bigint): { core: BftCore; outputs: BftOutput[] } {
    const machine = new Machine(config, tip);
    machine.now = now;
    restore(machine, tip, record);
    const core = new BftCore(machine);
    return { core, outputs: core.finish() };
  }

  handle(input: BftInput, now: bigint): BftOutput[] {
    const machine = this.machine;
    machine.out = [];
    machine.now = now;
    switch (input.type) {
      case 'message':
        onMessage(machine, input.from, input.message);
        break;
      case 'timeout':
        onTimeout(machine, input.timer);
        break;
      case 'executed':
        onExecuted(machine, input.height, input.valueDigest, input.outcome);
        break;
      case 'persisted':
        machine.gate.acknowledge(input.sequence, machine.out);
        break;
      case 'committed':
        onCommitted(machine, input.height);
        break;
      case 'transactions-available':
        if (input.height >= machine.state.height) {
          activate(machine);
          tryPropose(machine);
        }
        break;
      case 'batch':
        onBatch(machine, input.height, input.round, input.transactions);
        break;
    }
    return this.finish();
  }

  /** The height being decided. */
  get height(): number {
    return this.machine.state.height;
  }

  get round(): number {
    return this.machine.state.round;
  }

  get step(): Step {
    return this.machine.state.step;
  }

  get lockedRound(): number {
    return this.machine.state.lockedRound;
  }

  get validRound(): number {
    return this.machine.state.validRound;
  }

  /** The validator that proposes in the current round. */
  get proposer(): number {
    const { machine } = this;
    return machine.validators.proposer(machine.state.height, machine.state.round).id;
  }

  /** Whether this node still waits for the current round's proposal (it has work, does not lead the round, and has not voted in it). */
  get waitingForProposal(): boolean {
    const { machine } = this;
    const state = machine.state;
    return state.active && !state.decided && state.closed === undefined && state.step === 'PROPOSE' && !machine.isLeader(state.round);
  }

  /** Whether the node has work at this height (otherwise it runs no timers). */
  get active(): boolean {
    return this.machine.state.active;
  }

  get committedHeight(): number {
    return this.machine.committedHeight;
  }

  /**
   * Whether news of transactions could make this node act now: it has not started on this height
   * yet, or it leads the round and has not asked for a batch. (The same conditions as `activate`
   * and `tryPropose`.) The driver asks before looking through the mempool for a transaction not
   * in flight, a scan that grows with the transactions of decided, uncommitted blocks.
   */
  get awaitingTransactions(): boolean {
    const { machine } = this;
    const state = machine.state;
    if (state.decided || state.closed !== undefined) return false;
    if (!state.active) return true;
    return state.step === 'PROPOSE' && machine.isLeader(state.round) && !state.ownProposals.has(state.round) && state.batchRequestedFor !== state.round;
  }

  /** Whether the current height waits for the host to restart consensus with another validator set (§13). */
  get awaitingNewValidators(): boolean {
    return this.machine.state.closed === 'reconfiguration';
  }

  /** The recent decisions this core serves to lagging peers: handed to the next core across a set change. */
  get retainedDecisions(): Decision[] {
    return [...this.machine.decisions.values()];
  }

  private finish(): BftOutput[] {
    const machine = this.machine;
    settle(machine);
    machine.gate.finish(machine.out, () => machine.record());
    const out = machine.out;
    machine.out = [];
    return out;
  }
}

/** Applies the rules until nothing changes, entering each new height with what arrived early for it. */
function settle(machine: Machine): void {
  for (;;) {
    const height = machine.state.height;
    progress(machine);
    if (machine.state.height === height) return;
    for (const [from, message] of machine.takeFutureMessages()) onMessage(machine, from, message);
    for (const [peer, peerHeight] of machine.peerHeights) notePeerHeight(machine, peer, peerHeight);
  }
}

function onExecuted(machine: Machine, height: number, valueDigest: HashDigest, outcome: ExecutionOutcome): void {
  const key = hashKey(valueDigest);
  const replay = machine.replays.find((entry) => entry.digestKey === key && Number(entry.decision.height) === height);
  if (replay !== undefined) {
    if (!outcome.valid || !outcome.blockHash.equals(replay.blockHash)) {
      throw new BftError('REPLAY_MISMATCH', `decided block ${height} re-executes to ${outcome.valid ? outcome.blockHash.toBase58() : outcome.reason}`);
    }
    replay.executed = true;
    replay.changesValidators = outcome.changesValidators === true;
    while (machine.replays[0]?.executed === true) {
      const done = machine.replays.shift() as (typeof machine.replays)[number];
      const blockHash = done.blockHash;
      // The last replayed block tells whether the height after it belongs to this validator set.
      if (machine.replays.length === 0 && machine.state.closed === 'replay') machine.state.closed = done.changesValidators ? 'reconfiguration' : undefined;
      machine.gate.route({ type: 'commit', height: Number(done.decision.height), blockHash, certificate: certificateOf(done.decision, blockHash), decision: done.decision }, machine.out);
    }
    return;
  }
  const state = machine.state;
  const execution = state.executions.get(key);
  if (height !== state.height || execution === undefined || execution.state !== 'pending') return;
  if (outcome.valid) {
    const blockKey = hashKey(outcome.blockHash);
    state.executions.set(key, { state: 'valid', value: execution.value, blockKey, blockHash: outcome.blockHash });
    if (!state.values.has(blockKey)) state.values.set(blockKey, { value: execution.value, blockHash: outcome.blockHash, changesValidators: outcome.changesValidators === true });
    return;
  }
  state.executions.set(key, { state: 'invalid', value: execution.value, reason: outcome.reason });
  for (const [round, received] of state.proposals) {
    for (const entry of received) {
      if (entry.digestKey === key) {
        machine.report('INVALID_PROPOSAL', entry.proposal.content.proposer, round, `execution refused the batch: ${outcome.reason}`, [{ type: 'PROPOSAL', proposal: entry.proposal, polka: [] }]);
      }
    }
  }
}

function onCommitted(machine: Machine, height: number): void {
  const lastDecided = machine.state.height - 1;
  if (!Number.isSafeInteger(height) || height > lastDecided) {
    throw new BftError('UNEXPECTED_INPUT', `committed ${height}, but the last decided height is ${lastDecided}`);
  }
  machine.committedHeight = Math.max(machine.committedHeight, height);
  machine.pending = machine.pending.filter((decision) => Number(decision.height) > height);
}
