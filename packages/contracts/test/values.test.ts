import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TypedValue } from '@jadechain/types';
import { LocalLedger, fromWire, runContract, toWire } from '../src/index.js';

const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x19c1);

const typedValue: fc.Arbitrary<TypedValue> = fc.oneof(
  fc.constant<TypedValue>({ type: 'NIL' }),
  fc.boolean().map((value): TypedValue => ({ type: 'BOOLEAN', value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): TypedValue => ({ type: 'INT64', value })),
  fc.string({ maxLength: 40 }).map((value): TypedValue => ({ type: 'TEXT', value })),
  fc.uint8Array({ maxLength: 40 }).map((value): TypedValue => ({ type: 'BYTES', value })),
  fc.jsonValue({ maxDepth: 2 }).map((value): TypedValue => ({ type: 'JSON', value: JSON.stringify(value) })),
);

test('wire form round-trips every typed value on the host', () => {
  fc.assert(
    fc.property(typedValue, (value) => assert.deepEqual(fromWire(JSON.parse(JSON.stringify(toWire(value)))), value)),
    { seed: SEED, numRuns: 2000, verbose: true },
  );
});

test('malformed wire values are INVALID_VALUE', () => {
  for (const wire of [null, 7, { t: 'INT64', v: '1.5' }, { t: 'INT64', v: '99999999999999999999' }, { t: 'BYTES', v: 'ABC' }, { t: 'FLOAT', v: '1' }, { t: 'JSON', v: '{' }]) {
    assert.throws(() => fromWire(wire), { code: 'INVALID_VALUE' }, JSON.stringify(wire));
  }
});

test('a contract echoing its argument returns the same typed value', async () => {
  const echo = 'exports.echo = function (ctx, value) { return value; };';
  const samples = fc.sample(typedValue.filter((value) => value.type !== 'JSON'), { seed: SEED, numRuns: 40 });
  const ledger = await LocalLedger.create();
  for (const value of samples) {
    const { state, result } = await runContract(echo, 'echo', [value], { ledger });
    assert.equal(state, 'SUCCESS');
    assert.deepEqual(result.operationResults, [{ index: 0, value }]);
  }
});
