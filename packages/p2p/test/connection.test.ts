import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { connect, resolveLimits, Router, TransportMetrics, TransportServer, type Connection, type TransportLimits } from '../src/index.js';
import { allow, authenticatedRawSession, FAST_LIMITS, makeNode, recordingLogger, rejectsWith, sleep, startServer, throwsWith, type TestNode } from './support.js';

const ECHO = 1;
const HOLD = 2;
const FAIL = 3;
const NOTES = 4;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const textOf = (body: Uint8Array): string => new TextDecoder().decode(body);

const servers: TransportServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** Requests on HOLD wait until the test releases them, in any order it likes. */
class Gate {
  readonly waiting: { body: Uint8Array; release: (reply: Uint8Array) => void }[] = [];
  readonly handler = (body: Uint8Array): Promise<Uint8Array> => new Promise((release) => this.waiting.push({ body, release }));

  async arrived(count: number): Promise<void> {
    while (this.waiting.length < count) await sleep(2);
  }
}

interface Pair {
  readonly client: Connection;
  readonly server: Connection;
  readonly listening: TransportServer;
  readonly serverNode: TestNode;
  readonly clientNode: TestNode;
  readonly clientMetrics: TransportMetrics;
  readonly port: number;
}

async function pair(options: { serverRouter?: Router; clientRouter?: Router; serverLimits?: Partial<TransportLimits>; clientLimits?: Partial<TransportLimits> } = {}): Promise<Pair> {
  const serverNode = await makeNode({ name: 'server' });
  const clientNode = await makeNode({ name: 'client', role: 'GATEWAY' });
  const { server: listening, port } = await startServer(serverNode, {
    authorize: allow(clientNode),
    router: options.serverRouter ?? new Router(),
    ...(options.serverLimits === undefined ? {} : { limits: options.serverLimits }),
  });
  servers.push(listening);
  const clientMetrics = new TransportMetrics();
  const client = await connect({
    host: '127.0.0.1', port, credentials: clientNode.credentials, authorize: allow(serverNode), logger: recordingLogger(), metrics: clientMetrics,
    router: options.clientRouter ?? new Router(), limits: { ...FAST_LIMITS, ...options.clientLimits },
  });
  const [server] = listening.connections;
  assert.ok(server !== undefined);
  return { client, server, listening, serverNode, clientNode, clientMetrics, port };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(2);
}

describe('messages and requests', () => {
  test('one-way messages on several channels arrive complete and in order', async () => {
    const received: string[] = [];
    const router = new Router()
      .onMessage(NOTES, (body) => void received.push(`a:${textOf(body)}`))
      .onMessage(NOTES + 1, (body) => void received.push(`b:${textOf(body)}`));
    const { client } = await pair({ serverRouter: router });
    const sent: string[] = [];
    for (let n = 0; n < 200; n++) {
      const channel = n % 3 === 0 ? NOTES + 1 : NOTES;
      assert.equal(client.send(channel, bytes(String(n))), true);
      sent.push(`${channel === NOTES ? 'a' : 'b'}:${n}`);
    }
    await until(() => received.length === sent.length);
    assert.deepEqual(received, sent);
    await client.close();
  });

  test('responses are matched to their requests whatever order they come in', async () => {
    const gate = new Gate();
    const { client } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler) });
    const replies = [0, 1, 2, 3, 4].map((n) => client.request(HOLD, bytes(`q${n}`)));
    await gate.arrived(5);
    for (const waiting of [...gate.waiting].reverse()) waiting.release(bytes(`reply to ${textOf(waiting.body)}`));
    assert.deepEqual((await Promise.all(replies)).map(textOf), [0, 1, 2, 3, 4].map((n) => `reply to q${n}`));
    await client.close();
  });

  test('the server can call the client on the same connection', async () => {
    const { client, server } = await pair({ clientRouter: new Router().onRequest(ECHO, (body) => body) });
    assert.equal(textOf(await server.request(ECHO, bytes('hello gateway'))), 'hello gateway');
    await client.close();
  });

  test('handler failures come back as REMOTE_ERROR with the handler\'s code', async () => {
    const router = new Router()
      .onRequest(FAIL, (body) => {
        const kind = textOf(body);
        if (kind === 'coded') throw Object.assign(new Error('no such ledger'), { code: 'UNKNOWN_LEDGER' });
        if (kind === 'not-bytes') return 'text' as unknown as Uint8Array;
        throw new Error('plain failure');
      });
    const { client, listening } = await pair({ serverRouter: router });
    await rejectsWith(client.request(FAIL, bytes('coded')), 'REMOTE_ERROR', 'UNKNOWN_LEDGER');
    await rejectsWith(client.request(FAIL, bytes('plain')), 'REMOTE_ERROR', 'HANDLER_FAILED');
    await rejectsWith(client.request(FAIL, bytes('not-bytes')), 'REMOTE_ERROR', 'HANDLER_FAILED');
    await rejectsWith(client.request(99, bytes('anyone?')), 'REMOTE_ERROR', 'NO_HANDLER');
    assert.equal(client.isOpen, true);
    assert.equal(listening.metrics.connectionsActive, 1);
    await client.close();
  });

  test('failing message handlers and unknown channels are counted, and the connection stays up', async () => {
    const router = new Router()
      .onMessage(NOTES, () => {
        throw new Error('boom');
      })
      .onMessage(NOTES + 1, () => Promise.reject(new Error('async boom')))
      .onRequest(ECHO, (body) => body);
    const { client, listening } = await pair({ serverRouter: router });
    client.send(NOTES, bytes('x'));
    client.send(NOTES + 1, bytes('y'));
    client.send(77, bytes('z'));
    assert.equal(textOf(await client.request(ECHO, bytes('still here'))), 'still here');
    await until(() => listening.metrics.snapshot().dropped['HANDLER_FAILED'] === 2);
    assert.equal(listening.metrics.snapshot().dropped['UNKNOWN_CHANNEL'], 1);
    await client.close();
  });
});

