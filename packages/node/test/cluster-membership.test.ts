import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransactionRequest } from '@jadechain/types';
import { RECORD_FILE_NAMES } from '../src/cluster/index.js';
import { Cluster, FOLLOWER, eventually } from './cluster-fixture.js';

/**
 * A running peer's part in consensus follows the ledger (docs/consensus.md, "Adding and removing
 * peers"): the fifth peer, a READY participant, follows; the block that activates it makes it a
 * validator, and the block that deactivates it a follower again, each without a restart. That it
 * really votes is shown by a quorum that needs it: five validators with one down.
 */
const FOUNDERS = [0, 1, 2, 3];
let dir: string;
let cluster: Cluster;

interface LedgerStatus {
  readonly height: number;
  readonly engine: string;
  readonly consensus: { readonly role: string; readonly validators: ReadonlyArray<{ readonly id: number }> };
}

async function statusOf(id: number): Promise<LedgerStatus> {
  const status = JSON.parse(await cluster.management(id, '/status')) as { ledgers: LedgerStatus[] };
  const ledger = status.ledgers[0];
  assert.ok(ledger !== undefined);
  return ledger;
}

async function sameTip(ids: readonly number[], height: number): Promise<boolean> {
  const tips = await Promise.all(ids.map((id) => cluster.tip(id)));
  return tips.every((tip) => tip.height >= height && tip.height === tips[0]?.height && tip.blockHash === tips[0]?.blockHash);
}

/** Submits to `to` and waits until `watchers` hold the block after the current tip (blocks hold one transaction). */
async function commit(transaction: TransactionRequest, to: readonly number[], watchers: readonly number[]): Promise<number> {
  const { height } = await cluster.tip(to[0] as number);
  const verdicts = await cluster.submit([transaction], to);
  for (const [index, perPeer] of verdicts.entries()) assert.equal(perPeer[0]?.status, 'ADMITTED', `peer ${to[index]}: ${perPeer[0]?.message}`);
  await eventually(`block ${height + 1} on peers ${watchers.join(', ')}`, () => sameTip(watchers, height + 1), 20_000);
  return height + 1;
}

const sent = (id: number): Promise<number> => cluster.metric(id, 'jadechain_peer_consensus_messages_out_total');

describe('a peer whose part in consensus changes while it runs', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-membership-'));
    cluster = await Cluster.create(dir);
    for (const id of [...FOUNDERS, FOLLOWER]) await cluster.start(id);
  });

  after(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('activated, the follower votes: five validators commit with one of the founders down', async () => {
    assert.equal((await statusOf(FOLLOWER)).consensus.role, 'follower');
    assert.equal(await sent(FOLLOWER), 0);
    const activatedIn = await commit(cluster.participantState(FOLLOWER, 'CONSENSUS'), FOUNDERS, FOUNDERS);
    await eventually('the fifth peer a validator', async () => (await statusOf(FOLLOWER)).consensus.role === 'validator');
    const status = await statusOf(FOLLOWER);
    assert.ok(status.height >= activatedIn);
    assert.equal(status.engine, 'running');
    assert.deepEqual((await statusOf(0)).consensus.validators.map(({ id }) => id), [0, 1, 2, 3, 4]);
    // Five validators need four votes: with peer 0 down, nothing commits unless the fifth votes.
    await cluster.stop(0);
    const voters = [1, 2, 3, FOLLOWER];
    for (let block = 0; block < 3; block++) await commit(cluster.transaction(), voters, voters);
    assert.ok((await sent(FOLLOWER)) > 0);
  });

  test('deactivated, it follows again and sends nothing; the other validators go on', async () => {
    const validators = [1, 2, 3];
    await commit(cluster.participantState(FOLLOWER, 'DEACTIVATED'), [...validators, FOLLOWER], [...validators, FOLLOWER]);
    await eventually('the fifth peer a follower', async () => (await statusOf(FOLLOWER)).consensus.role === 'follower');
    assert.deepEqual((await statusOf(1)).consensus.validators.map(({ id }) => id), [0, 1, 2, 3]);
    const sentAsFollower = await sent(FOLLOWER);
    // Four validators, peer 0 still down: a quorum of three, all three live ones. The follower
    // refuses submissions and takes the blocks by block sync.
    const gateway = await cluster.gateway(FOLLOWER);
    await assert.rejects(gateway.submit([cluster.transaction()]), /follows ledger .* without voting/);
    await gateway.connection.close();
    const { height } = await cluster.tip(1);
    for (let block = 0; block < 3; block++) await commit(cluster.transaction(), validators, validators);
    await eventually('the follower syncs the new blocks', () => sameTip([...validators, FOLLOWER], height + 3));
    assert.equal(await sent(FOLLOWER), sentAsFollower, 'a follower sends no consensus message');
    assert.equal((await statusOf(FOLLOWER)).engine, 'running');
  });
});

describe('a change of role that cannot be made', () => {
  let failingDir: string;
  let failing: Cluster;
  after(async () => {
    await failing.close();
    rmSync(failingDir, { recursive: true, force: true });
  });

  test('halts that ledger on that peer, and /health, /status and every submission say why', async () => {
    failingDir = mkdtempSync(join(tmpdir(), 'jadechain-membership-failing-'));
    failing = await Cluster.create(failingDir);
    for (const id of [...FOUNDERS, FOLLOWER]) await failing.start(id);
    // A follower never opens the consensus record; as a validator it must, and these slots are damaged.
    for (const name of RECORD_FILE_NAMES) writeFileSync(join(failing.ledgerPath(FOLLOWER), name), 'not a consensus record');
    const { height } = await failing.tip(0);
    await failing.submit([failing.participantState(FOLLOWER, 'CONSENSUS')], FOUNDERS);
    await eventually('the fifth peer holds the activating block', async () => (await failing.tip(FOLLOWER)).height > height);
    const health = async (): Promise<{ status: number; body: string }> => {
      const peer = failing.peers[FOLLOWER];
      assert.ok(peer !== undefined);
      const response = await fetch(`http://${peer.managementAddress.host}:${peer.managementAddress.port}/health`);
      return { status: response.status, body: await response.text() };
    };
    await eventually('/health 503', async () => (await health()).status === 503);
    const status = JSON.parse(await failing.management(FOLLOWER, '/status')) as { ledgers: Array<{ engine: string; engineFailure?: { code: string; message: string }; consensus: { role: string } }> };
    const ledger = status.ledgers[0];
    assert.equal(ledger?.engine, 'failed');
    assert.equal(ledger?.consensus.role, 'validator');
    assert.match(ledger?.engineFailure?.message ?? '', /could not become validator 4: .*consensus record/i);
    const verdict = (await failing.submit([failing.transaction()], [FOLLOWER]))[0]?.[0];
    assert.equal(verdict?.status, 'REFUSED');
    assert.equal(verdict?.code, 'ENGINE_FAILED');
    assert.match(verdict?.message ?? '', /could not become validator 4/);
    // The four founders went on: with the fifth a validator that cannot vote, five need four votes, all of theirs.
    const before = (await failing.tip(0)).height;
    await failing.submit([failing.transaction()], FOUNDERS);
    await eventually('the founders commit on', async () => (await failing.tip(0)).height > before);
  });
});
