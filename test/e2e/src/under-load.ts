import assert from 'node:assert/strict';
import { LedgerAuditor } from './audit.js';
import { KvLoad, type LoadOptions } from './load.js';
import { waitFor, type PeerNode, type TestNetwork } from './network.js';
import { metricTotal } from './observe.js';

/** Short BFT rounds (`consensus.timeouts`), so that a failed leader costs about a second. */
export const FAST_ROUNDS = { proposeMs: 1_000, prevoteMs: 500, precommitMs: 500, roundIncrementMs: 250, retransmitMs: 1_000 };

/** A few tens of transactions a second on a shared 2-core machine: steady, not a benchmark. */
export const STEADY_LOAD: LoadOptions = { workers: 3, pauseMs: 30, requestTimeoutMs: 10_000 };

/** Per-step budgets of a scenario under load. */
export interface Budgets {
  /** Acknowledgements that show the network is live. */
  readonly progress: number;
  /** How long those may take. */
  readonly progressMs: number;
  /** How long a restarted, healed or new peer may take to catch up. */
  readonly catchUpMs: number;
}

export const BUDGETS: Budgets = { progress: 30, progressMs: 30_000, catchUpMs: 60_000 };

/**
 * A running network, a steady load through its gateway and an auditor of its peers: the checks
 * every scenario step is made of.
 */
export class NetworkUnderLoad {
  private readonly started = Date.now();

  private constructor(
    readonly network: TestNetwork,
    readonly load: KvLoad,
    readonly auditor: LedgerAuditor,
    private readonly budgets: Budgets,
  ) {}

  /** Registers the load's data account and starts the load. */
  static async start(network: TestNetwork, load: LoadOptions, budgets: Budgets): Promise<NetworkUnderLoad> {
    const kvLoad = await KvLoad.prepare(network.gatewayUrl, network.ledgerHash, network.adminKey(), load);
    kvLoad.start();
    return new NetworkUnderLoad(network, kvLoad, new LedgerAuditor(network.ledgerHash), budgets);
  }

  running(): PeerNode[] {
    return this.network.peers.filter((peer) => peer.process.running);
  }

  /** Prints what operators would look at with the test output, timed from the start. */
  note(text: string): void {
    process.stdout.write(`# ${Math.round((Date.now() - this.started) / 1000)} s: ${text}\n`);
  }

  /** The load gets `count` more acknowledgements. */
  commitsContinue(count = this.budgets.progress): Promise<void> {
    const target = this.load.acknowledged.length + count;
    return waitFor(`${count} more acknowledged transactions`, this.budgets.progressMs, () => this.load.acknowledged.length >= target);
  }

  async highestOf(peers: readonly PeerNode[]): Promise<number> {
    return Math.max(...(await Promise.all(peers.map((peer) => this.auditor.tip(peer)))));
  }

  /** The peers (the running ones by default) commit until one of them reaches `height`. */
  reach(height: number, peers: () => readonly PeerNode[] = () => this.running()): Promise<void> {
    return waitFor(`height ${height}`, this.budgets.catchUpMs, async () => (await this.highestOf(peers())) >= height);
  }

  /** Every running peer holds every acknowledged transaction and the same blocks; returns their heights. */
  auditRunning(): Promise<number[]> {
    return this.auditor.auditWhenCaughtUp(this.running(), this.load.acknowledged, this.budgets.catchUpMs);
  }

  /**
   * Each peer takes part in consensus, not only follows: its consensus messages sent keep rising
   * while the network commits (a peer that only catches up by block sync sends none).
   */
  async voting(peers: readonly PeerNode[]): Promise<void> {
    const sent = (): Promise<number[]> => Promise.all(peers.map((peer) => metricTotal(peer, 'jadechain_peer_consensus_messages_out_total')));
    const before = await sent();
    await this.commitsContinue(Math.ceil(this.budgets.progress / 3));
    const after = await sent();
    const silent = peers.filter((_, index) => (after[index] ?? 0) <= (before[index] ?? 0));
    assert.deepEqual(
      silent.map((peer) => peer.name),
      [],
      'caught up but sends no consensus message: it follows, it does not vote',
    );
  }

  syncedBlocks(peer: PeerNode): Promise<number> {
    return metricTotal(peer, 'jadechain_peer_sync_blocks_total');
  }

  /** The peers' own account of a catch-up: blocks taken by block sync since the process started. */
  async noteSync(peers: readonly PeerNode[]): Promise<void> {
    for (const peer of peers) this.note(`${peer.name} synced ${await this.syncedBlocks(peer)} blocks, now at ${await this.auditor.tip(peer)}`);
  }

  /** One line for the end of a run: how much was acknowledged, and why the rest was not. */
  summary(): string {
    const failures = [...this.load.failureCounts].map(([reason, count]) => `${reason} ×${count}`).join(', ');
    return `${this.load.acknowledged.length} acknowledged, ${this.load.unacknowledged} unacknowledged (${failures || 'none'}) in ${Math.round((Date.now() - this.started) / 1000)} s`;
  }
}
