import { hashKey } from './crypto.js';
import type { Machine } from './machine.js';
import type { SignedPrecommit, SignedPrevote } from './messages.js';
import { samePrecommit, samePrevote, verifyPrecommit, verifyPrevote } from './signing.js';
import { NIL } from './votes.js';

/**
 * Counting other validators' votes (returning whether the vote is genuine). A vote identical to one already counted is not verified
 * again; a different second vote of one validator for one round and step is reported with both
 * signed votes as proof, and not counted. A vote that does not verify is blamed on `sender`:
 * the voter itself, or whoever relayed it inside a re-proposal.
 */
export function addPrevote(machine: Machine, prevote: SignedPrevote, sender = prevote.content.voter): boolean {
  const { voter, round, blockHash } = prevote.content;
  const tally = machine.state.prevotes.at(round);
  const existing = tally.vote(voter);
  if (existing !== undefined && samePrevote(existing, prevote)) return true;
  if (!verifyPrevote(machine.crypto, machine.validators, prevote)) {
    machine.report('INVALID_SIGNATURE', sender, round, `prevote of validator ${voter} does not verify`, [{ type: 'PREVOTE', prevote }]);
    return false;
  }
  const result = tally.add(voter, blockHash ? hashKey(blockHash) : NIL, prevote, samePrevote);
  if (result.status === 'conflict') {
    machine.report('CONFLICTING_PREVOTE', voter, round, 'two different prevotes in one round', [
      { type: 'PREVOTE', prevote: result.existing },
      { type: 'PREVOTE', prevote },
    ]);
  }
  return true;
}

/** `verified`: the caller already checked both signatures (a decision's precommits); `sender` relayed it. */
export function addPrecommit(machine: Machine, precommit: SignedPrecommit, verified = false, sender = precommit.content.voter): void {
  const { voter, round, blockHash } = precommit.content;
  const tally = machine.state.precommits.at(round);
  const existing = tally.vote(voter);
  if (existing !== undefined && samePrecommit(existing, precommit)) return;
  if (!verified && !verifyPrecommit(machine.crypto, machine.validators, precommit, true)) {
    machine.report('INVALID_SIGNATURE', sender, round, `precommit of validator ${voter} does not verify`, [{ type: 'PRECOMMIT', precommit }]);
    return;
  }
  const key = blockHash ? hashKey(blockHash) : NIL;
  const result = tally.add(voter, key, precommit, samePrecommit);
  if (result.status === 'conflict') {
    machine.report('CONFLICTING_PRECOMMIT', voter, round, 'two different precommits in one round', [
      { type: 'PRECOMMIT', precommit: result.existing },
      { type: 'PRECOMMIT', precommit },
    ]);
  }
}

/**
 * A quorum precommitted a block this node never executed (its proposal was lost, or the leader
 * equivocated): ask those precommitters for the decision, which carries the value.
 */
export function fetchUnknownCommitted(machine: Machine, round: number): void {
  const state = machine.state;
  const tally = state.precommits.peek(round);
  const key = tally?.blockWithQuorum(machine.quorum);
  if (tally === undefined || key === undefined || state.values.has(key) || state.missingValues.has(key)) return;
  // An execution still running may turn out to give this block.
  for (const execution of state.executions.values()) if (execution.state === 'pending') return;
  state.missingValues.add(key);
  for (const precommit of tally.votesFor(key)) {
    machine.send(precommit.content.voter, { type: 'DECISION_REQUEST', height: BigInt(state.height) });
  }
  machine.armRetransmit();
}
