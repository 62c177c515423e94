import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger, LedgerError } from '@jadechain/ledger';
import type { LedgerView, WriteSet } from '@jadechain/ledger';
import { MemoryStore } from '@jadechain/storage';
import { commitVoteMessage, transactionHash } from '@jadechain/types';
import { EngineError, SingleNodeEngine, digestKey } from '../src/index.js';
import type { CommittedBlock, LedgerPort, RejectedTransaction } from '../src/index.js';
import { FifoSource, GENESIS_TIME, committedHeight, limits, newLedger, participant, request, signer, suite } from './single-fixtures.js';

type Body = Parameters<FifoSource['push']>[0] | NonNullable<ReturnType<FifoSource['get']>>;

function engineFor(ledger: LedgerPort<Body, LedgerView, WriteSet>, pool: FifoSource, clock: () => bigint = () => GENESIS_TIME + 5000n, maxProposalBytes?: number): SingleNodeEngine<Body, LedgerView, WriteSet> {
  return new SingleNodeEngine({ ledger, pool, signer, clock, ...(maxProposalBytes === undefined ? {} : { maxProposalBytes }) });
}

function collect(engine: SingleNodeEngine<Body, LedgerView, WriteSet>): CommittedBlock[] {
  const blocks: CommittedBlock[] = [];
  engine.onCommitted((block) => blocks.push(block));
  return blocks;
}

