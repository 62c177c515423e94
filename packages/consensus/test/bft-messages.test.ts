import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodecError, registeredTypeCodes } from '@jadechain/types';
import { BFT_SIGNATURE_DOMAIN_TEXT, ConsensusMessage, prevoteSignedBytes } from '../src/bft/messages.js';
import type { ConsensusMessage as Message } from '../src/bft/messages.js';
import { SafetyRecord } from '../src/bft/record.js';
import { Fixture, GENESIS_TIME } from './bft-support.js';

const fx = new Fixture();
const evidence = fx.genesisEvidence([1, 2, 3]);
const value = fx.value(1, fx.ledgerHash, [fx.transaction(1), fx.transaction(2)], evidence);
const block = fx.blockHashOf(fx.ledgerHash, value);
const precommit = fx.precommit(2, 1, 0, block, GENESIS_TIME + 77n);

const examples: Message[] = [
  { type: 'PROPOSAL', proposal: fx.proposal(1, 1, 2, value, 1), polka: [fx.prevote(1, 1, 1, block)] },
  { type: 'PREVOTE', prevote: fx.prevote(3, 1, 0, undefined) },
  { type: 'PRECOMMIT', precommit },
  { type: 'DECISION', decision: { height: 1n, round: 0, value, precommits: [precommit] } },
  { type: 'DECISION', decision: { height: 0n, round: 0, precommits: evidence } },
  { type: 'DECISION_REQUEST', height: 12n },
];

describe('BFT messages', () => {
  test('every message kind survives encoding: decoding gives a value with the very same bytes', () => {
    for (const message of examples) {
      const bytes = ConsensusMessage.encode(message);
      assert.deepEqual(ConsensusMessage.encode(ConsensusMessage.decode(bytes)), bytes, message.type);
    }
  });

  test('decoders refuse trailing bytes, truncation and unknown kinds', () => {
    const bytes = ConsensusMessage.encode(examples[1]!);
    assert.throws(() => ConsensusMessage.decode(new Uint8Array([...bytes, 0])), (e: unknown) => e instanceof CodecError && e.code === 'TRAILING_BYTES');
    assert.throws(() => ConsensusMessage.decode(bytes.subarray(0, bytes.length - 3)), (e: unknown) => e instanceof CodecError && e.code === 'TRUNCATED');
    assert.throws(() => ConsensusMessage.decode(new Uint8Array([0x01, 0x57, 0x01])), (e: unknown) => e instanceof CodecError && e.code === 'UNKNOWN_TYPE_CODE');
  });

  test('signed contents start with the BFT domain tag, so a vote signature is never a transaction or commit-vote signature', () => {
    const signed = prevoteSignedBytes(fx.prevote(0, 1, 0, block).content);
    assert.equal(new TextDecoder().decode(signed.subarray(0, BFT_SIGNATURE_DOMAIN_TEXT.length)), 'JADECHAIN/BFT\0');
    assert.deepEqual([...signed.subarray(BFT_SIGNATURE_DOMAIN_TEXT.length, BFT_SIGNATURE_DOMAIN_TEXT.length + 2)], [0x01, 0x52]);
  });

  test('the consensus records take type codes of their own in the shared registry', () => {
    const names = new Map(registeredTypeCodes().map(([code, name]) => [name, code]));
    const expected: [string, number][] = [
      ['BftBlockValue', 0x0150],
      ['BftProposal', 0x0151],
      ['BftPrevote', 0x0152],
      ['BftPrecommit', 0x0153],
      ['BftDecision', 0x0154],
      ['BftMessage.PROPOSAL', 0x0158],
      ['BftMessage.DECISION_REQUEST', 0x015c],
      ['BftSafetyRecord', 0x015f],
    ];
    for (const [name, code] of expected) assert.equal(names.get(name), code, name);
    assert.ok(SafetyRecord.typeCode === 0x015f);
  });
});
