import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransactionRequest } from '@jadechain/types';
import { MemoryStore } from '@jadechain/storage';
import { Ledger, LedgerError, SignatureCache, kvEntries, uncachedSignatures } from '../src/index.js';
import {
  GENESIS_TIME,
  admin,
  certificateFor,
  commitBlock,
  keyPair,
  newLedger,
  registerUser,
  setup,
  stateRoots,
  suite,
  testGenesis,
  text,
  tx,
} from './fixtures.js';

const account = keyPair('exec-account');
const alice = keyPair('alice');
const register = { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey } as const;
const write = (key: string, expectedVersion: bigint, value = key) =>
  ({ type: 'KvSet', account: account.address, writes: [{ key, value: text(value), expectedVersion }] }) as const;

describe('stateful failures', () => {
  test('a failed transaction changes no state, is recorded with its code and can be looked up', async () => {
    const ledger = await newLedger();
    await setup(ledger, [register, write('k', -1n)]);
    const before = stateRoots(ledger.tip);
    // The first operation would succeed; the second conflicts: the whole transaction rolls back.
    const failing = tx(ledger.ledgerHash, [write('other', -1n), write('k', 5n)]);
    const result = await commitBlock(ledger, [failing]);
    assert.equal(result.results[0]?.state, 'DATA_VERSION_CONFLICT');
    assert.deepEqual(stateRoots(ledger.tip), before);
    assert.equal(ledger.tip.state().kvEntry(account.address, 'other'), undefined);
    const recorded = ledger.transaction(result.results[0]?.transactionHash ?? assert.fail());
    assert.equal(recorded?.result.state, 'DATA_VERSION_CONFLICT');
    assert.equal(recorded?.height, ledger.tip.height);
  });

  test('failures and successes in one block: only the successes change state', async () => {
    const ledger = await newLedger();
    await setup(ledger, [register]);
    const result = await commitBlock(ledger, [
      tx(ledger.ledgerHash, [write('a', -1n)]),
      tx(ledger.ledgerHash, [write('a', -1n)]),
      tx(ledger.ledgerHash, [write('a', 0n, 'second')]),
      tx(ledger.ledgerHash, [{ type: 'KvSet', account: alice.address, writes: [{ key: 'x', value: text('x'), expectedVersion: -1n }] }]),
    ]);
    assert.deepEqual(result.results.map((r) => r.state), ['SUCCESS', 'DATA_VERSION_CONFLICT', 'SUCCESS', 'DATA_ACCOUNT_DOES_NOT_EXIST']);
    const state = ledger.tip.state();
    assert.deepEqual(state.kvEntry(account.address, 'a'), { key: 'a', version: 1n, value: text('second') });
    assert.deepEqual(state.kvEntry(account.address, 'a', 0), { key: 'a', version: 0n, value: text('a') });
  });

  test('a transaction replayed in a later block is recorded as DUPLICATE_TRANSACTION', async () => {
    const ledger = await newLedger();
    await setup(ledger, [register]);
    const original = tx(ledger.ledgerHash, [write('once', -1n)]);
    await commitBlock(ledger, [original]);
    const before = stateRoots(ledger.tip);
    const replay = await commitBlock(ledger, [original]);
    assert.equal(replay.results[0]?.state, 'DUPLICATE_TRANSACTION');
    assert.deepEqual(stateRoots(ledger.tip), before);
    // The hash still leads to the original, successful transaction.
    assert.equal(ledger.transaction(replay.results[0]?.transactionHash ?? assert.fail())?.result.state, 'SUCCESS');
  });

  test('the same transaction twice in one batch: the second is left out of the block', async () => {
    const ledger = await newLedger();
    await setup(ledger, [register]);
    const once = tx(ledger.ledgerHash, [write('twice', -1n)]);
    const result = await commitBlock(ledger, [once, once]);
    assert.equal(result.results.length, 1);
    assert.deepEqual(result.rejected.map((r) => [r.batchIndex, r.code]), [[1, 'DUPLICATE_IN_BATCH']]);
  });

  test('the timestamp window is measured against the block timestamp, not the clock', async () => {
    const ledger = await newLedger();
    await setup(ledger, [register]);
    const blockTime = GENESIS_TIME + 10_000_000n;
    const result = await commitBlock(
      ledger,
      [
        tx(ledger.ledgerHash, [write('early', -1n)], { timestamp: blockTime - 60_001n }),
        tx(ledger.ledgerHash, [write('edge', -1n)], { timestamp: blockTime - 60_000n }),
        tx(ledger.ledgerHash, [write('late', -1n)], { timestamp: blockTime + 60_001n }),
      ],
      blockTime,
    );
    assert.deepEqual(result.results.map((r) => r.state), ['TIMESTAMP_OUT_OF_WINDOW', 'SUCCESS', 'TIMESTAMP_OUT_OF_WINDOW']);
  });
});

