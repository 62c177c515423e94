import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignatureDigest } from '@jadechain/crypto';
import type { HashDigest } from '@jadechain/crypto';
import type { MisbehaviourKind } from '../src/bft/io.js';
import { BlockValue } from '../src/bft/messages.js';
import type { ConsensusMessage, SignedPrevote } from '../src/bft/messages.js';
import { Fixture, GENESIS_TIME, Probe, isPrevoteFor } from './bft-support.js';

const fx = new Fixture();

function block1(transaction: number, evidence = fx.genesisEvidence([1, 2, 3])): { value: BlockValue; hash: HashDigest } {
  const value = fx.value(1, fx.ledgerHash, [fx.transaction(transaction)], evidence);
  return { value, hash: fx.blockHashOf(fx.ledgerHash, value) };
}

function proposal(proposer: number, round: number, value: BlockValue, validRound?: number, polka: SignedPrevote[] = []): ConsensusMessage {
  return { type: 'PROPOSAL', proposal: fx.proposal(proposer, 1, round, value, validRound), polka };
}

function prevote(voter: number, block: HashDigest | undefined, round = 0): ConsensusMessage {
  return { type: 'PREVOTE', prevote: fx.prevote(voter, 1, round, block) };
}

function precommit(voter: number, block: HashDigest | undefined, timestamp = GENESIS_TIME + 5000n): ConsensusMessage {
  return { type: 'PRECOMMIT', precommit: fx.precommit(voter, 1, 0, block, timestamp) };
}

function flipped(signature: SignatureDigest): SignatureDigest {
  const raw = signature.raw;
  raw[5] = (raw[5] as number) ^ 0x10;
  return new SignatureDigest(signature.algorithm, raw);
}

function reported(probe: Probe, kind: MisbehaviourKind): { validator: number; proofs: number }[] {
  return probe.evidence().filter((e) => e.kind === kind).map((e) => ({ validator: e.validator, proofs: e.proof.length }));
}

