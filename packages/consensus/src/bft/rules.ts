import type { HashDigest } from '@jadechain/crypto';
import { requestMissing } from './catchup.js';
import { hashKey } from './crypto.js';
import type { TimerKey } from './io.js';
import type { Machine } from './machine.js';
import type { BlockValue } from './messages.js';
import { signPrecommit, signPrevote, signProposal } from './signing.js';
import { blockTimestamp, chooseTimeEvidence, precommitTimestamp } from './timestamps.js';
import { NIL } from './votes.js';

/**
 * The round rules of Tendermint ("The latest gossip on BFT consensus", Buchman, Kwon and
 * Milosevic, 2018, Algorithm 1), with values identified by the block their execution gives.
 * `progress` applies every rule whose condition holds until none does; each rule changes state
 * so that it cannot fire twice for the same round.
 */
export function progress(machine: Machine): void {
  if (machine.state.closed !== undefined) return;
  for (;;) {
    if (tryDecide(machine) || trySkipRound(machine) || tryPrevote(machine) || tryPolka(machine) || tryNilPolka(machine)) continue;
    armStepTimers(machine);
    return;
  }
}

/** The node has work at this height: run its timers, and propose if it leads the round. */
export function activate(machine: Machine): void {
  const state = machine.state;
  if (state.active || state.decided || state.closed !== undefined) return;
  state.active = true;
  if (state.step === 'PROPOSE') machine.setTimer('propose', state.round);
  machine.armRetransmit();
  tryPropose(machine);
}

export function startRound(machine: Machine, round: number): void {
  const state = machine.state;
  state.round = round;
  state.step = 'PROPOSE';
  if (!state.active) return;
  machine.setTimer('propose', round);
  tryPropose(machine);
}

/** A leader re-proposes its valid value, or asks the mempool for a batch (and proposes nothing if it is empty). */
export function tryPropose(machine: Machine): void {
  const state = machine.state;
  if (!state.active || state.step !== 'PROPOSE' || !machine.isLeader(state.round) || state.ownProposals.has(state.round)) return;
  const valid = state.validBlock === undefined ? undefined : state.values.get(state.validBlock);
  if (valid !== undefined) {
    propose(machine, valid.value, state.validRound);
  } else if (state.batchRequestedFor !== state.round) {
    state.batchRequestedFor = state.round;
    machine.gate.route({ type: 'request-batch', height: state.height, round: state.round, maxTransactions: machine.maxBatchTransactions }, machine.out);
  }
}

/** The mempool's answer to `request-batch`: build the value with its timestamp and propose it. */
export function onBatch(machine: Machine, height: number, round: number, transactions: readonly HashDigest[]): void {
  const state = machine.state;
  if (height !== state.height || round !== state.round || state.batchRequestedFor !== round) return;
  state.batchRequestedFor = -1;
  if (state.step !== 'PROPOSE' || state.ownProposals.has(round) || state.validBlock !== undefined) return;
  const unique = new Map<string, HashDigest>();
  for (const hash of transactions) if (unique.size < machine.maxBatchTransactions) unique.set(hashKey(hash), hash);
  if (unique.size === 0) return;
  const timeEvidence = chooseTimeEvidence(state.parentEvidence.values(), machine.parentValidators.quorum);
  if (timeEvidence === undefined) {
    requestMissing(machine);
    return;
  }
  const timestamp = blockTimestamp(
    timeEvidence.map((precommit) => precommit.content.timestamp),
    machine.parentValidators.maxFaulty,
  );
  const value: BlockValue = {
    height: BigInt(height),
    parentHash: state.parent.blockHash,
    timestamp,
    transactions: [...unique.values()],
    timeEvidence,
  };
  propose(machine, value, -1);
}

