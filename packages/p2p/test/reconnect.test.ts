import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  ReconnectingClient,
  resolveBackoff,
  Router,
  seededRandom,
  type BackoffPolicy,
} from '../src/index.js';
import { allow, FAST_LIMITS, makeNode, recordingLogger, rejectsWith, SEED, sleep, startServer, throwsWith, withSeed, type TestNode } from './support.js';

const ECHO = 1;
const echo = (): Router => new Router().onRequest(ECHO, (body) => body);

describe('backoff', () => {
  test('delays stay within [ceiling·(1−jitter), ceiling] and ceilings grow to the cap', () => {
    withSeed((seed) =>
      fc.assert(
        fc.property(
          fc.record({
            initialMs: fc.integer({ min: 1, max: 1000 }),
            extraMs: fc.integer({ min: 0, max: 100_000 }),
            multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
            jitter: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          fc.nat({ max: 60 }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          ({ initialMs, extraMs, multiplier, jitter }, attempt, draw) => {
            const policy = resolveBackoff({ initialMs, maxMs: initialMs + extraMs, multiplier, jitter });
            const ceiling = Math.min(policy.maxMs, initialMs * multiplier ** attempt);
            const next = Math.min(policy.maxMs, initialMs * multiplier ** (attempt + 1));
            assert.ok(next >= ceiling);
            const delay = backoffDelay(attempt, policy, () => draw);
            assert.ok(delay <= Math.round(ceiling) && delay >= Math.round(ceiling * (1 - jitter)) - 1, `${delay} vs ${ceiling}`);
          },
        ),
        { seed, numRuns: 3000 },
      ),
    );
  });

  test('the default schedule doubles from 100 ms to 30 s with half jitter', () => {
    const top = () => 0;
    assert.deepEqual([0, 1, 2, 3, 8, 9, 20].map((n) => backoffDelay(n, DEFAULT_BACKOFF, top)), [100, 200, 400, 800, 25_600, 30_000, 30_000]);
    assert.equal(backoffDelay(0, DEFAULT_BACKOFF, () => 0.999_999), 50);
  });

  test('a seeded source repeats itself and stays in [0, 1)', () => {
    const a = seededRandom(SEED);
    const b = seededRandom(SEED);
    const drawsA = Array.from({ length: 1000 }, a);
    assert.deepEqual(Array.from({ length: 1000 }, b), drawsA);
    assert.ok(drawsA.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(Array.from({ length: 10 }, seededRandom(SEED + 1)), drawsA.slice(0, 10));
    assert.ok(new Set(drawsA).size > 990);
  });

  test('invalid policies are refused', () => {
    for (const bad of [{ initialMs: 0 }, { maxMs: 10 }, { multiplier: 0.5 }, { jitter: 1.5 }, { initialMs: Number.NaN }] as Partial<BackoffPolicy>[]) {
      throwsWith('INVALID_OPTIONS', () => resolveBackoff(bad));
    }
  });
});

interface Retry {
  readonly attempt: number;
  readonly delay: number;
  readonly code: string;
}

function reconnecting(node: TestNode, port: number, allowed: TestNode, retries: Retry[], events: string[]): ReconnectingClient {
  return new ReconnectingClient({
    host: '127.0.0.1',
    port,
    credentials: node.credentials,
    authorize: allow(allowed),
    router: echo(),
    logger: recordingLogger(),
    limits: FAST_LIMITS,
    backoff: { initialMs: 20, maxMs: 160 },
    random: seededRandom(SEED),
    onConnect: () => events.push('connect'),
    onDisconnect: (info) => events.push(`disconnect:${info.code}`),
    onRetry: (attempt, delay, reason) => retries.push({ attempt, delay, code: reason.code }),
  });
}

describe('reconnecting client', () => {
  test('reconnects after the server restarts, on a reproducible schedule', async () => {
    const serverNode = await makeNode({ name: 'restarting-server' });
    const clientNode = await makeNode({ name: 'restarting-client', role: 'GATEWAY' });
    const first = await startServer(serverNode, { authorize: allow(clientNode), router: echo() });
    const { port } = first;
    const retries: Retry[] = [];
    const events: string[] = [];
    const client = reconnecting(clientNode, port, serverNode, retries, events).start();
    await client.connected();
    assert.deepEqual(await client.request(ECHO, Uint8Array.of(1)), Buffer.of(1));

    await first.server.close();
    while (retries.length < 3) await sleep(5);
    throwsWith('NOT_CONNECTED', () => client.send(ECHO, Uint8Array.of(2)));
    await rejectsWith(client.request(ECHO, Uint8Array.of(2)), 'NOT_CONNECTED');

    const restarted = await startServer(serverNode, { authorize: allow(clientNode), router: echo() }, port);
    const connection = await client.connected();
    assert.deepEqual(await connection.request(ECHO, Uint8Array.of(3)), Buffer.of(3));

    const draws = seededRandom(SEED);
    const policy = resolveBackoff({ initialMs: 20, maxMs: 160 });
    assert.deepEqual(retries.map((retry) => retry.delay), retries.map((retry) => backoffDelay(retry.attempt, policy, draws)));
    assert.deepEqual(retries.map((retry) => retry.attempt), retries.map((_, n) => n));
    assert.equal(retries[0]?.code, 'CONNECTION_LOST');
    assert.ok(retries.slice(1).every((retry) => retry.code === 'CONNECT_FAILED'));
    assert.deepEqual(events, ['connect', 'disconnect:NORMAL', 'connect']);
    assert.equal(client.metrics.reconnectAttempts, retries.length);
    await client.close();
    await restarted.server.close();
  });

  test('close() stops the retries and fails waiters with CLOSED', async () => {
    const serverNode = await makeNode({ name: 'refusing-server' });
    const stranger = await makeNode({ name: 'stranger' });
    const { server, port } = await startServer(serverNode, { authorize: allow(serverNode) });
    const retries: Retry[] = [];
    const client = reconnecting(stranger, port, serverNode, retries, []).start();
    const waiter = client.connected();
    while (retries.length < 2) await sleep(5);
    assert.ok(retries.every((retry) => retry.code === 'REJECTED_BY_PEER'));
    await client.close();
    await rejectsWith(waiter, 'CLOSED');
    await rejectsWith(client.connected(), 'CLOSED');
    const settled = retries.length;
    await sleep(200);
    assert.equal(retries.length, settled);
    // Every retry followed a refused dial; a dial in flight at close() may add one more.
    assert.ok((server.metrics.snapshot().closedLocally['UNAUTHORIZED_PEER'] ?? 0) >= settled);
    await server.close();
  });
});
