import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '@jadechain/storage';
import {
  Ledger,
  accountAddresses,
  accountCount,
  contractAtVersion,
  eventTopics,
  events,
  kvEntries,
  proveAccount,
  proveKvEntry,
  proveTransaction,
  verifyKvEntryProof,
} from '../src/index.js';
import { TransactionRequest, TransactionResult, verifyMerkleProof } from '@jadechain/types';
import { commitBlock, keyPair, newLedger, registerUser, setup, suite, text, tx } from './fixtures.js';

const directories: string[] = [];
after(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-ledger-test-'));
  directories.push(dir);
  return dir;
}

const account = keyPair('stored-account');
const events1 = keyPair('stored-events');
const contract = keyPair('stored-contract');
const alice = keyPair('alice');
const sha256 = (data: Uint8Array): Uint8Array => suite.hash('SHA256', data).raw;

describe('a ledger on LMDB', () => {
  test('reopens at its last committed block with the same state, history and transactions', async () => {
    const dir = tempDir();
    const store = LmdbStore.open(dir);
    const ledger = await newLedger(store);
    await setup(ledger, [
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
      { type: 'KvSet', account: account.address, writes: [{ key: 'k', value: text('v0'), expectedVersion: -1n }] },
    ]);
    const last = await commitBlock(ledger, [tx(ledger.ledgerHash, [{ type: 'KvSet', account: account.address, writes: [{ key: 'k', value: text('v1'), expectedVersion: 0n }] }])]);
    // Executed but never committed: must not survive the reopen.
    ledger.execute({ height: 3, timestamp: last.header.timestamp, transactions: [tx(ledger.ledgerHash, [registerUser(alice)])] });
    const tip = ledger.info();
    await store.close();

    const reopenedStore = LmdbStore.open(dir);
    const reopened = Ledger.open(reopenedStore, { suite });
    assert.deepEqual(reopened.info(), tip);
    assert.deepEqual(reopened.tip.header, ledger.tip.header);
    const state = reopened.tip.state();
    assert.deepEqual(state.kvEntry(account.address, 'k'), { key: 'k', version: 1n, value: text('v1') });
    assert.deepEqual(state.kvEntry(account.address, 'k', 0), { key: 'k', version: 0n, value: text('v0') });
    assert.equal(state.user(alice.address), undefined);
    assert.deepEqual(reopened.view(1).state().kvEntry(account.address, 'k'), { key: 'k', version: 0n, value: text('v0') });
    assert.equal(reopened.transaction(last.results[0]?.transactionHash ?? assert.fail())?.result.state, 'SUCCESS');
    assert.equal(reopened.blockByHash(last.blockHash)?.header.height, 2n);
    // And it goes on from there.
    assert.equal((await commitBlock(reopened, [tx(reopened.ledgerHash, [registerUser(alice)])])).results[0]?.state, 'SUCCESS');
    assert.equal(reopened.tip.height, 3);
    await reopenedStore.close();
  });
});