function propose(machine: Machine, value: BlockValue, validRound: number): void {
  const state = machine.state;
  const round = state.round;
  const content = {
    ledgerHash: machine.ledgerHash,
    height: BigInt(state.height),
    round,
    proposer: machine.self,
    ...(validRound >= 0 ? { validRound } : {}),
    value,
  };
  const proposal = signProposal(machine.crypto, content);
  machine.gate.markSigned();
  state.ownProposals.set(round, { message: proposal, recordedIn: machine.gate.nextSequence });
  const digest = machine.valueDigest(value);
  state.proposalsAt(round).push({ proposal, digestKey: hashKey(digest) });
  machine.execute(value, digest);
  machine.broadcast(machine.proposalMessage(proposal));
}

function prevote(machine: Machine, blockHash: HashDigest | undefined): void {
  const state = machine.state;
  const round = state.round;
  state.step = 'PREVOTE';
  if (state.ownPrevotes.has(round)) return;
  const content = { ledgerHash: machine.ledgerHash, height: BigInt(state.height), round, voter: machine.self, ...(blockHash ? { blockHash } : {}) };
  const signed = signPrevote(machine.crypto, content);
  machine.gate.markSigned();
  state.ownPrevotes.set(round, { message: signed, recordedIn: machine.gate.nextSequence });
  state.prevotes.at(round).add(machine.self, blockHash ? hashKey(blockHash) : NIL, signed, () => true);
  machine.broadcast({ type: 'PREVOTE', prevote: signed });
}

function precommit(machine: Machine, block: { blockHash: HashDigest; value: BlockValue } | undefined): void {
  const state = machine.state;
  const round = state.round;
  state.step = 'PRECOMMIT';
  if (state.ownPrecommits.has(round)) return;
  const timestamp = block ? precommitTimestamp(machine.now, block.value.timestamp) : machine.now;
  const content = {
    ledgerHash: machine.ledgerHash,
    height: BigInt(state.height),
    round,
    voter: machine.self,
    ...(block ? { blockHash: block.blockHash } : {}),
    timestamp,
  };
  const signed = signPrecommit(machine.crypto, content);
  machine.gate.markSigned();
  state.ownPrecommits.set(round, { message: signed, recordedIn: machine.gate.nextSequence });
  state.precommits.at(round).add(machine.self, block ? hashKey(block.blockHash) : NIL, signed, () => true);
  machine.broadcast({ type: 'PRECOMMIT', precommit: signed });
}

/** Upon a quorum of precommits for a block in any round whose value is known: decide it. */
function tryDecide(machine: Machine): boolean {
  const state = machine.state;
  if (state.decided) return false;
  for (const round of state.precommits.roundsWithVotes()) {
    const tally = state.precommits.at(round);
    const key = tally.blockWithQuorum(machine.quorum);
    if (key !== undefined && state.values.has(key)) {
      machine.decide(key, round, tally.votesFor(key));
      return true;
    }
  }
  for (const [key, certificate] of state.certificates) {
    if (state.values.has(key)) {
      machine.decide(key, certificate.round, certificate.precommits);
      return true;
    }
  }
  return false;
}

/** Upon messages from f+1 validators for a later round (so from at least one honest one): go to that round. */
function trySkipRound(machine: Machine): boolean {
  const state = machine.state;
  if (!state.active) return false;
  const rounds = [...state.highestRound.values()].sort((a, b) => b - a);
  const target = rounds[machine.maxFaulty];
  if (target === undefined || target <= state.round) return false;
  startRound(machine, target);
  return true;
}

/** In the propose step, prevote on the leader's first proposal once it has executed. */
function tryPrevote(machine: Machine): boolean {
  const state = machine.state;
  if (state.step !== 'PROPOSE') return false;
  const received = state.proposals.get(state.round)?.[0];
  if (received === undefined) return false;
  const execution = state.executions.get(received.digestKey);
  if (received.defect !== undefined || execution?.state === 'invalid') {
    prevote(machine, undefined);
    return true;
  }
  if (execution === undefined || execution.state === 'pending') return false;
  const validRound = received.proposal.content.validRound ?? -1;
  const unlocked = state.lockedRound === -1 || state.lockedBlock === execution.blockKey;
  if (validRound < 0) {
    prevote(machine, unlocked ? execution.blockHash : undefined);
    return true;
  }
  // A re-proposal counts only with the quorum of prevotes it claims; until then the propose timeout runs.
  const proven = state.polkas.has(`${validRound}/${execution.blockKey}`) || (state.prevotes.peek(validRound)?.count(execution.blockKey) ?? 0) >= machine.quorum;
  if (!proven) return false;
  prevote(machine, state.lockedRound <= validRound || unlocked ? execution.blockHash : undefined);
  return true;
}