describe('BFT core: Byzantine behaviour is detected or harmless', () => {
  test('a double prevote is reported with both signed votes, and only the first counts', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.receive(1, proposal(1, 0, b.value));
    probe.receive(2, prevote(2, b.hash));
    probe.receive(2, prevote(2, undefined));
    assert.deepEqual(reported(probe, 'CONFLICTING_PREVOTE'), [{ validator: 2, proofs: 2 }]);
    probe.receive(1, prevote(1, b.hash));
    assert.equal(probe.core.lockedRound, 0, "v2's first prevote (for the block) made the polka");
  });

  test('a double precommit is reported; the second one is not counted towards a decision', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.receive(1, proposal(1, 0, b.value));
    probe.receive(3, precommit(3, undefined));
    probe.receive(3, precommit(3, b.hash));
    assert.deepEqual(reported(probe, 'CONFLICTING_PRECOMMIT'), [{ validator: 3, proofs: 2 }]);
    probe.receive(1, precommit(1, b.hash));
    assert.equal(probe.commits().length, 0, "v0 never precommitted, v3's block precommit came second: only v1 counts");
  });

  test('two proposals from the leader are reported; the node prevotes the first and can still decide the other', () => {
    const probe = new Probe(fx);
    const first = block1(1);
    const second = block1(2);
    probe.receive(1, proposal(1, 0, first.value));
    probe.receive(1, proposal(1, 0, second.value));
    assert.deepEqual(reported(probe, 'CONFLICTING_PROPOSAL'), [{ validator: 1, proofs: 2 }]);
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], first.hash));
    for (const voter of [1, 2, 3]) probe.receive(voter, precommit(voter, second.hash));
    assert.ok(probe.commits()[0]?.blockHash.equals(second.hash), 'a quorum decided the other value, which this node also executed');
  });

  test('a proposal from a validator that does not lead the round is reported and ignored', () => {
    const probe = new Probe(fx);
    probe.receive(2, proposal(2, 0, block1(1).value));
    assert.deepEqual(reported(probe, 'WRONG_PROPOSER'), [{ validator: 2, proofs: 1 }]);
    assert.equal(probe.prevotesSent().length, 0);
  });

  test('a vote whose signature does not verify is reported and not counted', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.receive(1, proposal(1, 0, b.value));
    const forged = fx.prevote(2, 1, 0, b.hash);
    probe.receive(2, { type: 'PREVOTE', prevote: { ...forged, signature: flipped(forged.signature) } });
    probe.receive(1, prevote(1, b.hash));
    assert.deepEqual(reported(probe, 'INVALID_SIGNATURE'), [{ validator: 2, proofs: 1 }]);
    assert.equal(probe.core.lockedRound, -1);
  });

  test('a broken prevote relayed in a re-proposal is blamed on the proposer, not the voter', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    const good = fx.prevote(1, 1, 0, b.hash);
    const broken = fx.prevote(3, 1, 0, b.hash);
    const polka = [good, { ...broken, signature: flipped(broken.signature) }];
    probe.input({ type: 'transactions-available', height: 1 });
    probe.receive(1, prevote(1, undefined, 1));
    probe.receive(3, prevote(3, undefined, 1));
    assert.equal(probe.core.round, 1);
    probe.receive(2, proposal(2, 1, b.value, 0, polka));
    assert.deepEqual(reported(probe, 'INVALID_SIGNATURE'), [{ validator: 2, proofs: 1 }]);
  });

  test('a proposal whose timestamp does not follow its evidence is invalid and gets a nil prevote at once', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.receive(1, proposal(1, 0, { ...b.value, timestamp: b.value.timestamp + 1n }));
    assert.equal(reported(probe, 'INVALID_PROPOSAL')[0]?.validator, 1);
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], undefined));
  });

  test('a proposal timed by fewer than a quorum of precommits, or by forged ones, is invalid', () => {
    const few = new Probe(fx);
    few.receive(1, proposal(1, 0, block1(1, fx.genesisEvidence([1, 2])).value));
    assert.match(few.evidence()[0]?.detail ?? '', /quorum/);
    const forged = new Probe(fx);
    const evidence = fx.genesisEvidence([1, 2, 3]);
    const tampered = evidence.map((p, i) => (i === 0 ? { ...p, content: { ...p.content, timestamp: p.content.timestamp - 1n } } : p));
    forged.receive(1, proposal(1, 0, block1(1, tampered).value));
    assert.match(forged.evidence()[0]?.detail ?? '', /does not verify/);
  });

  test('a batch the ledger refuses to execute is reported and gets a nil prevote', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    probe.invalidValues.add(probe.crypto.hash(BlockValue.encode(b.value)).toBase58());
    probe.receive(1, proposal(1, 0, b.value));
    assert.equal(reported(probe, 'INVALID_PROPOSAL')[0]?.validator, 1);
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], undefined));
  });

  test('a decision with a forged precommit is reported and not applied', () => {
    const probe = new Probe(fx);
    const b = block1(1);
    const precommits = [1, 2, 3].map((voter) => fx.precommit(voter, 1, 0, b.hash, GENESIS_TIME + 5000n));
    const last = precommits[2]!;
    precommits[2] = { ...last, signature: flipped(last.signature) };
    probe.receive(2, { type: 'DECISION', decision: { height: 1n, round: 0, value: b.value, precommits } });
    assert.deepEqual(reported(probe, 'INVALID_DECISION').map((e) => e.validator), [2]);
    assert.equal(probe.commits().length, 0);
  });

  test('a known genuine signature on altered content is not taken as verified: a forged time evidence entry', () => {
    const probe = new Probe(fx);
    const genuine = [1, 2, 3].map((voter) => fx.precommit(voter, 0, 0, fx.ledgerHash, GENESIS_TIME + BigInt(10 * voter)));
    for (const precommit of genuine) probe.receive(precommit.content.voter, { type: 'PRECOMMIT', precommit });
    const evidence = genuine.map(({ content, signature }) => ({ content, signature }));
    const forged = [evidence[0]!, { ...evidence[1]!, content: { ...evidence[1]!.content, timestamp: GENESIS_TIME + 5000n } }, evidence[2]!];
    const value = fx.value(1, fx.ledgerHash, [fx.transaction(1)], forged);
    probe.receive(1, proposal(1, 0, value));
    assert.match(probe.evidence().find((e) => e.kind === 'INVALID_PROPOSAL')?.detail ?? '', /validator 2 does not verify/);
    assert.ok(isPrevoteFor(probe.prevotesSent()[0], undefined));
  });

  test('a known genuine signature on altered content is not taken as verified: a forged precommit in a decision', () => {
    const probe = new Probe(fx);
    const honest = block1(1);
    const other = block1(2);
    probe.receive(2, precommit(2, honest.hash));
    const genuineForHonest = fx.precommit(2, 1, 0, honest.hash, GENESIS_TIME + 5000n);
    const forged = { ...genuineForHonest, content: { ...genuineForHonest.content, blockHash: other.hash } };
    const precommits = [fx.precommit(1, 1, 0, other.hash, GENESIS_TIME + 5000n), forged, fx.precommit(3, 1, 0, other.hash, GENESIS_TIME + 5000n)];
    probe.receive(3, { type: 'DECISION', decision: { height: 1n, round: 0, value: other.value, precommits } });
    assert.deepEqual(reported(probe, 'INVALID_DECISION').map((e) => e.validator), [3]);
    assert.equal(probe.commits().length, 0, 'two genuine precommits and a forged one are not a quorum');
  });

  test('an identical vote received twice is verified once (retransmissions cost no signature checks)', () => {
    const probe = new Probe(fx);
    const message = prevote(2, undefined);
    probe.receive(2, message);
    const verified = probe.crypto.counts.verified;
    probe.receive(2, message);
    assert.equal(probe.crypto.counts.verified, verified);
    assert.ok(verified > 0);
  });
});
