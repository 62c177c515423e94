import type { CommittedBlock } from '@jadechain/consensus';
import { cryptoSuite, type PubKey } from '@jadechain/crypto';
import { uncachedSignatures, type Ledger } from '@jadechain/ledger';
import { TransportError } from '@jadechain/p2p';
import { CodecError, TransactionRequest } from '@jadechain/types';
import type { Logger } from '@jadechain/service';
import { certificateDefect } from './certificate.js';
import { ClusterError } from './errors.js';
import type { PeerLinks } from './links.js';
import type { ClusterMetrics } from './metrics.js';
import {
  MAX_SYNC_BLOCKS,
  PEER_CHANNEL,
  PeerBlockPageRequest,
  PeerBlockPageResponse,
  PeerBlocksRequest,
  PeerBlocksResponse,
  PeerStatusRequest,
  PeerStatusResponse,
  type SyncedBlock,
} from './protocol.js';
import { validatorSetOf } from './validators.js';

/** How often peers' tips are asked. */
export const SYNC_POLL_MS = 1_000;
/** A peer one block ahead for this long, with no local progress meanwhile, starts a sync. */
export const SYNC_LAG_MS = 3_000;
/**
 * A follower's polling: consensus never brings it a block, so it syncs as soon as a peer is one
 * ahead, and asks four times a second (a STATUS answer is a few dozen bytes): a read replica that
 * trails by a poll, not by seconds, and one that keeps within the two blocks activation allows.
 */
export const FOLLOWER_SYNC_POLL_MS = 250;
const STATUS_TIMEOUT_MS = 2_000;
const BLOCKS_TIMEOUT_MS = 10_000;

/** What block sync drives of the ledger host. */
export interface SyncTarget {
  readonly ledger: Ledger;
  /** Stops consensus from touching the ledger (blocks already decided finish first). */
  pause(): Promise<void>;
  /** Takes part again from the ledger's new tip. */
  resume(): void;
  /** A block sync committed: the pool forgets its transactions and waiting gateways are told. */
  committed(block: CommittedBlock): void;
}

export interface BlockSyncOptions {
  readonly target: SyncTarget;
  readonly links: PeerLinks;
  readonly metrics: ClusterMetrics;
  readonly logger: Logger;
  readonly pollMs?: number;
  readonly lagMs?: number;
}

/** A block that failed a check; `reason` is the metrics label. */
class Refusal extends ClusterError {
  readonly reason: string;

  constructor(reason: string, message: string) {
    super('BLOCK_REFUSED', message);
    this.reason = reason;
  }
}

/**
 * Block sync (spec/node-protocol.md §7.4): polls the connected peers' tips; when one is ahead by
 * two blocks or more, or by one for SYNC_LAG_MS without local progress, pauses consensus, takes
 * blocks from the peers highest first and commits each that checks out — a quorum of the
 * validators of its height signed its certificate, and re-executing its transactions on the local
 * tip with its timestamp gives the certified block hash — then resumes consensus. A block that
 * fails is refused and counted, and the next peer is asked.
 */
export class BlockSync {
  readonly #options: BlockSyncOptions;
  readonly #heights = new Map<string, { readonly identity: PubKey; readonly height: number }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy: Promise<void> | undefined;
  #stopped = false;
  #syncing = false;
  /** When a peer was first seen ahead with no local progress since (performance.now() ms). */
  #behind: { readonly since: number; readonly height: number } | undefined;

  constructor(options: BlockSyncOptions) {
    this.#options = options;
  }

