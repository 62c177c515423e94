import type { HashDigest } from '@jadechain/crypto';
import { CodecError } from '@jadechain/types';
import type { CommitCertificate } from '@jadechain/types';
import { BftCore } from './core.js';
import { hashKey } from './crypto.js';
import type { BftConfig, BftInput, BftOutput, ChainTip, ExecutionOutcome, Misbehaviour } from './io.js';
import { ConsensusMessage } from './messages.js';
import type { Decision } from './messages.js';
import { SafetyRecord } from './record.js';

/** What to execute: a batch of transaction hashes as block `height` on top of block `parentHash`. */
export interface ExecuteRequest {
  readonly height: number;
  readonly parentHash: HashDigest;
  readonly timestamp: bigint;
  readonly transactions: readonly HashDigest[];
}

export interface CommitRequest {
  readonly height: number;
  readonly blockHash: HashDigest;
  readonly certificate: CommitCertificate;
  readonly transactions: readonly HashDigest[];
}

/**
 * The ledger as the driver sees it (spec/consensus.md §8). `execute` resolves the hashes to
 * transactions (fetching missing ones from peers), runs the ledger's execute on the parent's view
 * — committed, or executed before and not yet committed — writing nothing, keeps the result by
 * block hash and answers with that hash; requests arrive parent first. `commit` makes an executed
 * block durable with its certificate; commits arrive in height order.
 */
export interface BftLedgerHost {
  execute(request: ExecuteRequest, done: (outcome: ExecutionOutcome) => void): void;
  commit(request: CommitRequest, done: () => void): void;
}

/** The peer's mempool: transactions that passed the stateless checks, in arrival order (the host drops committed ones). */
export interface BftMempool {
  /** Transactions held, those of decided blocks included: what the driver asks on every arrival, so it must be cheap. */
  size(): number;
  /** Up to `max` transaction hashes for a proposal, leaving out those `excluded` names. */
  select(max: number, excluded: (hash: HashDigest) => boolean): HashDigest[];
}

/** The core's request for a batch of transaction hashes to propose. */
type BatchRequest = Extract<BftOutput, { type: 'request-batch' }>;

/** Authenticated links to the other validators, by validator id. */
export interface BftTransport {
  send(to: number, bytes: Uint8Array): void;
  broadcast(bytes: Uint8Array): void;
}

/** Durable storage for the latest write-ahead record; `done` once it is flushed. */
export interface BftRecordStore {
  write(record: Uint8Array, done: () => void): void;
}

export interface BftClock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  now(): bigint;
  setTimer(delayMs: number, fire: () => void): void;
}

export interface BftDriverHost {
  readonly ledger: BftLedgerHost;
  readonly mempool: BftMempool;
  readonly transport: BftTransport;
  readonly records: BftRecordStore;
  readonly clock: BftClock;
  onCommitted?(height: number, blockHash: HashDigest, certificate: CommitCertificate): void;
  onMisbehaviour?(misbehaviour: Misbehaviour): void;
  /**
   * Pacing (default 0, none): a leader asked for a batch for height h less than this many
   * milliseconds after it saw the proposal for height h−1 waits out the rest, unless the pool
   * already fills a block. So proposals come at most once an interval, whoever leads, and
   * blocks gather an interval's transactions instead of the few that arrived since the last one:
   * per-block work (votes, record writes, a storage commit) is paid per block, not per transaction.
   */
  readonly minBlockIntervalMs?: number;
  /**
   * This node holds transactions and the round's proposer has not proposed a sixth of the propose
   * timeout into the round (at most 500 ms). The proposer may simply
   * not have them: transactions reach a peer only from gateways, and a gateway that cannot reach
   * it leaves it with an empty pool, so that every height it leads would wait out the propose
   * timeout. The host can name some of `transactionHashes` to it, and it can fetch them. Called
   * at most once per round.
   */
  onProposerSilent?(silence: ProposerSilence): void;
}

/** Who should have proposed, and transactions this node holds that could go into the proposal. */
export interface ProposerSilence {
  readonly height: number;
  readonly round: number;
  readonly proposer: number;
  readonly transactionHashes: readonly HashDigest[];
}

/** The default hint comes at most this long into a round: well before the default 3 s propose timeout. */
const MAX_PROPOSER_HINT_MS = 500;

/** Most transaction hashes named to a silent proposer: enough to make it propose, not a block's worth. */
export const MAX_HINTED_TRANSACTIONS = 256;

