import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ContractReceipt, decodeReceipt } from '../src/index.js';
import { encodeReceipt, failureRecord } from '../src/contracts/receipt.js';
import { keyPair } from './fixtures.js';
import { withSeed } from './property-support.js';

const contract = keyPair('receipt-contract').address;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('contract receipts', () => {
  test('any failure text a contract chooses is bounded, well-formed and survives encoding', async () => {
    await withSeed((seed) =>
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 5000 }), fc.string({ unit: 'grapheme', maxLength: 3000 }), (message, stack) => {
          const failure = failureRecord({ code: 'CONTRACT_THREW', message, stack });
          assert.ok(failure.message.length <= 2048 && failure.stack.length <= 2048);
          assert.doesNotMatch(failure.message, LONE_SURROGATE);
          const receipt: ContractReceipt = {
            sandboxVersion: 'quickjs-test',
            invocations: [{ operationIndex: 0, contract, version: 3n, method: 'transfer', gasUsed: 8539n, failure }],
          };
          assert.deepEqual(decodeReceipt(encodeReceipt(receipt)), receipt);
        }),
        { seed, numRuns: 300 },
      ),
    );
  });

  test('a receipt that does not decode is corrupt state', () => {
    assert.throws(() => decodeReceipt(Uint8Array.of(1, 2, 3)), { code: 'CORRUPT_STATE' });
  });
});
