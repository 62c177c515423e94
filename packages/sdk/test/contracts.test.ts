import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiTypedValueJson, type TypedValue } from '@jadechain/types';
import { ContractCallError, plainValue } from '../src/index.js';

describe('contract results', () => {
  test('the query form of each returned type reads back as plain JavaScript', () => {
    const cases: Array<[TypedValue, unknown]> = [
      [{ type: 'NIL' }, null],
      [{ type: 'INT64', value: -42n }, -42n],
      [{ type: 'INT64', value: 2n ** 62n }, 2n ** 62n],
      [{ type: 'TEXT', value: 'héllo' }, 'héllo'],
      [{ type: 'BOOLEAN', value: true }, true],
      [{ type: 'BYTES', value: Uint8Array.of(0, 255, 7) }, Uint8Array.of(0, 255, 7)],
      [{ type: 'JSON', value: '{"a":[1,"b"]}' }, { a: [1, 'b'] }],
    ];
    for (const [value, plain] of cases) assert.deepEqual(plainValue(apiTypedValueJson(value)), plain, value.type);
  });

  test("a failed call names the state and carries the contract's failure", () => {
    const failure = { code: 'CONTRACT_THREW', message: 'insufficient balance', stack: 'at transfer (contract.js:3:9)' };
    const error = new ContractCallError('CONTRACT_EXECUTE_ERROR', failure, 'hash');
    assert.equal(error.message, 'CONTRACT_EXECUTE_ERROR: CONTRACT_THREW: insufficient balance');
    assert.equal(error.code, 'CONTRACT_FAILED');
    assert.equal(new ContractCallError('ILLEGAL_ACCOUNT_STATE', null, 'hash').message, 'the contract transaction failed with ILLEGAL_ACCOUNT_STATE');
  });
});