/**
 * The pure core wired to a callback host: it encodes and decodes messages, writes records one at
 * a time (coalescing, since each replaces the last), feeds every completion back as an input,
 * builds batches from the mempool leaving out transactions of decided blocks, and tells the core
 * when the mempool has work. Host callbacks may run synchronously or later. The simulator drives
 * it directly; `BftConsensusEngine` puts it behind the peer's `ConsensusEngine` interface.
 */
export class BftDriver {
  private readonly core: BftCore;
  private readonly host: BftDriverHost;
  private readonly queue: BftInput[] = [];
  private draining = false;
  /** Transactions of decided blocks not yet committed, by height. */
  private readonly inFlight = new Map<number, ReadonlySet<string>>();
  private recordWriting = false;
  /** When this node first saw a proposal for each recent height (host clock, ms), for pacing. */
  private readonly proposedAtMs = new Map<number, bigint>();
  /** A batch request held back by pacing, answered when its timer fires or the pool fills a block. */
  private paced: BatchRequest | undefined;
  private nextRecord: { sequence: number; record: SafetyRecord } | undefined;

  private constructor(core: BftCore, host: BftDriverHost) {
    this.core = core;
    this.host = host;
  }

  /** Starts at the ledger's committed tip from the last durable record (if any). */
  static start(config: BftConfig, host: BftDriverHost, tip: ChainTip, record?: Uint8Array): BftDriver {
    const restored = record === undefined ? undefined : SafetyRecord.decode(record);
    const { core, outputs } = BftCore.start(config, tip, restored, host.clock.now());
    const driver = new BftDriver(core, host);
    driver.apply(outputs);
    driver.transactionsAdded();
    return driver;
  }

  get committedHeight(): number {
    return this.core.committedHeight;
  }

  get height(): number {
    return this.core.height;
  }

  get round(): number {
    return this.core.round;
  }

  /** Whether transactions would make this node act now (it has none at this height, or leads the round and has not asked for a batch). */
  get awaitingTransactions(): boolean {
    return this.core.awaitingTransactions;
  }

  /** The last block decided changes the validator set: this driver decides nothing more (spec/consensus.md §13). */
  get awaitingNewValidators(): boolean {
    return this.core.awaitingNewValidators;
  }

  /** Recent decisions to hand to the driver of the next validator set, which serves them to lagging peers. */
  get retainedDecisions(): Decision[] {
    return this.core.retainedDecisions;
  }

  /** Bytes from validator `from`; undecodable ones are reported, not thrown. */
  receive(from: number, bytes: Uint8Array): void {
    let message: ConsensusMessage;
    try {
      message = ConsensusMessage.decode(bytes);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      this.host.onMisbehaviour?.({ kind: 'MALFORMED_MESSAGE', validator: from, height: this.core.height, round: this.core.round, detail: error.message, proof: [] });
      return;
    }
    this.receiveMessage(from, message);
  }

  /** A message already decoded (an in-process transport decodes once for every recipient). */
  receiveMessage(from: number, message: ConsensusMessage): void {
    this.noteProposal(message);
    this.input({ type: 'message', from, message });
  }

  /** Pacing only: when a proposal for the current or next height was first seen (its validity is the core's business). */
  private noteProposal(message: ConsensusMessage): void {
    if (message.type !== 'PROPOSAL' || this.host.minBlockIntervalMs === undefined) return;
    const height = Number(message.proposal.content.height);
    const current = this.core.height;
    if (height < current || height > current + 1 || this.proposedAtMs.has(height)) return;
    this.proposedAtMs.set(height, this.host.clock.now());
    for (const known of this.proposedAtMs.keys()) if (known < current - 1) this.proposedAtMs.delete(known);
  }

  /**
   * The mempool gained transactions: the core becomes active if any is not in a decided block,
   * and a held-back batch request is answered once the pool fills a block. This runs on every
   * arrival, so it counts instead of walking the pool: the pool's size less the transactions of
   * decided blocks is at most what a selection would find (those blocks' transactions leave the
   * pool as they commit; one missing from it only makes the estimate low, and the request then
   * waits for its timer, as pacing would anyway).
   */
  transactionsAdded(): void {
    const paced = this.paced;
    const size = this.host.mempool.size();
    const undecided = size - this.inFlightCount();
    if (paced !== undefined && undecided >= paced.maxTransactions) this.releasePaced(paced);
    if (this.core.awaitingTransactions && size > 0 && this.host.mempool.select(1, this.excluded).length > 0) this.input({ type: 'transactions-available', height: this.core.height });
  }

  private inFlightCount(): number {
    let count = 0;
    for (const keys of this.inFlight.values()) count += keys.size;
    return count;
  }

  private readonly excluded = (hash: HashDigest): boolean => {
    const key = hashKey(hash);
    for (const keys of this.inFlight.values()) if (keys.has(key)) return true;
    return false;
  };

