import type { HashDigest } from '@jadechain/crypto';
import type { CommitCertificate } from '@jadechain/types';
import { EngineBase, EngineError, Listeners, transactionAtFault } from '../engine.js';
import type {
  BlockView,
  ConsensusEngine,
  EngineStatus,
  ExecutedBlock,
  LedgerPort,
  TransactionSource,
} from '../engine.js';
import type { BftCrypto } from './crypto.js';
import { hashKey } from './crypto.js';
import { BftDriver } from './driver.js';
import { BftError } from './errors.js';
import type { BftDriverHost, CommitRequest, ExecuteRequest, ProposerSilence } from './driver.js';
import type { BftTimeouts, ExecutionOutcome, Misbehaviour } from './io.js';
import type { Decision } from './messages.js';
import type { ValidatorSet } from './validators.js';

/** Links to the other validators; the transport authenticates who sent what. */
export interface BftNetwork {
  send(to: number, bytes: Uint8Array): void;
  broadcast(bytes: Uint8Array): void;
  /** Subscribes to inbound consensus messages; returns the unsubscribe function. */
  onMessage(listener: (from: number, bytes: Uint8Array) => void): () => void;
}

/** Where the write-ahead record lives (one per ledger and validator). */
export interface BftRecordFile {
  /** The last durable record, read once at start (undefined on a fresh node). */
  read(): Uint8Array | undefined;
  /** Replaces the record; resolves once it is flushed to disk. */
  write(record: Uint8Array): Promise<void>;
}

export interface BftEngineOptions<Tx, View extends BlockView, WriteSet> {
  readonly ledger: LedgerPort<Tx, View, WriteSet>;
  readonly pool: TransactionSource<Tx>;
  readonly network: BftNetwork;
  readonly records: BftRecordFile;
  /** A fixed validator set (when `validatorsOf` is absent). */
  readonly validators?: ValidatorSet;
  /**
   * The validator set of height h+1 from the state after block h (the ledger's participants in
   * state CONSENSUS, by id). With it the engine follows membership changes: a block that changes
   * the set is the last its set decides, and once it is committed the engine restarts consensus
   * with the new set (spec/consensus.md §13). Throws BftError INVALID_VALIDATOR_SET for an empty set.
   */
  readonly validatorsOf?: (view: View) => ValidatorSet;
  /**
   * A committed block's view by height (the ledger's `view(height)`): on start the engine reads
   * the set that decided the tip, whose precommits are the next block's time evidence. Without it
   * that set is taken to be the next height's.
   */
  readonly viewAt?: (height: number) => View;
  /** This node's participant id; `crypto.sign` signs with its key. */
  readonly self: number;
  readonly crypto: BftCrypto;
  readonly timeouts?: Partial<BftTimeouts>;
  /** A cap on transactions per block below the ledger's own limit. */
  readonly maxTransactionsPerBlock?: number;
  /** Transaction bytes this node fills its proposals with at most (BatchLimits.fillBytes); default: the ledger's limit only. */
  readonly maxProposalBytes?: number;
  /** Least milliseconds between this node's proposals unless the pool fills a block (default 0; see BftDriverHost). */
  readonly minBlockIntervalMs?: number;
  /** Milliseconds since the epoch (default `Date.now`): what this node's precommits say the time is. */
  readonly clock?: () => bigint;
  /**
   * Obtains transactions a proposal names that the pool lacks (from other validators) and puts
   * them in the pool; resolves when done, whatever was found. Without it a missing transaction
   * makes the proposal invalid for this node.
   */
  readonly fetchMissing?: (hashes: readonly HashDigest[]) => Promise<void>;
  /** See BftDriverHost.onProposerSilent: the host may name the transactions to the silent proposer. */
  readonly onProposerSilent?: (silence: ProposerSilence) => void;
}

/**
 * The BFT protocol behind the peer's `ConsensusEngine` interface (docs/adr/0008), over the same
 * ledger and transaction-source ports as the single-node engine plus a network and a record
 * file. Proposals carry hashes that followers resolve from their pool; a block is committed once
 * a quorum certified it, with that quorum's certificate. Misbehaving peers are reported to
 * `onMisbehaviour`, never fatal; the engine fails only when its own ledger or disk does.
 */
