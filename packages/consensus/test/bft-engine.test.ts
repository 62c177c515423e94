import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto/node';
import { commitVoteMessage } from '@jadechain/types';
import { ledgers, validators } from './bft-ledger-support.js';
import { Peers } from './bft-peers.js';

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