describe('timeouts and limits', () => {
  test('a request without a response times out; its late response is dropped and counted', async () => {
    const gate = new Gate();
    const { client, clientMetrics } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler).onRequest(ECHO, (body) => body) });
    await rejectsWith(client.request(HOLD, bytes('slow'), { timeoutMs: 30 }), 'TIMEOUT');
    await gate.arrived(1);
    gate.waiting[0]?.release(bytes('too late'));
    // Frames keep their order, so the late response is in before this one.
    await client.request(ECHO, bytes('after'));
    assert.deepEqual(clientMetrics.snapshot().dropped, { LATE_RESPONSE: 1, TIMEOUT: 1 });
    await client.close();
  });

  test('requests beyond maxIncomingRequests are answered BUSY', async () => {
    const gate = new Gate();
    const { client, listening } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler), serverLimits: { maxIncomingRequests: 2 } });
    const first = [client.request(HOLD, bytes('1')), client.request(HOLD, bytes('2'))];
    await rejectsWith(client.request(HOLD, bytes('3')), 'REMOTE_ERROR', 'BUSY');
    await gate.arrived(2);
    for (const waiting of gate.waiting) waiting.release(waiting.body);
    assert.deepEqual((await Promise.all(first)).map(textOf), ['1', '2']);
    assert.equal(listening.metrics.snapshot().dropped['BUSY'], 1);
    await client.close();
  });

  test('requests beyond maxPendingRequests are refused at once with QUEUE_FULL', async () => {
    const gate = new Gate();
    const { client } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler), clientLimits: { maxPendingRequests: 2 } });
    const first = [client.request(HOLD, bytes('1')), client.request(HOLD, bytes('2'))];
    await rejectsWith(client.request(HOLD, bytes('3')), 'QUEUE_FULL');
    await gate.arrived(2);
    for (const waiting of gate.waiting) waiting.release(waiting.body);
    await Promise.all(first);
    await client.close();
  });

  test('a full send queue pushes back: send returns false, requests reject, drained() says when to resume', async () => {
    let received = 0;
    const limits = { maxFrameBytes: 64 * 1024, maxQueuedBytes: 256 * 1024, maxQueuedFrames: 1000 };
    const { client, clientMetrics } = await pair({
      serverRouter: new Router().onMessage(NOTES, () => void (received += 1)),
      serverLimits: limits,
      clientLimits: limits,
    });
    const body = new Uint8Array(60 * 1024);
    // Nothing is written to the network until this loop yields, so the queue must fill.
    let accepted = 0;
    while (client.send(NOTES, body)) accepted += 1;
    assert.ok(accepted >= 4 && accepted <= 6, `accepted ${accepted}`);
    assert.equal(client.writable, false);
    await rejectsWith(client.request(ECHO, bytes('x')), 'QUEUE_FULL');
    assert.equal(clientMetrics.snapshot().dropped['QUEUE_FULL'], 2);
    await client.drained();
    assert.equal(client.writable, true);
    assert.equal(client.send(NOTES, body), true);
    await until(() => received === accepted + 1);
    await client.close();
  });

  test('a body too large for one frame is refused before sending', async () => {
    const { client } = await pair({ clientLimits: { maxFrameBytes: 16 * 1024 } });
    throwsWith('FRAME_TOO_LARGE', () => client.send(NOTES, new Uint8Array(16 * 1024)));
    await rejectsWith(client.request(ECHO, new Uint8Array(16 * 1024)), 'FRAME_TOO_LARGE');
    await client.close();
  });
});