  private input(input: BftInput): void {
    this.queue.push(input);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        this.apply(this.core.handle(next, this.host.clock.now()));
      }
    } finally {
      this.draining = false;
    }
  }

  private apply(outputs: readonly BftOutput[]): void {
    for (const output of outputs) {
      switch (output.type) {
        case 'broadcast':
          this.noteProposal(output.message);
          this.host.transport.broadcast(ConsensusMessage.encode(output.message));
          break;
        case 'send':
          this.host.transport.send(output.to, ConsensusMessage.encode(output.message));
          break;
        case 'set-timer': {
          const { timer } = output;
          this.host.clock.setTimer(output.delayMs, () => this.input({ type: 'timeout', timer }));
          if (timer.step === 'propose' && this.host.onProposerSilent !== undefined) {
            const hintMs = Math.min(MAX_PROPOSER_HINT_MS, Math.floor(output.delayMs / 6));
            this.host.clock.setTimer(hintMs, () => this.hintProposer(timer.height, timer.round));
          }
          break;
        }
        case 'execute': {
          const { height, valueDigest, value } = output;
          const request = { height, parentHash: output.parentHash, timestamp: value.timestamp, transactions: value.transactions };
          this.host.ledger.execute(request, (outcome) => this.input({ type: 'executed', height, valueDigest, outcome }));
          break;
        }
        case 'commit':
          this.commit(output);
          break;
        case 'persist':
          this.persist(output.sequence, output.record);
          break;
        case 'request-batch':
          this.answerBatchRequest(output);
          break;
        case 'evidence':
          this.host.onMisbehaviour?.(output.misbehaviour);
          break;
      }
    }
  }

  /** Still in the round's PROPOSE step with transactions and no proposal: tells the host (see BftDriverHost.onProposerSilent). */
  private hintProposer(height: number, round: number): void {
    const core = this.core;
    if (core.height !== height || core.round !== round || !core.waitingForProposal) return;
    const transactionHashes = this.host.mempool.select(MAX_HINTED_TRANSACTIONS, this.excluded);
    if (transactionHashes.length === 0) return;
    this.host.onProposerSilent?.({ height, round, proposer: core.proposer, transactionHashes });
  }

  /** Answers at once, or once `minBlockIntervalMs` has passed since the previous height's proposal (a stale answer is ignored by the core). */
  private answerBatchRequest(output: BatchRequest): void {
    const { height, round, maxTransactions } = output;
    const transactions = this.host.mempool.select(maxTransactions, this.excluded);
    const interval = this.host.minBlockIntervalMs ?? 0;
    const previous = this.proposedAtMs.get(height - 1);
    // A clock that went back waits at most one interval.
    const wait = previous === undefined ? 0 : Math.min(interval, interval - Number(this.host.clock.now() - previous));
    if (wait <= 0 || transactions.length >= maxTransactions) {
      this.paced = undefined;
      this.queue.push({ type: 'batch', height, round, transactions });
      return;
    }
    this.paced = output;
    this.host.clock.setTimer(wait, () => this.releasePaced(output));
  }

  /** Answers a held-back request with what the pool holds now (once: a later call for it does nothing). */
  private releasePaced(request: BatchRequest): void {
    if (this.paced !== request) return;
    this.paced = undefined;
    const transactions = this.host.mempool.select(request.maxTransactions, this.excluded);
    this.input({ type: 'batch', height: request.height, round: request.round, transactions });
  }

  private commit(output: Extract<BftOutput, { type: 'commit' }>): void {
    const { height, blockHash, certificate } = output;
    const transactions = output.decision.value?.transactions ?? [];
    this.inFlight.set(height, new Set(transactions.map(hashKey)));
    this.host.ledger.commit({ height, blockHash, certificate, transactions }, () => {
      this.inFlight.delete(height);
      this.host.onCommitted?.(height, blockHash, certificate);
      this.input({ type: 'committed', height });
    });
    // Pipelining: the next height may start while this block is being written.
    this.transactionsAdded();
  }

  /** One write at a time; a record that arrives meanwhile replaces any other waiting one (and is encoded only if written). */
  private persist(sequence: number, record: SafetyRecord): void {
    if (this.recordWriting) {
      this.nextRecord = { sequence, record };
      return;
    }
    this.recordWriting = true;
    this.host.records.write(SafetyRecord.encode(record), () => {
      this.recordWriting = false;
      const waiting = this.nextRecord;
      this.nextRecord = undefined;
      if (waiting !== undefined) this.persist(waiting.sequence, waiting.record);
      this.input({ type: 'persisted', sequence });
    });
  }
}
