import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { WebSocket } from 'ws';
import type { HashDigest, KeyPair } from '@jadechain/crypto';
import { EventsClient, type ChainEvent } from '../src/index.js';

/**
 * The SDK's event streams against real processes: one peer and two gateways, built and spawned by
 * the gateway package's test network (packages/gateway/test/network.ts, compiled before this
 * package by the root build). The gateway the client listens to is killed (SIGKILL) while
 * transactions keep committing through the other one, then started again: the client must
 * reconnect and resume, and the union of what it delivered must have no gap and no repeat.
 */
interface NodeProcessLike {
  readonly output: string[];
  kill(): Promise<void>;
}
interface NetworkModule {
  createNetwork(): Promise<{
    readonly dir: string;
    readonly ledgerHash: HashDigest;
    readonly peerConfig: string;
    readonly peerManagementPort: number;
    gatewayConfig(name: string, key: KeyPair, commitWaitMs: number): Promise<{ file: string; port: number }>;
  }>;
  NodeProcess: new (kind: 'peer' | 'gateway', config: string) => NodeProcessLike;
  waitFor(url: string, ready: (body: Record<string, unknown>) => boolean, process?: NodeProcessLike): Promise<void>;
  gatewayKey: KeyPair;
  strangerKey: KeyPair;
}
interface WsClientModule {
  eventAccount: { readonly address: { toBase58(): string } };
  registerEventAccount(ledgerHash: HashDigest): string;
  publishEvents(ledgerHash: HashDigest, topic: string, first: number, contents: readonly Uint8Array[]): { body: string };
  submit(base: string, ledger: string, body: string): Promise<{ blockHeight: number }>;
}

const gatewayTests = new URL('../../../gateway/dist/test/', import.meta.url);
const TOPIC = 'ticks';

let net: NetworkModule;
let helpers: WsClientModule;
let network: Awaited<ReturnType<NetworkModule['createNetwork']>>;
const processes: NodeProcessLike[] = [];

async function start(kind: 'peer' | 'gateway', config: string, health: string): Promise<NodeProcessLike> {
  const process = new net.NodeProcess(kind, config);
  processes.push(process);
  await net.waitFor(health, (body) => body['status'] === 'ok', process);
  return process;
}

/** Resolves once `check` holds, looking again whenever an event arrives (and every 50 ms). */
async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('EventsClient against real gateway processes', { timeout: 90_000 }, () => {
  before(async () => {
    net = (await import(new URL('network.js', gatewayTests).href)) as NetworkModule;
    helpers = (await import(new URL('ws-client.js', gatewayTests).href)) as WsClientModule;
    network = await net.createNetwork();
    await start('peer', network.peerConfig, `http://127.0.0.1:${network.peerManagementPort}/health`);
  });

  after(async () => {
    await Promise.all(processes.map((process) => process.kill()));
    rmSync(network.dir, { recursive: true, force: true });
  });

  test('resumes after its gateway is killed and restarted: no event lost, none repeated', async () => {
    const ledger = network.ledgerHash.toBase58();
    const submitting = await network.gatewayConfig('submitting', net.gatewayKey, 15_000);
    const submitBase = `http://127.0.0.1:${submitting.port}`;
    await start('gateway', submitting.file, `${submitBase}/health`);
    const listening = await network.gatewayConfig('listening', net.strangerKey, 15_000);
    const listenBase = `http://127.0.0.1:${listening.port}`;
    let listener = await start('gateway', listening.file, `${listenBase}/health`);

    const client = new EventsClient(listenBase, network.ledgerHash, { webSocket: WebSocket, backoff: { initialMs: 50, maxMs: 400 } });
    const blocks: number[] = [];
    const transactions: string[] = [];
    const sequences: number[] = [];
    const failures: Error[] = [];
    client.subscribe({ kind: 'blocks', fromHeight: 0 }, (event: ChainEvent) => void (event.kind === 'blocks' && blocks.push(event.height)), (error) => failures.push(error));
    client.subscribe({ kind: 'transactions', fromHeight: 0 }, (event) => void (event.kind === 'transactions' && transactions.push(`${event.height}/${event.index}`)));
    // Slow on purpose: events are handed over one at a time, in order, across the reconnection.
    const account = helpers.eventAccount.address.toBase58();
    client.subscribe({ kind: 'userEvents', account, topic: TOPIC, fromSequence: 0 }, async (event) => {
      if (event.kind === 'userEvents') sequences.push(event.sequence);
      await new Promise((resolve) => setImmediate(resolve));
    });

    const publish = async (round: number): Promise<number> => {
      const contents = [0, 1, 2].map((offset) => new TextEncoder().encode(`tick ${round * 3 + offset}`));
      return (await helpers.submit(submitBase, ledger, helpers.publishEvents(network.ledgerHash, TOPIC, round * 3, contents).body)).blockHeight;
    };
    await helpers.submit(submitBase, ledger, helpers.registerEventAccount(network.ledgerHash));
    for (let round = 0; round < 4; round++) await publish(round);
    await eventually(() => sequences.length >= 6, 'the first events');

    await listener.kill();
    // Blocks keep committing through the other gateway while the client's gateway is gone.
    for (let round = 4; round < 8; round++) await publish(round);
    listener = await start('gateway', listening.file, `${listenBase}/health`);
    let tip = 0;
    for (let round = 8; round < 10; round++) tip = await publish(round);

    await eventually(() => sequences.length >= 30 && blocks.at(-1) === tip && transactions.length >= tip, 'every event after the restart');
    client.close();
    assert.deepEqual(failures, []);
    assert.deepEqual(sequences, Array.from({ length: 30 }, (_, i) => i));
    assert.deepEqual(blocks, Array.from({ length: tip + 1 }, (_, i) => i));
    // Every block after genesis holds exactly one transaction here (each submission waited for its commit).
    assert.deepEqual(transactions.slice(-tip), Array.from({ length: tip }, (_, i) => `${i + 1}/0`));
    assert.equal(new Set(transactions).size, transactions.length);
  });
});
