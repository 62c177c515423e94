// The machine's ceiling for a network on it, measured in the same run (issue 9): Ed25519
// verifications per second on the node backend with two worker threads at once, and ledger
// executions per second (one KV write each, LMDB on disk with fsync, commit included) on one core.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { cryptoSuite as suite } from '@jadechain/crypto/node';
import { Ledger } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { commitVoteMessage, signHash, transactionHash } from '@jadechain/types';
import { GENESIS_TIME, benchGenesis, keys } from '../support.mjs';
import { ceilingTps, percentile } from './stats.mjs';

export const VERIFY_WORKERS = 2;

/** CPU seconds this process has used so far, over all its threads. */
function processCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Verifications of `workers` threads verifying at the same time for one second, `samples` times:
 * the best wall-clock rate, and the rate per CPU second (the main thread waits meanwhile, so the
 * process's CPU time is the workers'). On a shared machine other processes lower the first; the
 * second measures what a core does while it runs this work, which is what the ceiling needs.
 */
export async function measureVerifyRate(workers = VERIFY_WORKERS, samples = 3) {
  const threads = Array.from({ length: workers }, () => new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { seconds: 1 } }));
  try {
    await Promise.all(threads.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    let wallPerSecond = 0;
    let verified = 0;
    let cpuSeconds = 0;
    for (let sample = 0; sample < samples; sample++) {
      const cpuBefore = processCpuSeconds();
      const results = await Promise.all(
        threads.map(
          (worker) =>
            new Promise((resolve, reject) => {
              worker.once('message', resolve);
              worker.once('error', reject);
              worker.postMessage('go');
            }),
        ),
      );
      cpuSeconds += processCpuSeconds() - cpuBefore;
      verified += results.reduce((sum, result) => sum + result.verified, 0);
      wallPerSecond = Math.max(wallPerSecond, results.reduce((sum, result) => sum + result.verified / result.seconds, 0));
    }
    return { wallPerSecond, perCpuSecond: verified / cpuSeconds };
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}

/**
 * Executed and committed transactions per second of one ledger in this thread: `blocks` blocks of
 * `blockSize` one-KV-write transactions (signatures checked beforehand, as the mempool does),
 * after one warm-up block: the median block's wall-clock rate (a burst of other work on a shared
 * machine moves it less than the mean), and the rate per CPU second of all this process's threads
 * (LMDB's writer and the collector included).
 */
export async function measureExecutionRate(blocks = 5, blockSize = 2000) {
  const { participant, user, gateway, genesis } = benchGenesis('bench-tps ceiling', 'bench');
  const account = keys('bench-tps-account');
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-tps-ceiling-'));
  const store = LmdbStore.open(dir);
  try {
    const ledger = await Ledger.initialize(store, genesis, { suite });
    let nonce = 0;
    const request = (operation, timestamp) => {
      const content = { ledgerHash: ledger.ledgerHash, operations: [operation], timestamp, nonce: new TextEncoder().encode(`nonce-${String(++nonce).padStart(12, '0')}`) };
      const hash = transactionHash(suite, 'SHA256', content);
      return { content, endpointSignatures: [signHash(suite, user.privateKey, hash)], nodeSignatures: [signHash(suite, gateway.privateKey, hash)] };
    };
    const run = async (transactions, timestamp) => {
      const result = ledger.execute({ height: ledger.tip.height + 1, timestamp, transactions });
      const vote = { ledgerHash: ledger.ledgerHash, height: result.header.height, round: 0, blockHash: result.blockHash };
      const signature = suite.sign(participant.privateKey, commitVoteMessage(vote));
      await ledger.commit(result.writeSet, { height: vote.height, round: 0, blockHash: result.blockHash, votes: [{ voter: { type: 'PARTICIPANT_ID', id: 0 }, signature }] });
      if (result.results.some((r) => r.state !== 'SUCCESS')) throw new Error('a ceiling transaction failed');
    };
    await run([request({ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }, GENESIS_TIME + 1n)], GENESIS_TIME + 1n);
    const prepared = Array.from({ length: blocks + 1 }, (_, block) => {
      const timestamp = GENESIS_TIME + 1000n * BigInt(block + 2);
      const transactions = Array.from({ length: blockSize }, (_, i) => {
        const key = `key-${block}-${i}`;
        const checked = ledger.checkTransaction(request({ type: 'KvSet', account: account.address, writes: [{ key, value: { type: 'TEXT', value: `value of ${key}` }, expectedVersion: -1n }] }, timestamp));
        if (!checked.ok) throw new Error('a ceiling transaction was refused');
        return checked;
      });
      return { timestamp, transactions };
    });
    const [warmUp, ...measured] = prepared;
    await run(warmUp.transactions, warmUp.timestamp);
    const rates = [];
    const cpuBefore = processCpuSeconds();
    for (const { timestamp, transactions } of measured) {
      const started = performance.now();
      await run(transactions, timestamp);
      rates.push((blockSize * 1000) / (performance.now() - started));
    }
    const perCpuSecond = (blocks * blockSize) / (processCpuSeconds() - cpuBefore);
    return { wallPerSecond: percentile(rates.sort((a, b) => a - b), 0.5), perCpuSecond };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Both rates and the ceiling for `peers` peers on this machine's cores, from the rates per CPU
 * second (`wallCeiling`: the same formula from the wall-clock rates, lower when others were busy).
 */
export async function measureCeiling(peers) {
  const verify = await measureVerifyRate();
  const execute = await measureExecutionRate();
  const cores = availableParallelism();
  const ceiling = ceilingTps({ peers, cores, verifyPerCore: verify.perCpuSecond, executePerCore: execute.perCpuSecond });
  const wallCeiling = ceilingTps({ peers, cores, verifyPerCore: verify.wallPerSecond / VERIFY_WORKERS, executePerCore: execute.wallPerSecond });
  return { cores, verify, execute, ceiling, wallCeiling };
}
