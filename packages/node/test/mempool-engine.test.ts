import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { SingleNodeEngine } from '@jadechain/consensus';
import type { CommittedBlock } from '@jadechain/consensus';
import { Mempool, SignatureWorkerPool } from '../src/mempool/index.js';
import { CountingVerifier, GENESIS_TIME, newLedger, participant, request, suite } from './mempool-fixtures.js';

const workers = new SignatureWorkerPool({ workers: 2 });
after(() => workers.close());

test('the single-node engine orders what the mempool admitted: all committed, pool drained, no signature verified twice', async () => {
  const verifier = new CountingVerifier();
  const ledger = await newLedger(verifier);
  const clock = (): bigint => GENESIS_TIME + 2000n;
  const pool = new Mempool({ ledger, verifier: workers, clock });
  const engine = new SingleNodeEngine({
    ledger,
    pool,
    signer: { voter: { type: 'PARTICIPANT_ID', id: 0 }, sign: (message) => suite.sign(participant.privateKey, message) },
    clock,
    maxTransactionsPerBlock: 25,
  });
  const blocks: CommittedBlock[] = [];
  engine.onCommitted((block) => blocks.push(block));
  engine.start();
  const first = await pool.add(request(ledger.ledgerHash, 'register'));
  assert.ok(first.admitted);
  const admissions = await pool.addAll(Array.from({ length: 60 }, (_, i) => request(ledger.ledgerHash, `e${i}`)));
  assert.ok(admissions.every((admission) => admission.admitted));
  const done = new Promise<void>((resolve) => {
    const check = (): void => {
      if (blocks.reduce((sum, block) => sum + block.results.length, 0) === 61) resolve();
    };
    engine.onCommitted(check);
    check();
  });
  await done;
  await engine.stop();
  assert.equal(pool.size, 0);
  assert.equal(pool.bytes, 0);
  assert.ok(blocks.every((block) => block.results.every((result) => result.state === 'SUCCESS')));
  assert.ok(blocks.every((block) => block.results.length <= 25));
  assert.equal(ledger.tip.height, blocks.at(-1)?.height);
  assert.equal(verifier.calls, 0);
});
