import type { HashDigest } from '@jadechain/crypto';
import { hashKey } from './crypto.js';
import { BftError } from './errors.js';
import type { ChainTip } from './io.js';
import type { Machine } from './machine.js';
import { parentOf } from './machine.js';
import type { Decision, SignedPrecommit } from './messages.js';
import type { SafetyRecord } from './record.js';
import { activate } from './rules.js';
import { signPrecommit } from './signing.js';
import { precommitIsFor, precommitTimestamp } from './timestamps.js';
import { NIL } from './votes.js';

/** A decided block being re-executed after a restart; committed, in order, once it has executed. */
export interface Replay {
  readonly decision: Decision;
  readonly digestKey: string;
  readonly blockHash: HashDigest;
  executed: boolean;
  changesValidators: boolean;
}

/**
 * Puts a new core where its write-ahead record left it (spec/consensus.md §6). Decisions the
 * ledger did not commit are re-executed and committed; the height's signed messages are
 * restored so that none is ever signed differently; a node at a fresh ledger (height 0) signs
 * its genesis precommit, the time evidence of block 1. A restarted node asks its peers for the
 * decision of its height, in case they moved on while it was down.
 */
export function restore(machine: Machine, tip: ChainTip, record: SafetyRecord | undefined): void {
  if (record !== undefined && !record.ledgerHash.equals(machine.ledgerHash)) {
    throw new BftError('RECORD_INCONSISTENT', 'the record belongs to another ledger');
  }
  const recordHeight = record === undefined ? 0 : Number(record.height);
  if (record !== undefined && recordHeight > tip.height) {
    replayDecisions(machine, tip, record, recordHeight);
    const participated = restoreHeight(machine, record);
    // Signing at the record's height proves the last replayed block kept the set; otherwise wait for its replay to tell.
    if (machine.replays.length > 0 && !participated) machine.state.closed = 'replay';
  } else if (record !== undefined && recordHeight === tip.height) {
    // The node decided the tip and crashed before signing at the next height: its own precommit
    // for the tip is still time evidence, and peers short of a quorum for the tip may need it.
    for (const precommit of record.precommits) {
      if (precommitIsFor(precommit, machine.ledgerHash, tip.height, tip.blockHash)) machine.state.parentEvidence.set(machine.self, precommit);
    }
  } else if (tip.height === 0) {
    signGenesisPrecommit(machine, tip);
  }
  // Peers may have decided this height while the node was down: whoever has asks back.
  if (tip.height > 0 || record !== undefined) machine.broadcast({ type: 'DECISION_REQUEST', height: BigInt(machine.state.height) });
}

function replayDecisions(machine: Machine, tip: ChainTip, record: SafetyRecord, recordHeight: number): void {
  for (const decision of record.decisions) machine.decisions.set(Number(decision.height), decision);
  machine.lastDecision = record.decisions.at(-1);
  const pending = record.decisions.filter((decision) => decision.height > BigInt(tip.height));
  if (pending.length !== recordHeight - tip.height - 1) {
    throw new BftError('RECORD_INCONSISTENT', `the record is at height ${recordHeight} but the ledger at ${tip.height} and ${pending.length} decisions are pending`);
  }
  let parent = parentOf(tip.height, tip.blockHash, tip.timestamp);
  for (const decision of pending) {
    const height = Number(decision.height);
    const blockHash = decision.precommits[0]?.content.blockHash;
    if (height !== parent.height + 1 || decision.value === undefined || blockHash === undefined) {
      throw new BftError('RECORD_INCONSISTENT', `pending decision ${height} does not follow height ${parent.height}`);
    }
    const valueDigest = machine.valueDigest(decision.value);
    machine.replays.push({ decision, digestKey: hashKey(valueDigest), blockHash, executed: false, changesValidators: false });
    machine.out.push({ type: 'execute', height, parentHash: parent.blockHash, value: decision.value, valueDigest });
    parent = parentOf(height, blockHash, decision.value.timestamp);
  }
  machine.pending = pending;
  const evidence = new Map<number, SignedPrecommit>();
  for (const precommit of record.parentEvidence) evidence.set(precommit.content.voter, precommit);
  machine.enterHeight(parent, evidence);
}

/** Returns whether the node had signed anything, or locked, at the record's height. */
function restoreHeight(machine: Machine, record: SafetyRecord): boolean {
  const state = machine.state;
  state.round = record.round;
  state.step = record.step;
  if (record.lockedRound !== undefined && record.lockedBlock !== undefined) {
    state.lockedRound = record.lockedRound;
    state.lockedBlock = hashKey(record.lockedBlock);
  }
  if (record.validRound !== undefined && record.validBlock !== undefined) {
    state.validRound = record.validRound;
    state.validBlock = hashKey(record.validBlock);
  }
  for (const value of record.values) machine.execute(value);
  for (const prevote of record.validPolka) {
    const { voter, round, blockHash } = prevote.content;
    state.prevotes.at(round).add(voter, blockHash ? hashKey(blockHash) : NIL, prevote, () => true);
  }
  for (const proposal of record.proposals) {
    const round = proposal.content.round;
    const digest = machine.valueDigest(proposal.content.value);
    state.ownProposals.set(round, { message: proposal, recordedIn: 0 });
    state.proposalsAt(round).push({ proposal, digestKey: hashKey(digest) });
    machine.execute(proposal.content.value, digest);
  }
  for (const prevote of record.prevotes) {
    const { round, blockHash } = prevote.content;
    state.ownPrevotes.set(round, { message: prevote, recordedIn: 0 });
    state.prevotes.at(round).add(machine.self, blockHash ? hashKey(blockHash) : NIL, prevote, () => true);
  }
  for (const precommit of record.precommits) {
    const { round, blockHash } = precommit.content;
    state.ownPrecommits.set(round, { message: precommit, recordedIn: 0 });
    state.precommits.at(round).add(machine.self, blockHash ? hashKey(blockHash) : NIL, precommit, () => true);
  }
  const participated = record.proposals.length + record.prevotes.length + record.precommits.length > 0 || state.lockedRound >= 0;
  if (participated) activate(machine);
  return participated;
}

function signGenesisPrecommit(machine: Machine, tip: ChainTip): void {
  const content = {
    ledgerHash: machine.ledgerHash,
    height: 0n,
    round: 0,
    voter: machine.self,
    blockHash: tip.blockHash,
    timestamp: precommitTimestamp(machine.now, tip.timestamp),
  };
  const precommit = signPrecommit(machine.crypto, content);
  machine.gate.markSigned();
  machine.state.parentEvidence.set(machine.self, precommit);
  machine.broadcast({ type: 'PRECOMMIT', precommit });
}
