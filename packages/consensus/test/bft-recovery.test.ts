import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HashDigest } from '@jadechain/crypto';
import type { BftOutput } from '../src/bft/io.js';
import type { BlockValue, ConsensusMessage, Decision } from '../src/bft/messages.js';
import { SafetyRecord } from '../src/bft/record.js';
import { Fixture, GENESIS_TIME, Probe, isPrevoteFor } from './bft-support.js';

const fx = new Fixture();

function block(height: number, parent: HashDigest, transaction: number, evidence = fx.genesisEvidence([1, 2, 3])): { value: BlockValue; hash: HashDigest } {
  const value = fx.value(height, parent, [fx.transaction(transaction)], evidence);
  return { value, hash: fx.blockHashOf(parent, value) };
}

function proposal(proposer: number, height: number, round: number, value: BlockValue): ConsensusMessage {
  return { type: 'PROPOSAL', proposal: fx.proposal(proposer, height, round, value), polka: [] };
}

/** Precommits of v1..v3 for a block at height/round (with commit votes). */
function quorumPrecommits(height: number, round: number, hash: HashDigest): ConsensusMessage[] {
  return [1, 2, 3].map((voter) => ({ type: 'PRECOMMIT', precommit: fx.precommit(voter, height, round, hash, GENESIS_TIME + 5000n + BigInt(voter)) }));
}

/** Drives a probe through deciding height 1 (block B1) without acknowledging its commit. */
function decideHeight1(probe: Probe): { value: BlockValue; hash: HashDigest } {
  const b1 = block(1, fx.ledgerHash, 1);
  probe.receive(1, proposal(1, 1, 0, b1.value));
  for (const message of quorumPrecommits(1, 0, b1.hash)) probe.receive(message.type === 'PRECOMMIT' ? message.precommit.content.voter : 0, message);
  assert.equal(probe.core.height, 2);
  return b1;
}

/** Drives a probe to decide height 1 with its own precommit and those of v1 and v2. */
function decideHeight1WithOwnPrecommit(probe: Probe): { value: BlockValue; hash: HashDigest } {
  const b1 = block(1, fx.ledgerHash, 1);
  const ack = (): void => {
    const last = probe.outputs.filter((o): o is Extract<BftOutput, { type: 'persist' }> => o.type === 'persist').at(-1);
    if (last !== undefined && !probe.autoPersist) probe.input({ type: 'persisted', sequence: last.sequence });
  };
  probe.receive(1, proposal(1, 1, 0, b1.value));
  ack();
  probe.receive(1, { type: 'PREVOTE', prevote: fx.prevote(1, 1, 0, b1.hash) });
  probe.receive(2, { type: 'PREVOTE', prevote: fx.prevote(2, 1, 0, b1.hash) });
  ack();
  for (const message of quorumPrecommits(1, 0, b1.hash).slice(0, 2)) probe.receive(message.type === 'PRECOMMIT' ? message.precommit.content.voter : 0, message);
  assert.equal(probe.core.height, 2, 'decided with its own precommit and two others');
  return b1;
}

/** A height-2 value on B1, timed by the precommits that decided B1. */
function height2On(b1: HashDigest): { value: BlockValue; hash: HashDigest } {
  const evidence = quorumPrecommits(1, 0, b1).map((m) => (m.type === 'PRECOMMIT' ? { content: m.precommit.content, signature: m.precommit.signature } : undefined)!);
  return block(2, b1, 2, evidence);
}

