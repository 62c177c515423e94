import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerNetwork, eventually, validatorKeys, writerKey } from './peer-network.js';
import { hashOf, jsonBody, keyPair, signedTransaction } from './network.js';

/**
 * A gateway in front of four real BFT validators: it submits every batch to every peer, answers
 * once f+1 = 2 of them report the same block, serves a fresh commit's read at once, reports the
 * network (n, f, quorum, heights) and its readiness by quorum, and never answers success for a
 * transaction the network cannot finalise (two of four down).
 */
interface Envelope {
  readonly success: boolean;
  readonly data?: Record<string, unknown>;
  readonly error?: { readonly errorCode: number; readonly errorMessage: string };
}
interface NetworkPeers {
  readonly peers: ReadonlyArray<{ publicKey: string; connected: boolean; height: number | null; caughtUp: boolean; lastSeenMs: number | null }>;
  readonly ledgers: ReadonlyArray<{ ledgerHash: string; n: number; f: number; quorum: number; validators: string[] | null; live: number }>;
}

const COMMIT_WAIT_MS = 3_000;
let network: PeerNetwork;
let ledger: string;
let accounts = 0;

function registration(): { body: string; hash: string } {
  accounts += 1;
  const account = keyPair(`bft-account-${accounts}`);
  const request = signedTransaction(network.ledgerHash, [{ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }], writerKey);
  return { body: jsonBody(request), hash: hashOf(request).toBase58() };
}

async function submit(body: string): Promise<{ status: number; envelope: Envelope }> {
  const response = await fetch(`${network.base}/ledgers/${ledger}/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, envelope: (await response.json()) as Envelope };
}

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${network.base}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function networkPeers(): Promise<NetworkPeers> {
  const { body } = await get('/network/peers');
  assert.equal(body['success'], true);
  return body['data'] as NetworkPeers;
}

describe('a gateway in front of four BFT validators', { timeout: 120_000 }, () => {
  before(async () => {
    network = await PeerNetwork.bft();
    ledger = network.ledgerHash.toBase58();
    for (const id of [0, 1, 2, 3]) await network.startPeer(id);
    await network.startGateway(COMMIT_WAIT_MS);
    await eventually('the gateway ready', async () => (await fetch(`${network.base}/ready`)).status === 200);
  });

  after(async () => network.close());

  test('submissions are answered with the block f+1 peers report, and each is readable at once', async () => {
    const submissions = Array.from({ length: 8 }, registration);
    const answers = await Promise.all(submissions.map((submission) => submit(submission.body)));
    for (const [index, { status, envelope }] of answers.entries()) {
      assert.equal(status, 200, JSON.stringify(envelope));
      assert.equal(envelope.data?.['executionState'], 'SUCCESS');
      const read = await get(`/ledgers/${ledger}/txs/hash/${submissions[index]?.hash ?? ''}`);
      assert.equal(read.body['success'], true, `read right after the answer: ${JSON.stringify(read.body)}`);
    }
    // Every validator recorded each transaction in the same block the gateway answered with.
    const heights = answers.map(({ envelope }) => Number(envelope.data?.['blockHeight']));
    await eventually('all four validators at the highest answered height', async () => {
      const statuses = await Promise.all([0, 1, 2, 3].map((id) => network.management(id, '/status')));
      return statuses.every((status) => ((status['ledgers'] as Array<{ height: number }>)[0]?.height ?? -1) >= Math.max(...heights));
    });
    const blockHashes = await Promise.all([0, 1, 2, 3].map(async (id) => {
      const block = await network.management(id, `/ledgers/${ledger}/blocks/height/${Math.max(...heights)}`);
      return (block['data'] as { hash: string }).hash;
    }));
    assert.equal(new Set(blockHashes).size, 1, blockHashes.join(' '));
  });

  test('GET /network/peers gives every peer, connected and caught up, and n, f and quorum of the ledger', async () => {
    await eventually('every peer polled', async () => (await networkPeers()).peers.every((peer) => peer.height !== null));
    const described = await networkPeers();
    assert.deepEqual(described.peers.map((peer) => peer.publicKey), validatorKeys.map((key) => key.publicKey.toBase58()));
    for (const peer of described.peers) {
      assert.equal(peer.connected, true);
      assert.equal(peer.caughtUp, true);
      assert.ok(peer.lastSeenMs !== null && peer.lastSeenMs < 5_000, `last seen ${peer.lastSeenMs}`);
    }
    assert.equal(described.ledgers.length, 1);
    const [quorum] = described.ledgers;
    assert.deepEqual(
      [quorum?.ledgerHash, quorum?.n, quorum?.f, quorum?.quorum, quorum?.live],
      [ledger, 4, 1, 3, 4],
    );
    assert.deepEqual(quorum?.validators, validatorKeys.map((key) => key.publicKey.toBase58()).sort());
    const openapi = (await get('/openapi.json')).body as { paths: Record<string, unknown> };
    assert.ok(openapi.paths['/network/peers'] !== undefined);
  });

  test('with one validator down the network commits and the gateway stays ready', async () => {
    await network.stopPeer(3);
    await eventually('peer 3 seen as disconnected', async () => (await networkPeers()).peers[3]?.connected === false);
    assert.equal((await fetch(`${network.base}/ready`)).status, 200);
    const { status, envelope } = await submit(registration().body);
    assert.equal(status, 200, JSON.stringify(envelope));
    assert.equal((await networkPeers()).ledgers[0]?.live, 3);
  });

  test('with two down nothing is answered as success, and the transaction commits once they return', async () => {
    await network.stopPeer(2);
    await eventually('the gateway not ready', async () => (await fetch(`${network.base}/ready`)).status === 503);
    const pending = registration();
    const { status, envelope } = await submit(pending.body);
    assert.equal(status, 202, JSON.stringify(envelope));
    assert.match(envelope.error?.errorMessage ?? '', /^TIMEOUT:/);
    await network.startPeer(2);
    await network.startPeer(3);
    await eventually('the gateway ready again', async () => (await fetch(`${network.base}/ready`)).status === 200);
    await eventually('the waiting transaction committed', async () => (await get(`/ledgers/${ledger}/txs/state/${pending.hash}`)).body['data'] === 'SUCCESS', 40_000);
    const again = await submit(pending.body);
    assert.equal(again.status, 200, 'a resubmission answers the recorded result');
  });
});