  get syncing(): boolean {
    return this.#syncing;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.poll().catch((error: unknown) => {
        // The ledger itself failed (a commit did not land): consensus would fail on it too.
        this.#options.logger.error('block sync failed', { ledger: this.#options.target.ledger.ledgerHash.toBase58(), reason: error instanceof Error ? error.message : String(error) });
      });
    }, this.#options.pollMs ?? SYNC_POLL_MS);
    this.#timer.unref();
  }

  /** One round of status polling (and a sync if it shows this peer behind); overlapping calls share a round. */
  poll(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#busy ??= this.#round().finally(() => {
      this.#busy = undefined;
    });
    return this.#busy;
  }

  /** Stops polling and waits for a sync under way to finish its current block. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#busy;
  }

  async #round(): Promise<void> {
    await this.#pollTips();
    if (this.#stopped || !this.#shouldSync()) return;
    const { target } = this.#options;
    this.#syncing = true;
    await target.pause();
    try {
      await this.#syncFromPeers();
    } finally {
      this.#syncing = false;
      this.#behind = undefined;
      if (!this.#stopped) target.resume();
    }
  }

  async #pollTips(): Promise<void> {
    const { links, target } = this.#options;
    const ledgerHash = target.ledger.ledgerHash;
    const request = PeerStatusRequest.encode({});
    await Promise.all(
      links.connected().map(async (identity) => {
        try {
          const status = PeerStatusResponse.decode(await links.request(identity, PEER_CHANNEL.STATUS, request, STATUS_TIMEOUT_MS));
          const tip = status.ledgers.find((ledger) => ledger.ledgerHash.equals(ledgerHash));
          if (tip === undefined) this.#heights.delete(identity.toBase58());
          else this.#heights.set(identity.toBase58(), { identity, height: Number(tip.height) });
        } catch (error) {
          if (!(error instanceof TransportError || error instanceof CodecError)) throw error;
          this.#heights.delete(identity.toBase58());
        }
      }),
    );
  }

  #shouldSync(): boolean {
    const local = this.#options.target.ledger.tip.height;
    const best = Math.max(local, ...[...this.#heights.values()].map(({ height }) => height));
    if (best >= local + 2) return true;
    if (best < local + 1) {
      this.#behind = undefined;
      return false;
    }
    const now = performance.now();
    if (this.#behind === undefined || this.#behind.height !== local) this.#behind = { since: now, height: local };
    return now - this.#behind.since >= (this.#options.lagMs ?? SYNC_LAG_MS);
  }

  async #syncFromPeers(): Promise<void> {
    const { target, logger } = this.#options;
    const ahead = [...this.#heights.values()].filter(({ height }) => height > target.ledger.tip.height).sort((a, b) => b.height - a.height);
    for (const { identity, height } of ahead) {
      try {
        while (!this.#stopped && target.ledger.tip.height < height) {
          const blocks = await this.#fetch(identity);
          if (blocks.length === 0) break;
          for (const block of blocks) {
            if (this.#stopped) return;
            // Height and certificate first: a forged block is refused before any page of it is asked.
            this.#checkCertified(block);
            await this.#apply(block.transactions.length < block.transactionCount ? await this.#pageIn(identity, block) : block);
          }
        }
      } catch (error) {
        if (error instanceof Refusal) {
          this.#options.metrics.syncRefused.add(error.reason);
          logger.warn('synced block refused', { peer: identity.toBase58(), height: target.ledger.tip.height + 1, reason: error.reason, detail: error.message });
        } else if (error instanceof TransportError) {
          logger.warn('block sync request failed', { peer: identity.toBase58(), code: error.code, detail: error.message });
        } else {
          throw error;
        }
      }
      if (target.ledger.tip.height >= height) return;
    }
  }

  async #fetch(identity: PubKey): Promise<readonly SyncedBlock[]> {
    const { links, target } = this.#options;
    const request = PeerBlocksRequest.encode({ ledgerHash: target.ledger.ledgerHash, fromHeight: BigInt(target.ledger.tip.height + 1), maxBlocks: MAX_SYNC_BLOCKS });
    const body = await links.request(identity, PEER_CHANNEL.BLOCKS, request, BLOCKS_TIMEOUT_MS);
    try {
      return PeerBlocksResponse.decode(body).blocks;
    } catch (error) {
      if (error instanceof CodecError) throw new Refusal('MALFORMED', `the blocks answer does not decode: ${error.message}`);
      throw error;
    }
  }

  /**
   * The rest of a block too large for one answer, page by page from the same peer. The pages are
   * checked like the rest: re-execution must reproduce the certified block hash. The count and the
   * bytes are the serving peer's word until then, so they are held to the ledger's block limits:
   * a peer cannot keep this one paging (and holding pages) without end.
   */
  async #pageIn(identity: PubKey, block: SyncedBlock): Promise<SyncedBlock> {
    const { links, target } = this.#options;
    const { maxTransactionsPerBlock, maxBlockBytes } = target.ledger.tip.settings().limits;
    if (block.transactionCount > maxTransactionsPerBlock) {
      throw new Refusal('TOO_LARGE', `block ${block.header.height} is said to have ${block.transactionCount} transactions; the ledger allows ${maxTransactionsPerBlock} a block`);
    }
    const transactions = [...block.transactions];
    let bytes = transactions.reduce((sum, transaction) => sum + transaction.length, 0);
    while (transactions.length < block.transactionCount) {
      const request = PeerBlockPageRequest.encode({ ledgerHash: target.ledger.ledgerHash, height: block.header.height, fromIndex: transactions.length });
      const body = await links.request(identity, PEER_CHANNEL.BLOCK_PAGE, request, BLOCKS_TIMEOUT_MS);
      let page: readonly Uint8Array[];
      try {
        page = PeerBlockPageResponse.decode(body).transactions;
      } catch (error) {
        if (error instanceof CodecError) throw new Refusal('MALFORMED', `a block page does not decode: ${error.message}`);
        throw error;
      }
      if (page.length === 0) throw new Refusal('INCOMPLETE', `block ${block.header.height} has ${block.transactionCount} transactions; the peer sent ${transactions.length}`);
      for (const transaction of page.slice(0, block.transactionCount - transactions.length)) {
        bytes += transaction.length;
        transactions.push(transaction);
      }
      if (bytes > maxBlockBytes) throw new Refusal('TOO_LARGE', `block ${block.header.height}'s transactions pass ${maxBlockBytes} bytes, the ledger's limit for a block`);
    }
    return { ...block, transactions };
  }

  /** The block is the one after the local tip, and a quorum of that height's validators certified it; else a Refusal. */
  #checkCertified(block: SyncedBlock): void {
    const { ledger } = this.#options.target;
    const parent = ledger.tip;
    const height = parent.height + 1;
    const { header, certificate } = block;
    if (header.height !== BigInt(height) || certificate.height !== BigInt(height)) {
      throw new Refusal('WRONG_HEIGHT', `expected block ${height}, got header ${header.height} with a certificate of ${certificate.height}`);
    }
    const defect = certificateDefect(ledger.ledgerHash, certificate, validatorSetOf(parent));
    if (defect !== undefined) throw new Refusal('BAD_CERTIFICATE', defect);
  }

  /** Re-executes a certified block (checkCertified passed) on the local tip and commits it, or throws a Refusal. */
  async #apply(block: SyncedBlock): Promise<void> {
    const { target, metrics } = this.#options;
    const { ledger } = target;
    const parent = ledger.tip;
    const height = parent.height + 1;
    const { header, certificate } = block;
    if (block.transactions.length !== block.transactionCount) {
      throw new Refusal('COUNT_MISMATCH', `block ${height} is said to have ${block.transactionCount} transactions; ${block.transactions.length} came`);
    }
    let requests: TransactionRequest[];
    try {
      requests = block.transactions.map((bytes) => TransactionRequest.decode(bytes));
    } catch (error) {
      if (error instanceof CodecError) throw new Refusal('MALFORMED', `a transaction does not decode: ${error.message}`);
      throw error;
    }
    vouchForSignatures(ledger, requests);
    let executed: ReturnType<Ledger['execute']>;
    try {
      executed = ledger.execute({ height, timestamp: header.timestamp, transactions: requests }, parent);
    } catch (error) {
      throw new Refusal('EXECUTION_FAILED', error instanceof Error ? error.message : String(error));
    }
    if (!executed.blockHash.equals(certificate.blockHash) || executed.rejected.length > 0) {
      throw new Refusal('HASH_MISMATCH', `re-execution gives block ${executed.blockHash.toBase58()}, the certificate names ${certificate.blockHash.toBase58()}`);
    }
    await ledger.commit(executed.writeSet, certificate);
    metrics.syncedBlocks += 1;
    target.committed({ height, blockHash: executed.blockHash, header: executed.header, certificate, transactions: executed.transactions, results: executed.results });
  }
}

/**
 * A quorum certified the block, so at least f+1 honest validators took every signature in it as
 * valid when they admitted its transactions: each endpoint signature verified, and the submitting
 * gateway's node signature vouched for by the batch co-signature over it (ADR 0009), which this
 * peer never saw. Verifying them again here could only disagree with that quorum — a gateway that
 * put a bad node signature under a good batch signature would leave every peer that missed the
 * batch unable to take the block — and would cost a verification per signature. So the block's
 * signatures go into the signature cache as checked, and re-execution still has to reproduce the
 * certified block hash (every state root) exactly.
 */
function vouchForSignatures(ledger: Ledger, requests: readonly TransactionRequest[]): void {
  const settings = ledger.tip.settings();
  const cache = ledger.context.signatureCache;
  for (const request of requests) {
    for (const task of uncachedSignatures(settings, request, cryptoSuite, cache)) cache.remember(task);
  }
}