export class BftConsensusEngine<Tx, View extends BlockView, WriteSet> extends EngineBase implements ConsensusEngine {
  private readonly options: BftEngineOptions<Tx, View, WriteSet>;
  private readonly misbehaviourListeners = new Listeners<Misbehaviour>();
  private driver: BftDriver | undefined;
  /** The validators of the height being decided (of the next height while this node is not one of them). */
  private validators: ValidatorSet | undefined;
  /** Executed blocks by block hash: parents of later batches, and what a decision commits. */
  private readonly executed = new Map<string, { readonly block: ExecutedBlock<View, WriteSet>; readonly batch: readonly HashDigest[] }>();
  private committedHeight: number;
  private executedHeight: number;
  private commits: Promise<void> = Promise.resolve();
  /** Executions in request order: one that waits for fetched transactions holds back its children. */
  private executions: Promise<void> = Promise.resolve();
  private executionsPending = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly subscriptions: (() => void)[] = [];
  /**
   * Which driver may act: bumped whenever the driver is dropped (pause, reconfiguration, stop), so
   * that a dropped driver's late callbacks (a record write completing, a decision it reaches
   * from one) neither send, commit nor set timers.
   */
  private generation = 0;
  /** Record writes in order, across drivers: a dropped driver's write never lands after a new one's. */
  private recordWrites: Promise<void> = Promise.resolve();

  constructor(options: BftEngineOptions<Tx, View, WriteSet>) {
    super();
    if (options.validators === undefined && options.validatorsOf === undefined) {
      throw new BftError('INVALID_CONFIG', 'a BFT engine needs validators or validatorsOf');
    }
    this.options = options;
    this.committedHeight = options.ledger.tip.height;
    this.executedHeight = this.committedHeight;
  }

  get status(): EngineStatus {
    return this.statusAt(this.committedHeight, this.executedHeight);
  }

  /**
   * Whether transactions would make this node act at `height` now: it has none for the height
   * being decided, or leads the round and has not asked for a batch. A proposer hinted by another
   * validator (onProposerSilent) fetches the named transactions only then.
   */
  awaitingTransactionsAt(height: number): boolean {
    const driver = this.driver;
    return this.state === 'running' && driver !== undefined && driver.height === height && driver.awaitingTransactions;
  }

  /** Peers caught breaking the protocol (for logs and metrics; the protocol already tolerates them). */
  onMisbehaviour(listener: (misbehaviour: Misbehaviour) => void): () => void {
    return this.misbehaviourListeners.add(listener);
  }

  /** Throws BftError RECORD_INCONSISTENT if the record does not fit the ledger's tip. */
  start(): void {
    if (this.state !== 'created') throw new EngineError('INVALID_STATE', `cannot start an engine that is ${this.state}`);
    this.launch();
    this.state = 'running';
  }

  /**
   * Stops taking part in consensus without stopping the engine: no message is handled or sent
   * until `resume`, and blocks already decided finish committing first. The host pauses to
   * commit blocks it fetched itself (block sync), then resumes from the ledger's new tip.
   */
  async pause(): Promise<void> {
    if (this.state !== 'running' || this.driver === undefined) return;
    this.halt();
    this.driver = undefined;
    // The record `resume` reads must include every write the dropped driver started.
    await Promise.all([this.commits, this.recordWrites]);
    this.executed.clear();
  }

  /** Takes part again from the ledger's current tip (after `pause`). */
  resume(): void {
    if (this.state !== 'running' || this.driver !== undefined) return;
    this.committedHeight = this.options.ledger.tip.height;
    this.executedHeight = this.committedHeight;
    this.guard(() => this.launch());
  }

  get paused(): boolean {
    return this.state === 'running' && this.driver === undefined;
  }

  /**
   * Whether this node takes part in consensus: it is a validator of the next height. A node that
   * is not (registered but not activated, or deactivated) commits nothing itself; its host brings
   * the ledger up to date by block sync and calls `resume`, which checks again.
   */
  get validating(): boolean {
    return this.driver !== undefined;
  }

  /** The validator set the engine works with (of the next height to decide). */
  get validatorSet(): ValidatorSet | undefined {
    return this.validators;
  }

  /**
   * A driver from the ledger's tip and the durable record, fed by the network and the pool, if
   * this node validates the next height. `retainedDecisions` come from the driver of the previous
   * validator set, so that peers lagging behind the change can still be served.
   */
  private launch(retainedDecisions: readonly Decision[] = []): void {
    const { ledger, pool, network, records, self } = this.options;
    const tip = ledger.tip;
    const validators = this.validatorsAfter(tip);
    this.validators = validators;
    if (!validators.has(self)) return;
    const config = {
      ledgerHash: ledger.ledgerHash,
      validators,
      parentValidators: this.decidersOf(tip) ?? validators,
      self,
      crypto: this.options.crypto,
      retainedDecisions,
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      ...(this.options.maxTransactionsPerBlock ? { maxBatchTransactions: this.options.maxTransactionsPerBlock } : {}),
    };
    this.driver = BftDriver.start(config, this.host(this.generation), { height: tip.height, blockHash: tip.blockHash, timestamp: tip.header.timestamp }, records.read());
    this.subscriptions.push(
      network.onMessage((from, bytes) => this.guard(() => this.driver?.receive(from, bytes))),
      pool.onAvailable(() => this.guard(() => this.driver?.transactionsAdded())),
    );
  }

