import type { HashDigest } from '@jadechain/crypto';
import type { CommitCertificate } from '@jadechain/types';
import { BftDriver } from '../bft/driver.js';
import type { BftDriverHost } from '../bft/driver.js';
import type { BftConfig, Misbehaviour } from '../bft/io.js';
import type { ConsensusMessage, Decision } from '../bft/messages.js';
import type { ValidatorSet } from '../bft/validators.js';
import type { ByzantineTransport } from './byzantine.js';
import type { EventQueue } from './event-queue.js';
import { SimLedger } from './ledger.js';
import type { LedgerEnvironment, LedgerStore } from './ledger.js';
import { SimMempool } from './mempool.js';
import type { Prng } from './prng.js';

/** Virtual time 0 on every node's clock (before its skew): 2023-11-14T22:13:20Z. */
export const SIM_EPOCH_MS = 1_700_000_000_000;

/** How often a node looks for a longer chain to copy (block sync). */
const SYNC_INTERVAL_MS = 300;
/** A validator syncs blocks only this far behind; shorter gaps are closed by consensus's own decisions. */
const VALIDATOR_SYNC_GAP = 3;

/** A node's configuration but for the validator sets, which come from its ledger. */
export type NodeConfig = Omit<BftConfig, 'validators' | 'parentValidators' | 'retainedDecisions'>;

/** What a node needs from the simulation around it. */
export interface NodeWorld {
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly ledger: Omit<LedgerEnvironment, 'later'>;
  /** Every node of the run, validator or not yet (a broadcast reaches them all; each core filters). */
  readonly validatorIds: readonly number[];
  /** The validator set of the given ids, with their keys. */
  validatorSet(ids: readonly number[]): ValidatorSet;
  /**
   * Block sync, modelled (the node's business, not consensus's): a longer committed chain of an
   * honest running node to copy from, or undefined when the run does not model it.
   */
  syncSource(node: SimNode): LedgerStore | undefined;
  /** Whether the run models block sync at all (only runs with membership changes need it). */
  readonly blockSync: boolean;
  readonly recordDelay: () => number;
  /** False only when the simulation sabotages persistence (see SimulationOptions.sabotage). */
  readonly keepsRecords: boolean;
  /** Sends bytes from this node to validators (a broadcast is one call, so a liar lies once per message). */
  route(from: SimNode, recipients: readonly number[], bytes: Uint8Array): void;
  committed(node: SimNode, height: number, blockHash: HashDigest, certificate: CommitCertificate): void;
  misbehaviour(node: SimNode, misbehaviour: Misbehaviour): void;
}

/**
 * One running instance of a validator (twins are two instances of one validator): a BFT engine
 * over a simulated ledger, mempool, record store, clock and links. The committed chain and the
 * last durable record survive a crash; everything else is lost, and of the writes in flight at
 * the crash a random prefix lands (a durable write is all or nothing). Like the peer's engine, a
 * node runs consensus only while it validates its next height, and restarts it with the new set
 * once it has committed a block that changes the set (spec/consensus.md §13).
 */
export class SimNode {
  private incarnation = 0;
  private running = false;
  private engine: BftDriver | undefined;
  private mempool = new SimMempool();
  private ledger: SimLedger | undefined;
  private record: Uint8Array | undefined;
  private recordInFlight: Uint8Array | undefined;
  restarts = 0;

  constructor(
    readonly validator: number,
    readonly honest: boolean,
    readonly store: LedgerStore,
    private readonly config: NodeConfig,
    private readonly skewMs: number,
    private readonly world: NodeWorld,
    readonly byzantine: ByzantineTransport | undefined,
  ) {}

  get up(): boolean {
    return this.running;
  }

  get height(): number {
    return this.engine?.height ?? this.store.tip.height + 1;
  }

  /** Whether this node is a validator of its next height (and so runs consensus). */
  get validating(): boolean {
    return this.engine !== undefined;
  }