describe('stateless checks', () => {
  test('bad signatures, another ledger, no endpoint signature: left out of the block with their codes', async () => {
    const ledger = await newLedger();
    const good = tx(ledger.ledgerHash, [registerUser(alice)]);
    const forged: TransactionRequest = { ...good, content: { ...good.content, timestamp: good.content.timestamp + 1n } };
    const otherLedger = tx(suite.hash('SHA256', new Uint8Array([1])), [registerUser(alice)]);
    const unsigned: TransactionRequest = { ...good, endpointSignatures: [] };
    // The gateway's key with the admin's signature: well-formed, but not the gateway's.
    const badNode: TransactionRequest = { ...good, nodeSignatures: good.nodeSignatures.map((s) => ({ ...s, signature: good.endpointSignatures[0]?.signature ?? assert.fail() })) };
    const result = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1000n, transactions: [forged, otherLedger, unsigned, good, TransactionRequest.encode(good).subarray(1)] });
    assert.deepEqual(
      result.rejected.map((r) => [r.batchIndex, r.code, r.state]),
      [
        [0, 'INVALID_ENDPOINT_SIGNATURE', 'INVALID_ENDPOINT_SIGNATURE'],
        [1, 'WRONG_LEDGER', 'IGNORED_BY_WRONG_LEDGER'],
        [2, 'NO_ENDPOINT_SIGNATURE', 'NO_ENDPOINT_SIGNATURE'],
        [4, 'MALFORMED', 'LEDGER_ERROR'],
      ],
    );
    assert.equal(result.results.length, 1);
    const check = ledger.checkTransaction(badNode);
    assert.equal(check.ok ? 'ok' : check.code, 'INVALID_NODE_SIGNATURE');
  });

  test('limits: operations per transaction, transaction bytes, value bytes', async () => {
    const ledger = await newLedger();
    const many = tx(ledger.ledgerHash, Array.from({ length: 65 }, (_, i) => write(`k${i}`, -1n)));
    const big = tx(ledger.ledgerHash, [write('big', -1n, 'x'.repeat(70_000))]);
    const codes = [many, big].map((request) => {
      const check = ledger.checkTransaction(request);
      return check.ok ? 'ok' : check.code;
    });
    assert.deepEqual(codes, ['TOO_MANY_OPERATIONS', 'VALUE_TOO_LARGE']);
  });

  test('signatures are cached by (content hash, key, signature): a forged copy of a cached transaction is refused', async () => {
    const ledger = await newLedger();
    const good = tx(ledger.ledgerHash, [registerUser(alice)]);
    assert.equal(ledger.checkTransaction(good).ok, true);
    const other = keyPair('forger');
    const forged: TransactionRequest = {
      ...good,
      endpointSignatures: [{ pubKey: other.publicKey, signature: good.endpointSignatures[0]?.signature ?? assert.fail() }],
    };
    const check = ledger.checkTransaction(forged);
    assert.equal(check.ok ? 'ok' : check.code, 'INVALID_ENDPOINT_SIGNATURE');
  });
});

