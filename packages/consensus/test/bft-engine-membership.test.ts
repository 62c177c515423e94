import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto/node';
import type { Ledger } from '@jadechain/ledger';
import { commitVoteMessage } from '@jadechain/types';
import type { ParticipantState } from '@jadechain/types';
import { ledgers, participantState } from './bft-ledger-support.js';
import { Peers, consensusParticipants } from './bft-peers.js';

/** Checks block `height` of `ledger` carries a quorum of valid commit votes from exactly the validators its parent names. */
function certifiedBy(ledger: Ledger, height: number, expected: readonly number[]): void {
  const set = consensusParticipants(ledger.view(height - 1));
  assert.deepEqual(set.members.map((member) => member.id), expected);
  const certificate = ledger.certificate(height)!;
  const message = commitVoteMessage({ ledgerHash: ledger.ledgerHash, height: BigInt(height), round: certificate.round, blockHash: certificate.blockHash });
  assert.ok(certificate.votes.length >= set.quorum, `block ${height}: ${certificate.votes.length} votes, a quorum of ${set.members.length} is ${set.quorum}`);
  for (const vote of certificate.votes) {
    const member = vote.voter.type === 'PARTICIPANT_ID' ? set.get(vote.voter.id) : undefined;
    assert.ok(member !== undefined && cryptoSuite.verify(member.publicKey, message, vote.signature), `block ${height}: a vote from outside the set`);
  }
}

/**
 * Block sync, as the peer does it for a node that is not a validator: execute and commit the
 * blocks it lacks with their certificates (here from another peer's committed blocks), resume.
 */
async function syncFrom(peers: Peers, from: number, to: number): Promise<void> {
  const target = peers.ledgers[to]!;
  for (const block of peers.committed[from]!.filter((committed) => committed.height > target.info().height)) {
    const transactions = block.transactions.map((request) => {
      const check = target.checkTransaction(request);
      assert.ok(check.ok);
      return check;
    });
    const executed = target.execute({ height: block.height, timestamp: block.header.timestamp, transactions });
    assert.ok(executed.blockHash.equals(block.blockHash));
    await target.commit(executed.writeSet, block.certificate);
  }
  peers.engines[to]!.resume();
}

/** Four peers following the ledger's participants, once block 1 (deactivating participant 3) is committed everywhere. */
async function afterDeactivating3(t: TestContext): Promise<Peers> {
  const peers = new Peers(await ledgers(), true);
  t.after(() => peers.stop());
  for (const engine of peers.engines) engine.start();
  changeState(peers, 100, 3, 'DEACTIVATED');
  await peers.until(1);
  return peers;
}

function changeState(peers: Peers, n: number, id: number, state: ParticipantState): void {
  const request = participantState(peers.ledgers[0]!.ledgerHash, n, id, state);
  for (const pool of peers.pools) pool.push(request);
}

describe('BFT engine following the ledger\'s participants (spec/consensus.md §13)', () => {
  test('a deactivated validator stops at the block that removed it; the other three carry on with quorums of three', async (t) => {
    const peers = await afterDeactivating3(t);
    assert.equal(peers.engines[3]!.validating, false, 'participant 3 is no validator of height 2');
    for (const id of [0, 1, 2]) assert.deepEqual(peers.engines[id]!.validatorSet?.members.map((member) => member.id), [0, 1, 2]);
    peers.submit(1, 2);
    await peers.until(3, [0, 1, 2]);
    const ledger = peers.ledgers[0]!;
    certifiedBy(ledger, 1, [0, 1, 2, 3]);
    for (let height = 2; height <= ledger.info().height; height++) certifiedBy(ledger, height, [0, 1, 2]);
    assert.equal(peers.ledgers[3]!.info().height, 1, 'the leaver commits nothing after its last block');
    assert.deepEqual(peers.failures, []);
    assert.deepEqual(peers.misbehaviour, []);
  });

  test('a participant activated again syncs the blocks it missed, then votes from the height after its activation', async (t) => {
    const peers = await afterDeactivating3(t);
    peers.submit(1);
    await peers.until(2, [0, 1, 2]);
    changeState(peers, 101, 3, 'CONSENSUS');
    await peers.until(3, [0, 1, 2]);
    const activatedAt = peers.ledgers[0]!.info().height;
    assert.equal(peers.engines[3]!.validating, false, 'not before it has synced');
    await syncFrom(peers, 0, 3);
    assert.equal(peers.engines[3]!.validating, true);
    peers.submit(2, 3);
    await peers.until(5, [0, 1, 2]);
    // Its engine reports only the blocks it committed itself: the synced ones came from block sync.
    await peers.until(3, [3]);
    const ledger = peers.ledgers[3]!;
    certifiedBy(ledger, activatedAt, [0, 1, 2]);
    for (let height = activatedAt + 1; height <= ledger.info().height; height++) certifiedBy(ledger, height, [0, 1, 2, 3]);
    assert.ok(ledger.info().blockHash.equals(peers.ledgers[0]!.info().blockHash));
    assert.deepEqual(peers.failures, []);
    assert.deepEqual(peers.misbehaviour, []);
  });
});
