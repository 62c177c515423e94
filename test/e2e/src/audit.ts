import type { HashDigest } from '@jadechain/crypto';
import type { BlockJson } from '@jadechain/sdk';
import type { Acknowledged } from './load.js';
import { waitFor, type PeerNode } from './network.js';

/** A check of the peers' ledgers failed: a fork, or an acknowledged transaction missing or different. */
export class AuditError extends Error {
  readonly code: 'FORK' | 'LOST_TRANSACTION';

  constructor(code: 'FORK' | 'LOST_TRANSACTION', message: string) {
    super(message);
    this.name = 'AuditError';
    this.code = code;
  }
}

/** Most transactions one query page returns (JD Chain's page cap). */
const PAGE = 100;

interface PeerProgress {
  /** Heights up to this one were compared against the reference. */
  checkedHeight: number;
  /** Transactions of the ledger read so far, in ledger order: hash → where it landed and how it ended. */
  readonly transactions: Map<string, { readonly blockHeight: number; readonly state: string }>;
}

/**
 * Reads the peers' ledgers through their own query endpoints and checks, incrementally:
 * every peer has the same block (hash and every state root) at every height it holds, and
 * every acknowledged transaction is in every peer's ledger in the block and with the state the
 * gateway reported. A restarted peer is forgotten and read again from height 0, since its ledger
 * came back from disk.
 */
export class LedgerAuditor {
  /** The first block seen at each height, the one every peer must agree with. */
  private readonly reference = new Map<number, string>();
  private readonly progress = new Map<number, PeerProgress>();

  constructor(private readonly ledger: HashDigest) {}

  /** Reads `peer` from scratch at the next audit. */
  forget(peer: PeerNode): void {
    this.progress.delete(peer.index);
  }

  async tip(peer: PeerNode): Promise<number> {
    return (await peer.client.ledger(this.ledger)).latestBlockHeight;
  }

  /**
   * Waits until each listed peer holds the highest block any acknowledgement names (a peer may
   * trail the f+1 that made the gateway answer), then audits them.
   */
  async auditWhenCaughtUp(peers: readonly PeerNode[], acknowledged: readonly Acknowledged[], timeoutMs: number): Promise<number[]> {
    const snapshot = [...acknowledged];
    const needed = Math.max(0, ...snapshot.map((ack) => ack.blockHeight));
    await waitFor(`${peers.map((peer) => peer.name).join(', ')} at height ${needed}`, timeoutMs, async () => {
      const tips = await Promise.all(peers.map((peer) => this.tip(peer).catch(() => -1)));
      return tips.every((tip) => tip >= needed);
    });
    return this.audit(peers, snapshot);
  }

  /**
   * Audits the listed peers (the running ones) against the transactions acknowledged so far (the
   * list may grow while the audit runs: later ones are for the next audit); returns each peer's height.
   */
  async audit(peers: readonly PeerNode[], acknowledgedSoFar: readonly Acknowledged[]): Promise<number[]> {
    const acknowledged = [...acknowledgedSoFar];
    const heights: number[] = [];
    for (const peer of peers) {
      const progress = this.progressOf(peer);
      const tip = await this.tip(peer);
      await this.compareBlocks(peer, progress, tip);
      await this.readTransactions(peer, progress, tip);
      const missing = acknowledged.filter((ack) => {
        const found = progress.transactions.get(ack.hash);
        return found === undefined || found.blockHeight !== ack.blockHeight || found.state !== ack.state;
      });
      if (missing.length > 0) {
        const sample = missing.slice(0, 5).map((ack) => `${ack.hash} (acknowledged in block ${ack.blockHeight} ${ack.state}; ${describeFound(progress, ack)})`);
        throw new AuditError('LOST_TRANSACTION', `${peer.name} at height ${tip}: ${missing.length} of ${acknowledged.length} acknowledged transactions missing or different, e.g. ${sample.join(', ')}`);
      }
      heights.push(tip);
    }
    return heights;
  }

  private progressOf(peer: PeerNode): PeerProgress {
    let progress = this.progress.get(peer.index);
    if (progress === undefined) {
      progress = { checkedHeight: -1, transactions: new Map() };
      this.progress.set(peer.index, progress);
    }
    return progress;
  }

  private async compareBlocks(peer: PeerNode, progress: PeerProgress, tip: number): Promise<void> {
    for (let height = progress.checkedHeight + 1; height <= tip; height++) {
      const block = fingerprint(await peer.client.block(this.ledger, height));
      const agreed = this.reference.get(height);
      if (agreed === undefined) this.reference.set(height, block);
      else if (agreed !== block) throw new AuditError('FORK', `${peer.name} holds another block at height ${height}:\n  ${block}\nwhere another peer holds\n  ${agreed}`);
      progress.checkedHeight = height;
    }
  }

  /** Pages through the transactions of blocks 0…tip (numbered across blocks), from where the last read stopped. */
  private async readTransactions(peer: PeerNode, progress: PeerProgress, tip: number): Promise<void> {
    for (;;) {
      const page = await peer.client.transactions(this.ledger, tip, { fromIndex: progress.transactions.size, count: PAGE });
      for (const transaction of page) {
        progress.transactions.set(transaction.result.transactionHash, { blockHeight: transaction.result.blockHeight, state: transaction.result.executionState });
      }
      if (page.length < PAGE) return;
    }
  }
}

/** The block's hash with every root it commits to: equal fingerprints mean equal blocks and state. */
function fingerprint(block: BlockJson): string {
  return JSON.stringify(block);
}

function describeFound(progress: PeerProgress, ack: Acknowledged): string {
  const found = progress.transactions.get(ack.hash);
  return found === undefined ? 'absent' : `found in block ${found.blockHeight} ${found.state}`;
}
