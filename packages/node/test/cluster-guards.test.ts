import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite, type KeyPair } from '@jadechain/crypto';
import { Ledger } from '@jadechain/ledger';
import { Router, TransportKey, TransportMetrics, TransportServer, createNodeCredentials, type Connection } from '@jadechain/p2p';
import { MemoryStore } from '@jadechain/storage';
import type { CommittedBlock } from '@jadechain/consensus';
import { jsonLogger } from '@jadechain/service';
import {
  BlockSync,
  ClusterMetrics,
  MAX_CONSENSUS_MESSAGE_BYTES,
  PEER_CHANNEL,
  PeerBlocksRequest,
  PeerBlocksResponse,
  PeerConsensusMessage,
  PeerLinks,
  PeerProposerHint,
  PeerStatusResponse,
  type SyncedBlock,
} from '../src/cluster/index.js';
import { Cluster, FOLLOWER, eventually, gatewayKey, keyPair, peerKeys } from './cluster-fixture.js';

/**
 * What a peer refuses from other peers: consensus messages from keys that may not send them,
 * malformed, oversized or for another ledger (each dropped and counted by reason), connections
 * from strangers, and blocks offered by block sync whose certificate or transactions are forged.
 */
let dir: string;
let cluster: Cluster;
const quiet = jsonLogger('test', () => undefined);

async function dropped(reason: string): Promise<number> {
  return cluster.metric(0, `jadechain_peer_consensus_dropped_total{reason="${reason}"}`);
}

/** Sends one CONSENSUS frame to peer 0 and waits until `reason` was counted once more. */
async function expectDrop(connection: Connection, body: Uint8Array, reason: string): Promise<void> {
  const before = await dropped(reason);
  assert.ok(connection.send(PEER_CHANNEL.CONSENSUS, body));
  await eventually(`a ${reason} drop`, async () => (await dropped(reason)) === before + 1, 5_000);
}