describe('configuration errors', () => {
  test('inconsistent limits are refused', () => {
    for (const bad of [{ maxFrameBytes: 1024 }, { maxQueuedBytes: 1024 }, { heartbeatMs: 10, idleTimeoutMs: 19 }, { requestTimeoutMs: 0 }, { maxQueuedFrames: 1.5 }]) {
      throwsWith('INVALID_OPTIONS', () => resolveLimits(bad));
    }
    assert.equal(resolveLimits({ heartbeatMs: 10, idleTimeoutMs: 20 }).idleTimeoutMs, 20);
  });

  test('a channel gets one handler of each kind, and channels are u16', () => {
    const router = new Router().onMessage(5, () => undefined).onRequest(5, (body) => body);
    throwsWith('INVALID_OPTIONS', () => router.onMessage(5, () => undefined));
    throwsWith('INVALID_OPTIONS', () => router.onRequest(5, (body) => body));
    throwsWith('INVALID_OPTIONS', () => router.onRequest(0x10000, (body) => body));
  });

  test('listening on a port in use is LISTEN_FAILED', async () => {
    const { port, serverNode, client } = await pair();
    const second = new TransportServer({ credentials: serverNode.credentials, authorize: () => false, logger: recordingLogger() });
    await rejectsWith(second.listen(port, '127.0.0.1'), 'LISTEN_FAILED');
    await client.close();
  });
});

describe('a misbehaving peer loses only its own connection', () => {
  for (const [name, bytesSent, code] of [
    ['an oversized frame', Buffer.from('7fffffff02', 'hex'), 'FRAME_TOO_LARGE'],
    ['an unknown frame type', Buffer.from('00000003ee0000', 'hex'), 'MALFORMED_FRAME'],
    ['a truncated header', Buffer.from('0000000203ff', 'hex'), 'MALFORMED_FRAME'],
    ['a second HELLO', Buffer.from('0000000101', 'hex'), 'PROTOCOL_VIOLATION'],
  ] as const) {
    test(name, async () => {
      const { client, listening, clientNode, port } = await pair({ serverRouter: new Router().onRequest(ECHO, (body) => body) });
      const evil = await authenticatedRawSession(port, clientNode);
      evil.socket.write(bytesSent);
      await evil.closed;
      assert.equal(evil.closeCode(), code);
      assert.equal(listening.metrics.snapshot().closedLocally[code], 1);
      assert.equal(textOf(await client.request(ECHO, bytes('unaffected'))), 'unaffected');
      await client.close();
    });
  }
});

describe('liveness', () => {
  test('heartbeats keep an idle connection open', async () => {
    const limits = { heartbeatMs: 20, idleTimeoutMs: 80 };
    const { client, listening } = await pair({ serverLimits: limits, clientLimits: limits });
    const framesBefore = listening.metrics.framesIn;
    await sleep(300);
    assert.equal(client.isOpen, true);
    assert.ok(listening.metrics.framesIn - framesBefore >= 3, 'heartbeats arrived');
    await client.close();
  });

  test('a peer that sends nothing is closed with IDLE_TIMEOUT; a heartbeating one is not', async () => {
    const { client, listening, clientNode, port } = await pair({
      serverLimits: { heartbeatMs: 20, idleTimeoutMs: 300 },
      clientLimits: { heartbeatMs: 20, idleTimeoutMs: 300 },
    });
    const silent = await authenticatedRawSession(port, clientNode);
    await silent.closed;
    assert.equal(silent.closeCode(), 'IDLE_TIMEOUT');
    assert.ok(silent.frames.some((frame) => frame.type === 'HEARTBEAT'));
    assert.equal(listening.metrics.snapshot().closedLocally['IDLE_TIMEOUT'], 1);
    assert.equal(client.isOpen, true);
    await client.close();
  });
});

describe('closing', () => {
  test('an orderly close lets outstanding requests finish, then refuses new sends', async () => {
    const gate = new Gate();
    const { client, listening } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler) });
    const reply = client.request(HOLD, bytes('finish me'));
    await gate.arrived(1);
    const closing = client.close('maintenance');
    assert.equal(client.isOpen, false);
    throwsWith('CLOSED', () => client.send(NOTES, bytes('late')));
    await rejectsWith(client.request(ECHO, bytes('late')), 'CLOSED');
    gate.waiting[0]?.release(bytes('done'));
    assert.equal(textOf(await reply), 'done');
    assert.deepEqual(await closing, { code: 'NORMAL', message: 'maintenance', initiator: 'local' });
    await until(() => listening.metrics.connectionsActive === 0);
    assert.equal(listening.metrics.snapshot().closedRemotely['NORMAL'], 1);
  });

  test('the remote\'s outstanding requests fail with CLOSED when the close timeout runs out', async () => {
    const gate = new Gate();
    const { client, server } = await pair({ serverRouter: new Router().onRequest(HOLD, gate.handler), serverLimits: { closeTimeoutMs: 50 } });
    const reply = client.request(HOLD, bytes('never answered'));
    await gate.arrived(1);
    await server.close();
    await rejectsWith(reply, 'CLOSED');
    assert.equal((await client.closed).initiator, 'remote');
  });

  test('closing the server closes every connection in order', async () => {
    const { client, listening } = await pair();
    await listening.close();
    assert.deepEqual(await client.closed, { code: 'NORMAL', message: 'server shutting down', initiator: 'remote' });
    await rejectsWith(client.drained().then(() => client.request(ECHO, bytes('x'))), 'CLOSED');
  });
});
