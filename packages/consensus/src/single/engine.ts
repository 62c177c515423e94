import type { HashDigest } from '@jadechain/crypto';
import { EngineBase, EngineError, digestKey, transactionAtFault } from '../engine.js';
import type {
  BlockView,
  CommitSigner,
  CommittedBlock,
  ConsensusEngine,
  EngineStatus,
  ExecutedBlock,
  LedgerPort,
  RejectedTransaction,
  TransactionSource,
} from '../engine.js';
import { selfCertificate } from './certificate.js';

export interface SingleNodeOptions<Tx, View extends BlockView, WriteSet> {
  readonly ledger: LedgerPort<Tx, View, WriteSet>;
  readonly pool: TransactionSource<Tx>;
  readonly signer: CommitSigner;
  /**
   * The node's clock in ms since the epoch (default `Date.now`). It is the source of consensus
   * time: a block's timestamp is max(parent timestamp + 1, clock), so time never runs backwards
   * even when the clock does.
   */
  readonly clock?: () => bigint;
  /** Blocks executed but not yet durable, at most (default 2: block h+1 executes while h commits). */
  readonly maxPendingBlocks?: number;
  /** A cap on transactions per block below the ledger's own limit (default: the ledger's limit). */
  readonly maxTransactionsPerBlock?: number;
  /** Transaction bytes this node fills its blocks with at most (BatchLimits.fillBytes); default: the ledger's limit only. */
  readonly maxProposalBytes?: number;
  /**
   * Least milliseconds between blocks unless the pool fills one (default 0, none): blocks gather
   * an interval's transactions, so the per-block work (a storage commit, a certificate, result
   * notices) is shared by more of them.
   */
  readonly minBlockIntervalMs?: number;
}

interface PendingBlock<View extends BlockView, WriteSet> {
  readonly executed: ExecutedBlock<View, WriteSet>;
  readonly keys: readonly string[];
  readonly hashes: readonly HashDigest[];
}

/**
 * The engine of a one-peer network: the peer is the only proposer and the only voter. It
 * proposes only when the pool holds transactions (no empty blocks), fills each block up to the
 * limits in force, executes block h+1 on the pending state of block h while h is being written,
 * certifies each block with its own signature, and commits blocks strictly in order, each only
 * after its parent is durable. Any refusal by the ledger stops it for good: a block the ledger
 * did not accept is never committed, nor anything built on it.
 */
