import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { SingleNodeEngine } from '../src/index.js';
import type { CommittedBlock } from '../src/index.js';
import { FifoSource, GENESIS_TIME, committedHeight, limits, newLedger, request, signer, suite } from './single-fixtures.js';

test('on LMDB: blocks are durable across a restart, and the restarted engine continues the chain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-single-'));
  try {
    const store = LmdbStore.open(dir);
    const ledger = await newLedger(store, limits({ maxTransactionsPerBlock: 5 }));
    const pool = new FifoSource(ledger);
    const engine = new SingleNodeEngine({ ledger, pool, signer, clock: () => GENESIS_TIME + 5000n });
    pool.push(...Array.from({ length: 20 }, (_, i) => request(ledger.ledgerHash, `l${i}`)));
    engine.start();
    await committedHeight(engine, 5);
    await engine.stop();
    const lastHash = ledger.tip.blockHash;
    await store.close();

    const reopenedStore = LmdbStore.open(dir);
    const reopened = Ledger.open(reopenedStore, { suite });
    assert.equal(reopened.tip.height, 5);
    assert.ok(reopened.tip.blockHash.equals(lastHash));
    const nextPool = new FifoSource(reopened);
    const next = new SingleNodeEngine({ ledger: reopened, pool: nextPool, signer, clock: () => GENESIS_TIME + 6000n });
    const blocks: CommittedBlock[] = [];
    next.onCommitted((block) => blocks.push(block));
    nextPool.push(request(reopened.ledgerHash, 'after-restart'));
    next.start();
    await committedHeight(next, 6);
    await next.stop();
    assert.equal(blocks[0]?.height, 6);
    assert.ok(blocks[0]?.header.previousHash?.equals(lastHash));
    assert.equal(reopened.certificate(6)?.votes.length, 1);
    await reopenedStore.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
