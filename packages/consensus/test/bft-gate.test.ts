import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OutputGate } from '../src/bft/gate.js';
import type { BftOutput } from '../src/bft/io.js';
import type { SafetyRecord } from '../src/bft/record.js';
import { Fixture } from './bft-support.js';

const fx = new Fixture();
const request: BftOutput = { type: 'send', to: 1, message: { type: 'DECISION_REQUEST', height: 3n } };
const timer: BftOutput = { type: 'set-timer', timer: { height: 1, round: 0, step: 'propose' }, delayMs: 10 };
const record = (): SafetyRecord => ({
  ledgerHash: fx.ledgerHash,
  height: 1n,
  round: 0,
  step: 'PROPOSE',
  values: [],
  validPolka: [],
  proposals: [],
  prevotes: [],
  precommits: [],
  decisions: [],
  parentEvidence: [],
});

describe('BFT persistence gate', () => {
  test('with nothing signed, messages leave at once and no record is written', () => {
    const gate = new OutputGate();
    const out: BftOutput[] = [];
    gate.route(request, out);
    gate.finish(out, record);
    assert.deepEqual(out, [request]);
  });

  test('after a signature, messages wait for the record that holds it, then leave in order', () => {
    const gate = new OutputGate();
    const out: BftOutput[] = [];
    gate.markSigned();
    gate.route(request, out);
    out.push(timer);
    gate.finish(out, record);
    assert.deepEqual(out.map((o) => o.type), ['set-timer', 'persist']);
    const sequence = (out[1] as Extract<BftOutput, { type: 'persist' }>).sequence;
    const released: BftOutput[] = [];
    gate.route({ ...request, to: 2 }, released);
    gate.finish(released, record);
    assert.equal(released.length, 0, 'later messages queue behind the unacknowledged record');
    gate.acknowledge(sequence, released);
    assert.deepEqual(released.map((o) => (o.type === 'send' ? o.to : -1)), [1, 2]);
  });

  test('an acknowledgement of a record never emitted is a host error', () => {
    const gate = new OutputGate();
    assert.throws(() => gate.acknowledge(1, []), { code: 'UNEXPECTED_INPUT' });
  });
});
