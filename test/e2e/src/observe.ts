import type { PeerNode } from './network.js';

/** The part of a peer's `GET /status` the fault tests look at (docs/operations.md has all of it). */
export interface ConsensusView {
  readonly protocol: string;
  /** `validator`, `follower` (not a CONSENSUS participant when it started) or `single`. */
  readonly role: string;
  readonly height: number;
  readonly syncing: boolean;
  readonly validators: readonly { readonly id: number; readonly connected: boolean }[];
}

const OBSERVE_TIMEOUT_MS = 5_000;

/** The consensus section of the peer's first (and, in a testnet, only) ledger. */
export async function consensusView(peer: PeerNode): Promise<ConsensusView> {
  return (await ledgerStatus(peer)).consensus;
}

async function ledgerStatus(peer: PeerNode): Promise<{ readonly engine: string; readonly consensus: ConsensusView }> {
  const response = await fetch(`${peer.managementUrl}/status`, { signal: AbortSignal.timeout(OBSERVE_TIMEOUT_MS) });
  const status = (await response.json()) as { ledgers: { engine: string; consensus: ConsensusView }[] };
  const first = status.ledgers[0];
  if (first === undefined) throw new Error(`${peer.name} reports no ledger`);
  return first;
}

/** The sum of a metric's samples over every label set in the peer's `GET /metrics` (0 when absent). */
export async function metricTotal(peer: PeerNode, name: string): Promise<number> {
  const response = await fetch(`${peer.managementUrl}/metrics`, { signal: AbortSignal.timeout(OBSERVE_TIMEOUT_MS) });
  let total = 0;
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[2]);
  }
  return total;
}

/** The HTTP status an endpoint answers (e.g. a gateway's /ready, a peer's /health). */
export async function statusCode(url: string): Promise<number> {
  return (await fetch(url, { signal: AbortSignal.timeout(OBSERVE_TIMEOUT_MS) })).status;
}

/** One line per peer for a failure report: height, sync, validators connected, consensus drop counters. */
export async function describePeers(peers: readonly PeerNode[]): Promise<string> {
  const lines = await Promise.all(
    peers.map(async (peer) => {
      if (!peer.process.running) return `${peer.name}: not running`;
      try {
        const { engine, consensus: view } = await ledgerStatus(peer);
        const connected = view.validators.map((validator) => (validator.connected ? validator.id : `!${validator.id}`)).join(',');
        const counters = await Promise.all(REPORTED_METRICS.map(async (name) => `${name.replace('jadechain_peer_', '')}=${await metricTotal(peer, name)}`));
        return `${peer.name}: engine ${engine}, ${view.role} at height ${view.height}, syncing ${view.syncing}, validators ${connected}; ${counters.join(' ')}`;
      } catch (error) {
        return `${peer.name}: no answer (${(error as Error).message})`;
      }
    }),
  );
  return lines.join('\n');
}

const REPORTED_METRICS = [
  'jadechain_peer_consensus_messages_in_total',
  'jadechain_peer_consensus_messages_out_total',
  'jadechain_peer_consensus_dropped_total',
  'jadechain_peer_consensus_unsent_total',
  'jadechain_peer_consensus_misbehaviour_total',
  'jadechain_peer_sync_blocks_total',
  'jadechain_peer_sync_refused_total',
  'jadechain_peer_fetch_failures_total',
];
