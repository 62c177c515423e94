import type { HashDigest } from '@jadechain/crypto';
import type { CommitCertificate } from '@jadechain/types';
import { BftDriver } from '../bft/driver.js';
import type { BftDriverHost } from '../bft/driver.js';
import type { BftConfig, Misbehaviour } from '../bft/io.js';
import type { ConsensusMessage } from '../bft/messages.js';
import type { ByzantineTransport } from './byzantine.js';
import type { EventQueue } from './event-queue.js';
import { SimLedger } from './ledger.js';
import type { LedgerEnvironment, LedgerStore } from './ledger.js';
import { SimMempool } from './mempool.js';
import type { Prng } from './prng.js';

/** Virtual time 0 on every node's clock (before its skew): 2023-11-14T22:13:20Z. */
export const SIM_EPOCH_MS = 1_700_000_000_000;

/** What a node needs from the simulation around it. */
export interface NodeWorld {
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly ledger: Omit<LedgerEnvironment, 'later'>;
  readonly validatorIds: readonly number[];
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
 * the crash a random prefix lands (a durable write is all or nothing).
 */
export class SimNode {
  private incarnation = 0;
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
    private readonly config: BftConfig,
    private readonly skewMs: number,
    private readonly world: NodeWorld,
    readonly byzantine: ByzantineTransport | undefined,
  ) {}

  get up(): boolean {
    return this.engine !== undefined;
  }

  get height(): number {
    return this.engine?.height ?? this.store.tip.height + 1;
  }

  start(): void {
    const incarnation = this.incarnation;
    const later = (delay: number, action: () => void): void =>
      this.world.queue.after(delay, () => {
        if (this.incarnation === incarnation) action();
      });
    const ledger = new SimLedger(this.store, { ...this.world.ledger, later }, () => this.world.queue.now);
    this.ledger = ledger;
    this.mempool = new SimMempool();
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
      onCommitted: (height, blockHash, certificate) => this.world.committed(this, height, blockHash, certificate),
      onMisbehaviour: (misbehaviour) => this.world.misbehaviour(this, misbehaviour),
    };
    const tip = this.store.tip;
    this.engine = BftDriver.start(this.config, host, { height: tip.height, blockHash: tip.blockHash, timestamp: tip.timestamp }, this.record);
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
    this.engine = undefined;
    this.ledger = undefined;
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
    if (this.engine !== undefined && this.mempool.add(transaction)) this.engine.transactionsAdded();
  }
}