describe('BFT core: write-ahead record', () => {
  test('no vote leaves before its record is durable', () => {
    const probe = new Probe(fx);
    probe.autoPersist = false;
    const b1 = block(1, fx.ledgerHash, 1);
    const outputs = probe.receive(1, proposal(1, 1, 0, b1.value));
    const persist = outputs.find((o): o is Extract<BftOutput, { type: 'persist' }> => o.type === 'persist');
    assert.ok(persist !== undefined);
    assert.equal(persist.record.prevotes.length, 1, 'the record holds the new prevote');
    assert.equal(probe.prevotesSent().length, 0, 'the prevote waits');
    probe.input({ type: 'persisted', sequence: persist.sequence });
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], b1.hash));
  });

  test('a restarted node re-sends the vote it signed and signs no other for that round', () => {
    const probe = new Probe(fx);
    const b1 = block(1, fx.ledgerHash, 1);
    probe.receive(1, proposal(1, 1, 0, b1.value));
    const signed = probe.prevotesSent()[0]!;
    const record = SafetyRecord.decode(SafetyRecord.encode(probe.lastRecord()!));
    const restarted = new Probe(fx, 0, fx.genesis, record);
    assert.equal(restarted.core.round, 0);
    assert.equal(restarted.core.step, 'PREVOTE');
    const signatures = restarted.crypto.counts.signed;
    const other = block(1, fx.ledgerHash, 7);
    restarted.receive(1, proposal(1, 1, 0, other.value));
    restarted.fire('retransmit');
    const resent = restarted.prevotesSent();
    assert.ok(resent.length > 0);
    for (const prevote of resent) assert.ok(prevote.signature.equals(signed.signature), 'the same signed prevote, never another');
    assert.equal(restarted.crypto.counts.signed, signatures);
  });

  test('a decision the ledger had not committed is re-executed and committed after a restart', () => {
    const probe = new Probe(fx);
    const b1 = decideHeight1(probe);
    const b2 = height2On(b1.hash);
    probe.receive(2, proposal(2, 2, 0, b2.value));
    const record = probe.lastRecord()!;
    assert.deepEqual(record.decisions.map((d: Decision) => d.height), [1n]);
    const restarted = new Probe(fx, 0, fx.genesis, record);
    const execute = restarted.outputs.find((o): o is Extract<BftOutput, { type: 'execute' }> => o.type === 'execute' && o.height === 1);
    assert.ok(execute !== undefined && execute.parentHash.equals(fx.ledgerHash));
    const [commit] = restarted.commits();
    assert.ok(commit !== undefined && commit.height === 1 && commit.blockHash.equals(b1.hash));
    assert.equal(commit.certificate.votes.length, 3);
    assert.equal(restarted.core.height, 2);
  });

  test('a record from another ledger, or ahead of the ledger by more than its decisions, is refused', () => {
    const probe = new Probe(fx);
    decideHeight1(probe);
    probe.receive(2, proposal(2, 2, 0, height2On(probe.commits()[0]!.blockHash).value));
    const record = probe.lastRecord()!;
    const other = new Fixture(4);
    const foreign = { ...record, ledgerHash: other.transaction(1) };
    assert.throws(() => new Probe(fx, 0, fx.genesis, foreign), { code: 'RECORD_INCONSISTENT' });
    assert.throws(() => new Probe(fx, 0, fx.genesis, { ...record, decisions: [] }), { code: 'RECORD_INCONSISTENT' });
  });
});

