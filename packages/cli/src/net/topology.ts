import { CliError } from '../errors.js';

/** Every process of a testnet listens on loopback only. */
export const LOOPBACK = '127.0.0.1';

/** `testnet init` and `up` make this many peers unless told otherwise. */
export const DEFAULT_PEER_COUNT = 4;
export const MAX_PEER_COUNT = 64;

export type ConsensusProtocol = 'single' | 'bft';

/** Ports of peer `index`: p2p at `firstPeerPort + 2·index`, its management endpoint on the next port. */
export function peerPorts(firstPeerPort: number, index: number): { readonly p2p: number; readonly management: number } {
  const p2p = firstPeerPort + 2 * index;
  return { p2p, management: p2p + 1 };
}

/** One peer runs the single-node engine; two or more run BFT. */
export function consensusProtocol(peerCount: number): ConsensusProtocol {
  return peerCount === 1 ? 'single' : 'bft';
}

/** Validators that may fail (crash, hang, lie) with the rest still committing: f = ⌊(n−1)/3⌋. */
export function faultsTolerated(validators: number): number {
  return Math.floor((validators - 1) / 3);
}

/** Validators whose votes commit a block: q = n − f. */
export function quorumOf(validators: number): number {
  return validators - faultsTolerated(validators);
}

/** One line for people: how many peers, which protocol, what they survive. */
export function describeTolerance(peerCount: number): string {
  if (peerCount === 1) return '1 peer, single-node consensus (no fault tolerance)';
  const f = faultsTolerated(peerCount);
  const survives = f === 0 ? `tolerates no failed peer (4 is the smallest BFT network that tolerates one)` : `tolerates ${f} failed peer${f === 1 ? '' : 's'}`;
  return `${peerCount} peers, BFT (quorum ${quorumOf(peerCount)}), ${survives}`;
}

/**
 * Refuses a layout whose ports leave the valid range or collide: the peers take
 * `2 × peerCount` consecutive ports from `firstPeerPort`, and the gateway one more.
 */
export function checkPorts(peerCount: number, firstPeerPort: number, gatewayPort: number): void {
  const lastPeerPort = peerPorts(firstPeerPort, peerCount - 1).management;
  if (lastPeerPort > 65535) {
    throw new CliError('BAD_ARGUMENT', `--peer-port ${firstPeerPort}: ${peerCount} peers need ports up to ${lastPeerPort}, beyond 65535`);
  }
  if (gatewayPort >= firstPeerPort && gatewayPort <= lastPeerPort) {
    throw new CliError('BAD_ARGUMENT', `--port ${gatewayPort} falls in the peers' ports ${firstPeerPort}–${lastPeerPort}; choose another`);
  }
}
