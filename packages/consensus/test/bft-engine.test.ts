import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto/node';
import type { Ledger } from '@jadechain/ledger';
import { commitVoteMessage } from '@jadechain/types';
import { suiteCrypto } from '../src/bft/crypto.js';
import { BftConsensusEngine } from '../src/bft/engine.js';
import type { BftNetwork, BftRecordFile } from '../src/bft/engine.js';
import type { Misbehaviour } from '../src/bft/io.js';
import type { CommittedBlock } from '../src/engine.js';
import { GENESIS_TIME, Pool, ledgers, participants, registration, validators } from './bft-ledger-support.js';

type Engine = BftConsensusEngine<Parameters<Ledger['execute']>[0]['transactions'][number], Ledger['tip'], Parameters<Ledger['commit']>[0]>;

/** Four peers in one process: real ledgers, messages delivered on later turns of the event loop. */
class Peers {
  readonly engines: Engine[] = [];
  readonly pools: Pool[];
  readonly records: (Uint8Array | undefined)[] = [undefined, undefined, undefined, undefined];
  readonly committed: CommittedBlock[][] = [[], [], [], []];
  readonly misbehaviour: Misbehaviour[] = [];
  readonly failures: Error[] = [];
  private readonly inboxes: ((from: number, bytes: Uint8Array) => void)[][] = [[], [], [], []];
  private readonly down = new Set<number>();

  constructor(readonly ledgers: Ledger[]) {
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
      validators,
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

describe('BFT consensus engine behind the peer interface, over real ledgers', () => {
  test('four peers commit the same blocks, each stored with a quorum certificate anyone can check', async (t) => {
    const peers = new Peers(await ledgers());
    t.after(() => peers.stop());
    for (const engine of peers.engines) engine.start();
    peers.submit(1, 2, 3);
    await peers.until(3);
    peers.submit(4, 5);
    await peers.until(5);
    const tips = peers.ledgers.map((ledger) => ledger.info());
    assert.ok(tips.every((tip) => tip.height === tips[0]!.height && tip.blockHash.equals(tips[0]!.blockHash)));
    for (let height = 1; height <= tips[0]!.height; height++) {
      const certificate = peers.ledgers[2]!.certificate(height)!;
      const message = commitVoteMessage({ ledgerHash: peers.ledgers[0]!.ledgerHash, height: BigInt(height), round: certificate.round, blockHash: certificate.blockHash });
      assert.ok(certificate.votes.length >= validators.quorum);
      for (const vote of certificate.votes) {
        const id = vote.voter.type === 'PARTICIPANT_ID' ? vote.voter.id : -1;
        assert.ok(cryptoSuite.verify(validators.get(id)!.publicKey, message, vote.signature));
      }
    }
    assert.ok(peers.committed[1]!.every((block) => block.results.every((result) => result.state === 'SUCCESS')));
    assert.deepEqual(peers.misbehaviour, []);
    assert.deepEqual(peers.failures, []);
  });

  test('three peers go on without a fourth; the fourth restarts from its record and ledger and catches up', async (t) => {
    const peers = new Peers(await ledgers());
    t.after(() => peers.stop());
    for (const engine of peers.engines) engine.start();
    peers.submit(1);
    await peers.until(1);
    await peers.crash(3);
    peers.submit(2, 3);
    await peers.until(3, [0, 1, 2]);
    assert.equal(peers.ledgers[3]!.info().height, 1);
    peers.restart(3);
    peers.submit(4);
    await peers.until(4);
    assert.ok(peers.ledgers[3]!.info().blockHash.equals(peers.ledgers[0]!.info().blockHash));
    assert.deepEqual(peers.failures, []);
  });
});