export class SingleNodeEngine<Tx, View extends BlockView, WriteSet> extends EngineBase implements ConsensusEngine {
  private readonly ledger: LedgerPort<Tx, View, WriteSet>;
  private readonly pool: TransactionSource<Tx>;
  private readonly signer: CommitSigner;
  private readonly clock: () => bigint;
  private readonly maxPendingBlocks: number;
  private readonly maxTransactionsPerBlock: number;
  private readonly maxProposalBytes: number | undefined;
  private readonly minBlockIntervalMs: number;
  /** When the last block was cut (this node's clock, ms), for pacing. */
  private lastBlockAtMs: bigint | undefined;
  private paced: NodeJS.Timeout | undefined;
  /** The newest executed block: the parent of the next batch. */
  private head: View;
  private committedHeight: number;
  private readonly pending: Array<PendingBlock<View, WriteSet>> = [];
  /** Hashes of transactions in pending blocks, so that no batch takes them again. */
  private readonly inBlocks = new Set<string>();
  private commits: Promise<void> = Promise.resolve();
  private scheduled: NodeJS.Immediate | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: SingleNodeOptions<Tx, View, WriteSet>) {
    super();
    this.ledger = options.ledger;
    this.pool = options.pool;
    this.signer = options.signer;
    this.clock = options.clock ?? (() => BigInt(Date.now()));
    this.maxPendingBlocks = positiveInteger('maxPendingBlocks', options.maxPendingBlocks ?? 2);
    this.maxTransactionsPerBlock = positiveInteger('maxTransactionsPerBlock', options.maxTransactionsPerBlock ?? Number.MAX_SAFE_INTEGER);
    this.maxProposalBytes = options.maxProposalBytes === undefined ? undefined : positiveInteger('maxProposalBytes', options.maxProposalBytes);
    this.minBlockIntervalMs = options.minBlockIntervalMs ?? 0;
    if (!Number.isSafeInteger(this.minBlockIntervalMs) || this.minBlockIntervalMs < 0) throw new EngineError('INVALID_CONFIG', `minBlockIntervalMs must be a whole number ≥ 0, got ${this.minBlockIntervalMs}`);
    this.head = options.ledger.tip;
    this.committedHeight = this.head.height;
  }

  get status(): EngineStatus {
    return this.statusAt(this.committedHeight, this.head.height);
  }

  start(): void {
    if (this.state !== 'created') throw new EngineError('INVALID_STATE', `cannot start an engine that is ${this.state}`);
    this.state = 'running';
    this.head = this.ledger.tip;
    this.committedHeight = this.head.height;
    this.unsubscribe = this.pool.onAvailable(() => this.schedule());
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopped';
    this.detach();
    await this.commits;
  }

  /** Proposes on a later turn of the event loop, so that admissions and commit callbacks interleave with execution. */
  private schedule(): void {
    if (this.state !== 'running' || this.scheduled !== undefined || this.pending.length >= this.maxPendingBlocks) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.proposeNext();
    });
  }

  private proposeNext(): void {
    if (this.state !== 'running' || this.pending.length >= this.maxPendingBlocks) return;
    const parent = this.head;
    const { limits } = parent.settings();
    const maxTransactions = Math.min(limits.maxTransactionsPerBlock, this.maxTransactionsPerBlock);
    // Waiting out the interval: a count tells whether arrivals could fill a block without walking the pool.
    if (this.paced !== undefined && this.pool.size - this.inBlocks.size < maxTransactions) return;
    const picked = this.pool.select(
      { maxTransactions, maxBytes: limits.maxBlockBytes, ...(this.maxProposalBytes === undefined ? {} : { fillBytes: this.maxProposalBytes }) },
      (hash) => this.inBlocks.has(digestKey(hash)),
    );
    if (picked.length === 0) return;
    const now = this.clock();
    // A clock that went back waits at most one interval.
    const wait = this.lastBlockAtMs === undefined ? 0 : Math.min(this.minBlockIntervalMs, this.minBlockIntervalMs - Number(now - this.lastBlockAtMs));
    if (wait > 0 && picked.length < maxTransactions) {
      // Arrivals meanwhile look again (a full block goes at once); the timer cuts whatever is there.
      this.paced ??= setTimeout(() => {
        this.paced = undefined;
        this.proposeNext();
      }, wait);
      return;
    }
    if (this.paced !== undefined) clearTimeout(this.paced);
    this.paced = undefined;
    this.lastBlockAtMs = now;
    const timestamp = now > parent.header.timestamp ? now : parent.header.timestamp + 1n;
    let executed: ExecutedBlock<View, WriteSet>;
    try {
      executed = this.ledger.execute({ height: parent.height + 1, timestamp, transactions: picked.map((entry) => entry.transaction) }, parent);
    } catch (error) {
      const culprit = transactionAtFault(error);
      if (culprit === undefined) {
        this.fail('EXECUTION_FAILED', `the ledger refused to execute block ${parent.height + 1}`, error);
        return;
      }
      this.pool.remove([culprit.transactionHash]);
      if (this.emit(this.rejectedListeners, [culprit])) this.schedule();
      return;
    }
    if (executed.rejected.length > 0) {
      const rejected: RejectedTransaction[] = [];
      for (const { batchIndex, code, message } of executed.rejected) {
        const entry = picked[batchIndex];
        if (entry === undefined) {
          this.fail('EXECUTION_FAILED', `the ledger rejected batch index ${batchIndex} of a batch of ${picked.length}`, undefined);
          return;
        }
        rejected.push({ transactionHash: entry.hash, code, message });
      }
      this.pool.remove(rejected.map((entry) => entry.transactionHash));
      if (!this.emit(this.rejectedListeners, rejected)) return;
    }
    // Everything refused: no empty block; the pool no longer holds those transactions.
    if (executed.results.length > 0) this.accept(executed);
    this.schedule();
  }

  private accept(executed: ExecutedBlock<View, WriteSet>): void {
    const hashes = executed.results.map((result) => result.transactionHash);
    const keys = hashes.map(digestKey);
    for (const key of keys) this.inBlocks.add(key);
    const block: PendingBlock<View, WriteSet> = { executed, keys, hashes };
    this.pending.push(block);
    this.head = executed.view;
    // Commits run strictly one after another: a block is handed to the ledger only once its parent is durable.
    this.commits = this.commits.then(() => this.commit(block));
  }

  private async commit(block: PendingBlock<View, WriteSet>): Promise<void> {
    if (this.state === 'failed') return;
    const { executed } = block;
    const height = Number(executed.header.height);
    const certificate = selfCertificate(this.ledger.ledgerHash, height, executed.blockHash, this.signer);
    try {
      await this.ledger.commit(executed.writeSet, certificate);
    } catch (error) {
      this.fail('COMMIT_FAILED', `the ledger did not commit block ${height}`, error);
      return;
    }
    this.pending.shift();
    for (const key of block.keys) this.inBlocks.delete(key);
    this.committedHeight = height;
    this.pool.committed({ height, timestamp: executed.header.timestamp, transactionHashes: block.hashes });
    const committed: CommittedBlock = {
      height,
      blockHash: executed.blockHash,
      header: executed.header,
      certificate,
      transactions: executed.transactions,
      results: executed.results,
    };
    if (this.emit(this.committedListeners, committed)) this.schedule();
  }

  protected halt(): void {
    this.detach();
    // Blocks built on the refused one are dropped; the ledger's tip stays at the last durable block.
    this.pending.length = 0;
    this.inBlocks.clear();
    this.head = this.ledger.tip;
  }

  private detach(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.paced !== undefined) clearTimeout(this.paced);
    this.paced = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new EngineError('INVALID_CONFIG', `${name} must be a positive whole number, got ${value}`);
  return value;
}
