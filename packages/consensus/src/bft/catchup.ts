import { hashKey } from './crypto.js';
import type { Machine } from './machine.js';
import type { Decision, SignedPrecommit } from './messages.js';
import { samePrecommit, verifyPrecommit } from './signing.js';
import { addPrecommit } from './tallying.js';
import { precommitIsFor } from './timestamps.js';

/**
 * How nodes that fell behind catch up (spec/consensus.md §7): a node that learns a peer is at a
 * later height asks it for the decision of its own height (a quorum of precommits and the value),
 * and a node stuck in a round asks everyone; whoever decided that height answers. Decisions are
 * kept for `retainDecisions` heights; older gaps are block sync, the host's business.
 */
export function notePeerHeight(machine: Machine, peer: number, height: number): void {
  if (height > (machine.peerHeights.get(peer) ?? 0)) machine.peerHeights.set(peer, height);
  const state = machine.state;
  if (height <= state.height || state.peersAhead.has(peer) || state.closed !== undefined) return;
  state.peersAhead.add(peer);
  state.heard.add(peer);
  machine.send(peer, { type: 'DECISION_REQUEST', height: BigInt(state.height) });
  machine.armRetransmit();
}

/**
 * Asked on each retransmission while stuck: whoever decided this height answers with the
 * decision (a lagging node cannot tell who did), and a node short of time evidence asks for its
 * parent's precommits.
 */
export function requestMissing(machine: Machine): void {
  const state = machine.state;
  if (!state.decided) machine.broadcast({ type: 'DECISION_REQUEST', height: BigInt(state.height) });
  if (state.active && state.parentEvidence.size < machine.parentValidators.quorum) {
    machine.broadcast({ type: 'DECISION_REQUEST', height: BigInt(state.parent.height) });
  }
}

/**
 * Answers with the decision of `height` if this node still has it; for its parent's height, with
 * every precommit it holds when the decision itself is gone (after a restart).
 */
export function serveDecision(machine: Machine, peer: number, height: number): void {
  const state = machine.state;
  const retained = machine.decisions.get(height);
  if (retained !== undefined) {
    machine.send(peer, { type: 'DECISION', decision: retained });
  } else if (height === state.parent.height && state.parentEvidence.size > 0) {
    // After a restart the parent's decision may be gone, but its precommits still seed the timestamp.
    const precommits = [...state.parentEvidence.values()];
    machine.send(peer, { type: 'DECISION', decision: { height: BigInt(height), round: (precommits[0] as SignedPrecommit).content.round, precommits } });
  }
}

export function onDecision(machine: Machine, peer: number, decision: Decision): void {
  const height = Number(decision.height);
  const state = machine.state;
  if (height === state.parent.height) {
    absorbParentPrecommits(machine, decision.precommits);
    return;
  }
  notePeerHeight(machine, peer, height + 1);
  if (height !== state.height || state.decided || state.closed !== undefined) return;
  if (decision.value === undefined) {
    // Precommits without a value (a peer that restarted keeps only these): they count like any
    // precommits, and decide if this node executed the block they are for.
    for (const precommit of decision.precommits) {
      const { content } = precommit;
      if (content.height === decision.height && content.ledgerHash.equals(machine.ledgerHash)) addPrecommit(machine, precommit, false, peer);
    }
    return;
  }
  const defect = decisionDefect(machine, decision);
  if (defect !== undefined) {
    machine.report('INVALID_DECISION', peer, decision.round, defect, [{ type: 'DECISION', decision }]);
    return;
  }
  for (const precommit of decision.precommits) addPrecommit(machine, precommit, true);
  const blockHash = decision.precommits[0]?.content.blockHash;
  if (blockHash !== undefined && !state.certificates.has(hashKey(blockHash))) {
    state.certificates.set(hashKey(blockHash), { round: decision.round, precommits: decision.precommits });
  }
  const digest = machine.valueDigest(decision.value);
  const key = hashKey(digest);
  // A quorum executed this value: an earlier failure here (its transactions were missing) is worth retrying.
  if (state.executions.get(key)?.state === 'invalid') state.executions.delete(key);
  machine.execute(decision.value, digest);
}

/** Precommits for the parent block, from the validators that decided it: time evidence for this height's proposals. */
export function absorbParentPrecommits(machine: Machine, precommits: readonly SignedPrecommit[]): void {
  const state = machine.state;
  const parent = state.parent;
  for (const precommit of precommits) {
    const voter = precommit.content.voter;
    if (state.parentEvidence.has(voter) || !precommitIsFor(precommit, machine.ledgerHash, parent.height, parent.blockHash)) continue;
    // With its commit vote: this node may pass the precommits on (serveDecision), and must not pass on a stripped one.
    if (verifyPrecommit(machine.crypto, machine.parentValidators, precommit, true)) state.parentEvidence.set(voter, precommit);
  }
}

function decisionDefect(machine: Machine, decision: Decision): string | undefined {
  const state = machine.state;
  const value = decision.value;
  if (value === undefined || value.height !== decision.height || !value.parentHash.equals(state.parent.blockHash)) {
    return 'the value does not build on this node\'s parent';
  }
  const first = decision.precommits[0]?.content.blockHash;
  if (first === undefined) return 'a decision for nil';
  const voters = new Set<number>();
  for (const precommit of decision.precommits) {
    const { content } = precommit;
    if (content.height !== decision.height || content.round !== decision.round || !(content.blockHash?.equals(first) ?? false)) {
      return 'precommits of another height, round or block';
    }
    if (!content.ledgerHash.equals(machine.ledgerHash) || voters.has(content.voter)) return 'precommits of another ledger, or repeated';
    voters.add(content.voter);
    const known = state.precommits.peek(content.round)?.vote(content.voter);
    const verified = known !== undefined && samePrecommit(known, precommit);
    if (!verified && !verifyPrecommit(machine.crypto, machine.validators, precommit, true)) return `precommit of validator ${content.voter} does not verify`;
  }
  if (voters.size < machine.quorum) return `${voters.size} precommits, a quorum is ${machine.quorum}`;
  return undefined;
}
