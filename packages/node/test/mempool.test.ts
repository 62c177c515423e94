import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selfCertificate } from '@jadechain/consensus';
import type { HashDigest } from '@jadechain/crypto';
import { TransactionRequest } from '@jadechain/types';
import { Mempool, MempoolError, SignatureWorkerPool } from '../src/mempool/index.js';
import type { Admission } from '../src/mempool/index.js';
import { CountingVerifier, GENESIS_TIME, WINDOW_MS, newLedger, participant, request, suite } from './mempool-fixtures.js';

const workers = new SignatureWorkerPool({ workers: 2, maxBatch: 16 });
after(() => workers.close());

const clock = (): bigint => GENESIS_TIME + 1000n;
const signer = { voter: { type: 'PARTICIPANT_ID' as const, id: 0 }, sign: (message: Uint8Array) => suite.sign(participant.privateKey, message) };

function codeOf(admission: Admission): string {
  return admission.admitted ? 'ADMITTED' : admission.code;
}

describe('mempool', () => {
  test('admits checked transactions, verifying every signature in the workers and filling the ledger cache', async () => {
    const verifier = new CountingVerifier();
    const ledger = await newLedger(verifier);
    const pool = new Mempool({ ledger, verifier: workers, clock });
    const requests = Array.from({ length: 40 }, (_, i) => request(ledger.ledgerHash, `a${i}`));
    const admissions = await pool.addAll(requests);
    assert.deepEqual(new Set(admissions.map(codeOf)), new Set(['ADMITTED']));
    assert.equal(pool.size, 40);
    assert.equal(pool.bytes, requests.reduce((sum, body) => sum + TransactionRequest.encode(body).length, 0));
    assert.equal(ledger.context.signatureCache.size, 80);
    // Execution of what the pool hands over finds every signature checked already.
    const picked = pool.select({ maxTransactions: 1000, maxBytes: 1 << 24 }, () => false);
    const result = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1000n, transactions: picked.map((entry) => entry.transaction) });
    assert.equal(result.results.length, 40);
    assert.equal(verifier.calls, 0);
  });

  test('hands out transactions first come, first served, skipping excluded ones and stopping at the limits', async () => {
    const ledger = await newLedger();
    const pool = new Mempool({ ledger, verifier: workers, clock });
    const hashes: HashDigest[] = [];
    for (let i = 0; i < 6; i++) {
      const admission = await pool.add(TransactionRequest.encode(request(ledger.ledgerHash, `f${i}`)));
      assert.ok(admission.admitted);
      hashes.push(admission.transactionHash);
    }
    const all = pool.select({ maxTransactions: 100, maxBytes: 1 << 20 }, () => false);
    assert.deepEqual(all.map((entry) => entry.hash.toBase58()), hashes.map((hash) => hash.toBase58()));
    const size = all[0]?.size ?? 0;
    const skipFirstTwo = pool.select({ maxTransactions: 3, maxBytes: 1 << 20 }, (hash) => hash.equals(hashes[0] ?? hash) || hash.equals(hashes[1] ?? hash));
    assert.deepEqual(skipFirstTwo.map((entry) => entry.hash.toBase58()), hashes.slice(2, 5).map((hash) => hash.toBase58()));
    assert.equal(pool.select({ maxTransactions: 100, maxBytes: size * 2 + 1 }, () => false).length, 2);
    // A node's fill cap stops a batch like the ledger's limit, but a first transaction larger than
    // the cap is still taken alone (else it would block the pool for good).
    assert.equal(pool.select({ maxTransactions: 100, maxBytes: 1 << 20, fillBytes: size * 3 + 1 }, () => false).length, 3);
    assert.deepEqual(pool.select({ maxTransactions: 100, maxBytes: 1 << 20, fillBytes: size - 1 }, () => false).map((entry) => entry.hash.toBase58()), [hashes[0]?.toBase58()]);
    assert.equal(pool.select({ maxTransactions: 100, maxBytes: size - 1, fillBytes: size - 1 }, () => false).length, 0, 'the ledger limit still binds');
    assert.ok(pool.has(hashes[3] ?? ledger.ledgerHash));
    assert.equal(pool.get(hashes[3] ?? ledger.ledgerHash)?.transactionHash.toBase58(), hashes[3]?.toBase58());
  });

  test('refuses bad signatures (endpoint and node), checked in the workers, and nothing else slips in', async () => {
    const verifier = new CountingVerifier();
    const ledger = await newLedger(verifier);
    const pool = new Mempool({ ledger, verifier: workers, clock });
    const admissions = await pool.addAll([
      request(ledger.ledgerHash, 'e', { forgeEndpoint: true }),
      request(ledger.ledgerHash, 'n', { forgeNode: true }),
      request(ledger.ledgerHash, 'ok'),
    ]);
    assert.deepEqual(admissions.map(codeOf), ['INVALID_ENDPOINT_SIGNATURE', 'INVALID_NODE_SIGNATURE', 'ADMITTED']);
    assert.equal(verifier.calls, 0);
    assert.equal(pool.size, 1);
  });

  test('refuses what does not decode, is too large or belongs to another ledger', async () => {
    const ledger = await newLedger(new CountingVerifier(), 400);
    const pool = new Mempool({ ledger, verifier: workers, clock });
    const good = TransactionRequest.encode(request(ledger.ledgerHash, 'x'));
    assert.equal(codeOf(await pool.add(good.subarray(0, good.length - 3))), 'MALFORMED');
    assert.equal(codeOf(await pool.add(new Uint8Array(401))), 'TOO_LARGE');
    const other = suite.hash('SHA256', new TextEncoder().encode('another ledger'));
    assert.equal(codeOf(await pool.add(request(ledger.ledgerHash, 'w', { ledgerHash: other }))), 'WRONG_LEDGER');
    assert.equal(pool.size, 0);
  });

  test('deduplicates by transaction hash, also while the first copy is being verified, and refuses committed transactions', async () => {
    const ledger = await newLedger();
    const pool = new Mempool({ ledger, verifier: workers, clock });
    const body = request(ledger.ledgerHash, 'register');
    const [first, concurrent] = await Promise.all([pool.add(body), pool.add(TransactionRequest.encode(body))]);
    assert.deepEqual([codeOf(first ?? concurrent), codeOf(concurrent ?? first)], ['ADMITTED', 'DUPLICATE']);
    assert.equal(codeOf(await pool.add(body)), 'DUPLICATE');
    const picked = pool.select({ maxTransactions: 10, maxBytes: 1 << 20 }, () => false);
    const executed = ledger.execute({ height: 1, timestamp: GENESIS_TIME + 1000n, transactions: picked.map((entry) => entry.transaction) });
    await ledger.commit(executed.writeSet, selfCertificate(ledger.ledgerHash, 1, executed.blockHash, signer));
    pool.committed({ height: 1, timestamp: executed.header.timestamp, transactionHashes: executed.results.map((result) => result.transactionHash) });
    assert.equal(pool.size, 0);
    const again = await pool.add(body);
    assert.equal(codeOf(again), 'ALREADY_COMMITTED');
    assert.ok(!again.admitted && again.transactionHash?.equals(executed.results[0]?.transactionHash ?? ledger.ledgerHash));
  });

  test('pushes back when full, by count and by bytes, counting transactions still being verified', async () => {
    const ledger = await newLedger();
    const byCount = new Mempool({ ledger, verifier: workers, clock, maxTransactions: 5 });
    const admissions = await byCount.addAll(Array.from({ length: 8 }, (_, i) => request(ledger.ledgerHash, `c${i}`)));
    assert.deepEqual(admissions.map(codeOf), [...Array<string>(5).fill('ADMITTED'), ...Array<string>(3).fill('MEMPOOL_FULL')]);
    const oldest = byCount.select({ maxTransactions: 1, maxBytes: 1 << 20 }, () => false).map((entry) => entry.hash);
    byCount.remove(oldest);
    assert.equal(codeOf(await byCount.add(request(ledger.ledgerHash, 'room'))), 'ADMITTED');

    const size = TransactionRequest.encode(request(ledger.ledgerHash, 'b0')).length;
    const byBytes = new Mempool({ ledger, verifier: workers, clock, maxBytes: size * 2 + 10 });
    const bytesAdmissions = await byBytes.addAll([0, 1, 2].map((i) => request(ledger.ledgerHash, `b${i}`)));
    assert.deepEqual(bytesAdmissions.map(codeOf), ['ADMITTED', 'ADMITTED', 'MEMPOOL_FULL']);
    assert.ok(byBytes.bytes <= byBytes.maxBytes);
  });

  test('refuses timestamps outside the window and evicts what a new block timestamp leaves behind', async () => {
    const ledger = await newLedger();
    const pool = new Mempool({ ledger, verifier: workers, clock });
    assert.equal(codeOf(await pool.add(request(ledger.ledgerHash, 'old', { timestamp: GENESIS_TIME - WINDOW_MS - 1n }))), 'TIMESTAMP_OUT_OF_WINDOW');
    assert.equal(codeOf(await pool.add(request(ledger.ledgerHash, 'ahead', { timestamp: clock() + WINDOW_MS + 1n }))), 'TIMESTAMP_OUT_OF_WINDOW');
    const early = await pool.add(request(ledger.ledgerHash, 'early', { timestamp: GENESIS_TIME }));
    const late = await pool.add(request(ledger.ledgerHash, 'late', { timestamp: GENESIS_TIME + 5000n }));
    assert.ok(early.admitted && late.admitted);
    const evictions: string[] = [];
    pool.onEvicted((eviction) => evictions.push(...eviction.transactionHashes.map((hash) => `${eviction.code}:${hash.toBase58()}`)));
    pool.committed({ height: 1, timestamp: GENESIS_TIME + WINDOW_MS + 1n, transactionHashes: [] });
    assert.deepEqual(evictions, [`TIMESTAMP_OUT_OF_WINDOW:${early.transactionHash.toBase58()}`]);
    assert.equal(pool.size, 1);
    assert.ok(pool.has(late.transactionHash));
  });

  test('a closed mempool refuses with CLOSED and rejects bad options', async () => {
    const ledger = await newLedger();
    const pool = new Mempool({ ledger, verifier: workers, clock });
    assert.ok((await pool.add(request(ledger.ledgerHash, 'k'))).admitted);
    pool.close();
    assert.equal(pool.size, 0);
    assert.equal(codeOf(await pool.add(request(ledger.ledgerHash, 'k2'))), 'CLOSED');
    for (const bad of [0, -5, 2.5]) {
      assert.throws(() => new Mempool({ ledger, verifier: workers, maxTransactions: bad }), (error: MempoolError) => error.code === 'INVALID_CONFIG');
      assert.throws(() => new Mempool({ ledger, verifier: workers, maxBytes: bad }), (error: MempoolError) => error.code === 'INVALID_CONFIG');
    }
  });
});