/** Turns of the event loop, to give an engine the chance to do something it must not do. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('single-node engine on a real ledger', () => {
  test('commits transactions in arrival order, in blocks filled up to the transaction limit, each with a valid 1-of-1 certificate', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxTransactionsPerBlock: 4 }));
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    const blocks = collect(engine);
    const requests = Array.from({ length: 10 }, (_, i) => request(ledger.ledgerHash, `k${i}`));
    pool.push(...requests);
    engine.start();
    await committedHeight(engine, 4);
    await engine.stop();
    assert.deepEqual(blocks.map((block) => [block.height, block.results.length]), [[2, 4], [3, 4], [4, 2]]);
    const committedHashes = blocks.flatMap((block) => block.results.map((result) => result.transactionHash.toBase58()));
    assert.deepEqual(committedHashes, requests.map((body) => ledger.checkTransaction(body)).map((check) => (check.ok ? check.transactionHash.toBase58() : '')));
    assert.ok(blocks.every((block) => block.results.every((result) => result.state === 'SUCCESS')));
    assert.equal(pool.size, 0);
    assert.equal(ledger.tip.height, 4);
    for (const block of blocks) {
      const stored = ledger.certificate(block.height);
      assert.ok(stored !== undefined);
      assert.equal(stored.round, 0);
      assert.ok(stored.blockHash.equals(block.blockHash));
      const [vote] = stored.votes;
      assert.deepEqual(vote?.voter, { type: 'PARTICIPANT_ID', id: 0 });
      const message = commitVoteMessage({ ledgerHash: ledger.ledgerHash, height: BigInt(block.height), round: 0, blockHash: block.blockHash });
      assert.ok(vote !== undefined && suite.verify(participant.publicKey, message, vote.signature));
    }
    assert.deepEqual(pool.summaries.map((summary) => summary.transactionHashes.length), [4, 4, 2]);
  });

  test('fills blocks up to the byte limit, first come first served', async () => {
    const size = ledgerSize(await newLedger());
    const ledger = await newLedger(new MemoryStore(), limits({ maxBlockBytes: size * 2 + Math.floor(size / 2) }));
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    const blocks = collect(engine);
    pool.push(...Array.from({ length: 5 }, (_, i) => request(ledger.ledgerHash, `b${i}`)));
    engine.start();
    await committedHeight(engine, 4);
    await engine.stop();
    assert.deepEqual(blocks.map((block) => block.results.length), [2, 2, 1]);
  });

  test("fills blocks only up to the node's own byte cap (maxProposalBytes) when it is below the ledger's limit", async () => {
    const size = ledgerSize(await newLedger());
    const ledger = await newLedger();
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool, undefined, size * 2 + Math.floor(size / 2));
    const blocks = collect(engine);
    pool.push(...Array.from({ length: 5 }, (_, i) => request(ledger.ledgerHash, `c${i}`)));
    engine.start();
    await committedHeight(engine, 4);
    await engine.stop();
    assert.deepEqual(blocks.map((block) => block.results.length), [2, 2, 1]);
    assert.throws(() => engineFor(ledger, pool, undefined, 0), EngineError);
  });

  test('makes no empty blocks: nothing happens until a transaction arrives, and nothing after the pool drains', async () => {
    const ledger = await newLedger();
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    const blocks = collect(engine);
    engine.start();
    await turns(50);
    assert.equal(engine.status.executedHeight, 1);
    assert.equal(ledger.tip.height, 1);
    pool.push(request(ledger.ledgerHash, 'late'));
    await committedHeight(engine, 2);
    await turns(50);
    await engine.stop();
    assert.equal(blocks.length, 1);
    assert.equal(ledger.tip.height, 2);
    assert.deepEqual(engine.status, { state: 'stopped', committedHeight: 2, executedHeight: 2 });
  });

  test('paced: a block follows the last by at least the interval, unless the pool fills one; stop ends the wait', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxTransactionsPerBlock: 3 }));
    const pool = new FifoSource(ledger);
    // Ten seconds: the test never waits for the interval, it only checks what does not happen within it.
    const engine = new SingleNodeEngine<Body, LedgerView, WriteSet>({ ledger, pool, signer, clock: () => BigInt(Date.now()), minBlockIntervalMs: 10_000 });
    const blocks = collect(engine);
    engine.start();
    pool.push(request(ledger.ledgerHash, 'p0'));
    await committedHeight(engine, 2);
    pool.push(request(ledger.ledgerHash, 'p1'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(ledger.tip.height, 2, 'one transaction waits for the interval');
    pool.push(request(ledger.ledgerHash, 'p2'), request(ledger.ledgerHash, 'p3'));
    await committedHeight(engine, 3);
    assert.deepEqual(blocks.map((block) => block.results.length), [1, 3], 'a full block goes at once, with the one that waited');
    pool.push(request(ledger.ledgerHash, 'p4'));
    await turns(20);
    await engine.stop();
    assert.equal(ledger.tip.height, 3);
    assert.throws(() => new SingleNodeEngine({ ledger, pool, signer, minBlockIntervalMs: -1 }), (error: EngineError) => error.code === 'INVALID_CONFIG');
  });

  test('block time is the clock, but always after the parent block, even when the clock runs backwards', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxTransactionsPerBlock: 1 }));
    const pool = new FifoSource(ledger);
    const readings = [GENESIS_TIME + 9000n, GENESIS_TIME + 2000n, GENESIS_TIME + 9500n];
    const engine = engineFor(ledger, pool, () => readings.shift() ?? GENESIS_TIME);
    const blocks = collect(engine);
    pool.push(...['t0', 't1', 't2'].map((key) => request(ledger.ledgerHash, key)));
    engine.start();
    await committedHeight(engine, 4);
    await engine.stop();
    assert.deepEqual(blocks.map((block) => block.header.timestamp), [GENESIS_TIME + 9000n, GENESIS_TIME + 9001n, GENESIS_TIME + 9500n]);
  });

  test('transactions execution refuses are reported and dropped; a batch of only those makes no block', async () => {
    const ledger = await newLedger();
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    const blocks = collect(engine);
    const rejected: RejectedTransaction[] = [];
    engine.onRejected((list) => rejected.push(...list));
    const forged = request(ledger.ledgerHash, 'forged', { badSignature: true });
    pool.push(request(ledger.ledgerHash, 'good-1'), forged, request(ledger.ledgerHash, 'good-2'));
    engine.start();
    await committedHeight(engine, 2);
    assert.equal(blocks[0]?.results.length, 2);
    assert.deepEqual(rejected.map((entry) => entry.code), ['INVALID_ENDPOINT_SIGNATURE']);
    pool.push(request(ledger.ledgerHash, 'forged-alone', { badSignature: true }));
    await turns(50);
    await engine.stop();
    assert.equal(rejected.length, 2);
    assert.equal(pool.size, 0);
    assert.equal(ledger.tip.height, 2);
    assert.equal(blocks.length, 1);
  });

  test('pipelines: block h+1 executes on the pending state of h before h is durable, and no deeper than allowed', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxTransactionsPerBlock: 2 }));
    const pool = new FifoSource(ledger);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const executedOn: Array<{ height: number; parentCommitted: boolean; tip: number }> = [];
    const port: LedgerPort<Body, LedgerView, WriteSet> = {
      ledgerHash: ledger.ledgerHash,
      get tip() {
        return ledger.tip;
      },
      execute: (batch, parent) => {
        executedOn.push({ height: batch.height, parentCommitted: (parent ?? ledger.tip).committed, tip: ledger.tip.height });
        return ledger.execute(batch, parent);
      },
      // The disk is slow: nothing becomes durable until the gate opens.
      commit: (writeSet, certificate) => gate.then(() => ledger.commit(writeSet, certificate)),
    };
    const engine = engineFor(port, pool);
    pool.push(...Array.from({ length: 8 }, (_, i) => request(ledger.ledgerHash, `p${i}`)));
    engine.start();
    await turns(50);
    assert.deepEqual(executedOn, [
      { height: 2, parentCommitted: true, tip: 1 },
      { height: 3, parentCommitted: false, tip: 1 },
    ]);
    assert.deepEqual(engine.status, { state: 'running', committedHeight: 1, executedHeight: 3 });
    release();
    await committedHeight(engine, 5);
    await engine.stop();
    assert.deepEqual(executedOn.map((entry) => entry.height), [2, 3, 4, 5]);
    assert.equal(ledger.tip.height, 5);
  });

  test('never commits a block the ledger refused to execute', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxBlockBytes: 1000 }));
    // A pool that ignores the byte limit it is given: the ledger refuses the batch.
    const pool = new (class extends FifoSource {
      override select(batch: { maxTransactions: number; maxBytes: number }, exclude: Parameters<FifoSource['select']>[1]): ReturnType<FifoSource['select']> {
        return super.select({ maxTransactions: batch.maxTransactions, maxBytes: Number.MAX_SAFE_INTEGER }, exclude);
      }
    })(ledger);
    const engine = engineFor(ledger, pool);
    const failures: EngineError[] = [];
    engine.onFailed((error) => failures.push(error));
    pool.push(...Array.from({ length: 10 }, (_, i) => request(ledger.ledgerHash, `big${i}`)));
    engine.start();
    await assert.rejects(committedHeight(engine, 2), (error: EngineError) => error.code === 'EXECUTION_FAILED' && /BATCH_TOO_LARGE|exceeds/.test(error.message));
    await engine.stop();
    assert.equal(failures.length, 1);
    assert.equal(engine.status.state, 'failed');
    assert.equal(ledger.tip.height, 1);
    assert.equal(pool.size, 10);
  });

  test('a transaction the ledger blames alone (a contract it could not finish) is dropped and the engine goes on', async () => {
    const ledger = await newLedger();
    const culprit = request(ledger.ledgerHash, 'endless');
    const culpritHash = transactionHash(suite, 'SHA256', culprit.content);
    // The real ledger throws this for a contract its watchdog stopped (CONTRACT_ABSTAINED).
    const blaming: LedgerPort<Body, LedgerView, WriteSet> = {
      ledgerHash: ledger.ledgerHash,
      get tip() {
        return ledger.tip;
      },
      execute(batch, parent) {
        const blamed = batch.transactions.some((body) => 'content' in body && body.content === culprit.content);
        const accepted = batch.transactions.some((body) => 'transactionHash' in body && body.transactionHash.equals(culpritHash));
        if (blamed || accepted) throw new LedgerError('CONTRACT_ABSTAINED', 'the watchdog stopped the contract here', culpritHash);
        return ledger.execute(batch, parent);
      },
      commit: (writeSet, certificate) => ledger.commit(writeSet, certificate),
    };
    const pool = new FifoSource(ledger);
    const engine = engineFor(blaming, pool);
    const rejected: RejectedTransaction[] = [];
    engine.onRejected((list) => rejected.push(...list));
    pool.push(culprit);
    engine.start();
    while (rejected.length === 0) await turns(1);
    pool.push(request(ledger.ledgerHash, 'after'));
    await committedHeight(engine, 2);
    await engine.stop();
    assert.equal(engine.status.state, 'stopped');
    assert.deepEqual(rejected.map((entry) => [entry.transactionHash.toBase58(), entry.code]), [[culpritHash.toBase58(), 'CONTRACT_ABSTAINED']]);
    assert.equal(pool.get(culpritHash), undefined);
    assert.equal(ledger.tip.height, 2);
  });

  test('a failed commit stops the engine: nothing built on the failed block is committed', async () => {
    const ledger = await newLedger(new MemoryStore(), limits({ maxTransactionsPerBlock: 2 }));
    const pool = new FifoSource(ledger);
    const port: LedgerPort<Body, LedgerView, WriteSet> = {
      ledgerHash: ledger.ledgerHash,
      get tip() {
        return ledger.tip;
      },
      execute: (batch, parent) => ledger.execute(batch, parent),
      commit: (writeSet, certificate) => (certificate.height === 3n ? Promise.reject(new Error('disk full')) : ledger.commit(writeSet, certificate)),
    };
    const engine = engineFor(port, pool);
    const blocks = collect(engine);
    pool.push(...Array.from({ length: 8 }, (_, i) => request(ledger.ledgerHash, `f${i}`)));
    engine.start();
    await assert.rejects(committedHeight(engine, 5), (error: EngineError) => error.code === 'COMMIT_FAILED' && error.message.includes('disk full'));
    await engine.stop();
    await turns(20);
    assert.deepEqual(blocks.map((block) => block.height), [2]);
    assert.equal(ledger.tip.height, 2);
    assert.equal(ledger.block(3), undefined);
    assert.equal(engine.status.state, 'failed');
    assert.equal(engine.status.failure?.code, 'COMMIT_FAILED');
  });

  test('a restarted engine resumes from the ledger reopened from its store', async () => {
    const store = new MemoryStore();
    const first = await newLedger(store, limits({ maxTransactionsPerBlock: 3 }));
    const firstPool = new FifoSource(first);
    const firstEngine = engineFor(first, firstPool);
    firstPool.push(...Array.from({ length: 6 }, (_, i) => request(first.ledgerHash, `r${i}`)));
    firstEngine.start();
    await committedHeight(firstEngine, 3);
    await firstEngine.stop();

    const reopened = Ledger.open(store, { suite });
    const pool = new FifoSource(reopened);
    const engine = engineFor(reopened, pool);
    const blocks = collect(engine);
    assert.equal(engine.status.committedHeight, 3);
    pool.push(request(reopened.ledgerHash, 'after-restart'));
    engine.start();
    await committedHeight(engine, 4);
    await engine.stop();
    assert.deepEqual(blocks.map((block) => block.height), [4]);
    assert.ok(blocks[0]?.header.previousHash?.equals(first.block(3)?.blockHash ?? first.ledgerHash));
    assert.ok(reopened.transaction(blocks[0]?.results[0]?.transactionHash ?? first.ledgerHash) !== undefined);
  });

  test('a throwing listener fails the engine instead of crashing the process', async () => {
    const ledger = await newLedger();
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    engine.onCommitted(() => {
      throw new Error('listener bug');
    });
    const failed = new Promise<EngineError>((resolve) => engine.onFailed(resolve));
    pool.push(request(ledger.ledgerHash, 'x'));
    engine.start();
    assert.equal((await failed).code, 'LISTENER_FAILED');
    await engine.stop();
    assert.equal(ledger.tip.height, 2);
  });

  test('refuses to start twice and rejects out-of-range options', async () => {
    const ledger = await newLedger();
    const pool = new FifoSource(ledger);
    const engine = engineFor(ledger, pool);
    engine.start();
    assert.throws(() => engine.start(), (error: EngineError) => error.code === 'INVALID_STATE');
    await engine.stop();
    assert.throws(() => engine.start(), (error: EngineError) => error.code === 'INVALID_STATE');
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new SingleNodeEngine({ ledger, pool, signer, maxPendingBlocks: bad }), (error: EngineError) => error.code === 'INVALID_CONFIG');
      assert.throws(() => new SingleNodeEngine({ ledger, pool, signer, maxTransactionsPerBlock: bad }), (error: EngineError) => error.code === 'INVALID_CONFIG');
    }
  });

  test('digestKey tells hashes apart and equal hashes alike', () => {
    const a = suite.hash('SHA256', new Uint8Array([1]));
    const b = suite.hash('SHA256', new Uint8Array([2]));
    assert.equal(digestKey(a), digestKey(suite.hash('SHA256', new Uint8Array([1]))));
    assert.notEqual(digestKey(a), digestKey(b));
    assert.notEqual(digestKey(a), digestKey(suite.hash('SM3', new Uint8Array([1]))));
  });
});

/** The encoded size of one test transaction (they all have the same shape). */
function ledgerSize(ledger: Ledger): number {
  const check = ledger.checkTransaction(request(ledger.ledgerHash, 'b0'));
  assert.ok(check.ok);
  return check.bytes.length;
}