describe('batches and commits', () => {
  test('execute writes nothing; stacked execution on an uncommitted parent, then both commit in order', async () => {
    const ledger = await newLedger();
    const first = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1n, transactions: [tx(ledger.ledgerHash, [register, write('a', -1n)])] });
    assert.equal(ledger.tip.height, 0);
    assert.equal(first.view.committed, false);
    const second = ledger.execute({ height: 2, timestamp: GENESIS_TIME + 2n, transactions: [tx(ledger.ledgerHash, [write('a', 0n, 'b')])] }, first.view);
    assert.equal(second.results[0]?.state, 'SUCCESS');
    assert.equal(ledger.tip.state().dataAccount(account.address), undefined);
    assert.equal(second.view.state().kvEntry(account.address, 'a')?.version, 1n);
    // Committing the second before the first is refused; queued in order both land.
    await assert.rejects(ledger.commit(second.writeSet, certificateFor(ledger.ledgerHash, second)), (e: unknown) => e instanceof LedgerError && e.code === 'NOT_ON_TIP');
    await Promise.all([
      ledger.commit(first.writeSet, certificateFor(ledger.ledgerHash, first)),
      ledger.commit(second.writeSet, certificateFor(ledger.ledgerHash, second)),
    ]);
    assert.equal(ledger.tip.height, 2);
    assert.equal(first.view.committed && second.view.committed, true);
    assert.deepEqual(ledger.tip.header, second.header);
    assert.deepEqual(kvEntries(ledger.tip, account.address), [{ key: 'a', version: 1n, value: text('b') }]);
    assert.deepEqual(ledger.view(1).state().kvEntry(account.address, 'a'), { key: 'a', version: 0n, value: text('a') });
    assert.equal(ledger.certificate(2)?.blockHash.equals(second.blockHash), true);
  });

  test('two competing blocks on one parent: committing one makes the other unusable', async () => {
    const ledger = await newLedger();
    const a = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1n, transactions: [tx(ledger.ledgerHash, [registerUser(alice)])] });
    const b = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 2n, transactions: [] });
    await ledger.commit(b.writeSet, certificateFor(ledger.ledgerHash, b));
    await assert.rejects(ledger.commit(a.writeSet, certificateFor(ledger.ledgerHash, a)), (e: unknown) => e instanceof LedgerError && e.code === 'NOT_ON_TIP');
    assert.equal(ledger.tip.state().user(alice.address), undefined);
  });

  test('a certificate for another block is refused', async () => {
    const ledger = await newLedger();
    const a = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1n, transactions: [] });
    const b = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 2n, transactions: [] });
    await assert.rejects(ledger.commit(a.writeSet, certificateFor(ledger.ledgerHash, b)), (e: unknown) => e instanceof LedgerError && e.code === 'CERTIFICATE_MISMATCH');
  });

  test('batches with a wrong height, an earlier timestamp or too many transactions are refused', async () => {
    const ledger = await newLedger();
    const code = (run: () => unknown): string => {
      try {
        run();
        return 'none';
      } catch (error) {
        return error instanceof LedgerError ? error.code : String(error);
      }
    };
    assert.equal(code(() => ledger.execute({ height: 2, timestamp: GENESIS_TIME, transactions: [] })), 'HEIGHT_MISMATCH');
    assert.equal(code(() => ledger.execute({ height: 1, timestamp: GENESIS_TIME - 1n, transactions: [] })), 'TIMESTAMP_REGRESSION');
    const many = Array.from({ length: 5001 }, () => new Uint8Array(1));
    assert.equal(code(() => ledger.execute({ height: 1, timestamp: GENESIS_TIME, transactions: many })), 'BATCH_TOO_LARGE');
  });

  test('execution is deterministic: the same batch on the same parent gives the same block', async () => {
    const ledger = await newLedger();
    const batch = { height: 1, timestamp: GENESIS_TIME + 5n, transactions: [tx(ledger.ledgerHash, [register, write('a', -1n)]), tx(ledger.ledgerHash, [registerUser(alice)])] };
    const one = ledger.execute(batch);
    const two = ledger.execute(batch);
    assert.equal(one.blockHash.toBase58(), two.blockHash.toBase58());
    assert.deepEqual(one.header, two.header);
    assert.equal(admin.address.equals(admin.address), true);
  });
});

describe('signature verification elsewhere', () => {
  test('a peer verifies the uncached signatures itself, remembers them, and the check then verifies nothing', async () => {
    const cache = new SignatureCache();
    let verified = 0;
    const verifier = {
      verify(...args: Parameters<typeof suite.verify>): boolean {
        verified++;
        return suite.verify(...args);
      },
    };
    const ledger = await Ledger.initialize(new MemoryStore(), testGenesis(), { suite, signatureCache: cache, verifier });
    const request = tx(ledger.ledgerHash, [registerUser(alice)]);
    const tasks = uncachedSignatures(ledger.tip.settings(), request, suite, cache);
    assert.equal(tasks.length, 2);
    for (const task of tasks) if (suite.verify(task.publicKey, task.message, task.signature)) cache.remember(task);
    assert.equal(uncachedSignatures(ledger.tip.settings(), request, suite, cache).length, 0);
    assert.equal(ledger.checkTransaction(request).ok, true);
    assert.equal(verified, 0);
    assert.equal((await commitBlock(ledger, [request])).results[0]?.state, 'SUCCESS');
    assert.equal(verified, 0);
  });
});