  start(retainedDecisions: readonly Decision[] = []): void {
    this.running = true;
    const later = (delay: number, action: () => void): void => this.later(delay, action);
    if (this.world.blockSync) later(SYNC_INTERVAL_MS, () => this.sync());
    const tip = this.store.tip;
    if (!tip.validators.includes(this.validator)) {
      this.engine = undefined;
      this.ledger = undefined;
      return;
    }
    const ledger = new SimLedger(this.store, { ...this.world.ledger, later }, () => this.world.queue.now);
    this.ledger = ledger;
    const mempool = this.mempool;
    const host: BftDriverHost = {
      ledger: {
        execute: (request, done) => ledger.execute(request, done),
        commit: (request, done) =>
          ledger.commit(request, () => {
            mempool.remove(request.transactions);
            done();
          }),
      },
      mempool: this.mempool,
      transport: {
        send: (to, bytes) => this.world.route(this, [to], bytes),
        broadcast: (bytes) => this.world.route(this, this.world.validatorIds.filter((to) => to !== this.validator), bytes),
      },
      records: {
        write: (bytes, done) => {
          this.recordInFlight = bytes;
          later(this.world.recordDelay(), () => {
            if (this.world.keepsRecords || !this.honest) this.record = bytes;
            this.recordInFlight = undefined;
            done();
          });
        },
      },
      clock: {
        now: () => BigInt(SIM_EPOCH_MS + this.world.queue.now + this.skewMs),
        setTimer: (delayMs, fire) => later(delayMs, fire),
      },
      onCommitted: (height, blockHash, certificate) => {
        this.world.committed(this, height, blockHash, certificate);
        const engine = this.engine;
        if (engine?.awaitingNewValidators === true && engine.height === height + 1) this.restartWith(engine.retainedDecisions);
      },
      onMisbehaviour: (misbehaviour) => this.world.misbehaviour(this, misbehaviour),
    };
    const deciders = this.store.chain[tip.height - 1]?.validators ?? tip.validators;
    const config: BftConfig = {
      ...this.config,
      validators: this.world.validatorSet(tip.validators),
      parentValidators: this.world.validatorSet(deciders),
      retainedDecisions,
    };
    this.engine = BftDriver.start(config, host, { height: tip.height, blockHash: tip.blockHash, timestamp: tip.timestamp }, this.record);
  }

  /** Replaces the engine by one from the committed tip and the durable record (nothing in flight is lost). */
  private restartWith(retainedDecisions: readonly Decision[]): void {
    this.incarnation++;
    this.start(retainedDecisions);
  }

  /**
   * Block sync: a node that is not a validator copies every block it lacks; a validator only when
   * it fell far behind (decisions retained by its peers close short gaps). A validator first lets
   * what it already decided land, as the peer's engine does when paused for block sync.
   */
  private sync(): void {
    const source = this.world.syncSource(this);
    const gap = (source?.tip.height ?? 0) - this.store.tip.height;
    if (source !== undefined && gap >= (this.engine === undefined ? 1 : VALIDATOR_SYNC_GAP)) {
      for (const entry of this.ledger?.inFlight ?? []) this.store.append(entry.block, entry.certificate);
      if (this.recordInFlight !== undefined) this.record = this.recordInFlight;
      this.recordInFlight = undefined;
      for (const block of source.chain.slice(this.store.tip.height + 1)) this.store.append(block, block.certificate as CommitCertificate);
      this.restartWith([]);
      return;
    }
    this.later(SYNC_INTERVAL_MS, () => this.sync());
  }

  /** Runs `action` after `delay` virtual ms unless this incarnation ended meanwhile (crash or restart). */
  private later(delay: number, action: () => void): void {
    const incarnation = this.incarnation;
    this.world.queue.after(delay, () => {
      if (this.incarnation === incarnation) action();
    });
  }

  crash(): void {
    const ledger = this.ledger;
    if (ledger !== undefined) {
      for (const entry of ledger.inFlight) {
        if (!this.world.prng.chance(0.5)) break;
        this.store.append(entry.block, entry.certificate);
      }
    }
    if (this.recordInFlight !== undefined && this.world.prng.chance(0.5)) this.record = this.recordInFlight;
    this.recordInFlight = undefined;
    this.incarnation++;
    this.running = false;
    this.engine = undefined;
    this.ledger = undefined;
    this.mempool = new SimMempool();
  }

  restart(): void {
    this.restarts++;
    this.start();
  }

  /** A message from `from`: decoded once by the network for every recipient, or raw bytes that do not decode. */
  receive(from: number, message: ConsensusMessage | Uint8Array): void {
    if (message instanceof Uint8Array) this.engine?.receive(from, message);
    else this.engine?.receiveMessage(from, message);
  }

  submit(transaction: HashDigest): void {
    if (this.running && this.mempool.add(transaction)) this.engine?.transactionsAdded();
  }
}
