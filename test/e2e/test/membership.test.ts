import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestNetwork, runJadechain, waitFor, type PeerNode } from '../src/network.js';
import { consensusView, describePeers, metricTotal } from '../src/observe.js';
import { Scenario } from '../src/scenario.js';
import { BUDGETS, FAST_ROUNDS, NetworkUnderLoad, STEADY_LOAD } from '../src/under-load.js';

/**
 * Issue 7's membership with real processes, as docs/consensus.md tells operators to do it: a
 * fifth peer joins a loaded four-peer network (follower first, activated once the gateway sees
 * it caught up, a validator as soon as it holds the activating block, with no restart); the same
 * peer, deactivated while it runs, follows again and, activated again, votes again; then a dead
 * validator is removed while the `participant` command refuses the change that would leave no
 * live quorum.
 */
const START_TIMEOUT_MS = 60_000;

describe('membership changes on a running BFT network under load', () => {
  let dir: string;
  let network: TestNetwork;
  let run: NetworkUnderLoad;
  let joiner: PeerNode;
  /** The block that made the new peer a validator. */
  let activatedIn: number;
  /** The new peer's process: a change of role must not restart it. */
  let joinerPid: number | undefined;
  const scenario = new Scenario(async (step, error) => {
    process.stderr.write(`\nstep "${step}" failed: ${String(error)}\n${network.lastLogLines(25)}\n${await describePeers(network.peers)}\nnetwork folder kept: ${dir}\n`);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-membership-'));
    network = await TestNetwork.create({ dir, peers: 4, proxied: false, consensusTimeouts: FAST_ROUNDS, commitWaitMs: 5_000 });
    await network.start(START_TIMEOUT_MS);
    run = await NetworkUnderLoad.start(network, STEADY_LOAD, BUDGETS);
  });

  after(async () => {
    await run?.load.stop();
    await network?.stop();
    if (run !== undefined) process.stdout.write(`# membership: ${run.summary()}\n`);
    if (!scenario.failed) rmSync(dir, { recursive: true, force: true });
  });

  /** `jadechain participant …` against the testnet; its exit code and everything it printed. */
  const participant = async (...args: string[]): Promise<{ code: number; output: string }> => {
    const outcome = await runJadechain(['participant', ...args, '--dir', dir]);
    return { code: outcome.code, output: `${outcome.stdout}${outcome.stderr}` };
  };

  /** Activates participant 4 at a quiet moment (a follower under load may trail by more than the check allows); answers the block. */
  const activateWhenQuiet = async (): Promise<number> => {
    await run.load.stop();
    let activated = '';
    await waitFor('the gateway sees peer4 caught up', BUDGETS.catchUpMs, async () => {
      const attempt = await participant('activate', '4');
      activated = attempt.output;
      return attempt.code === 0;
    });
    run.load.start();
    const block = Number(/block +(\d+)/.exec(activated)?.[1]);
    assert.ok(block > 0, activated);
    return block;
  };

  const caughtUp = async (peer: PeerNode): Promise<boolean> => {
    const view = await consensusView(peer).catch(() => undefined);
    return view !== undefined && !view.syncing && view.height >= (await run.highestOf(run.running().filter((other) => other !== peer))) - 2;
  };

  scenario.step('a fifth peer, registered and started, follows by block sync without voting', async () => {
    joiner = await network.addPeer('peer4');
    const registered = await participant('register', '--name', 'peer4', '--participant-key', 'peer4');
    assert.equal(registered.code, 0, registered.output);
    await network.restartPeer(joiner, START_TIMEOUT_MS);
    await waitFor('peer4 caught up', BUDGETS.catchUpMs, () => caughtUp(joiner));
    const view = await consensusView(joiner);
    assert.equal(view.role, 'follower');
    assert.equal(await metricTotal(joiner, 'jadechain_peer_consensus_messages_out_total'), 0);
    await run.auditRunning();
    await run.noteSync([joiner]);
  });

  scenario.step('activation is refused until a gateway sees the peer caught up; at a quiet moment it commits', async () => {
    const refused = await participant('activate', '4');
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /participant 4's peer is not connected and caught up.*\[QUORUM_UNSAFE\]/s);
    await network.addToGateway(joiner, START_TIMEOUT_MS);
    joinerPid = joiner.process.pid;
    activatedIn = await activateWhenQuiet();
    run.note(`peer4 activated in block ${activatedIn}`);
  });

  scenario.step('holding the activating block, the new peer votes without a restart; five validators commit and agree', async () => {
    await waitFor('peer4 a validator', BUDGETS.catchUpMs, async () => (await consensusView(joiner)).role === 'validator');
    assert.ok((await run.auditor.tip(joiner)) >= activatedIn);
    assert.equal(joiner.process.pid, joinerPid, 'the same process');
    await run.voting([joiner]);
    const heights = await run.auditRunning();
    assert.equal(heights.length, 5);
    assert.equal((await consensusView(network.peers[0]!)).validators.length, 5);
  });

  scenario.step('deactivated while it runs, the peer follows again and stops voting; activated again, it votes again', async () => {
    const removed = await participant('deactivate', '4');
    assert.equal(removed.code, 0, removed.output);
    await waitFor('peer4 a follower', BUDGETS.catchUpMs, async () => (await consensusView(joiner)).role === 'follower');
    // peer0 may commit the deactivating block a moment after peer4 did.
    await waitFor('four validators on peer0', BUDGETS.catchUpMs, async () => (await consensusView(network.peers[0]!)).validators.length === 4);
    const sentAsFollower = await metricTotal(joiner, 'jadechain_peer_consensus_messages_out_total');
    await run.commitsContinue();
    assert.equal(await metricTotal(joiner, 'jadechain_peer_consensus_messages_out_total'), sentAsFollower, 'a follower sends no consensus message');
    const again = await activateWhenQuiet();
    run.note(`peer4 deactivated, then activated again in block ${again}`);
    await waitFor('peer4 a validator again', BUDGETS.catchUpMs, async () => (await consensusView(joiner)).role === 'validator');
    assert.equal(joiner.process.pid, joinerPid, 'the same process');
    await run.voting([joiner]);
    assert.equal((await run.auditRunning()).length, 5);
  });

  scenario.step('a dead validator is removed; removing a live one as well is refused for want of a quorum', async () => {
    await network.peers[1]!.process.signal('SIGKILL');
    const removed = await participant('deactivate', '1');
    assert.equal(removed.code, 0, removed.output);
    await run.commitsContinue();
    // Four validators remain (quorum 3). With another one down, removing a live one would leave
    // three, of which two are live: fewer than their quorum of three.
    await network.peers[3]!.process.signal('SIGKILL');
    const refused = await participant('deactivate', '2');
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /3 validators would remain, a quorum of them is 3, and 2 are connected and caught up/);
    await run.commitsContinue();
    await run.auditRunning();
  });
});