/** Upon a quorum of prevotes for a known block in this round (first time): lock and precommit it if still prevoting; remember it as valid. */
function tryPolka(machine: Machine): boolean {
  const state = machine.state;
  if (state.step === 'PROPOSE' || state.polkaRounds.has(state.round)) return false;
  const key = state.prevotes.peek(state.round)?.blockWithQuorum(machine.quorum);
  const block = key === undefined ? undefined : state.values.get(key);
  if (key === undefined || block === undefined) return false;
  state.polkaRounds.add(state.round);
  if (state.step === 'PREVOTE') {
    state.lockedRound = state.round;
    state.lockedBlock = key;
    precommit(machine, block);
  }
  state.validRound = state.round;
  state.validBlock = key;
  return true;
}

/** Upon a quorum of nil prevotes while prevoting: precommit nil. */
function tryNilPolka(machine: Machine): boolean {
  const state = machine.state;
  if (state.step !== 'PREVOTE' || (state.prevotes.peek(state.round)?.count(NIL) ?? 0) < machine.quorum) return false;
  precommit(machine, undefined);
  return true;
}

/** Upon a quorum of any prevotes (while prevoting) or any precommits in this round: start that step's timeout, once. */
function armStepTimers(machine: Machine): void {
  const state = machine.state;
  if (!state.active || state.decided) return;
  const round = state.round;
  if (state.step === 'PREVOTE' && !state.prevoteTimerRounds.has(round) && (state.prevotes.peek(round)?.size ?? 0) >= machine.quorum) {
    state.prevoteTimerRounds.add(round);
    machine.setTimer('prevote', round);
  }
  if (!state.precommitTimerRounds.has(round) && (state.precommits.peek(round)?.size ?? 0) >= machine.quorum) {
    state.precommitTimerRounds.add(round);
    machine.setTimer('precommit', round);
  }
}

export function onTimeout(machine: Machine, timer: TimerKey): void {
  const state = machine.state;
  if (timer.height !== state.height || state.decided || state.closed !== undefined) return;
  if (timer.step === 'retransmit') {
    // Re-send only when stuck: a node that moved to another round or step meanwhile is being heard.
    if (state.retransmitMark === `${state.round}/${state.step}`) retransmit(machine);
    state.retransmitArmed = false;
    if (state.active || state.peersAhead.size > 0 || state.missingValues.size > 0) machine.armRetransmit();
    return;
  }
  if (timer.round !== state.round) return;
  if (timer.step === 'propose' && state.step === 'PROPOSE') prevote(machine, undefined);
  else if (timer.step === 'prevote' && state.step === 'PREVOTE') precommit(machine, undefined);
  else if (timer.step === 'precommit') startRound(machine, state.round + 1);
}

/**
 * Re-sends this round's durable own messages and the previous round's precommit (links may lose
 * them; a peer still in the previous round needs a quorum of its precommits to move on), and asks
 * for what is missing.
 */
function retransmit(machine: Machine): void {
  const state = machine.state;
  const round = state.round;
  const durable = <M>(own: { message: M; recordedIn: number } | undefined): M | undefined =>
    own !== undefined && machine.gate.isDurable(own.recordedIn) ? own.message : undefined;
  const proposal = durable(state.ownProposals.get(round));
  const prevote = durable(state.ownPrevotes.get(round));
  const precommits = [durable(state.ownPrecommits.get(round - 1)), durable(state.ownPrecommits.get(round))];
  if (proposal) machine.broadcast(machine.proposalMessage(proposal));
  if (prevote) machine.broadcast({ type: 'PREVOTE', prevote });
  for (const precommit of precommits) if (precommit) machine.broadcast({ type: 'PRECOMMIT', precommit });
  requestMissing(machine);
}
