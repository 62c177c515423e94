import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto';
import type { HashDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import { hashKey } from '../src/bft/crypto.js';
import { BftDriver } from '../src/bft/driver.js';
import type { BftDriverHost, CommitRequest, ProposerSilence } from '../src/bft/driver.js';
import type { Misbehaviour } from '../src/bft/io.js';
import { Fixture, GENESIS_TIME, TIMEOUTS } from './bft-support.js';

/** Four drivers on an in-memory network: tasks run in order, timers on a virtual clock. */
class Network {
  readonly fx = new Fixture();
  readonly engines: BftDriver[] = [];
  readonly commits: CommitRequest[][] = [[], [], [], []];
  readonly mempools: HashDigest[][] = [[], [], [], []];
  readonly misbehaviour: Misbehaviour[] = [];
  holdCommits = false;
  overlappingWrites = 0;
  private readonly heldCommits: (() => void)[] = [];
  private readonly tasks: (() => void)[] = [];
  private timers: { at: number; fire: () => void }[] = [];
  now = 0;

  readonly silences: ProposerSilence[] = [];

  /**
   * `hintProposers`: a node that reports a silent proposer hands it the transactions it named,
   * as a peer's fetch from the reporter would.
   */
  constructor(
    private readonly pacing: { readonly minBlockIntervalMs: number; readonly maxBatchTransactions: number } | undefined = undefined,
    private readonly hintProposers = false,
  ) {
    for (let id = 0; id < 4; id++) {
      const config = {
        ledgerHash: this.fx.ledgerHash,
        validators: this.fx.validators,
        self: id,
        crypto: this.fx.cryptos[id]!,
        timeouts: TIMEOUTS,
        ...(pacing === undefined ? {} : { maxBatchTransactions: pacing.maxBatchTransactions }),
      };
      this.engines.push(BftDriver.start(config, this.host(id), this.fx.genesis));
    }
  }

  submit(...transactions: HashDigest[]): void {
    this.submitTo([0, 1, 2, 3], transactions);
  }

  /** As from a gateway that reaches only these validators. */
  submitTo(ids: readonly number[], transactions: readonly HashDigest[]): void {
    for (const id of ids) {
      this.mempools[id]!.push(...transactions);
      this.engines[id]!.transactionsAdded();
    }
  }

  releaseCommits(): void {
    this.holdCommits = false;
    for (const done of this.heldCommits.splice(0)) this.tasks.push(done);
  }

  run(until: () => boolean, maxSteps = 200_000): void {
    for (let step = 0; step < maxSteps && !until(); step++) {
      const task = this.tasks.shift();
      if (task !== undefined) {
        task();
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at);
      const timer = this.timers.shift();
      if (timer === undefined) return;
      this.now = timer.at;
      timer.fire();
    }
  }

  /** Runs every task and every timer due up to `time`, then sets the clock to it. */
  advanceTo(time: number): void {
    for (;;) {
      const task = this.tasks.shift();
      if (task !== undefined) {
        task();
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at);
      const timer = this.timers[0];
      if (timer === undefined || timer.at > time) break;
      this.timers.shift();
      this.now = timer.at;
      timer.fire();
    }
    this.now = time;
  }

  committedTransactions(id: number): string[] {
    return this.commits[id]!.flatMap((commit) => commit.transactions.map(hashKey));
  }

  private host(id: number): BftDriverHost {
    let writing = false;
    return {
      ledger: {
        execute: (request, done) => {
          const blockHash = cryptoSuite.hash('SHA256', new TextEncoder().encode(`${request.parentHash.toBase58()}/${request.height}/${request.timestamp}/${request.transactions.map((t) => t.toBase58()).join(',')}`));
          this.tasks.push(() => done({ valid: true, blockHash }));
        },
        commit: (request, done) => {
          this.commits[id]!.push(request);
          (this.holdCommits ? this.heldCommits : this.tasks).push(() => {
            const gone = new Set(request.transactions.map(hashKey));
            this.mempools[id] = this.mempools[id]!.filter((hash) => !gone.has(hashKey(hash)));
            done();
          });
        },
      },
      mempool: {
        size: () => this.mempools[id]!.length,
        select: (max, excluded) => this.mempools[id]!.filter((hash) => !excluded(hash)).slice(0, max),
      },
      transport: {
        send: (to, bytes) => this.tasks.push(() => this.engines[to]!.receive(id, bytes)),
        broadcast: (bytes) => {
          for (let to = 0; to < 4; to++) if (to !== id) this.tasks.push(() => this.engines[to]!.receive(id, bytes));
        },
      },
      records: {
        write: (_bytes, done) => {
          if (writing) this.overlappingWrites++;
          writing = true;
          this.tasks.push(() => {
            writing = false;
            done();
          });
        },
      },
      clock: {
        now: () => GENESIS_TIME + 1000n + BigInt(this.now),
        setTimer: (delayMs, fire) => this.timers.push({ at: this.now + delayMs, fire }),
      },
      onMisbehaviour: (misbehaviour) => this.misbehaviour.push(misbehaviour),
      ...(this.pacing === undefined ? {} : { minBlockIntervalMs: this.pacing.minBlockIntervalMs }),
      ...(this.hintProposers
        ? {
            onProposerSilent: (silence: ProposerSilence) => {
              this.silences.push(silence);
              this.tasks.push(() => this.submitTo([silence.proposer], silence.transactionHashes.filter((hash) => !this.mempools[silence.proposer]!.some((held) => held.equals(hash)))));
            },
          }
        : {}),
    };
  }
}

describe('BFT driver over a callback host', () => {
  test('four drivers commit every submitted transaction once, in the same blocks, with certificates anyone can check', () => {
    const network = new Network();
    const transactions = [1, 2, 3, 4, 5].map((n) => network.fx.transaction(n));
    network.submit(...transactions.slice(0, 3));
    network.run(() => network.commits.every((c) => c.length >= 1));
    network.submit(...transactions.slice(3));
    network.run(() => [0, 1, 2, 3].every((id) => network.committedTransactions(id).length === 5));
    for (let id = 0; id < 4; id++) {
      assert.deepEqual(new Set(network.committedTransactions(id)), new Set(transactions.map(hashKey)), `engine ${id} committed every transaction`);
      assert.equal(network.committedTransactions(id).length, 5, `engine ${id} committed none twice`);
      assert.deepEqual(
        network.commits[id]!.map((c) => c.blockHash.toBase58()),
        network.commits[0]!.map((c) => c.blockHash.toBase58()),
      );
    }
    for (const commit of network.commits[0]!) {
      const message = commitVoteMessage({ ledgerHash: network.fx.ledgerHash, height: BigInt(commit.height), round: commit.certificate.round, blockHash: commit.blockHash });
      for (const vote of commit.certificate.votes) {
        const id = vote.voter.type === 'PARTICIPANT_ID' ? vote.voter.id : -1;
        assert.ok(cryptoSuite.verify(network.fx.validators.get(id)!.publicKey, message, vote.signature));
      }
    }
    assert.equal(network.overlappingWrites, 0, 'records are written one at a time');
    assert.deepEqual(network.misbehaviour, []);
  });

  test('a proposer no gateway reached is named the transactions by the others and proposes in round 0; without that, the height waits for round 1', () => {
    for (const hinting of [true, false]) {
      const network = new Network(undefined, hinting);
      const [first, second] = [network.fx.transaction(1), network.fx.transaction(2)];
      network.submit(first!);
      network.run(() => network.commits.every((c) => c.length >= 1));
      network.silences.length = 0;
      // Height 2's round-0 proposer is validator 2 ((height + round) mod 4); the gateway reaches the other three.
      network.submitTo([0, 1, 3], [second!]);
      network.run(() => network.commits.every((c) => c.length >= 2));
      for (let id = 0; id < 4; id++) assert.deepEqual(network.committedTransactions(id), [first, second].map((hash) => hashKey(hash!)), `engine ${id} committed both`);
      const round = network.commits[0]![1]!.certificate.round;
      if (hinting) {
        assert.equal(round, 0, 'decided in round 0');
        assert.ok(network.silences.length >= 1);
        for (const silence of network.silences) assert.deepEqual([silence.height, silence.round, silence.proposer, silence.transactionHashes.map(hashKey)], [2, 0, 2, [hashKey(second!)]]);
      } else {
        assert.ok(round >= 1, 'the silent proposer cost round 0');
      }
    }
  });

  test('a proposer is not hinted when it proposes in time, nor by a node without transactions', () => {
    const network = new Network(undefined, true);
    network.submit(network.fx.transaction(1));
    network.run(() => network.commits.every((c) => c.length >= 1));
    // Height 1's block time comes from the genesis precommits, which reach the proposer after its
    // batch: it proposes as they arrive, before anyone has waited long enough to hint it.
    assert.equal(network.commits[0]![0]!.certificate.round, 0);
    assert.deepEqual(network.silences, [], 'no silence reported at height 1');
    network.submit(network.fx.transaction(2));
    network.run(() => network.commits.every((c) => c.length >= 2));
    network.run(() => false);
    assert.equal(network.commits[0]![1]!.certificate.round, 0);
    assert.deepEqual(network.silences, [], 'no silence reported at height 2, nor at the idle height 3');
  });

  test('a transaction of a decided block is not proposed again while its commit is still being written', () => {
    const network = new Network();
    network.holdCommits = true;
    const [first, second] = [network.fx.transaction(1), network.fx.transaction(2)];
    network.submit(first!);
    network.run(() => network.commits.every((c) => c.length >= 1));
    network.submit(second!);
    network.run(() => network.commits.every((c) => c.length >= 2));
    assert.deepEqual(network.commits[0]!.map((c) => c.transactions.map(hashKey)), [[hashKey(first!)], [hashKey(second!)]]);
    network.releaseCommits();
    network.run(() => false);
    assert.deepEqual(network.mempools.map((m) => m.length), [0, 0, 0, 0], 'committed transactions leave the mempools');
  });

  test('paced: a height is proposed no sooner than the interval after the one before, unless the pool fills a block', () => {
    const network = new Network({ minBlockIntervalMs: 500, maxBatchTransactions: 3 });
    const heightsCommittedAt: number[] = [];
    const commitOne = (count: number, ...transactions: HashDigest[]): void => {
      network.submit(...transactions);
      network.run(() => network.commits.every((c) => c.length >= count));
      heightsCommittedAt.push(network.now);
    };
    commitOne(1, network.fx.transaction(1)!);
    commitOne(2, network.fx.transaction(2)!);
    // Height 3 is proposed 500 ms after height 2 was, though it was ready at once.
    commitOne(3, network.fx.transaction(3)!);
    assert.ok(heightsCommittedAt[2]! >= heightsCommittedAt[0]! + 500, `height 3 at ${heightsCommittedAt[2]} ms, height 1 at ${heightsCommittedAt[0]} ms`);
    // A full block (3 transactions) does not wait.
    commitOne(4, ...[4, 5, 6].map((n) => network.fx.transaction(n)!));
    assert.ok(heightsCommittedAt[3]! < heightsCommittedAt[2]! + 500, `height 4 at ${heightsCommittedAt[3]} ms, height 3 at ${heightsCommittedAt[2]} ms`);
    assert.deepEqual(network.commits[0]!.map((c) => c.transactions.length), [1, 1, 1, 3]);
    for (let id = 1; id < 4; id++) assert.deepEqual(network.commits[id]!.map((c) => c.blockHash.toBase58()), network.commits[0]!.map((c) => c.blockHash.toBase58()));
  });

  test('paced under a steady trickle: at most one height per interval, every transaction committed', () => {
    const network = new Network({ minBlockIntervalMs: 100, maxBatchTransactions: 1000 });
    const transactions = Array.from({ length: 40 }, (_, n) => network.fx.transaction(n + 1)!);
    transactions.forEach((transaction, index) => {
      network.advanceTo(index * 50);
      network.submit(transaction);
    });
    network.run(() => [0, 1, 2, 3].every((id) => network.committedTransactions(id).length === 40));
    const heights = network.commits[0]!.length;
    assert.ok(heights <= Math.ceil(network.now / 100) + 2, `${heights} heights in ${network.now} ms`);
    assert.equal(network.committedTransactions(0).length, 40);
  });

  test('bytes that do not decode are reported as malformed and change nothing', () => {
    const network = new Network();
    network.engines[0]!.receive(2, new Uint8Array([0x01, 0x59, 0x01, 0xff]));
    assert.deepEqual(network.misbehaviour.map((m) => [m.kind, m.validator]), [['MALFORMED_MESSAGE', 2]]);
    assert.equal(network.engines[0]!.height, 1);
  });
});
