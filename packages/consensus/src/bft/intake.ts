import { hashKey } from './crypto.js';
import { absorbParentPrecommits, notePeerHeight, onDecision, serveDecision } from './catchup.js';
import type { Machine } from './machine.js';
import type { ConsensusMessage, SignedPrevote, SignedProposal } from './messages.js';
import { activate, tryPropose } from './rules.js';
import { sameProposal, verifyProposal } from './signing.js';
import { addPrecommit, addPrevote, fetchUnknownCommitted } from './tallying.js';
import { valueDefect } from './validate.js';

/** Messages buffered per sender for the next height; more are dropped (the sender retransmits). */
const FUTURE_MESSAGES_PER_SENDER = 16;
/** Distinct proposals kept per round: the first and a few equivocating ones, in case a quorum formed on one. */
const PROPOSALS_PER_ROUND = 4;

/**
 * Receives a message from validator `from`. Proposals and votes are accepted only from their
 * own signer (the transport authenticates senders; nothing is relayed), for this ledger, and
 * for rounds up to one ahead of this node's; a vote further ahead only counts towards the
 * round-skip rule. A message of a later height starts catch-up.
 */
export function onMessage(machine: Machine, from: number, message: ConsensusMessage): void {
  if (from === machine.self) return;
  if (!machine.validators.has(from) && !(machine.parentValidators.has(from) && concernsParent(machine, message))) return;
  if (message.type === 'DECISION_REQUEST') {
    if (message.height <= BigInt(Number.MAX_SAFE_INTEGER)) serveDecision(machine, from, Number(message.height));
    return;
  }
  if (message.type === 'DECISION') {
    if (message.decision.height <= BigInt(Number.MAX_SAFE_INTEGER)) onDecision(machine, from, message.decision);
    if (message.decision.height === BigInt(machine.state.parent.height)) proposeOnceTimeIsKnown(machine);
    return;
  }
  const content =
    message.type === 'PROPOSAL' ? message.proposal.content : message.type === 'PREVOTE' ? message.prevote.content : message.precommit.content;
  const signer = 'proposer' in content ? content.proposer : content.voter;
  if (signer !== from || !content.ledgerHash.equals(machine.ledgerHash) || content.height > BigInt(Number.MAX_SAFE_INTEGER)) return;
  const height = Number(content.height);
  const state = machine.state;
  // A closed height waits for the host to restart consensus; the new core asks for what it needs.
  if (height >= state.height && state.closed !== undefined) return;
  if (height < state.height) {
    // A late precommit for the parent still counts as time evidence; a lagging sender asks for the decision itself.
    if (message.type === 'PRECOMMIT' && height === state.parent.height) {
      absorbParentPrecommits(machine, [message.precommit]);
      proposeOnceTimeIsKnown(machine);
    }
    return;
  }
  if (height > state.height) {
    notePeerHeight(machine, from, height);
    if (height === state.height + 1) bufferFuture(machine, from, message);
    maybeActivate(machine);
    return;
  }
  const round = content.round;
  state.highestRound.set(from, Math.max(round, state.highestRound.get(from) ?? 0));
  state.heard.add(from);
  if (round <= state.round + 1) {
    if (message.type === 'PROPOSAL') {
      absorbPolka(machine, message.proposal, message.polka);
      onProposal(machine, message.proposal);
    } else if (message.type === 'PREVOTE') {
      addPrevote(machine, message.prevote);
    } else {
      addPrecommit(machine, message.precommit);
      fetchUnknownCommitted(machine, round);
    }
  }
  maybeActivate(machine);
}

/**
 * Parent precommits arrived. A leader that had its batch but no quorum of them (no block time yet:
 * a fresh ledger whose genesis precommits went out before the links were up, say) asked for them
 * and proposed nothing; with the quorum here it proposes now instead of waiting for the next
 * transaction to arrive, which may never come before the round times out.
 */
function proposeOnceTimeIsKnown(machine: Machine): void {
  if (machine.state.parentEvidence.size >= machine.parentValidators.quorum) tryPropose(machine);
}