  /** The validators of the height after `view`'s block. */
  private validatorsAfter(view: View): ValidatorSet {
    const { validatorsOf, validators } = this.options;
    return validatorsOf === undefined ? (validators as ValidatorSet) : validatorsOf(view);
  }

  /** The validators that decided the tip: those of the tip's own height. */
  private decidersOf(tip: View): ValidatorSet | undefined {
    const { viewAt, validatorsOf } = this.options;
    if (tip.height === 0 || viewAt === undefined || validatorsOf === undefined) return undefined;
    return validatorsOf(viewAt(tip.height - 1));
  }

  /**
   * The committed block changed the validator set: the driver of the old set decided its last
   * height (it signed nothing after it), so replace it with one for the new set, from the
   * ledger's tip and the record, which holds the old set's precommits for the tip.
   */
  private reconfigure(): void {
    const retained = this.driver?.retainedDecisions ?? [];
    this.halt();
    this.driver = undefined;
    this.executed.clear();
    this.launch(retained);
  }

  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopped';
    this.halt();
    await this.commits;
  }

  /** The host of the driver of `generation`: once that driver is dropped, its calls do nothing. */
  private host(generation: number): BftDriverHost {
    const { network, records } = this.options;
    const live = (): boolean => this.generation === generation;
    return {
      ledger: {
        execute: (request, done) => {
          if (live()) this.executeInOrder(request, done);
        },
        commit: (request, done) => {
          if (live()) this.commit(request, done);
        },
      },
      mempool: {
        size: () => this.options.pool.size,
        select: (max, excluded) => (live() ? this.select(max, excluded) : []),
      },
      transport: {
        send: (to, bytes) => {
          if (live()) network.send(to, bytes);
        },
        broadcast: (bytes) => {
          if (live()) network.broadcast(bytes);
        },
      },
      records: {
        write: (bytes, done) => {
          if (!live()) return;
          this.recordWrites = this.recordWrites.then(() =>
            records.write(bytes).then(
              () => {
                if (live()) this.guard(done);
              },
              (error: unknown) => this.fail('COMMIT_FAILED', 'the consensus record could not be written', error),
            ),
          );
        },
      },
      clock: {
        now: this.options.clock ?? (() => BigInt(Date.now())),
        setTimer: (delayMs, fire) => {
          if (!live()) return;
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            if (live()) this.guard(fire);
          }, delayMs);
          this.timers.add(timer);
        },
      },
      onMisbehaviour: (misbehaviour) => this.misbehaviourListeners.emit(misbehaviour),
      ...(this.options.minBlockIntervalMs === undefined ? {} : { minBlockIntervalMs: this.options.minBlockIntervalMs }),
      ...(this.options.onProposerSilent === undefined ? {} : { onProposerSilent: (silence: ProposerSilence) => live() && this.options.onProposerSilent?.(silence) }),
    };
  }

  /**
   * Executes at once when the pool holds every transaction and nothing waits before; otherwise
   * after the earlier requests, fetching the missing transactions first. A driver replaced
   * meanwhile (pause) gets no answer.
   */
  private executeInOrder(request: ExecuteRequest, done: (outcome: ExecutionOutcome) => void): void {
    const { pool, fetchMissing } = this.options;
    const driver = this.driver;
    const missing = request.transactions.filter((hash) => pool.get(hash) === undefined);
    if (missing.length === 0 && this.executionsPending === 0) {
      done(this.execute(request));
      return;
    }
    this.executionsPending += 1;
    this.executions = this.executions.then(async () => {
      try {
        const stillMissing = request.transactions.filter((hash) => pool.get(hash) === undefined);
        if (stillMissing.length > 0 && fetchMissing !== undefined) await fetchMissing(stillMissing).catch(() => undefined);
        if (this.driver === driver) this.guard(() => done(this.execute(request)));
      } finally {
        this.executionsPending -= 1;
      }
    });
  }

  /** Resolves the hashes from the pool and executes on the parent; a refusal is an invalid proposal, not a failure. */
  private execute(request: ExecuteRequest): ExecutionOutcome {
    const { ledger, pool } = this.options;
    const parentKey = hashKey(request.parentHash);
    const parent = hashKey(ledger.tip.blockHash) === parentKey ? ledger.tip : this.executed.get(parentKey)?.block.view;
    if (parent === undefined) return { valid: false, reason: `parent ${request.parentHash.toBase58()} is neither committed nor executed` };
    const bodies: Tx[] = [];
    for (const hash of request.transactions) {
      const body = pool.get(hash);
      if (body === undefined) return { valid: false, reason: `transaction ${hash.toBase58()} is not in the pool` };
      bodies.push(body);
    }
    let block: ExecutedBlock<View, WriteSet>;
    try {
      block = ledger.execute({ height: request.height, timestamp: request.timestamp, transactions: bodies }, parent);
    } catch (error) {
      // A transaction this node cannot execute to the end leaves its pool, so that this node
      // (as leader) does not propose it again and again; a quorum may still decide the block.
      const culprit = transactionAtFault(error);
      if (culprit !== undefined) {
        pool.remove([culprit.transactionHash]);
        this.emit(this.rejectedListeners, [culprit]);
      }
      return { valid: false, reason: error instanceof Error ? error.message : String(error) };
    }
    this.executed.set(hashKey(block.blockHash), { block, batch: request.transactions });
    this.executedHeight = Math.max(this.executedHeight, request.height);
    return this.changesValidators(block.view) ? { valid: true, blockHash: block.blockHash, changesValidators: true } : { valid: true, blockHash: block.blockHash };
  }

  private changesValidators(view: View): boolean {
    const current = this.validators;
    return this.options.validatorsOf !== undefined && current !== undefined && !this.options.validatorsOf(view).equals(current);
  }

  private select(max: number, excluded: (hash: HashDigest) => boolean): HashDigest[] {
    const { limits } = this.options.ledger.tip.settings();
    const fill = this.options.maxProposalBytes;
    const batch = { maxTransactions: Math.min(max, limits.maxTransactionsPerBlock), maxBytes: limits.maxBlockBytes, ...(fill === undefined ? {} : { fillBytes: fill }) };
    return this.options.pool.select(batch, excluded).map((entry) => entry.hash);
  }

  /** Commits in decision order, each once its parent is durable, then tells the pool and the listeners. */
  private commit(request: CommitRequest, done: () => void): void {
    const entry = this.executed.get(hashKey(request.blockHash));
    if (entry === undefined) {
      this.fail('COMMIT_FAILED', `block ${request.height} was decided but never executed here`, undefined);
      return;
    }
    this.commits = this.commits.then(async () => {
      if (this.state === 'failed') return;
      try {
        await this.options.ledger.commit(entry.block.writeSet, request.certificate);
      } catch (error) {
        this.fail('COMMIT_FAILED', `the ledger did not commit block ${request.height}`, error);
        return;
      }
      this.committed(request.height, entry.block, entry.batch, request.certificate);
      // The last block of its validator set: the driver that decided it has nothing left to do.
      const driver = this.driver;
      if (driver?.awaitingNewValidators === true && driver.height === request.height + 1) this.guard(() => this.reconfigure());
      else this.guard(done);
    });
  }

  private committed(height: number, block: ExecutedBlock<View, WriteSet>, batch: readonly HashDigest[], certificate: CommitCertificate): void {
    this.committedHeight = height;
    // The committed block is the ledger's tip now; executions at or below it are of no further use.
    for (const [key, executed] of this.executed) if (Number(executed.block.header.height) <= height) this.executed.delete(key);
    const { pool } = this.options;
    pool.committed({ height, timestamp: block.header.timestamp, transactionHashes: block.results.map((result) => result.transactionHash) });
    const rejected = block.rejected.flatMap(({ batchIndex, code, message }) => {
      const transactionHash = batch[batchIndex];
      return transactionHash === undefined ? [] : [{ transactionHash, code, message }];
    });
    if (rejected.length > 0) {
      pool.remove(rejected.map((entry) => entry.transactionHash));
      this.emit(this.rejectedListeners, rejected);
    }
    this.emit(this.committedListeners, { height, blockHash: block.blockHash, header: block.header, certificate, transactions: block.transactions, results: block.results });
  }

  /** Runs a callback of the running engine; a core error (a broken host contract) fails it. */
  private guard(action: () => void): void {
    if (this.state !== 'running') return;
    try {
      action();
    } catch (error) {
      this.fail('EXECUTION_FAILED', `consensus stopped: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  protected halt(): void {
    this.generation += 1;
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
