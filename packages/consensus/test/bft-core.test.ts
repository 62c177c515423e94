import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto';
import type { HashDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { BlockValue, ConsensusMessage } from '../src/bft/messages.js';
import { Fixture, GENESIS_TIME, Probe, isPrevoteFor } from './bft-support.js';

const fx = new Fixture();

function proposalMessage(proposer: number, height: number, round: number, value: BlockValue, validRound?: number, polka: ConsensusMessage[] = []): ConsensusMessage {
  const prevotes = polka.flatMap((m) => (m.type === 'PREVOTE' ? [m.prevote] : []));
  return { type: 'PROPOSAL', proposal: fx.proposal(proposer, height, round, value, validRound), polka: prevotes };
}

function prevote(voter: number, round: number, block: HashDigest | undefined, height = 1): ConsensusMessage {
  return { type: 'PREVOTE', prevote: fx.prevote(voter, height, round, block) };
}

function precommit(voter: number, round: number, block: HashDigest | undefined, height = 1): ConsensusMessage {
  return { type: 'PRECOMMIT', precommit: fx.precommit(voter, height, round, block, GENESIS_TIME + 5000n) };
}

/** A value for height 1 with the given transactions, and the block it executes to. */
function block1(...transactions: number[]): { value: BlockValue; hash: HashDigest } {
  const value = fx.value(1, fx.ledgerHash, transactions.map((n) => fx.transaction(n)), fx.genesisEvidence([1, 2, 3]));
  return { value, hash: fx.blockHashOf(fx.ledgerHash, value) };
}

/** The probe prevotes B (round 0, leader v1) and locks on it after v1 and v2 prevote it too. */
function lockedOnB(): { probe: Probe; b: ReturnType<typeof block1> } {
  const probe = new Probe(fx);
  const b = block1(1);
  probe.receive(1, proposalMessage(1, 1, 0, b.value));
  probe.receive(1, prevote(1, 0, b.hash));
  probe.receive(2, prevote(2, 0, b.hash));
  return { probe, b };
}

/** Ends the probe's current round with nil precommits from v1 and v2 and its precommit timeout. */
function endRound(probe: Probe): void {
  const round = probe.core.round;
  probe.receive(1, precommit(1, round, undefined));
  probe.receive(2, precommit(2, round, undefined));
  probe.fire('precommit');
  assert.equal(probe.core.round, round + 1);
}

describe('BFT core: rounds and locks', () => {
  test('prevotes the block its execution gives, locks on a polka, decides on a quorum of precommits', () => {
    const { probe, b } = lockedOnB();
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], b.hash));
    assert.equal(probe.core.lockedRound, 0);
    assert.equal(probe.core.validRound, 0);
    assert.ok(probe.precommitsSent().some((p) => p.content.round === 0 && p.content.blockHash?.equals(b.hash)));
    assert.equal(probe.commits().length, 0);
    probe.receive(1, precommit(1, 0, b.hash));
    probe.receive(2, precommit(2, 0, b.hash));
    const [commit] = probe.commits();
    assert.ok(commit !== undefined && commit.height === 1 && commit.blockHash.equals(b.hash));
    assert.equal(commit.certificate.votes.length, 3);
    const message = commitVoteMessage({ ledgerHash: fx.ledgerHash, height: 1n, round: 0, blockHash: b.hash });
    for (const vote of commit.certificate.votes) {
      assert.equal(vote.voter.type, 'PARTICIPANT_ID');
      const id = vote.voter.type === 'PARTICIPANT_ID' ? vote.voter.id : -1;
      assert.ok(cryptoSuite.verify(fx.validators.get(id)!.publicKey, message, vote.signature), `vote of ${id} verifies offline`);
    }
    assert.equal(probe.core.height, 2);
  });

  test('two prevotes are not a polka: no lock, no block precommit', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.receive(1, proposalMessage(1, 1, 0, b.value));
    probe.receive(1, prevote(1, 0, b.hash));
    assert.equal(probe.core.lockedRound, -1);
    assert.equal(probe.precommitsSent().filter((p) => p.content.height === 1n).length, 0);
  });

  test('a locked validator prevotes nil for another value; a later polka moves its lock', () => {
    const { probe } = lockedOnB();
    endRound(probe);
    const c = block1(2);
    probe.receive(2, proposalMessage(2, 1, 1, c.value));
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), undefined), 'locked on B, so nil for C');
    for (const voter of [1, 2, 3]) probe.receive(voter, prevote(voter, 1, c.hash));
    assert.equal(probe.core.lockedRound, 1);
    assert.ok(probe.precommitsSent().at(-1)?.content.blockHash?.equals(c.hash));
  });

  test('a re-proposal with a polka at least as recent as the lock is prevoted', () => {
    const { probe } = lockedOnB();
    endRound(probe);
    probe.fire('propose');
    probe.receive(1, prevote(1, 1, undefined));
    probe.receive(2, prevote(2, 1, undefined));
    assert.equal(probe.core.step, 'PRECOMMIT', 'a nil polka leads to a nil precommit');
    endRound(probe);
    const c = block1(2);
    const polka = [1, 2, 3].map((voter) => prevote(voter, 1, c.hash));
    probe.receive(3, proposalMessage(3, 1, 2, c.value, 1, polka));
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), c.hash));
  });

  test('a re-proposal whose polka is older than the lock, for another block, gets a nil prevote', () => {
    const probe = new Probe(fx);
    const c = block1(2);
    probe.receive(1, proposalMessage(1, 1, 0, c.value));
    const ownPrevoteForC = probe.prevotesSent().at(-1)!;
    probe.receive(3, prevote(3, 0, c.hash));
    probe.receive(1, prevote(1, 0, undefined));
    probe.fire('prevote');
    endRound(probe);
    const b = block1(1);
    probe.receive(2, proposalMessage(2, 1, 1, b.value));
    probe.receive(1, prevote(1, 1, b.hash));
    probe.receive(2, prevote(2, 1, b.hash));
    assert.equal(probe.core.lockedRound, 1);
    endRound(probe);
    const polka: ConsensusMessage[] = [{ type: 'PREVOTE', prevote: ownPrevoteForC }, prevote(2, 0, c.hash), prevote(3, 0, c.hash)];
    probe.receive(3, proposalMessage(3, 1, 2, c.value, 0, polka));
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), undefined));
  });

  test('a re-proposal without the polka it claims waits for the propose timeout, then gets nil', () => {
    const { probe } = lockedOnB();
    endRound(probe);
    const c = block1(2);
    const before = probe.prevotesSent().length;
    probe.receive(2, proposalMessage(2, 1, 1, c.value, 0));
    assert.equal(probe.prevotesSent().length, before);
    probe.fire('propose');
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), undefined));
  });

  test('timeouts: propose gives a nil prevote, prevote a nil precommit, precommit the next round with longer timeouts', () => {
    const probe = new Probe(fx);
    probe.input({ type: 'transactions-available', height: 1 });
    assert.equal(probe.timers('propose').at(-1)?.delayMs, 300);
    probe.fire('propose');
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), undefined));
    probe.receive(1, prevote(1, 0, undefined));
    probe.receive(2, prevote(2, 0, fx.transaction(99)));
    assert.equal(probe.core.step, 'PREVOTE', 'mixed prevotes: wait for the prevote timeout');
    probe.fire('prevote');
    assert.equal(probe.precommitsSent().at(-1)?.content.blockHash, undefined);
    endRound(probe);
    assert.equal(probe.timers('propose').at(-1)?.delayMs, 350);
  });

  test('skips to a round that f+1 validators are in, not to one a single validator claims', () => {
    const probe = new Probe(fx);
    probe.input({ type: 'transactions-available', height: 1 });
    probe.receive(1, prevote(1, 5, undefined));
    assert.equal(probe.core.round, 0);
    probe.receive(2, prevote(2, 7, undefined));
    assert.equal(probe.core.round, 5);
  });
});