describe('BFT core: pipelining and catch-up', () => {
  test('the next height executes on the decided block before its commit is acknowledged', () => {
    const probe = new Probe(fx);
    const b1 = decideHeight1(probe);
    assert.equal(probe.core.committedHeight, 0);
    const b2 = height2On(b1.hash);
    const outputs = probe.receive(2, proposal(2, 2, 0, b2.value));
    const execute = outputs.find((o): o is Extract<BftOutput, { type: 'execute' }> => o.type === 'execute');
    assert.ok(execute !== undefined && execute.height === 2 && execute.parentHash.equals(b1.hash));
    assert.ok(isPrevoteFor(probe.prevotesSent().at(-1), b2.hash));
    probe.input({ type: 'committed', height: 1 });
    assert.equal(probe.core.committedHeight, 1);
    assert.throws(() => probe.input({ type: 'committed', height: 2 }), { code: 'UNEXPECTED_INPUT' });
  });

  test('a decision from a peer brings a node to the next height; its block time came from the parent precommits', () => {
    const source = new Probe(fx);
    const b1 = decideHeight1(source);
    const decision = source.decision(1)!;
    const lagging = new Probe(fx, 3);
    lagging.receive(1, { type: 'DECISION', decision });
    const [commit] = lagging.commits();
    assert.ok(commit !== undefined && commit.blockHash.equals(b1.hash));
    assert.equal(lagging.core.height, 2);
    assert.ok(b1.value.timestamp > GENESIS_TIME);
  });

  test('a message from a later height makes a node ask that peer for the decision; a decided node serves it', () => {
    const lagging = new Probe(fx, 3);
    const outputs = lagging.receive(2, { type: 'PREVOTE', prevote: fx.prevote(2, 2, 0, undefined) });
    assert.ok(outputs.some((o) => o.type === 'send' && o.to === 2 && o.message.type === 'DECISION_REQUEST' && o.message.height === 1n));
    const decided = new Probe(fx);
    decideHeight1(decided);
    const late = decided.receive(3, { type: 'PREVOTE', prevote: fx.prevote(3, 1, 0, undefined) });
    assert.ok(!late.some((o) => o.type === 'send'), 'a late vote alone is not answered (its sender may have decided too)');
    const served = decided.receive(3, { type: 'DECISION_REQUEST', height: 1n });
    assert.ok(served.some((o) => o.type === 'send' && o.to === 3 && o.message.type === 'DECISION' && o.message.decision.height === 1n));
  });

  test('a node stuck in a round asks everyone for the decision of its height', () => {
    const probe = new Probe(fx);
    probe.input({ type: 'transactions-available', height: 1 });
    const asked = probe.fire('retransmit');
    assert.ok(asked.some((o) => o.type === 'broadcast' && o.message.type === 'DECISION_REQUEST' && o.message.height === 1n));
  });

  test('a decision is recorded before its block is committed, so a restarted node still serves it', () => {
    const probe = new Probe(fx);
    probe.autoPersist = false;
    const b1 = decideHeight1WithOwnPrecommit(probe);
    const persists = probe.outputs.filter((o): o is Extract<BftOutput, { type: 'persist' }> => o.type === 'persist');
    assert.equal(probe.commits().length, 0, 'the commit waits for the record of the decision');
    probe.input({ type: 'persisted', sequence: persists.at(-1)!.sequence });
    assert.equal(probe.commits().length, 1);
    const record = persists.at(-1)!.record;
    assert.deepEqual(record.decisions.map((d: Decision) => d.height), [1n]);
    const restarted = new Probe(fx, 0, { height: 1, blockHash: b1.hash, timestamp: b1.value.timestamp }, record);
    const served = restarted.receive(3, { type: 'DECISION_REQUEST', height: 1n }).find((o) => o.type === 'send' && o.message.type === 'DECISION');
    assert.ok(served?.type === 'send' && served.message.type === 'DECISION' && served.message.decision.value !== undefined);
    assert.equal(served.message.decision.precommits.length, 3);
  });

  test('a node whose ledger moved past its record still supplies its precommit, and a peer decides from precommits alone', () => {
    const probe = new Probe(fx);
    const b1 = decideHeight1WithOwnPrecommit(probe);
    const persists = probe.outputs.filter((o): o is Extract<BftOutput, { type: 'persist' }> => o.type === 'persist');
    const older = persists.map((o) => o.record).filter((record) => record.height === 1n).at(-1)!;
    const restarted = new Probe(fx, 0, { height: 1, blockHash: b1.hash, timestamp: b1.value.timestamp }, older);
    const served = restarted.receive(3, { type: 'DECISION_REQUEST', height: 1n }).find((o) => o.type === 'send' && o.message.type === 'DECISION');
    assert.ok(served?.type === 'send' && served.message.type === 'DECISION');
    assert.equal(served.message.decision.value, undefined);
    assert.deepEqual(served.message.decision.precommits.map((p) => p.content.voter), [0]);
    const lagging = new Probe(fx, 3);
    lagging.receive(1, proposal(1, 1, 0, b1.value));
    for (const message of quorumPrecommits(1, 0, b1.hash).slice(0, 2)) lagging.receive(message.type === 'PRECOMMIT' ? message.precommit.content.voter : 0, message);
    assert.equal(lagging.commits().length, 0, 'two precommits are not a quorum');
    lagging.receive(0, served.message);
    assert.ok(lagging.commits()[0]?.blockHash.equals(b1.hash));
  });

  test('a quorum of precommits for a block never seen makes a node ask the precommitters', () => {
    const probe = new Probe(fx);
    const unseen = block(1, fx.ledgerHash, 5);
    const requests = quorumPrecommits(1, 0, unseen.hash).flatMap((m) =>
      probe.receive(m.type === 'PRECOMMIT' ? m.precommit.content.voter : 0, m).filter((o) => o.type === 'send' && o.message.type === 'DECISION_REQUEST'),
    );
    assert.equal(requests.length, 3);
    assert.equal(probe.commits().length, 0);
  });
});
