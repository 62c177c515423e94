import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LedgerPermission, Operation, TransactionRequest } from '@jadechain/types';
import type { Ledger } from '../src/index.js';
import { kvEntries, proveKvEntry, verifyKvEntryProof } from '../src/index.js';
import { GENESIS_TIME, admin, certificateFor, keyPair, newLedger, suite, text, tx } from './fixtures.js';
import { withSeed } from './property-support.js';

/**
 * Two independent ledgers fed the same random operations reach the same roots and block hashes:
 * one commits each block at once, the other executes every block on its uncommitted parent first
 * and commits them all afterwards. A model of the KV writes checks what they agree on.
 */
const users = [0, 1, 2].map((i) => keyPair(`prop-user-${i}`));
const accounts = [0, 1].map((i) => keyPair(`prop-account-${i}`));
const eventAccount = keyPair('prop-events');
const keys = ['a', 'b', 'c'];
const permissions: readonly LedgerPermission[] = ['REGISTER_USER', 'REGISTER_DATA_ACCOUNT', 'WRITE_DATA_ACCOUNT', 'UPDATE_USER_STATE'];

const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  index(users.length).map((i): Operation => ({ type: 'UserRegister', address: users[i]!.address, pubKey: users[i]!.publicKey })),
  index(accounts.length).map((i): Operation => ({ type: 'DataAccountRegister', address: accounts[i]!.address, pubKey: accounts[i]!.publicKey })),
  fc.record({ a: index(accounts.length), k: index(keys.length), v: fc.string({ maxLength: 8 }), expected: fc.integer({ min: -1, max: 2 }) }).map(
    ({ a, k, v, expected }): Operation => ({ type: 'KvSet', account: accounts[a]!.address, writes: [{ key: keys[k]!, value: text(v), expectedVersion: BigInt(expected) }] }),
  ),
  fc.record({ u: index(users.length), state: fc.constantFrom('NORMAL' as const, 'FREEZE' as const) }).map(
    ({ u, state }): Operation => ({ type: 'UserStateUpdate', address: users[u]!.address, state }),
  ),
  fc.record({ p: index(permissions.length), enable: fc.boolean() }).map(({ p, enable }): Operation => ({
    type: 'RolesConfigure',
    roles: [{ name: 'MEMBER', enableLedgerPermissions: enable ? [permissions[p]!] : [], disableLedgerPermissions: enable ? [] : [permissions[p]!], enableTransactionPermissions: ['DIRECT_OPERATION'], disableTransactionPermissions: [] }],
  })),
  index(users.length).map((u): Operation => ({ type: 'UserAuthorize', authorizations: [{ userAddresses: [users[u]!.address], policy: 'UNION', authorizeRoles: ['MEMBER'], unauthorizeRoles: [] }] })),
  fc.record({ topic: fc.constantFrom('x', 'y'), expected: fc.integer({ min: -1, max: 2 }) }).map(({ topic, expected }): Operation => ({
    type: 'EventPublish',
    account: eventAccount.address,
    events: [{ topic, content: text(topic), expectedSequence: BigInt(expected) }],
  })),
);
// Signer −1 is the admin (who may do everything), others are users whose rights vary.
const signer = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: index(users.length) });
const transaction = fc.record({ operations: fc.array(operation, { minLength: 1, maxLength: 3 }), signer });
const blocks = fc.array(fc.array(transaction, { maxLength: 5 }), { minLength: 1, maxLength: 5 });

interface Model {
  readonly kv: Map<string, string[]>;
}

describe('determinism', () => {
  test('two independent ledgers fed the same random operations reach identical roots and block hashes', async () => {
    await withSeed((seed) =>
      fc.assert(
        fc.asyncProperty(blocks, async (plan) => {
          const eager = await newLedger();
          const pipelined = await newLedger();
          assert.equal(eager.ledgerHash.toBase58(), pipelined.ledgerHash.toBase58());
          const setupBlock = [tx(eager.ledgerHash, [{ type: 'EventAccountRegister', address: eventAccount.address, pubKey: eventAccount.publicKey }], { nonce: new Uint8Array(8) })];
          const requests: TransactionRequest[][] = [
            setupBlock,
            ...plan.map((block, b) =>
              block.map((t, i) =>
                tx(eager.ledgerHash, t.operations, {
                  signers: [t.signer < 0 ? admin : users[t.signer]!],
                  nonce: new TextEncoder().encode(`b${b}-t${i}-nonce`),
                }),
              ),
            ),
          ];
          const model: Model = { kv: new Map() };
          const eagerHashes: string[] = [];
          for (const [b, transactions] of requests.entries()) {
            const result = eager.execute({ height: b + 1, timestamp: GENESIS_TIME + BigInt(b), transactions });
            await eager.commit(result.writeSet, certificateFor(eager.ledgerHash, result));
            eagerHashes.push(result.blockHash.toBase58());
            result.results.forEach((r, i) => {
              if (r.state === 'SUCCESS') applyToModel(model, transactions[i]!);
            });
          }
          let parent = pipelined.tip;
          const pending = [];
          for (const [b, transactions] of requests.entries()) {
            const result = pipelined.execute({ height: b + 1, timestamp: GENESIS_TIME + BigInt(b), transactions }, parent);
            pending.push(result);
            parent = result.view;
          }
          await Promise.all(pending.map((result) => pipelined.commit(result.writeSet, certificateFor(pipelined.ledgerHash, result))));
          assert.deepEqual(pending.map((r) => r.blockHash.toBase58()), eagerHashes);
          assert.deepEqual(pipelined.tip.header, eager.tip.header);
          checkAgainstModel(eager, model);
          checkAgainstModel(pipelined, model);
        }),
        { seed, numRuns: 100 },
      ),
    );
  });
});

function applyToModel(model: Model, request: TransactionRequest): void {
  for (const op of request.content.operations) {
    if (op.type !== 'KvSet') continue;
    for (const write of op.writes) {
      const id = `${op.account.toBase58()}/${write.key}`;
      const versions = model.kv.get(id) ?? [];
      versions.push(write.value.type === 'TEXT' ? write.value.value : '');
      model.kv.set(id, versions);
    }
  }
}

function checkAgainstModel(ledger: Ledger, model: Model): void {
  const view = ledger.tip;
  const state = view.state();
  const hash = (data: Uint8Array): Uint8Array => suite.hash('SHA256', data).raw;
  for (const account of accounts) {
    const listed = new Map(kvEntries(view, account.address).map((entry) => [entry.key, entry]));
    for (const key of keys) {
      const versions = model.kv.get(`${account.address.toBase58()}/${key}`) ?? [];
      versions.forEach((value, version) => assert.deepEqual(state.kvEntry(account.address, key, version)?.value, text(value)));
      assert.equal(listed.get(key)?.version, versions.length === 0 ? undefined : BigInt(versions.length - 1));
      assert.equal(verifyKvEntryProof(hash, view.header.dataAccountRoot.raw, account.address, key, proveKvEntry(view, account.address, key)), true);
    }
  }
}
