import assert from 'node:assert/strict';
import { cryptoSuite } from '@jadechain/crypto/node';
import type { Ledger } from '@jadechain/ledger';
import { suiteCrypto } from '../src/bft/crypto.js';
import { BftConsensusEngine } from '../src/bft/engine.js';
import type { BftNetwork, BftRecordFile } from '../src/bft/engine.js';
import type { Misbehaviour } from '../src/bft/io.js';
import { ValidatorSet } from '../src/bft/validators.js';
import type { CommittedBlock } from '../src/engine.js';
import { GENESIS_TIME, Pool, participants, registration, validators } from './bft-ledger-support.js';

export type Engine = BftConsensusEngine<Parameters<Ledger['execute']>[0]['transactions'][number], Ledger['tip'], Parameters<Ledger['commit']>[0]>;

/**
 * Four peers in one process: real ledgers, messages delivered on later turns of the event loop.
 * With `followMembership` the engines take their validators from the ledger's participants in
 * state CONSENSUS, as the peer does, instead of the fixed four.
 */
export class Peers {
  readonly engines: Engine[] = [];
  readonly pools: Pool[];
  readonly records: (Uint8Array | undefined)[] = [undefined, undefined, undefined, undefined];
  readonly committed: CommittedBlock[][] = [[], [], [], []];
  readonly misbehaviour: Misbehaviour[] = [];
  readonly failures: Error[] = [];
  private readonly inboxes: ((from: number, bytes: Uint8Array) => void)[][] = [[], [], [], []];
  private readonly down = new Set<number>();

  constructor(
    readonly ledgers: Ledger[],
    private readonly followMembership = false,
  ) {
    this.pools = ledgers.map((ledger) => new Pool(ledger));
    for (let id = 0; id < 4; id++) this.engines.push(this.engine(id));
  }

  engine(id: number): Engine {
    const network: BftNetwork = {
      send: (to, bytes) => this.deliver(id, to, bytes),
      broadcast: (bytes) => {
        for (let to = 0; to < 4; to++) if (to !== id) this.deliver(id, to, bytes);
      },
      onMessage: (listener) => {
        this.inboxes[id]!.push(listener);
        return () => this.inboxes[id]!.splice(this.inboxes[id]!.indexOf(listener), 1);
      },
    };
    const records: BftRecordFile = {
      read: () => this.records[id],
      write: async (record) => {
        this.records[id] = record;
      },
    };
    const engine = new BftConsensusEngine({
      ledger: this.ledgers[id]!,
      pool: this.pools[id]!,
      network,
      records,
      ...(this.followMembership ? { validatorsOf: consensusParticipants, viewAt: (height: number) => this.ledgers[id]!.view(height) } : { validators }),
      self: id,
      crypto: suiteCrypto(cryptoSuite, participants[id]!.privateKey, 'SHA256'),
      timeouts: { proposeMs: 200, prevoteMs: 100, precommitMs: 100, roundIncrementMs: 50, retransmitMs: 150 },
      clock: () => GENESIS_TIME + 2000n + BigInt(Math.floor(performance.now())),
    });
    engine.onCommitted((block) => this.committed[id]!.push(block));
    engine.onMisbehaviour((misbehaviour) => this.misbehaviour.push(misbehaviour));
    engine.onFailed((error) => this.failures.push(error));
    return engine;
  }

  private readonly missed = new Map<number, number[]>();

  submit(...numbers: number[]): void {
    this.pools.forEach((pool, id) => {
      if (this.down.has(id)) this.missed.get(id)?.push(...numbers);
      else pool.push(...numbers.map((n) => registration(this.ledgers[0]!.ledgerHash, n)));
    });
  }

  crash(id: number): Promise<void> {
    this.down.add(id);
    this.missed.set(id, []);
    return this.engines[id]!.stop();
  }

  /**
   * A restarted peer gets what it missed resubmitted (as a gateway does with unanswered
   * transactions): a decision carries only hashes, and fetching the bodies of decided blocks
   * from peers is block sync, the network's job.
   */
  restart(id: number): void {
    this.down.delete(id);
    this.pools[id]!.push(...(this.missed.get(id) ?? []).map((n) => registration(this.ledgers[0]!.ledgerHash, n)));
    this.engines[id] = this.engine(id);
    this.engines[id]!.start();
  }

  stop(): Promise<void[]> {
    return Promise.all(this.engines.map((engine) => engine.stop()));
  }

  /** Resolves once every running peer's ledger holds `count` transactions after genesis. */
  async until(count: number, ids = [0, 1, 2, 3]): Promise<void> {
    const done = (): boolean => ids.every((id) => this.committed[id]!.reduce((sum, block) => sum + block.transactions.length, 0) >= count);
    for (let turn = 0; turn < 2000 && !done(); turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(done(), `peers ${ids.join(', ')} committed ${count} transactions`);
  }

  private deliver(from: number, to: number, bytes: Uint8Array): void {
    if (this.down.has(from) || this.down.has(to)) return;
    setImmediate(() => {
      for (const listener of this.inboxes[to]!) listener(from, bytes);
    });
  }
}

/** The validators of the next height: the participants in state CONSENSUS, by id. */
export function consensusParticipants(view: Ledger['tip']): ValidatorSet {
  const members = view.state().participants().filter((participant) => participant.state === 'CONSENSUS');
  return new ValidatorSet(members.map((participant) => ({ id: participant.id, publicKey: participant.pubKey })));
}
