import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cryptoSuite, encryptPrivateKey, PrivKey, type HashDigest, type KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal, type GenesisBlock } from '@jadechain/ledger';
import { Router, TransportKey, connect, createNodeCredentials, type Connection, type NodeRole } from '@jadechain/p2p';
import { LmdbStore } from '@jadechain/storage';
import { TransactionRequest, signHash, transactionHash } from '@jadechain/types';
import { CHANNEL, ResultNotice, SubmitAck, SubmitBatch, jsonLogger, signSubmitBatch, type SubmitVerdict } from '@jadechain/service';
import { parsePeerConfig, startPeer, type PeerHandle } from '../src/index.js';

/**
 * A BFT network of real peers in this process: four CONSENSUS participants and a fifth in state
 * READY (a follower), each with its own LMDB data directory and TLS transport on 127.0.0.1, and a
 * gateway's side of the transport driven by hand. Blocks hold one transaction each, so that a few
 * dozen transactions make a few dozen blocks.
 */
const PASSWORD = 'cluster-test';
export const FOLLOWER = 4;
/** Short rounds: a test network on loopback decides in milliseconds. */
export const TEST_TIMEOUTS = { proposeMs: 400, prevoteMs: 200, precommitMs: 200, roundIncrementMs: 100, retransmitMs: 300 };

export function keyPair(label: string): KeyPair {
  const privateKey = new PrivKey('ED25519', cryptoSuite.hash('SHA256', new TextEncoder().encode(`cluster-test:${label}`)).raw);
  return { privateKey, publicKey: cryptoSuite.publicKeyOf(privateKey) };
}

export const peerKeys = [0, 1, 2, 3, 4].map((id) => keyPair(`peer ${id}`));
export const userKey = keyPair('user');
export const gatewayKey = keyPair('gateway');

