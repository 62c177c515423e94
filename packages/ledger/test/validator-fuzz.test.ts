import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TransactionRequest } from '@jadechain/types';
import type { Operation } from '@jadechain/types';
import { GENESIS_TIME, keyPair, newLedger, registerUser, text, tx } from './fixtures.js';
import { withSeed } from './property-support.js';

/** Mutated and random transactions: the validator and execution answer with codes, never throw. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % (bytes.length + 1);
  if (m.kind === 'truncate') return bytes.slice(0, at);
  if (m.kind === 'insert') return new Uint8Array([...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)]);
  const out = bytes.slice();
  if (m.kind === 'flip') out[at % out.length] = (out[at % out.length] ?? 0) ^ (1 << m.bit);
  else out.set(m.bytes.slice(0, Math.max(0, out.length - at)), Math.min(at, out.length));
  return out;
}

describe('validator fuzz', () => {
  test('mutated transaction bytes: a code, never an exception, and never accepted with a broken signature', async () => {
    const ledger = await newLedger();
    const account = keyPair('fuzz-account');
    const samples = [
      tx(ledger.ledgerHash, [registerUser(keyPair('fuzz-user'))]),
      tx(ledger.ledgerHash, [
        { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
        { type: 'KvSet', account: account.address, writes: [{ key: 'k', value: { type: 'JSON', value: '{"a":[1,2]}' }, expectedVersion: -1n }] },
      ]),
    ].map((request) => TransactionRequest.encode(request));
    await withSeed((seed) =>
      fc.assert(
        fc.property(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 3 }), (original, mutations) => {
          const bytes = mutations.reduce(mutate, original);
          const check = ledger.checkTransaction(bytes);
          if (check.ok) {
            // Only a mutation that left the signed content and signatures intact may pass.
            assert.deepEqual(TransactionRequest.encode(check.request), bytes);
          } else {
            assert.equal(typeof check.code, 'string');
          }
        }),
        { seed, numRuns: 3000 },
      ),
    );
  });

  test('random bytes and mutated batches through execute: results or rejections, never an exception', async () => {
    const ledger = await newLedger();
    const valid = TransactionRequest.encode(tx(ledger.ledgerHash, [registerUser(keyPair('batch-user'))]));
    await withSeed((seed) =>
      fc.assert(
        fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(mutation, { maxLength: 2 }).map((ms) => ms.reduce(mutate, valid))), { maxLength: 6 }), (transactions) => {
          const result = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1000n, transactions });
          assert.equal(result.results.length + result.rejected.length, transactions.length);
        }),
        { seed, numRuns: 500 },
      ),
    );
  });

  test('validly signed but arbitrary operations: every transaction ends with a code', async () => {
    const ledger = await newLedger();
    const someone = keyPair('someone');
    const address = fc.constantFrom(someone.address, keyPair('other').address);
    const value = fc.oneof(
      fc.string().map(text),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ type: 'INT64' as const, value: v })),
      fc.uint8Array({ maxLength: 64 }).map((v) => ({ type: 'BYTES' as const, value: v })),
    );
    const op: fc.Arbitrary<Operation> = fc.oneof(
      fc.record({ account: address, key: fc.string({ minLength: 1, maxLength: 20 }), value, expectedVersion: fc.bigInt({ min: -1n, max: 5n }) }).map(
        ({ account, key, value: v, expectedVersion }): Operation => ({ type: 'KvSet', account, writes: [{ key, value: v, expectedVersion }] }),
      ),
      fc.record({ address, modeBits: fc.integer({ min: 0, max: 0x3ff }), accountType: fc.constantFrom('DATA' as const, 'EVENT' as const, 'CONTRACT' as const) }).map(
        (fields): Operation => ({ type: 'AccountPermissionSet', ...fields }),
      ),
      fc.constant<Operation>({ type: 'DataAccountRegister', address: someone.address, pubKey: someone.publicKey }),
      fc.constant<Operation>({ type: 'DataAccountRegister', address: someone.address, pubKey: keyPair('mismatch').publicKey }),
      fc.record({ address, state: fc.constantFrom('READY' as const, 'CONSENSUS' as const, 'DEACTIVATED' as const) }).map((f): Operation => ({ type: 'ParticipantStateUpdate', ...f })),
      fc.constantFrom<Operation>({ type: 'HashAlgorithmUpdate', algorithm: 'RIPEMD160' }, { type: 'UserAuthorize', authorizations: [{ userAddresses: [someone.address], policy: 'INTERSECT', authorizeRoles: ['NOPE'], unauthorizeRoles: [] }] }),
      fc.record({ address, method: fc.string({ minLength: 1, maxLength: 10 }), args: fc.array(value, { maxLength: 3 }) }).map((f): Operation => ({ type: 'ContractInvoke', ...f })),
    );
    let nonce = 0;
    await withSeed((seed) =>
      fc.assert(
        fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (plan) => {
          const transactions = plan.map((operations) => tx(ledger.ledgerHash, operations, { nonce: new TextEncoder().encode(`fuzz-nonce-${nonce++}`) }));
          const result = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1000n, transactions });
          assert.equal(result.results.length, transactions.length);
          assert.equal(result.results.some((r) => r.state === 'SYSTEM_ERROR'), false);
        }),
        { seed, numRuns: 300 },
      ),
    );
  });
});