/**
 * What a validator of the parent's set that left this height's set may still send: requests for
 * decisions (it may lag) and its precommits for the parent, which are time evidence here.
 */
function concernsParent(machine: Machine, message: ConsensusMessage): boolean {
  const parentHeight = BigInt(machine.state.parent.height);
  if (message.type === 'DECISION_REQUEST') return true;
  if (message.type === 'DECISION') return message.decision.height === parentHeight;
  return message.type === 'PRECOMMIT' && message.precommit.content.height === parentHeight;
}

function bufferFuture(machine: Machine, from: number, message: ConsensusMessage): void {
  const list = machine.future.get(from) ?? [];
  if (list.length >= FUTURE_MESSAGES_PER_SENDER) return;
  list.push(message);
  machine.future.set(from, list);
}

/** Messages from f+1 validators at this height or above mean at least one honest one is busy here. */
function maybeActivate(machine: Machine): void {
  if (machine.state.heard.size > machine.maxFaulty) activate(machine);
}

/**
 * The prevotes a re-proposal carries for its valid round: counted like any others, and if a
 * quorum of them is genuine the polka is proven even where this node first saw another prevote of
 * an equivocator.
 */
function absorbPolka(machine: Machine, proposal: SignedProposal, polka: readonly SignedPrevote[]): void {
  const { validRound, height, proposer } = proposal.content;
  if (validRound === undefined || validRound >= proposal.content.round) return;
  const voters = new Map<string, Set<number>>();
  for (const prevote of polka) {
    const { content } = prevote;
    if (content.height !== height || content.round !== validRound || content.blockHash === undefined || !content.ledgerHash.equals(machine.ledgerHash)) continue;
    if (!addPrevote(machine, prevote, proposer)) continue;
    const key = hashKey(content.blockHash);
    const set = voters.get(key) ?? new Set<number>();
    set.add(content.voter);
    voters.set(key, set);
  }
  for (const [key, set] of voters) if (set.size >= machine.quorum) machine.state.polkas.add(`${validRound}/${key}`);
}

function onProposal(machine: Machine, proposal: SignedProposal): void {
  const state = machine.state;
  const { content } = proposal;
  const round = content.round;
  const received = state.proposalsAt(round);
  if (received.some((entry) => sameProposal(entry.proposal, proposal))) return;
  const wire = { type: 'PROPOSAL' as const, proposal, polka: [] };
  if (!verifyProposal(machine.crypto, machine.validators, proposal)) {
    machine.report('INVALID_SIGNATURE', content.proposer, round, 'proposal signature does not verify', [wire]);
    return;
  }
  if (machine.validators.proposer(state.height, round).id !== content.proposer) {
    machine.report('WRONG_PROPOSER', content.proposer, round, 'proposal from a validator that does not lead this round', [wire]);
    return;
  }
  const first = received[0];
  if (first !== undefined) {
    machine.report('CONFLICTING_PROPOSAL', content.proposer, round, 'two different proposals in one round', [{ type: 'PROPOSAL', proposal: first.proposal, polka: [] }, wire]);
    if (received.length >= PROPOSALS_PER_ROUND) return;
  }
  const digest = machine.valueDigest(content.value);
  const digestKey = hashKey(digest);
  const validRound = content.validRound;
  if (validRound !== undefined && validRound >= round) {
    const defect = `valid round ${validRound} is not below round ${round}`;
    machine.report('INVALID_PROPOSAL', content.proposer, round, defect, [wire]);
    received.push({ proposal, digestKey, defect });
  } else {
    received.push({ proposal, digestKey });
    const defect = state.executions.has(digestKey) ? undefined : valueDefect(machine, content.value, content.height);
    if (defect === undefined) {
      machine.execute(content.value, digest);
    } else {
      machine.report('INVALID_PROPOSAL', content.proposer, round, defect, [wire]);
      state.executions.set(digestKey, { state: 'invalid', value: content.value, reason: defect });
    }
  }
  activate(machine);
}
