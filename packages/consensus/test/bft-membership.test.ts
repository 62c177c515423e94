import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto';
import type { HashDigest } from '@jadechain/crypto';
import type { ChainTip } from '../src/bft/io.js';
import { BlockValue } from '../src/bft/messages.js';
import type { ConsensusMessage, Decision, SignedPrecommit } from '../src/bft/messages.js';
import { ValidatorSet } from '../src/bft/validators.js';
import { Fixture, GENESIS_TIME, Probe, isPrevoteFor } from './bft-support.js';

/** Five keys: the set {0,1,2,3} decided the tip (height 5), {1,2,3,4} decides from height 6 (v0 left, v4 joined). */
const fx = new Fixture(5);
const setOf = (...ids: number[]): ValidatorSet => new ValidatorSet(ids.map((id) => fx.validators.get(id)!));
const oldSet = setOf(0, 1, 2, 3);
const newSet = setOf(1, 2, 3, 4);
const tip: ChainTip = { height: 5, blockHash: cryptoSuite.hash('SHA256', new TextEncoder().encode('block 5')), timestamp: GENESIS_TIME + 5000n };

function tipPrecommit(voter: number): SignedPrecommit {
  return fx.precommit(voter, 5, 0, tip.blockHash, tip.timestamp + BigInt(10 * (voter + 1)));
}

function valueAt6(evidenceFrom: readonly number[]): { value: BlockValue; hash: HashDigest } {
  const evidence = evidenceFrom.map((voter) => {
    const { content, signature } = tipPrecommit(voter);
    return { content, signature };
  });
  const value = fx.value(6, tip.blockHash, [fx.transaction(6)], evidence);
  return { value, hash: fx.blockHashOf(tip.blockHash, value) };
}

/** v1 at height 6, the first height of the new set. */
function afterChange(retainedDecisions: Decision[] = []): Probe {
  return new Probe(fx, 1, tip, undefined, { validators: newSet, parentValidators: oldSet, retainedDecisions });
}

/** proposer(6, 0) of {1,2,3,4} is the member at position 6 mod 4 = 2: v3. */
function proposalAt6(value: BlockValue): ConsensusMessage {
  return { type: 'PROPOSAL', proposal: fx.proposal(3, 6, 0, value), polka: [] };
}

/** Four validators at genesis; block 1 (proposed by v1) is one whose execution changes the set. */
const four = new Fixture(4);
const block1 = four.value(1, four.ledgerHash, [four.transaction(1)], four.genesisEvidence([1, 2, 3]));
const block1Hash = four.blockHashOf(four.ledgerHash, block1);
const reconfiguring = (): Set<string> => new Set([cryptoSuite.hash('SHA256', BlockValue.encode(block1)).toBase58()]);

/** v0 decides block 1 with v1 and v2. */
function decideBlock1(): Probe {
  const probe = new Probe(four, 0, four.genesis, undefined, { reconfiguringValues: reconfiguring() });
  probe.receive(1, { type: 'PROPOSAL', proposal: four.proposal(1, 1, 0, block1), polka: [] });
  for (const voter of [1, 2]) probe.receive(voter, { type: 'PREVOTE', prevote: four.prevote(voter, 1, 0, block1Hash) });
  for (const voter of [1, 2]) probe.receive(voter, { type: 'PRECOMMIT', precommit: four.precommit(voter, 1, 0, block1Hash, GENESIS_TIME + 3000n) });
  return probe;
}

const signedMessages = (probe: Probe): number => probe.sent().filter((m) => m.type === 'PROPOSAL' || m.type === 'PREVOTE' || m.type === 'PRECOMMIT').length;