describe('peer guards', () => {
  let blocks: readonly SyncedBlock[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jadechain-guards-'));
    cluster = await Cluster.create(dir);
    for (const id of [0, 1, 2, 3]) await cluster.start(id);
    await cluster.submit([cluster.transaction(), cluster.transaction(), cluster.transaction()], [0, 1, 2, 3]);
    await eventually('three blocks', async () => (await cluster.tip(0)).height >= 3);
    const connection = await cluster.dial(0, peerKeys[FOLLOWER]!, 'PEER');
    const answer = await connection.request(PEER_CHANNEL.BLOCKS, PeerBlocksRequest.encode({ ledgerHash: cluster.ledgerHash, fromHeight: 1n, maxBlocks: 3 }));
    blocks = PeerBlocksResponse.decode(answer).blocks;
    await connection.close();
  });

  after(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('consensus messages are dropped and counted by reason', async () => {
    const envelope = (message: Uint8Array, ledgerHash = cluster.ledgerHash): Uint8Array => PeerConsensusMessage.encode({ ledgerHash, message });
    const validator = await cluster.dial(0, peerKeys[3]!, 'PEER');
    const follower = await cluster.dial(0, peerKeys[FOLLOWER]!, 'PEER');
    const gateway = await cluster.dial(0, gatewayKey, 'GATEWAY');
    try {
      await expectDrop(validator, Uint8Array.of(1, 2, 3), 'MALFORMED');
      await expectDrop(validator, new Uint8Array(MAX_CONSENSUS_MESSAGE_BYTES + 1024), 'OVERSIZED');
      await expectDrop(validator, envelope(Uint8Array.of(1), cryptoSuite.hash('SHA256', new TextEncoder().encode('another ledger'))), 'WRONG_LEDGER');
      await expectDrop(follower, envelope(Uint8Array.of(1)), 'NOT_VALIDATOR');
      await expectDrop(gateway, envelope(Uint8Array.of(1)), 'UNKNOWN_KEY');
      // A validator's garbage passes the envelope checks; the consensus core reports it.
      const series = 'jadechain_peer_consensus_misbehaviour_total{kind="MALFORMED_MESSAGE"}';
      const reported = await cluster.metric(0, series);
      assert.ok(validator.send(PEER_CHANNEL.CONSENSUS, envelope(Uint8Array.of(0xff, 0xff, 0xff))));
      await eventually('the core reports a malformed message', async () => (await cluster.metric(0, series)) === reported + 1, 5_000);
    } finally {
      await Promise.all([validator.close(), follower.close(), gateway.close()]);
    }
  });

  test('proposer hints are ignored and counted by reason when malformed, misaddressed, from a non-validator or unneeded', async () => {
    const validator = await cluster.dial(0, peerKeys[1]!, 'PEER');
    const follower = await cluster.dial(0, peerKeys[FOLLOWER]!, 'PEER');
    const gateway = await cluster.dial(0, gatewayKey, 'GATEWAY');
    const next = BigInt((await cluster.tip(0)).height + 1);
    const transactionHashes = [cryptoSuite.hash('SHA256', new TextEncoder().encode('a transaction'))];
    const hint = (ledgerHash = cluster.ledgerHash, height = next): Uint8Array => PeerProposerHint.encode({ ledgerHash, height, round: 0, transactionHashes });
    const expectIgnored = async (connection: Connection, body: Uint8Array, reason: string): Promise<void> => {
      const series = `jadechain_peer_proposer_hints_ignored_total{reason="${reason}"}`;
      const before = await cluster.metric(0, series);
      assert.ok(connection.send(PEER_CHANNEL.PROPOSER_HINT, body));
      await eventually(`a hint ignored as ${reason}`, async () => (await cluster.metric(0, series)) === before + 1, 5_000);
    };
    try {
      await expectIgnored(validator, Uint8Array.of(1, 2, 3), 'MALFORMED');
      await expectIgnored(validator, new Uint8Array(64 * 1024), 'OVERSIZED');
      await expectIgnored(validator, hint(cryptoSuite.hash('SHA256', new TextEncoder().encode('another ledger'))), 'WRONG_LEDGER');
      await expectIgnored(follower, hint(), 'NOT_VALIDATOR');
      await expectIgnored(gateway, hint(), 'UNKNOWN_KEY');
      // A hint for a height this peer is past asks for nothing it could propose.
      await expectIgnored(validator, hint(cluster.ledgerHash, 1n), 'NOT_AWAITING');
      assert.equal(await cluster.metric(0, 'jadechain_peer_proposer_hints_fetched_total'), 0);
    } finally {
      await Promise.all([validator.close(), follower.close(), gateway.close()]);
    }
  });

  test('a stranger cannot connect as a peer', async () => {
    await assert.rejects(cluster.dial(0, keyPair('stranger'), 'PEER'), /UNAUTHORIZED_PEER: identity \S+ \(PEER\) is not authorised/);
  });

  describe('block sync refuses forged blocks', () => {
    /** A fresh ledger syncing from a fake peer that serves `served` as blocks 1 onwards. */
    async function syncFrom(served: readonly SyncedBlock[]): Promise<{ readonly ledger: Ledger; readonly metrics: ClusterMetrics; readonly committed: CommittedBlock[] }> {
      const fake = await fakePeer(peerKeys[2]!, served);
      const ledger = await Ledger.initialize(new MemoryStore(), cluster.genesis, { suite: cryptoSuite });
      const metrics = new ClusterMetrics();
      const committed: CommittedBlock[] = [];
      const now = Date.now();
      const links = new PeerLinks({
        credentials: createNodeCredentials({ identityPrivateKey: peerKeys[FOLLOWER]!.privateKey, transportKey: await TransportKey.generate('ED25519', 'sync-test'), role: 'PEER', notBefore: now - 1000, notAfter: now + 3_600_000 }),
        self: peerKeys[FOLLOWER]!.publicKey,
        peers: [{ publicKey: peerKeys[2]!.publicKey, host: '127.0.0.1', port: fake.port }],
        router: new Router(),
        metrics: new TransportMetrics(),
        logger: quiet,
      });
      links.start();
      try {
        await eventually('the link to the fake peer', () => links.isConnected(peerKeys[2]!.publicKey), 5_000);
        const sync = new BlockSync({ target: { ledger, pause: async () => undefined, resume: () => undefined, committed: (block) => committed.push(block) }, links, metrics, logger: quiet });
        await sync.poll();
        await sync.stop();
      } finally {
        await links.close();
        await fake.server.close();
      }
      return { ledger, metrics, committed };
    }

    test('genuine blocks are taken (the harness can succeed)', async () => {
      const { ledger, committed } = await syncFrom(blocks);
      assert.equal(ledger.tip.height, 3);
      assert.deepEqual(committed.map((block) => block.height), [1, 2, 3]);
    });

    test('a certificate short of a quorum of valid votes', async () => {
      const [first, ...rest] = blocks;
      assert.ok(first !== undefined);
      const forged = { ...first, certificate: { ...first.certificate, votes: first.certificate.votes.slice(0, 2) } };
      const { ledger, metrics } = await syncFrom([forged, ...rest]);
      assert.equal(ledger.tip.height, 0);
      assert.equal(metrics.syncRefused.get('BAD_CERTIFICATE'), 1);
    });

    test('a certificate whose votes are signed by the wrong keys', async () => {
      const [first, ...rest] = blocks;
      assert.ok(first !== undefined);
      const votes = first.certificate.votes.map((vote, index) => ({ ...vote, voter: { type: 'PARTICIPANT_ID' as const, id: (index + 1) % 4 } }));
      const { ledger, metrics } = await syncFrom([{ ...first, certificate: { ...first.certificate, votes } }, ...rest]);
      assert.equal(ledger.tip.height, 0);
      assert.equal(metrics.syncRefused.get('BAD_CERTIFICATE'), 1);
    });

    test('a genuine certificate with other transactions', async () => {
      const [first, second, ...rest] = blocks;
      assert.ok(first !== undefined && second !== undefined);
      const { ledger, metrics } = await syncFrom([{ ...first, transactions: second.transactions }, second, ...rest]);
      assert.equal(ledger.tip.height, 0);
      assert.equal(metrics.syncRefused.get('HASH_MISMATCH'), 1);
    });

    test('a genuine certificate with another timestamp', async () => {
      const [first, ...rest] = blocks;
      assert.ok(first !== undefined);
      const { ledger, metrics } = await syncFrom([{ ...first, header: { ...first.header, timestamp: first.header.timestamp + 1n } }, ...rest]);
      assert.equal(ledger.tip.height, 0);
      assert.equal(metrics.syncRefused.get('HASH_MISMATCH'), 1);
    });
  });
});

/** A peer that claims the tip of `served` and serves those blocks, whatever they hold. */
async function fakePeer(identity: KeyPair, served: readonly SyncedBlock[]): Promise<{ readonly server: TransportServer; readonly port: number }> {
  const now = Date.now();
  const last = served.at(-1);
  const router = new Router()
    .onRequest(PEER_CHANNEL.STATUS, () => PeerStatusResponse.encode({ ledgers: [{ ledgerHash: cluster.ledgerHash, height: BigInt(served.length), blockHash: last?.certificate.blockHash ?? cluster.ledgerHash }] }))
    .onRequest(PEER_CHANNEL.BLOCKS, (body) => {
      const from = Number(PeerBlocksRequest.decode(body).fromHeight);
      return PeerBlocksResponse.encode({ blocks: served.slice(from - 1) });
    });
  const server = new TransportServer({
    credentials: createNodeCredentials({ identityPrivateKey: identity.privateKey, transportKey: await TransportKey.generate('ED25519', 'fake-peer'), role: 'PEER', notBefore: now - 1000, notAfter: now + 3_600_000 }),
    authorize: ({ role }) => role === 'PEER',
    router,
    logger: quiet,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port };
}