export function genesisBlock(): GenesisBlock {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('cluster test'),
    createdTime: BigInt(Date.now() - 1000),
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'bft', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 64 * 1024, maxOperationsPerTransaction: 4, maxTransactionsPerBlock: 1, maxBlockBytes: 1 << 20, maxValueBytes: 1024 },
      timestampWindowMs: 600_000,
    },
    participants: peerKeys.map((pair, id) => ({
      id,
      name: `peer-${id}`,
      address: pair.publicKey.address(),
      pubKey: pair.publicKey,
      state: id === FOLLOWER ? ('READY' as const) : ('CONSENSUS' as const),
    })),
    genesisUsers: [
      { pubKey: userKey.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gatewayKey.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT', 'REGISTER_PARTICIPANT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  return combineInit(cryptoSuite, proposal, peerKeys.map((pair) => signInitProposal(cryptoSuite, proposal, pair.privateKey)));
}

/**
 * Different ports that were free a moment ago (the peers need each other's before any of them
 * starts). Every probe stays open until all are picked, so that none is handed out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface Gateway {
  readonly connection: Connection;
  readonly notices: ResultNotice[];
  submit(transactions: readonly TransactionRequest[]): Promise<SubmitVerdict[]>;
}

export class Cluster {
  readonly peers: (PeerHandle | undefined)[] = [];
  #nonce = 0;

  private constructor(
    readonly dir: string,
    readonly genesis: GenesisBlock,
    /** Each peer's p2p port, then each peer's management port. */
    readonly ports: readonly number[],
  ) {}

  static async create(dir: string): Promise<Cluster> {
    const genesis = genesisBlock();
    const cluster = new Cluster(dir, genesis, await freePorts(2 * peerKeys.length));
    for (let id = 0; id < peerKeys.length; id++) await cluster.initialize(id);
    return cluster;
  }

  get ledgerHash(): HashDigest {
    return this.genesis.ledgerHash;
  }

  /** A data directory holding only the genesis block. */
  async initialize(id: number): Promise<void> {
    const path = this.ledgerPath(id);
    mkdirSync(path, { recursive: true });
    const store = LmdbStore.open(path);
    await Ledger.initialize(store, this.genesis, { suite: cryptoSuite });
    await store.close();
    writeFileSync(join(this.dir, `peer-${id}.key.json`), JSON.stringify(encryptPrivateKey(cryptoSuite, peerKeys[id]!.privateKey, new TextEncoder().encode(PASSWORD), { scrypt: { N: 16, r: 8, p: 1 } })));
  }

  ledgerPath(id: number): string {
    return join(this.dir, `peer-${id}`, 'ledgers', this.ledgerHash.toBase58());
  }

  config(id: number, overrides: Record<string, unknown> = {}): ReturnType<typeof parsePeerConfig> {
    return parsePeerConfig(
      {
        dataDir: `peer-${id}`,
        ledgers: [{ hash: this.ledgerHash.toBase58() }],
        identity: { keyFile: `peer-${id}.key.json`, password: { value: PASSWORD } },
        p2p: { host: '127.0.0.1', port: this.ports[id] },
        // Given, not 0: a listen on port 0 could be handed the p2p port of a peer not started yet.
        management: { host: '127.0.0.1', port: this.ports[peerKeys.length + id] },
        gateways: [{ publicKey: gatewayKey.publicKey.toBase58() }],
        mempool: { verifyWorkers: 1 },
        consensus: { protocol: 'bft', timeouts: TEST_TIMEOUTS },
        peers: peerKeys.map((pair, peer) => ({ publicKey: pair.publicKey.toBase58(), host: '127.0.0.1', port: this.ports[peer] })),
        ...overrides,
      },
      this.dir,
    );
  }

  async start(id: number): Promise<PeerHandle> {
    const peer = await startPeer(this.config(id), jsonLogger('peer', () => undefined));
    this.peers[id] = peer;
    return peer;
  }

  async stop(id: number): Promise<void> {
    await this.peers[id]?.close();
    this.peers[id] = undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.peers.map((_, id) => this.stop(id)));
  }

  /** A signed transaction registering a fresh data account, co-signed by the gateway. */
  transaction(): TransactionRequest {
    const account = keyPair(`account ${this.#nonce + 1}`);
    return this.transactionOf([{ type: 'DataAccountRegister' as const, address: account.publicKey.address(), pubKey: account.publicKey }]);
  }

  /** Peer `id`'s participant put into `state` (the user holds REGISTER_PARTICIPANT). */
  participantState(id: number, state: 'CONSENSUS' | 'DEACTIVATED'): TransactionRequest {
    return this.transactionOf([{ type: 'ParticipantStateUpdate' as const, address: peerKeys[id]!.publicKey.address(), state }]);
  }

  transactionOf(operations: TransactionRequest['content']['operations']): TransactionRequest {
    this.#nonce += 1;
    const content = {
      ledgerHash: this.ledgerHash,
      operations,
      timestamp: BigInt(Date.now()),
      nonce: new TextEncoder().encode(`nonce-${String(this.#nonce).padStart(8, "0")}`),
    };
    const hash = transactionHash(cryptoSuite, 'SHA256', content);
    return { content, endpointSignatures: [signHash(cryptoSuite, userKey.privateKey, hash)], nodeSignatures: [signHash(cryptoSuite, gatewayKey.privateKey, hash)] };
  }

  /** Submits as the gateway to the given peers (the gateway submits each batch to every peer). */
  async submit(transactions: readonly TransactionRequest[], to: readonly number[]): Promise<SubmitVerdict[][]> {
    return Promise.all(
      to.map(async (id) => {
        const gateway = await this.gateway(id);
        try {
          return await gateway.submit(transactions);
        } finally {
          await gateway.connection.close();
        }
      }),
    );
  }

  /** The gateway's connection to peer `id`, collecting the result notices it receives. */
  async gateway(id: number): Promise<Gateway> {
    const notices: ResultNotice[] = [];
    const connection = await this.dial(id, gatewayKey, 'GATEWAY', new Router().onMessage(CHANNEL.RESULT, (body) => void notices.push(ResultNotice.decode(body))));
    return {
      connection,
      notices,
      submit: async (transactions) => {
        const content = { ledgerHash: this.ledgerHash, transactions: transactions.map((transaction) => TransactionRequest.encode(transaction)) };
        const ack = await connection.request(CHANNEL.SUBMIT, SubmitBatch.encode(signSubmitBatch(content, gatewayKey.privateKey)));
        return SubmitAck.decode(ack).verdicts as SubmitVerdict[];
      },
    };
  }

  /** A transport connection to peer `id` under any identity and role (to play a bad peer). */
  async dial(id: number, as: KeyPair, role: NodeRole, router = new Router()): Promise<Connection> {
    const now = Date.now();
    const credentials = createNodeCredentials({
      identityPrivateKey: as.privateKey,
      transportKey: await TransportKey.generate('ED25519', 'cluster-test'),
      role,
      notBefore: now - 1000,
      notAfter: now + 3_600_000,
    });
    return connect({
      host: '127.0.0.1',
      port: this.ports[id]!,
      expectedIdentity: peerKeys[id]!.publicKey,
      credentials,
      authorize: ({ role: remote }) => remote === 'PEER',
      router,
      logger: jsonLogger('p2p', () => undefined),
    });
  }

  /** GET on a peer's management endpoint, as JSON or text. */
  async management(id: number, path: string): Promise<string> {
    const peer = this.peers[id];
    assert.ok(peer !== undefined, `peer ${id} is running`);
    const response = await fetch(`http://${peer.managementAddress.host}:${peer.managementAddress.port}${path}`);
    return response.text();
  }

  async tip(id: number): Promise<{ readonly height: number; readonly blockHash: string }> {
    const status = JSON.parse(await this.management(id, '/status')) as { ledgers: { height: number; blockHash: string }[] };
    const ledger = status.ledgers[0];
    assert.ok(ledger !== undefined);
    return { height: ledger.height, blockHash: ledger.blockHash };
  }

  /** A counter from a peer's /metrics (0 when the series is absent). */
  async metric(id: number, series: string): Promise<number> {
    const text = await this.management(id, '/metrics');
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }
}

/** Polls `condition` every 25 ms until it holds or `timeoutMs` passes (then fails with `what`). */
export async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}
