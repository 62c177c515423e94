import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cryptoSuite } from '@jadechain/crypto';
import { createNetwork, gatewayKey, NodeProcess, waitFor, type Network } from './network.js';
import { FrameLog, eventAccount, publishEvents, registerEventAccount, submit } from './ws-client.js';

/**
 * Push events against real processes (one peer, one gateway) on loopback: the three kinds of
 * stream, live and replayed from an old position, and every kind of bad subscribe message.
 */
let network: Network;
let peer: NodeProcess;
let gateway: NodeProcess;
let base: string;
let ledger: string;
let wsUrl: string;
const TOPIC = 'orders';

const of = (id: string) => (frame: Record<string, unknown>) => frame['id'] === id && frame['type'] === 'event';

describe('push events over WebSocket', { timeout: 90_000 }, () => {
  before(async () => {
    network = await createNetwork();
    ledger = network.ledgerHash.toBase58();
    peer = new NodeProcess('peer', network.peerConfig);
    await waitFor(`http://127.0.0.1:${network.peerManagementPort}/health`, (body) => body['status'] === 'ok', peer);
    const { file, port } = await network.gatewayConfig('gateway', gatewayKey, 15_000);
    gateway = new NodeProcess('gateway', file);
    base = `http://127.0.0.1:${port}`;
    wsUrl = `ws://127.0.0.1:${port}/ledgers/${ledger}/events/ws`;
    await waitFor(`${base}/health`, (body) => body['status'] === 'ok', gateway);
  });

  after(async () => {
    await Promise.all([gateway?.kill(), peer?.kill()]);
    rmSync(network.dir, { recursive: true, force: true });
  });

  test('live streams of blocks, transactions and a user topic deliver each event once, in order', async () => {
    const log = await FrameLog.open(wsUrl);
    log.send({ type: 'subscribe', id: 'b', kind: 'blocks' });
    log.send({ type: 'subscribe', id: 't', kind: 'transactions' });
    log.send({ type: 'subscribe', id: 'u', kind: 'userEvents', account: eventAccount.address.toBase58(), topic: TOPIC });
    const acks = await log.until((frame) => frame['type'] === 'subscribed', 3);
    assert.deepEqual(acks.find((frame) => frame['id'] === 'u'), { type: 'subscribed', id: 'u', kind: 'userEvents', fromSequence: 0 });
    const start = acks.find((frame) => frame['id'] === 'b')?.['fromHeight'];
    assert.equal(typeof start, 'number');

    const heights = [(await submit(base, ledger, registerEventAccount(network.ledgerHash))).blockHeight];
    for (let round = 0; round < 4; round++) {
      const contents = [0, 1].map((offset) => new TextEncoder().encode(`event ${round * 2 + offset}`));
      heights.push((await submit(base, ledger, publishEvents(network.ledgerHash, TOPIC, round * 2, contents).body)).blockHeight);
    }
    const last = Math.max(...heights);
    const blocks = await log.until(of('b'), last - Number(start) + 1);
    assert.deepEqual(blocks.map((frame) => frame['height']), Array.from({ length: last - Number(start) + 1 }, (_, i) => Number(start) + i));
    assert.equal((blocks[0]?.['data'] as { height: number }).height, start);

    const transactions = await log.until(of('t'), 5);
    assert.deepEqual(transactions.map((frame) => [frame['height'], frame['index']]), heights.map((height) => [height, 0]));
    assert.deepEqual(transactions.map((frame) => (frame['data'] as { result: { executionState: string } }).result.executionState), Array(5).fill('SUCCESS'));

    const events = await log.until(of('u'), 8);
    assert.deepEqual(events.map((frame) => frame['sequence']), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(events.map((frame) => (frame['data'] as { sequence: number }).sequence), [0, 1, 2, 3, 4, 5, 6, 7]);
    // Nothing more arrives for a stream that is caught up: one more block gives exactly one more event each.
    const next = publishEvents(network.ledgerHash, TOPIC, 8, [new TextEncoder().encode('event 8')]);
    const { blockHeight } = await submit(base, ledger, next.body);
    assert.equal((await log.until(of('u'), 9)).length, 9);
    assert.equal((await log.until(of('t'), 6)).at(-1)?.['height'], blockHeight);
    assert.equal((await log.until(of('b'), blockHeight - Number(start) + 1)).at(-1)?.['height'], blockHeight);
    log.close();
  });

  test('a stream from an old position replays history, then goes on live', async () => {
    const log = await FrameLog.open(wsUrl);
    log.send({ type: 'subscribe', id: 'old', kind: 'userEvents', account: eventAccount.address.toBase58(), topic: TOPIC, fromSequence: 3 });
    log.send({ type: 'subscribe', id: 'genesis', kind: 'blocks', fromHeight: 0 });
    log.send({ type: 'subscribe', id: 'mid', kind: 'transactions', fromHeight: 2, fromIndex: 1 });
    const replayed = await log.until(of('old'), 6);
    assert.deepEqual(replayed.map((frame) => frame['sequence']), [3, 4, 5, 6, 7, 8]);
    const blocks = await log.until(of('genesis'), 7);
    assert.deepEqual(blocks.slice(0, 7).map((frame) => frame['height']), [0, 1, 2, 3, 4, 5, 6]);
    // Block 2 holds one transaction: index 1 is past its end, so the stream goes on at block 3.
    const transactions = await log.until(of('mid'), 4);
    assert.deepEqual(transactions.slice(0, 4).map((frame) => [frame['height'], frame['index']]), [[3, 0], [4, 0], [5, 0], [6, 0]]);
    await submit(base, ledger, publishEvents(network.ledgerHash, TOPIC, 9, [new TextEncoder().encode('event 9')]).body);
    assert.deepEqual((await log.until(of('old'), 7)).map((frame) => frame['sequence']), [3, 4, 5, 6, 7, 8, 9]);
    log.send({ type: 'unsubscribe', id: 'old' });
    await log.until((frame) => frame['type'] === 'unsubscribed' && frame['id'] === 'old');
    log.close();
  });

  test('bad subscribe messages get a precise error frame and the socket stays usable', async () => {
    const log = await FrameLog.open(wsUrl);
    const refusals: Array<[unknown, string, string]> = [
      ['not json', 'MALFORMED_MESSAGE', 'not JSON'],
      [[1, 2], 'MALFORMED_MESSAGE', 'not a JSON object'],
      [{ type: 'listen', id: 'a' }, 'UNKNOWN_TYPE', 'type must be'],
      [{ type: 'subscribe', id: 'has space', kind: 'blocks' }, 'INVALID_FIELD', 'id must be'],
      [{ type: 'subscribe', id: 'k', kind: 'mempool' }, 'UNKNOWN_KIND', '"mempool"'],
      [{ type: 'subscribe', id: 'h', kind: 'blocks', fromHeight: -1 }, 'INVALID_FIELD', 'fromHeight must be a non-negative integer'],
      [{ type: 'subscribe', id: 'f', kind: 'blocks', fromHeight: 1.5 }, 'INVALID_FIELD', 'fromHeight'],
      [{ type: 'subscribe', id: 'x', kind: 'blocks', topic: 'a' }, 'INVALID_FIELD', 'unexpected field "topic"'],
      [{ type: 'subscribe', id: 'i', kind: 'transactions', fromIndex: 2 }, 'INVALID_FIELD', 'fromIndex needs fromHeight'],
      [{ type: 'subscribe', id: 'a', kind: 'userEvents', account: 'not-base58!', topic: 't' }, 'INVALID_FIELD', 'account "not-base58!" is not a base58 address'],
      [{ type: 'subscribe', id: 't', kind: 'userEvents', account: eventAccount.address.toBase58(), topic: '' }, 'INVALID_FIELD', 'topic must be'],
      [{ type: 'unsubscribe', id: 'nobody' }, 'UNKNOWN_SUBSCRIPTION', 'no subscription nobody'],
    ];
    for (const [message] of refusals) log.send(message);
    const errors = await log.until((frame) => frame['type'] === 'error', refusals.length);
    refusals.forEach(([, code, text], index) => {
      assert.equal(errors[index]?.['code'], code, JSON.stringify(errors[index]));
      assert.ok(String(errors[index]?.['message']).includes(text), JSON.stringify(errors[index]));
    });
    assert.equal(errors[5]?.['id'], 'h');
    log.send({ type: 'subscribe', id: 'ok', kind: 'blocks', fromHeight: 0 });
    log.send({ type: 'subscribe', id: 'ok', kind: 'blocks', fromHeight: 0 });
    await log.until((frame) => frame['type'] === 'error' && frame['code'] === 'DUPLICATE_ID' && frame['id'] === 'ok');
    assert.equal((await log.until(of('ok'), 2))[1]?.['height'], 1);
    log.close();
  });

  test('an unknown ledger ends the stream with UNKNOWN_LEDGER; a malformed one is refused at the upgrade', async () => {
    const stranger = cryptoSuite.hash('SHA256', new TextEncoder().encode('no such ledger')).toBase58();
    const log = await FrameLog.open(wsUrl.replace(ledger, stranger));
    log.send({ type: 'subscribe', id: 'lost', kind: 'blocks', fromHeight: 0 });
    const [error] = await log.until((frame) => frame['type'] === 'error');
    assert.equal(error?.['code'], 'UNKNOWN_LEDGER');
    assert.equal(error?.['id'], 'lost');
    log.close();
    await assert.rejects(FrameLog.open(wsUrl.replace(ledger, 'not-a-hash')), /400/);
    await assert.rejects(FrameLog.open(wsUrl.replace('/events/ws', '/events/wss')), /404/);
  });
});