describe('BFT core: no empty blocks', () => {
  test('without transactions or busy peers a node is idle: no timers, no proposals', () => {
    const probe = new Probe(fx);
    assert.equal(probe.timers('propose').length + probe.timers('retransmit').length, 0);
    probe.receive(1, prevote(1, 0, undefined));
    assert.equal(probe.core.active, false, 'one peer (f) may be Byzantine');
    probe.receive(2, prevote(2, 0, undefined));
    assert.equal(probe.core.active, true, 'f+1 peers at work include an honest one');
    assert.equal(probe.timers('propose').length, 1);
  });

  test('a leader with an empty mempool proposes nothing; with transactions it proposes a value timed by its parent', () => {
    const leader = new Probe(fx, 1);
    leader.input({ type: 'transactions-available', height: 1 });
    assert.equal(leader.proposalsSent().length, 0);
    for (const voter of [0, 2]) leader.receive(voter, { type: 'PRECOMMIT', precommit: fx.precommit(voter, 0, 0, fx.ledgerHash, GENESIS_TIME + BigInt(10 * voter)) });
    leader.mempool = [fx.transaction(1), fx.transaction(2), fx.transaction(1)];
    leader.input({ type: 'transactions-available', height: 1 });
    const [proposal] = leader.proposalsSent();
    assert.ok(proposal !== undefined);
    const value = proposal.content.value;
    assert.equal(value.transactions.length, 2, 'repeated hashes are proposed once');
    assert.equal(value.timeEvidence.length, 3);
    const sorted = value.timeEvidence.map((p) => p.content.timestamp).sort((a, b) => (a < b ? -1 : 1));
    assert.equal(value.timestamp, sorted[1], 'the (f+1)-th smallest timestamp: the median of three');
    assert.ok(value.timestamp > GENESIS_TIME);
  });
});
