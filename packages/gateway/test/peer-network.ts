import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite, encryptPrivateKey, type HashDigest, type KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal, type GenesisBlock } from '@jadechain/ledger';
import { parsePeerConfig, startPeer, type PeerHandle } from '@jadechain/node';
import { jsonLogger } from '@jadechain/service';
import { LmdbStore } from '@jadechain/storage';
import { parseGatewayConfig, startGateway, type GatewayHandle } from '../src/index.js';
import { freePorts, gatewayKey, keyPair } from './network.js';

/**
 * Real peers and a gateway, all in this process: each peer with its own LMDB and TLS transport on
 * 127.0.0.1, started from the node package's `startPeer` (BFT with short consensus timeouts, or
 * single), and the gateway from `startGateway` configured with every peer.
 */
const PASSWORD = 'bft-gateway-test';
const TIMEOUTS = { proposeMs: 400, prevoteMs: 200, precommitMs: 200, roundIncrementMs: 100, retransmitMs: 300 };
export const validatorKeys = [0, 1, 2, 3].map((id) => keyPair(`bft-validator-${id}`));
export const writerKey = keyPair('bft-writer');

/** A ledger whose CONSENSUS participants are `keys`, with a writer and the gateway as users. */
export function genesisBlock(seed: string, keys: readonly KeyPair[], provider: 'bft' | 'single'): GenesisBlock {
  const proposal = createInitProposal({
    seed: new TextEncoder().encode(seed),
    createdTime: BigInt(Date.now() - 1000),
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider, properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 64 * 1024, maxOperationsPerTransaction: 4, maxTransactionsPerBlock: 100, maxBlockBytes: 1 << 20, maxValueBytes: 1024 },
      timestampWindowMs: 600_000,
    },
    participants: keys.map((pair, id) => ({ id, name: `peer-${id}`, address: pair.publicKey.address(), pubKey: pair.publicKey, state: 'CONSENSUS' as const })),
    genesisUsers: [
      { pubKey: writerKey.publicKey, roles: ['WRITER'], policy: 'UNION' },
      { pubKey: gatewayKey.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'WRITER', ledgerPermissions: ['REGISTER_DATA_ACCOUNT'], transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  return combineInit(cryptoSuite, proposal, keys.map((pair) => signInitProposal(cryptoSuite, proposal, pair.privateKey)));
}

function writeKey(dir: string, name: string, key: KeyPair): string {
  const file = join(dir, `${name}.key.json`);
  writeFileSync(file, JSON.stringify(encryptPrivateKey(cryptoSuite, key.privateKey, new TextEncoder().encode(PASSWORD), { scrypt: { N: 16, r: 8, p: 1 } })));
  return file;
}

/** One peer to run: its identity, the ledger it holds, and how it orders. */
export interface PeerPlan {
  readonly key: KeyPair;
  readonly genesis: GenesisBlock;
  readonly protocol: 'bft' | 'single';
}

/** Every port the network listens on, given explicitly: nothing binds port 0 while others wait for theirs. */
interface NetworkPorts {
  readonly p2p: readonly number[];
  readonly management: readonly number[];
  readonly gateway: number;
}

export class PeerNetwork {
  readonly peers: Array<PeerHandle | undefined> = [];
  gateway: GatewayHandle | undefined;

  private constructor(
    readonly dir: string,
    readonly plans: readonly PeerPlan[],
    readonly ports: NetworkPorts,
  ) {}

  /** Four BFT validators of one ledger. */
  static bft(): Promise<PeerNetwork> {
    const genesis = genesisBlock('gateway bft test', validatorKeys, 'bft');
    return PeerNetwork.create(validatorKeys.map((key) => ({ key, genesis, protocol: 'bft' })));
  }

  static async create(plans: readonly PeerPlan[]): Promise<PeerNetwork> {
    const dir = mkdtempSync(join(tmpdir(), 'jadechain-gateway-peers-'));
    // Reserved together, so that no port is handed out twice; a peer started, stopped or restarted
    // later finds its ports as the others knew them.
    const reserved = await freePorts(2 * plans.length + 1);
    const ports = { p2p: reserved.slice(0, plans.length), management: reserved.slice(plans.length, -1), gateway: reserved.at(-1) as number };
    for (const [id, plan] of plans.entries()) {
      const path = join(dir, `peer-${id}`, 'ledgers', plan.genesis.ledgerHash.toBase58());
      mkdirSync(path, { recursive: true });
      const store = LmdbStore.open(path);
      await Ledger.initialize(store, plan.genesis, { suite: cryptoSuite });
      await store.close();
      writeKey(dir, `peer-${id}`, plan.key);
    }
    return new PeerNetwork(dir, plans, ports);
  }

  /** The first peer's ledger. */
  get ledgerHash(): HashDigest {
    return (this.plans[0] as PeerPlan).genesis.ledgerHash;
  }

  get base(): string {
    if (this.gateway === undefined) throw new Error('the gateway is not running');
    return `http://127.0.0.1:${this.gateway.httpAddress.port}`;
  }

  async startPeer(id: number): Promise<void> {
    const plan = this.plans[id] as PeerPlan;
    const ledger = plan.genesis.ledgerHash;
    // A BFT peer's `peers` are the others holding its ledger.
    const others = this.plans.flatMap((other, peer) => (other.genesis.ledgerHash.equals(ledger) ? [{ publicKey: other.key.publicKey.toBase58(), host: '127.0.0.1', port: this.ports.p2p[peer] }] : []));
    const config = parsePeerConfig(
      {
        dataDir: `peer-${id}`,
        ledgers: [{ hash: ledger.toBase58() }],
        identity: { keyFile: `peer-${id}.key.json`, password: { value: PASSWORD } },
        p2p: { host: '127.0.0.1', port: this.ports.p2p[id] },
        management: { host: '127.0.0.1', port: this.ports.management[id] },
        gateways: [{ publicKey: gatewayKey.publicKey.toBase58() }],
        mempool: { verifyWorkers: 1 },
        consensus: plan.protocol === 'bft' ? { protocol: 'bft', timeouts: TIMEOUTS } : { protocol: 'single' },
        ...(plan.protocol === 'bft' ? { peers: others } : {}),
      },
      this.dir,
    );
    this.peers[id] = await startPeer(config, jsonLogger('peer', () => undefined));
  }

  async stopPeer(id: number): Promise<void> {
    await this.peers[id]?.close();
    this.peers[id] = undefined;
  }

  async startGateway(commitWaitMs: number): Promise<void> {
    const config = parseGatewayConfig(
      {
        identity: { keyFile: writeKey(this.dir, 'gateway', gatewayKey), password: { value: PASSWORD } },
        peers: this.plans.map((plan, id) => ({ host: '127.0.0.1', port: this.ports.p2p[id], publicKey: plan.key.publicKey.toBase58() })),
        http: { host: '127.0.0.1', port: this.ports.gateway },
        timeouts: { commitWaitMs, statusPollMs: 100 },
      },
      this.dir,
    );
    this.gateway = await startGateway(config, jsonLogger('gateway', () => undefined));
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await Promise.all(this.peers.map((_, id) => this.stopPeer(id)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A peer's management endpoint, as JSON. */
  async management(id: number, path: string): Promise<Record<string, unknown>> {
    const peer = this.peers[id];
    if (peer === undefined) throw new Error(`peer ${id} is not running`);
    return (await (await fetch(`http://127.0.0.1:${peer.managementAddress.port}${path}`)).json()) as Record<string, unknown>;
  }
}

/** Polls `condition` every 50 ms until it holds, or fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