describe('BFT core across a validator-set change (spec/consensus.md §13)', () => {
  test('a block that changes the set is the last its core decides: nothing is signed at the next height', () => {
    const probe = decideBlock1();
    assert.ok(probe.commits().some((commit) => commit.height === 1 && commit.blockHash.equals(block1Hash)));
    assert.equal(probe.core.awaitingNewValidators, true);
    const signed = signedMessages(probe);
    probe.mempool = [four.transaction(2)];
    probe.input({ type: 'transactions-available', height: 2 });
    const evidence = [1, 2, 3].map((voter) => {
      const { content, signature } = four.precommit(voter, 1, 0, block1Hash, GENESIS_TIME + 3000n);
      return { content, signature };
    });
    const value2 = four.value(2, block1Hash, [four.transaction(2)], evidence);
    probe.receive(2, { type: 'PROPOSAL', proposal: four.proposal(2, 2, 0, value2), polka: [] });
    probe.receive(3, { type: 'PREVOTE', prevote: four.prevote(3, 2, 0, four.blockHashOf(block1Hash, value2)) });
    assert.equal(signedMessages(probe), signed, 'no proposal or vote for height 2 under the old set');
    assert.equal(probe.outputs.filter((o) => o.type === 'request-batch' || (o.type === 'execute' && o.height === 2)).length, 0);
    assert.equal(probe.outputs.filter((o) => o.type === 'set-timer' && o.timer.height === 2).length, 0);
    // Lagging peers are still served the decision of the last block.
    const served = probe.receive(3, { type: 'DECISION_REQUEST', height: 1n });
    assert.ok(served.some((o) => o.type === 'send' && o.to === 3 && o.message.type === 'DECISION' && o.message.decision.height === 1n));
    assert.equal(probe.core.retainedDecisions.length, 1, 'the decision is handed to the next core');
  });

  test('after a restart, the height after a replayed decision stays closed until the replay tells whether it changes the set', () => {
    const record = decideBlock1().lastRecord();
    assert.ok(record !== undefined && record.height === 2n && record.decisions.length === 1);
    const reconfigured = new Probe(four, 0, four.genesis, record, { reconfiguringValues: reconfiguring() });
    assert.ok(reconfigured.commits().some((commit) => commit.height === 1));
    assert.equal(reconfigured.core.awaitingNewValidators, true);
    reconfigured.mempool = [four.transaction(2)];
    reconfigured.input({ type: 'transactions-available', height: 2 });
    assert.equal(reconfigured.outputs.filter((o) => o.type === 'request-batch').length, 0);

    const kept = new Probe(four, 0, four.genesis, record);
    assert.ok(kept.commits().some((commit) => commit.height === 1));
    assert.equal(kept.core.awaitingNewValidators, false, 'a replay that keeps the set leaves the height open');
    kept.mempool = [four.transaction(2)];
    kept.input({ type: 'transactions-available', height: 2 });
    assert.equal(kept.core.active, true);
  });

  test('time evidence for the first height of a new set is signed and counted by the set that decided the parent', () => {
    const probe = afterChange();
    const good = valueAt6([0, 1, 2]);
    probe.receive(3, proposalAt6(good.value));
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], good.hash), 'v0 left the set but its precommit for the parent counts');

    const other = afterChange();
    const bad = valueAt6([2, 3, 4]);
    other.receive(3, proposalAt6(bad.value));
    assert.ok(isPrevoteFor(other.prevotesSent()[0], undefined), 'v4 did not decide the parent: its precommit is no evidence');
    assert.match(other.evidence().map((e) => e.detail).join(), /time evidence of validator 4 does not verify/);
  });

  test('a validator that left may ask for decisions and send precommits for the parent; its votes do not count', () => {
    const decision5: Decision = { height: 5n, round: 0, precommits: [0, 1, 2].map(tipPrecommit) };
    const probe = afterChange([decision5]);
    const served = probe.receive(0, { type: 'DECISION_REQUEST', height: 5n });
    assert.ok(served.some((o) => o.type === 'send' && o.to === 0 && o.message.type === 'DECISION'), 'the decision handed over is served');
    const { value, hash } = valueAt6([1, 2, 3]);
    probe.receive(3, proposalAt6(value));
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], hash));
    // The probe (v1) and v2 prevoted: v0's prevote must not complete the quorum of three.
    probe.receive(0, { type: 'PREVOTE', prevote: fx.prevote(0, 6, 0, hash) });
    probe.receive(2, { type: 'PREVOTE', prevote: fx.prevote(2, 6, 0, hash) });
    assert.equal(probe.precommitsSent().length, 0);
    probe.receive(4, { type: 'PREVOTE', prevote: fx.prevote(4, 6, 0, hash) });
    assert.equal(probe.precommitsSent().length, 1, 'the new member v4 completes it');
    assert.deepEqual(probe.evidence(), []);
  });
});
