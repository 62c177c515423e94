import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestNetwork, sleep, waitFor, type PeerNode } from '../src/network.js';
import { consensusView, describePeers, statusCode } from '../src/observe.js';
import { delay } from '../src/proxy.js';
import { SEED, Scenario, SeededChoice } from '../src/scenario.js';
import { BUDGETS, FAST_ROUNDS, NetworkUnderLoad, STEADY_LOAD } from '../src/under-load.js';

/**
 * Issue 7's fault tests: four real BFT peer processes and a gateway on loopback, every peer↔peer
 * link through a proxy, under a steady load of signed KV writes. After each fault: every
 * acknowledged transaction is in every running peer's ledger, in the block the gateway named,
 * and all peers hold the same blocks (hash and state roots) at every height.
 */
const PEERS = 4;
const START_TIMEOUT_MS = 60_000;
/** How long a fault lasts before it is repaired. */
const FAULT_MS = 6_000;
/**
 * How far the others get ahead of a failed peer: more heights than the 64 recent decisions a
 * validator keeps (spec/node-protocol.md §7.6), so that the peer must catch up by block sync.
 */
const BEYOND_RETAINED_DECISIONS = 70;

describe(`fault tolerance of ${PEERS} real BFT peers under load (seed ${SEED})`, () => {
  const choice = new SeededChoice(SEED);
  let dir: string;
  let network: TestNetwork;
  let run: NetworkUnderLoad;
  const scenario = new Scenario(async (step, error) => {
    process.stderr.write(`\nstep "${step}" failed (seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}): ${String(error)}\n`);
    process.stderr.write(`${network.lastLogLines(25)}\n${await describePeers(network.peers)}\nnetwork folder kept: ${dir}\n`);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-faults-'));
    network = await TestNetwork.create({ dir, peers: PEERS, proxied: true, consensusTimeouts: FAST_ROUNDS, commitWaitMs: 5_000 });
    await network.start(START_TIMEOUT_MS);
    run = await NetworkUnderLoad.start(network, STEADY_LOAD, BUDGETS);
  });

  after(async () => {
    await run?.load.stop();
    await network?.stop();
    if (run !== undefined) process.stdout.write(`# faults: ${run.summary()}\n`);
    if (!scenario.failed) rmSync(dir, { recursive: true, force: true });
  });

  /** After a repair: commits go on, every peer holds every acknowledged transaction, and the repaired peers vote. */
  const rejoined = async (repaired: readonly PeerNode[]): Promise<void> => {
    await run.commitsContinue();
    const heights = await run.auditRunning();
    assert.equal(heights.length, PEERS);
    await run.noteSync(repaired);
    await run.voting(repaired);
  };

  /**
   * Restarts every stopped peer; it reads its ledger again from disk, so the audit reads it
   * afresh. `viaBlockSync`: the others moved on too far for anything but block sync.
   */
  const restartStopped = (viaBlockSync: boolean) => async (): Promise<void> => {
    const stopped = network.peers.filter((peer) => !peer.process.running);
    run.note(`restarting ${stopped.map((peer) => peer.name).join(', ')}; the others are at ${await run.highestOf(run.running())}`);
    for (const peer of stopped) run.auditor.forget(peer);
    await Promise.all(stopped.map((peer) => network.restartPeer(peer, START_TIMEOUT_MS)));
    await rejoined(stopped);
    for (const peer of viaBlockSync ? stopped : []) assert.ok((await run.syncedBlocks(peer)) > 0, `${peer.name} caught up without block sync`);
  };

  scenario.step('four peers commit under load and all vote; every peer holds every acknowledged transaction and the same blocks', async () => {
    await run.commitsContinue();
    assert.ok(run.load.acknowledged.every((ack) => ack.state === 'SUCCESS'));
    await run.auditRunning();
    await run.voting(network.peers);
  });

  scenario.step('SIGKILL one peer: the other three commit 70 heights without it', async () => {
    const [victim] = choice.distinct(network.peers, 1);
    run.note(`SIGKILL ${victim!.name}`);
    const killedAt = await run.auditor.tip(victim!);
    await victim!.process.signal('SIGKILL');
    await run.commitsContinue();
    await run.reach(killedAt + BEYOND_RETAINED_DECISIONS);
    await run.auditRunning();
    run.note(`commits go on without ${victim!.name}; gateway /ready ${await statusCode(`${network.gatewayUrl}/ready`)}`);
  });

  scenario.step('restart it: it catches up by block sync and votes again; its blocks and state roots match the others', restartStopped(true));

  scenario.step('SIGKILL two peers: commits stop, nothing forks, nothing acknowledged is lost', async () => {
    const victims = choice.distinct(network.peers, 2);
    run.note(`SIGKILL ${victims.map((peer) => peer.name).join(' and ')}`);
    await Promise.all(victims.map((peer) => peer.process.signal('SIGKILL')));
    // Answers already on their way may land just after the kill; after that, nothing may commit.
    await sleep(2_000);
    const survivors = run.running();
    // A survivor may still fetch a block the other already committed; no new height may appear.
    const before = { acknowledged: run.load.acknowledged.length, highest: await run.highestOf(survivors) };
    await sleep(FAULT_MS);
    assert.equal(run.load.acknowledged.length, before.acknowledged, 'a transaction was acknowledged without a quorum');
    assert.equal(await run.highestOf(survivors), before.highest, 'a block was committed without a quorum');
    const health = await Promise.all(survivors.map(async (peer) => `${peer.name} ${await statusCode(`${peer.managementUrl}/health`)}`));
    run.note(`no commit for ${FAULT_MS} ms at height ${before.highest}; /health ${health.join(', ')}; gateway /ready ${await statusCode(`${network.gatewayUrl}/ready`)}`);
    await run.auditor.auditWhenCaughtUp(survivors, run.load.acknowledged, BUDGETS.catchUpMs);
  });

  scenario.step('restart both: commits resume, both catch up and vote again', restartStopped(false));

  scenario.step('slow links (150 ms each way on every peer link): commits continue', async () => {
    network.mesh!.setAll(delay(150));
    try {
      await run.commitsContinue(BUDGETS.progress / 2);
    } finally {
      network.mesh!.heal();
    }
    await run.auditRunning();
  });

  scenario.step('partition one peer away: the others commit without it; healed, it catches up by block sync and votes again', async () => {
    const [isolated] = choice.distinct(network.peers, 1);
    const others = network.peers.filter((peer) => peer !== isolated);
    const mesh = network.mesh!;
    const atStart = await run.highestOf(network.peers);
    run.note(`partition ${isolated!.name} away at height ${atStart}`);
    mesh.isolate(isolated!.index);
    try {
      await run.commitsContinue();
      const cutOff = await run.auditor.tip(isolated!);
      await run.reach(cutOff + BEYOND_RETAINED_DECISIONS, () => others);
      const [stillAt, ahead] = [await run.auditor.tip(isolated!), await run.highestOf(others)];
      run.note(`during the partition: ${isolated!.name} stayed at ${stillAt}, the others reached ${ahead}`);
      assert.ok(stillAt === cutOff && ahead > stillAt, `the partition did not hold: ${isolated!.name} went ${cutOff}→${stillAt}, the others reached ${ahead}`);
      assert.ok(mesh.link(isolated!.index, others[0]!.index).statistics.bytesDropped > 0, 'nothing was dropped');
    } finally {
      mesh.heal();
    }
    await rejoined([isolated!]);
    assert.ok((await run.syncedBlocks(isolated!)) > 0, `${isolated!.name} caught up without block sync`);
  });

  scenario.step('SIGSTOP the leader: the others move on without it; SIGCONT, it catches up and votes again', async () => {
    // proposer(h, 0) = validators[h mod n], the validators being the participants by id, which
    // `testnet init` numbers in peer order (spec/consensus.md §1).
    const tip = await run.highestOf(network.peers);
    const leader = network.peers[(tip + 1) % PEERS]!;
    run.note(`SIGSTOP ${leader.name}, the proposer of height ${tip + 1}`);
    await leader.process.signal('SIGSTOP');
    try {
      await run.commitsContinue();
    } finally {
      await leader.process.signal('SIGCONT');
    }
    await rejoined([leader]);
  });

  scenario.step('load stopped: every peer reaches the same tip and holds every acknowledged transaction', async () => {
    await run.load.stop();
    await waitFor('every peer at the same height', BUDGETS.catchUpMs, async () => {
      const tips = await Promise.all(network.peers.map((peer) => run.auditor.tip(peer)));
      return new Set(tips).size === 1;
    });
    await run.auditRunning();
    assert.ok(run.load.acknowledged.every((ack) => ack.state === 'SUCCESS'));
    // Every link came back: each peer sees every validator connected again.
    await waitFor('every validator connected on every peer', BUDGETS.catchUpMs, async () => {
      const views = await Promise.all(network.peers.map(consensusView));
      return views.every((view) => view.protocol === 'bft' && !view.syncing && view.validators.length === PEERS && view.validators.every((v) => v.connected));
    });
  });
});