describe('tree nodes stored by location (ADR 0002, layout 2)', () => {
  const second = keyPair('stored-account-2');
  const put = (address: typeof account.address, key: string, value: string, expectedVersion: bigint) => ({ type: 'KvSet' as const, account: address, writes: [{ key, value: text(value), expectedVersion }] });

  test('a reopened ledger (nothing cached) proves old and new keys, changes old paths, and a block\'s nodes lie side by side', async () => {
    const dir = tempDir();
    let store = LmdbStore.open(dir);
    let ledger = await newLedger(store);
    await setup(ledger, [
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
      { type: 'DataAccountRegister', address: second.address, pubKey: second.publicKey },
    ]);
    // Ten blocks of 20 keys each, and in the last one the same key and value in both accounts
    // (identical leaves: one node made twice in a block).
    for (let block = 0; block < 10; block++) {
      await commitBlock(ledger, Array.from({ length: 20 }, (_, i) => tx(ledger.ledgerHash, [put(account.address, `b${block}-k${i}`, `v${block}-${i}`, -1n)])));
    }
    await commitBlock(ledger, [tx(ledger.ledgerHash, [put(account.address, 'same', 'same', -1n)]), tx(ledger.ledgerHash, [put(second.address, 'same', 'same', -1n)])]);
    const expected = ledger.tip.header;
    await store.close();

    store = LmdbStore.open(dir);
    ledger = Ledger.open(store, { suite });
    assert.deepEqual(ledger.tip.header, expected);
    const root = ledger.tip.header.dataAccountRoot.raw;
    for (const [address, key] of [[account.address, 'b0-k0'], [account.address, 'b9-k19'], [account.address, 'same'], [second.address, 'same'], [account.address, 'never']] as const) {
      assert.equal(verifyKvEntryProof(sha256, root, address, key, proveKvEntry(ledger.tip, address, key)), true, `${key} of ${address.toBase58()}`);
    }
    // Rewriting keys of the first block walks old, uncached paths and names their untouched
    // siblings; the second account's tree, one leaf as its root, gains a second key.
    const changed = await commitBlock(ledger, [
      ...Array.from({ length: 5 }, (_, i) => tx(ledger.ledgerHash, [put(account.address, `b0-k${i}`, 'new', 0n)])),
      tx(ledger.ledgerHash, [put(second.address, 'another', 'x', -1n)]),
    ]);
    assert.ok(changed.results.every((result) => result.state === 'SUCCESS'));
    const tip = ledger.tip.header;
    await store.close();

    store = LmdbStore.open(dir);
    ledger = Ledger.open(store, { suite });
    assert.deepEqual(ledger.tip.header, tip);
    assert.deepEqual(ledger.tip.state().kvEntry(account.address, 'b0-k1')?.value, text('new'));
    for (const [address, key] of [[account.address, 'b0-k1'], [account.address, 'b0-k7'], [account.address, 'b5-k3'], [second.address, 'same'], [second.address, 'another']] as const) {
      assert.equal(verifyKvEntryProof(sha256, tip.dataAccountRoot.raw, address, key, proveKvEntry(ledger.tip, address, key)), true, key);
    }
    // Every node record is under 'N' ‖ height ‖ sequence, the heights in key order.
    const locations = [...store.scan({ start: Uint8Array.of(0x4e), end: Uint8Array.of(0x4f) })].map((entry) => entry.key);
    assert.ok(locations.length > 100);
    assert.ok(locations.every((key) => key.length === 13), 'keys are locations, not 32-byte ids');
    const heights = locations.map((key) => Buffer.from(key).readBigUInt64BE(1));
    assert.deepEqual(heights, [...heights].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    await store.close();
  });

  test('a store written with nodes under their ids (no layout mark) is refused, not misread', async () => {
    const dir = tempDir();
    const store = LmdbStore.open(dir);
    await newLedger(store);
    const batch = store.newBatch();
    batch.delete(new Uint8Array([0x4d, ...new TextEncoder().encode('layout')]));
    await store.commit(batch);
    assert.throws(() => Ledger.open(store, { suite }), (error: Error & { code?: string }) => error.code === 'UNSUPPORTED_LAYOUT');
    await store.close();
  });
});

describe('queries and proofs', () => {
  test('accounts as of a height, KV paging, events, contract versions, counts', async () => {
    const ledger = await newLedger();
    await setup(ledger, [
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
      { type: 'KvSet', account: account.address, writes: Array.from({ length: 150 }, (_, i) => ({ key: `key-${i}`, value: text(`${i}`), expectedVersion: -1n })) },
    ]);
    await setup(ledger, [
      { type: 'EventAccountRegister', address: events1.address, pubKey: events1.publicKey },
      { type: 'EventPublish', account: events1.address, events: [{ topic: 'a', content: text('a0'), expectedSequence: -1n }, { topic: 'a', content: text('a1'), expectedSequence: 0n }, { topic: 'b', content: text('b0'), expectedSequence: -1n }] },
      { type: 'ContractDeploy', address: contract.address, pubKey: contract.publicKey, code: new Uint8Array([1]), expectedVersion: -1n, language: 'JAVASCRIPT' },
      { type: 'ContractDeploy', address: contract.address, pubKey: contract.publicKey, code: new Uint8Array([2]), expectedVersion: 0n, language: 'JAVASCRIPT' },
      { type: 'ContractStateUpdate', address: contract.address, state: 'FREEZE' },
    ]);
    const view = ledger.tip;
    assert.equal(accountCount(view, 'dataAccounts'), 1);
    assert.equal(accountCount(ledger.view(0), 'dataAccounts'), 0);
    assert.deepEqual(accountAddresses(view, 'contracts').map((a) => a.toBase58()), [contract.address.toBase58()]);
    const page1 = kvEntries(view, account.address, 0, 1000);
    assert.equal(page1.length, 100);
    assert.deepEqual(kvEntries(view, account.address, 140, 20).map((e) => e.key), Array.from({ length: 10 }, (_, i) => `key-${140 + i}`));
    assert.deepEqual(eventTopics(view, events1.address), ['a', 'b']);
    assert.deepEqual(events(view, events1.address, 'a').map((e) => [e.sequence, e.content]), [[0n, text('a0')], [1n, text('a1')]]);
    assert.equal(events(view, events1.address, 'a', 1)[0]?.blockHeight, 2n);
    const latest = view.state().contract(contract.address)?.value;
    assert.equal(latest?.state, 'FREEZE');
    assert.equal(latest?.version, 1n);
    const first = contractAtVersion(view, contract.address, 0n);
    assert.equal(first?.codeHash.toBase58(), suite.hash('SHA256', new Uint8Array([1])).toBase58());
    assert.deepEqual(view.state().code(first?.codeHash.toBytes() ?? assert.fail()), new Uint8Array([1]));
    assert.equal(ledger.view(1).state().eventAccount(events1.address), undefined);
  });

  test('KV, account and transaction proofs verify against the header, also as of an earlier height; tampered ones fail', async () => {
    const ledger = await newLedger();
    await setup(ledger, [
      { type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey },
      { type: 'KvSet', account: account.address, writes: [{ key: 'k', value: text('first'), expectedVersion: -1n }] },
    ]);
    const written = await commitBlock(ledger, [tx(ledger.ledgerHash, [{ type: 'KvSet', account: account.address, writes: [{ key: 'k', value: text('second'), expectedVersion: 0n }] }])]);
    for (const view of [ledger.view(1), ledger.tip]) {
      const proof = proveKvEntry(view, account.address, 'k');
      assert.equal(verifyKvEntryProof(sha256, view.header.dataAccountRoot.raw, account.address, 'k', proof), true);
      const absent = proveKvEntry(view, account.address, 'missing');
      assert.equal(absent.entry?.record, undefined);
      assert.equal(verifyKvEntryProof(sha256, view.header.dataAccountRoot.raw, account.address, 'missing', absent), true);
      assert.equal(verifyKvEntryProof(sha256, view.header.dataAccountRoot.raw, account.address, 'other', proof), false);
      const tampered = { ...proof, entry: { record: new Uint8Array(proof.entry?.record ?? []).fill(7, 5, 6), proof: proof.entry?.proof ?? assert.fail() } };
      assert.equal(verifyKvEntryProof(sha256, view.header.dataAccountRoot.raw, account.address, 'k', tampered), false);
    }
    const userProof = proveAccount(ledger.tip, 'users', alice.address);
    assert.equal(userProof.record, undefined);
    assert.equal(verifyMerkleProof(sha256, ledger.tip.header.userRoot.raw, sha256(alice.address.toBytes()), null, userProof.proof), true);
    const hash = written.results[0]?.transactionHash ?? assert.fail();
    const txProof = proveTransaction(ledger.tip, ledger.tip.height, hash);
    assert.equal(txProof.transaction?.index, 0);
    const request = TransactionRequest.encode(txProof.transaction?.request ?? assert.fail());
    const result = TransactionResult.encode(txProof.transaction?.result ?? assert.fail());
    const leaf = new Uint8Array(4 + request.length + result.length);
    leaf.set(request, 4);
    leaf.set(result, 4 + request.length);
    assert.equal(verifyMerkleProof(sha256, ledger.tip.header.transactionSetRoot.raw, hash.raw, sha256(leaf), txProof.proof), true);
    leaf[leaf.length - 1] = (leaf[leaf.length - 1] ?? 0) ^ 1;
    assert.equal(verifyMerkleProof(sha256, ledger.tip.header.transactionSetRoot.raw, hash.raw, sha256(leaf), txProof.proof), false);
  });
});
