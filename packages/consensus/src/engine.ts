import type { HashDigest, SignatureDigest } from '@jadechain/crypto';
import type { BlockHeader, CommitCertificate, TransactionRequest, TransactionResult, Voter } from '@jadechain/types';

/**
 * The consensus engine interface and its host contract (docs/adr/0008). An engine orders
 * transactions into blocks: it pulls transaction hashes from a `TransactionSource` (the peer's
 * mempool), asks the `LedgerPort` to execute a batch on top of a parent block (committed or
 * still pending), obtains a commit certificate (its own signature for the single-node engine, a
 * quorum's for BFT), asks the ledger to commit, and reports each durable block. The peer wires a
 * ledger and a mempool into any engine the same way; only the engine's own options differ.
 */

/** A block as the engine sees it: the ledger's committed tip or a pending executed block. */
export interface BlockView {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly header: { readonly timestamp: bigint };
  /** The settings in force for the next block (only the block limits matter here). */
  settings(): { readonly limits: { readonly maxTransactionsPerBlock: number; readonly maxBlockBytes: number } };
}

/** A batch of transaction bodies to execute as block `height` at consensus time `timestamp` (ms). */
export interface ExecutionBatch<Tx> {
  readonly height: number;
  readonly timestamp: bigint;
  readonly transactions: readonly Tx[];
}

/** What executing a batch gave: the header to certify, the results, and what to commit. */
export interface ExecutedBlock<View extends BlockView, WriteSet> {
  readonly header: BlockHeader;
  readonly blockHash: HashDigest;
  readonly transactions: readonly TransactionRequest[];
  readonly results: readonly TransactionResult[];
  /** Transactions of the batch left out of the block, by position in the batch. */
  readonly rejected: ReadonlyArray<{ readonly batchIndex: number; readonly code: string; readonly message: string }>;
  readonly writeSet: WriteSet;
  /** The state after the block, pending until it commits: the parent of the next batch. */
  readonly view: View;
}

/**
 * The ledger as an engine drives it (@jadechain/ledger's `Ledger` fits as is). `execute` writes
 * nothing and may throw for a batch that breaks the rules of batches or for lost storage; the
 * engine then commits nothing. An error that names a `transactionHash` (a contract this node could
 * not run to the end, say) blames that transaction alone: the engine drops it from the pool,
 * reports it rejected and goes on. `commit` resolves once the block is durable, in height order.
 */
export interface LedgerPort<Tx, View extends BlockView, WriteSet> {
  readonly ledgerHash: HashDigest;
  /** The last durably committed block. */
  readonly tip: View;
  /** Executes on `parent` (the tip when absent); engines always name the parent. */
  execute(batch: ExecutionBatch<Tx>, parent?: View): ExecutedBlock<View, WriteSet>;
  commit(writeSet: WriteSet, certificate: CommitCertificate): Promise<void>;
}

/** A transaction waiting in the pool, as consensus sees it. */
export interface PooledTransaction<Tx> {
  readonly hash: HashDigest;
  /** Bytes of its canonical encoding (what the block byte limit counts). */
  readonly size: number;
  readonly transaction: Tx;
}

export interface BatchLimits {
  readonly maxTransactions: number;
  readonly maxBytes: number;
  /**
   * Bytes past which a batch takes no further transaction, though a first one larger than this is
   * still taken, alone, when it fits `maxBytes`: the node's own cap on what it proposes (a block
   * must fit one block-sync answer), not a rule of validity.
   */
  readonly fillBytes?: number;
}

/** A durable block, reported to the pool so it can drop what the block holds. */
export interface CommittedSummary {
  readonly height: number;
  /** The block's consensus timestamp: the reference of the timestamp window from now on. */
  readonly timestamp: bigint;
  readonly transactionHashes: readonly HashDigest[];
}

/**
 * The mempool as consensus uses it. Transactions were checked on entry (encoding, limits,
 * signatures), so consensus handles only hashes and the bodies the pool resolves.
 */
export interface TransactionSource<Tx> {
  /** Transactions held. */
  readonly size: number;
  /** Transactions in arrival order, skipping those `exclude` names, until a limit is reached. */
  select(limits: BatchLimits, exclude: (hash: HashDigest) => boolean): Array<PooledTransaction<Tx>>;
  /** The body of a pooled transaction (a BFT follower resolves a proposal's hashes with it). */
  get(hash: HashDigest): Tx | undefined;
  /** Calls `listener` whenever transactions arrive; returns the unsubscribe function. */
  onAvailable(listener: () => void): () => void;
  /** A block is durable: drop its transactions, and those the new timestamp puts out of the window. */
  committed(block: CommittedSummary): void;
  /** Drops transactions execution refused (they cannot enter any later block either). */
  remove(hashes: readonly HashDigest[]): void;
}

