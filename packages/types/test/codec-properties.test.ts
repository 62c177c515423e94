import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as types from '../src/index.js';
import { Codec } from '../src/index.js';
import { arbitraryOf } from './codec-arbitraries.js';
import { check, toHex } from './codec-support.js';

/**
 * For arbitrary values of every structure of the model: the binary encoding round-trips, the JSON
 * form round-trips, and JSON decodes to exactly the same bytes as the binary form (so a client
 * may submit JSON and sign the canonical bytes).
 */

const structures: [string, Codec<unknown>][] = [];
for (const [name, value] of Object.entries(types) as [string, unknown][]) {
  if (value instanceof Codec && ['record', 'union', 'struct'].includes(value.descriptor.kind)) {
    structures.push([name, value as Codec<unknown>]);
  }
}

const RUNS_PER_STRUCTURE = 150;

describe('every exported structure', () => {
  test('is found (records, unions, structures)', () => {
    const names = structures.map(([name]) => name);
    for (const expected of ['TransactionContent', 'TransactionRequest', 'BlockHeader', 'Operation', 'TypedValue', 'LedgerInitProposal']) {
      assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);
    }
    const recordCodes = structures.filter(([, codec]) => codec.descriptor.kind === 'record').length;
    assert.ok(recordCodes >= 18, `only ${recordCodes} records`);
  });

  for (const [name, codec] of structures) {
    test(`${name}: binary and JSON round trips give the same bytes`, () => {
      check(
        fc.property(arbitraryOf(codec), (value) => {
          const bytes = codec.encode(value);
          const decoded = codec.decode(bytes);
          assert.equal(toHex(codec.encode(decoded)), toHex(bytes));
          const jsonText = codec.toJsonText(value);
          const fromJson = codec.fromJsonText(jsonText);
          assert.equal(toHex(codec.encode(fromJson)), toHex(bytes));
          assert.deepEqual(codec.toJson(fromJson), codec.toJson(decoded));
        }),
        RUNS_PER_STRUCTURE,
      );
    });
  }
});
