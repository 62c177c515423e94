import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Router } from '@jadechain/p2p';
import { prepareIdentity } from '@jadechain/service';
import { Batcher } from '../src/batcher.js';
import { loadGatewayConfig } from '../src/config.js';
import { PeerLinks } from '../src/peer-links.js';
import { NetworkView } from '../src/network-view.js';
import { FinalityTracker } from '../src/results.js';
import { Submitter } from '../src/submitter.js';
import { registerEventSockets } from '../src/ws-server.js';
import { SLOW_CONSUMER_CLOSE } from '../src/ws-protocol.js';
import { createNetwork, gatewayKey, keyPair, NodeProcess, signedTransaction, waitFor, type Network } from './network.js';
import { FrameLog, publishEvents, registerEventAccount, submit } from './ws-client.js';

/**
 * A real peer and gateway process, plus gateway parts built in this process where a test needs
 * limits or a fault the configuration does not offer: a small high-water mark (a client that stops
 * reading is closed SLOW_CONSUMER and resumes), and a transport that loses RESULT notices (the
 * submission must still answer the recorded result, not TIMEOUT).
 */
let network: Network;
let peer: NodeProcess;
let gateway: NodeProcess;
let base: string;
let gatewayFile: string;
const silent = { info: () => undefined, warn: () => undefined };

describe('event stream back-pressure and TIMEOUT look-ups', { timeout: 90_000 }, () => {
  before(async () => {
    network = await createNetwork();
    peer = new NodeProcess('peer', network.peerConfig);
    await waitFor(`http://127.0.0.1:${network.peerManagementPort}/health`, (body) => body['status'] === 'ok', peer);
    const { file, port } = await network.gatewayConfig('gateway', gatewayKey, 15_000);
    gatewayFile = file;
    gateway = new NodeProcess('gateway', file);
    base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/health`, (body) => body['status'] === 'ok', gateway);
  });

  after(async () => {
    await Promise.all([gateway?.kill(), peer?.kill()]);
    rmSync(network.dir, { recursive: true, force: true });
  });

  test('a client that stops reading is closed SLOW_CONSUMER, and resumes where its events stopped', async () => {
    const ledger = network.ledgerHash.toBase58();
    await submit(base, ledger, registerEventAccount(network.ledgerHash));
    // About 9 MB of transactions: more than the loopback socket buffers hold for a paused reader.
    const value = new Uint8Array(4000).fill(7);
    await Promise.all(
      Array.from({ length: 120 }, (_, index) => submit(base, ledger, publishEvents(network.ledgerHash, `bulk-${index}`, 0, Array(14).fill(value)).body)),
    );
    // The stream's reads go through the gateway process's query proxy to the peer.
    const app: FastifyInstance = Fastify();
    registerEventSockets(
      app,
      async (path, query) => {
        const response = await fetch(`${base}${path}${query === '' ? '' : `?${query}`}`);
        return { status: response.status, body: await response.text() };
      },
      { peerRequestMs: 4_000, highWaterBytes: 64 * 1024, stallMs: 300 },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/ledgers/${ledger}/events/ws`;
    try {
      const slow = await FrameLog.open(url);
      slow.socket.pause();
      slow.send({ type: 'subscribe', id: 'all', kind: 'transactions', fromHeight: 0 });
      // Long enough for the stream to fill the loopback buffers even on a loaded machine (1.5 s was
      // not always: the server then never saw a stall, and the close this test waits for never came).
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      slow.socket.resume();
      const closed = await slow.closed;
      assert.equal(closed.code, SLOW_CONSUMER_CLOSE);
      assert.equal(closed.reason, 'SLOW_CONSUMER');
      const received = slow.frames.filter((frame) => frame['type'] === 'event').map((frame) => [Number(frame['height']), Number(frame['index'])] as const);
      assert.ok(received.length > 0 && received.length < 121, `received ${received.length}`);
      // In order, none twice (a block may hold several of the concurrent submissions).
      received.slice(1).forEach(([height, index], at) => {
        const [previousHeight, previousIndex] = received[at] ?? [0, 0];
        assert.ok(height === previousHeight ? index === previousIndex + 1 : height > previousHeight && index === 0, `${previousHeight}/${previousIndex} then ${height}/${index}`);
      });

      const [lastHeight, lastIndex] = received.at(-1) ?? [0, 0];
      const resumed = await FrameLog.open(url);
      resumed.send({ type: 'subscribe', id: 'again', kind: 'transactions', fromHeight: lastHeight, fromIndex: lastIndex + 1 });
      const [first] = await resumed.until((frame) => frame['type'] === 'event');
      const next = [first?.['height'], first?.['index']];
      assert.ok(
        (next[0] === lastHeight && next[1] === lastIndex + 1) || (next[0] === lastHeight + 1 && next[1] === 0),
        `resumed at ${next.join('/')} after ${lastHeight}/${lastIndex}`,
      );
      resumed.close();
    } finally {
      await app.close();
    }
  });

  test('a submission whose RESULT notice is lost answers the recorded result, not TIMEOUT', async () => {
    process.env['E2E_GATEWAY_PASSWORD'] = 'e2e-password';
    const config = loadGatewayConfig(gatewayFile);
    const identity = await prepareIdentity(config.identity, config.transport, 'GATEWAY');
    // No handler for RESULT: every notice the peer sends is dropped on arrival.
    const links = new PeerLinks(config.peers, identity, new Router(), silent, 5_000);
    links.start();
    try {
      while (links.connected().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const tracker = new FinalityTracker({ ...silent, error: () => undefined });
      const submitter = new Submitter(links, new NetworkView(links, 1_000), new Batcher(links, identity.privateKey, 2, 16), tracker, identity.privateKey, 1_000);
      const account = keyPair('lost-notice-account');
      const request = signedTransaction(network.ledgerHash, [{ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }]);
      const submission = await submitter.submit(network.ledgerHash, request);
      assert.equal(submission.kind, 'committed');
      assert.equal(submission.kind === 'committed' ? submission.outcome.state : undefined, 'SUCCESS');
    } finally {
      await links.close();
    }
  });
});
