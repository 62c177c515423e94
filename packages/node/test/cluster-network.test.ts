import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite } from '@jadechain/crypto';
import { signHash, type TransactionRequest } from '@jadechain/types';
import { jsonLogger } from '@jadechain/service';
import { startPeer } from '../src/index.js';
import { ClusterError } from '../src/cluster/index.js';
import { Cluster, FOLLOWER, eventually, gatewayKey } from './cluster-fixture.js';

/**
 * Four BFT validators and a follower over real TLS on 127.0.0.1, each with its own LMDB: they
 * commit what the gateway submits with identical block hashes, fetch transactions they were
 * never given, and catch up by block sync after missing more blocks than decisions are retained.
 */
const ALL = [0, 1, 2, 3];
let dir: string;
let cluster: Cluster;

async function sameTip(ids: readonly number[], height: number): Promise<boolean> {
  const tips = await Promise.all(ids.map((id) => cluster.tip(id)));
  return tips.every((tip) => tip.height >= height) && tips.every((tip) => tip.height === tips[0]?.height && tip.blockHash === tips[0]?.blockHash);
}

describe('a BFT network of peers', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-cluster-'));
    cluster = await Cluster.create(dir);
  });

  after(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('"single" is refused on a ledger with several CONSENSUS participants', async () => {
    await assert.rejects(
      startPeer(cluster.config(0, { consensus: { protocol: 'single' } }), jsonLogger('peer', () => undefined)),
      (error: unknown) => error instanceof ClusterError && error.code === 'CONSENSUS_MISMATCH',
    );
  });

  test('four validators commit submitted transactions with identical block hashes', async () => {
    for (const id of ALL) await cluster.start(id);
    const verdicts = await cluster.submit([cluster.transaction(), cluster.transaction(), cluster.transaction()], ALL);
    for (const perPeer of verdicts) assert.deepEqual(perPeer.map((verdict) => verdict.status), ['ADMITTED', 'ADMITTED', 'ADMITTED']);
    await eventually('every validator at height 3 with the same block', () => sameTip(ALL, 3));
    const status = JSON.parse(await cluster.management(0, '/status')) as { ledgers: { consensus: { protocol: string; role: string; validators: { id: number; connected: boolean }[]; syncing: boolean } }[] };
    const consensus = status.ledgers[0]?.consensus;
    assert.equal(consensus?.protocol, 'bft');
    assert.equal(consensus?.role, 'validator');
    assert.deepEqual(consensus?.validators.map((validator) => [validator.id, validator.connected]), [[0, true], [1, true], [2, true], [3, true]]);
    assert.ok((await cluster.metric(0, 'jadechain_peer_consensus_messages_in_total')) > 0);
    // Every committed block is counted under the round that decided it.
    const byRound = await Promise.all(['0', '1', '2+'].map((round) => cluster.metric(0, `jadechain_peer_blocks_by_round_total{round="${round}"}`)));
    assert.equal(byRound.reduce((sum, count) => sum + count, 0), await cluster.metric(0, 'jadechain_peer_blocks_committed_total'));
    assert.ok((byRound[0] ?? 0) >= 1, 'blocks decided in round 0');
  });

  test('a validator that was never given some transactions fetches them and commits their blocks', async () => {
    const { height } = await cluster.tip(0);
    await cluster.submit([cluster.transaction(), cluster.transaction()], [0, 1, 2]);
    await eventually('the transactions committed by all four', () => sameTip(ALL, height + 2));
    assert.equal(await cluster.metric(3, 'jadechain_peer_fetch_admitted_total'), 2);
    assert.equal(await cluster.metric(3, 'jadechain_peer_sync_blocks_total'), 0);
  });

  test('a proposer no gateway reached is named the transactions by a validator that holds them, and proposes in round 0', async () => {
    const { height } = await cluster.tip(0);
    // Round 0 of the next height is proposed by validator (height + round) mod 4.
    const proposer = (height + 1) % ALL.length;
    const lateRounds = () => Promise.all(ALL.map((id) => cluster.metric(id, 'jadechain_peer_blocks_by_round_total{round="1"}')));
    const lateBefore = await lateRounds();
    const hintsBefore = await cluster.metric(proposer, 'jadechain_peer_proposer_hints_fetched_total');
    await cluster.submit([cluster.transaction()], ALL.filter((id) => id !== proposer));
    await eventually('the transaction committed by all four', () => sameTip(ALL, height + 1));
    assert.deepEqual(await lateRounds(), lateBefore, 'no block waited for round 1');
    assert.equal(await cluster.metric(proposer, 'jadechain_peer_proposer_hints_fetched_total'), hintsBefore + 1);
    const sent = await Promise.all(ALL.filter((id) => id !== proposer).map((id) => cluster.metric(id, 'jadechain_peer_proposer_hints_sent_total')));
    assert.ok(sent.reduce((sum, count) => sum + count, 0) >= 1, 'a validator holding the transaction named it to the proposer');
  });

  test('a gateway node signature that does not verify, vouched for by a good batch signature, does not strand the validator that missed the batch', async () => {
    const { height } = await cluster.tip(0);
    const genuine = cluster.transaction();
    // The gateway's own key, over another hash: peers that get the batch take it as vouched for (ADR 0009).
    const elsewhere = cryptoSuite.hash('SHA256', new TextEncoder().encode('another transaction'));
    const forged: TransactionRequest = { ...genuine, nodeSignatures: [signHash(cryptoSuite, gatewayKey.privateKey, elsewhere)] };
    const synced = await cluster.metric(3, 'jadechain_peer_sync_blocks_total');
    const verdicts = await cluster.submit([forged], [0, 1, 2]);
    assert.deepEqual(verdicts.map((perPeer) => perPeer[0]?.status), ['ADMITTED', 'ADMITTED', 'ADMITTED']);
    // Validator 3 verifies the fetched transaction in full and refuses it, so it cannot execute the
    // block the other three decide; it falls behind, and block sync takes the certified block.
    await eventually('all four at the same tip past the block', () => sameTip(ALL, height + 1));
    assert.ok((await cluster.metric(3, 'jadechain_peer_sync_blocks_total')) > synced, 'validator 3 took the block by block sync');
    assert.equal(await cluster.metric(3, 'jadechain_peer_sync_refused_total{reason="HASH_MISMATCH"}'), 0);
  });

  test('a validator down for 70 blocks catches up by block sync, and a fresh follower joins from genesis', async () => {
    await cluster.stop(3);
    const { height } = await cluster.tip(0);
    const blocks = 70;
    const sent: TransactionRequest[] = [];
    for (let batch = 0; batch < blocks / 10; batch++) {
      const transactions = Array.from({ length: 10 }, () => cluster.transaction());
      sent.push(...transactions);
      await cluster.submit(transactions, [0, 1, 2]);
    }
    await eventually('three validators commit 70 more blocks', () => sameTip([0, 1, 2], height + blocks), 40_000);
    await cluster.start(3);
    // Submitted again to the restarted peer before it synced: it waits, and block sync answers it.
    const gateway = await cluster.gateway(3);
    const last = sent.at(-1);
    assert.ok(last !== undefined);
    const [verdict] = await gateway.submit([last]);
    assert.equal(verdict?.status, 'ADMITTED');
    await cluster.start(FOLLOWER);
    await eventually('the restarted validator and the follower reach the same tip', () => sameTip([0, 1, 2, 3, FOLLOWER], height + blocks), 20_000);
    assert.ok((await cluster.metric(3, 'jadechain_peer_sync_blocks_total')) >= blocks - 64);
    await eventually('the synced block answers the waiting gateway', () => gateway.notices.some((notice) => notice.outcomes.some((outcome) => outcome.transactionHash.equals(verdict?.transactionHash ?? cluster.ledgerHash))), 5_000);
    const outcome = gateway.notices.flatMap((notice) => notice.outcomes)[0];
    assert.ok(outcome !== undefined && outcome.blockHeight > BigInt(height) && outcome.state === 'SUCCESS');
    const block = JSON.parse(await cluster.management(0, `/ledgers/${cluster.ledgerHash.toBase58()}/blocks/height/${outcome.blockHeight}`)) as { data: { hash: string } };
    assert.equal(outcome.blockHash.toBase58(), block.data.hash);
    await gateway.connection.close();
    // Back in the network: the restarted validator votes on what comes next.
    await cluster.submit([cluster.transaction()], ALL);
    await eventually('all four commit one more block, and the follower syncs it', () => sameTip([...ALL, FOLLOWER], height + blocks + 1));
    const { height: final } = await cluster.tip(FOLLOWER);
    assert.equal(await cluster.metric(FOLLOWER, 'jadechain_peer_sync_blocks_total'), final);
  });
});