/** Signs this node's commit votes (`commitVoteMessage`) and names it in certificates. */
export interface CommitSigner {
  readonly voter: Voter;
  sign(message: Uint8Array): SignatureDigest;
}

/** A block the ledger made durable, with its certificate and every transaction's result. */
export interface CommittedBlock {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly header: BlockHeader;
  readonly certificate: CommitCertificate;
  readonly transactions: readonly TransactionRequest[];
  readonly results: readonly TransactionResult[];
}

/** A transaction execution left out of every block (the stateless check failed against the settings in force). */
export interface RejectedTransaction {
  readonly transactionHash: HashDigest;
  readonly code: string;
  readonly message: string;
}

/** The transaction an execution error blames, if it names one (see `LedgerPort`). */
export function transactionAtFault(error: unknown): RejectedTransaction | undefined {
  if (!(error instanceof Error) || !('transactionHash' in error) || !('code' in error)) return undefined;
  const { transactionHash, code } = error;
  if (typeof code !== 'string' || typeof transactionHash !== 'object' || transactionHash === null || !('toBase58' in transactionHash)) return undefined;
  return { transactionHash: transactionHash as HashDigest, code, message: error.message };
}

export type EngineState = 'created' | 'running' | 'stopped' | 'failed';

export interface EngineStatus {
  readonly state: EngineState;
  readonly committedHeight: number;
  /** Highest executed block (equal to `committedHeight` when nothing is pending). */
  readonly executedHeight: number;
  readonly failure?: EngineError;
}

/**
 * What the peer calls, whatever the engine. Listeners run synchronously in the engine's turn and
 * must not throw (an exception is reported as the engine's failure).
 */
export interface ConsensusEngine {
  /** Resumes from the ledger's committed tip and starts ordering. */
  start(): void;
  /** Stops proposing and resolves once every block already handed to the ledger has settled. */
  stop(): Promise<void>;
  readonly status: EngineStatus;
  onCommitted(listener: (block: CommittedBlock) => void): () => void;
  onRejected(listener: (transactions: readonly RejectedTransaction[]) => void): () => void;
  /** The engine stopped for good: the ledger refused a block, or storage failed. */
  onFailed(listener: (error: EngineError) => void): () => void;
}

export type EngineErrorCode =
  /** The ledger refused to execute a batch (batch rules, or lost/corrupt storage). */
  | 'EXECUTION_FAILED'
  /** The ledger refused or failed to commit a block. */
  | 'COMMIT_FAILED'
  /** A listener threw. */
  | 'LISTENER_FAILED'
  /** An engine was started twice, or after it stopped. */
  | 'INVALID_STATE'
  /** The engine's options are out of range. */
  | 'INVALID_CONFIG';

export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { readonly cause: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** A string key for a hash (its tagged bytes as latin1), for sets and maps that compare by value. */
export function digestKey(hash: HashDigest): string {
  return hash.toLatin1();
}

/** A list of listeners of one event. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    // A wrapper, so that registering one function twice gives two independent subscriptions.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/**
 * What every engine shares: its lifecycle state, its failure, the three event streams of
 * `ConsensusEngine`, and the rule that a throwing listener or an own fault fails the engine once
 * and for all. Subclasses say how to build their status and what to release when they fail.
 */
export abstract class EngineBase {
  protected readonly committedListeners = new Listeners<CommittedBlock>();
  protected readonly rejectedListeners = new Listeners<readonly RejectedTransaction[]>();
  protected readonly failedListeners = new Listeners<EngineError>();
  protected state: EngineState = 'created';
  protected failure: EngineError | undefined;

  onCommitted(listener: (block: CommittedBlock) => void): () => void {
    return this.committedListeners.add(listener);
  }

  onRejected(listener: (transactions: readonly RejectedTransaction[]) => void): () => void {
    return this.rejectedListeners.add(listener);
  }

  onFailed(listener: (error: EngineError) => void): () => void {
    return this.failedListeners.add(listener);
  }

  protected statusAt(committedHeight: number, executedHeight: number): EngineStatus {
    const status = { state: this.state, committedHeight, executedHeight };
    return this.failure === undefined ? status : { ...status, failure: this.failure };
  }

  /** Emits an event; a throwing listener fails the engine (false). */
  protected emit<T>(listeners: Listeners<T>, value: T): boolean {
    try {
      listeners.emit(value);
      return true;
    } catch (error) {
      this.fail('LISTENER_FAILED', 'an engine listener threw', error);
      return false;
    }
  }

  protected fail(code: EngineErrorCode, message: string, cause: unknown): void {
    if (this.state === 'failed') return;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    this.failure = new EngineError(code, `${message}${detail}`, { cause });
    this.state = 'failed';
    this.halt();
    this.failedListeners.emit(this.failure);
  }

  /** Releases timers and subscriptions, and drops work built on what failed. */
  protected abstract halt(): void;
}
