import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Address, cryptoSuite, encryptPrivateKey, PrivKey, type HashDigest, type KeyPair } from '@jadechain/crypto';
import { Ledger, combineInit, createInitProposal, signInitProposal } from '@jadechain/ledger';
import { LmdbStore } from '@jadechain/storage';
import { signHash, transactionHash, TransactionRequest, type LedgerPermission, type Operation } from '@jadechain/types';

/**
 * A real network on loopback for the end-to-end tests: keys, a genesis written with the ledger's
 * own init steps into LMDB, configuration files, and peer and gateway processes spawned from the
 * packages' bin scripts.
 */
// Compiled to packages/gateway/dist/test/: the repository root is four levels up.
const root = new URL('../../../../', import.meta.url).pathname;
const PEER_BIN = join(root, 'packages/node/bin/peer.js');
const GATEWAY_BIN = join(root, 'packages/gateway/bin/gateway.js');
const PASSWORD = 'e2e-password';

export function keyPair(label: string): KeyPair & { readonly address: Address } {
  const seed = cryptoSuite.hash('SHA256', new TextEncoder().encode(`jadechain-e2e-key:${label}`)).raw;
  const privateKey = new PrivKey('ED25519', seed);
  const publicKey = cryptoSuite.publicKeyOf(privateKey);
  return { privateKey, publicKey, address: publicKey.address() };
}

export const peerKey = keyPair('peer');
export const adminKey = keyPair('admin');
export const gatewayKey = keyPair('gateway');
/** Configured on the peer's transport allow-list but not a user of the ledger. */
export const strangerKey = keyPair('stranger');

const ALL: readonly LedgerPermission[] = ['CONFIGURE_ROLES', 'AUTHORIZE_USER_ROLES', 'REGISTER_USER', 'REGISTER_DATA_ACCOUNT', 'WRITE_DATA_ACCOUNT', 'REGISTER_EVENT_ACCOUNT', 'WRITE_EVENT_ACCOUNT'];

function listeningProbe(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve(probe));
  });
}

/**
 * `count` different loopback ports, free a moment ago, none of them in `taken` (ports handed out
 * earlier whose process may not listen yet). Every probe stays open until all are picked: probed
 * and closed one at a time, the system can hand out the same port twice (about once in 5,000
 * pairs on Linux), and two processes of one test would be given one port.
 */
export async function freePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const probes: Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const probe = await listeningProbe();
      probes.push(probe);
      const { port } = probe.address() as AddressInfo;
      if (!taken.includes(port)) ports.push(port);
    }
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
  return ports;
}

export interface Network {
  readonly dir: string;
  readonly ledgerHash: HashDigest;
  readonly peerConfig: string;
  readonly peerManagementPort: number;
  gatewayConfig(name: string, key: KeyPair, commitWaitMs: number, bodyLimitBytes?: number): Promise<{ file: string; port: number }>;
}

function writeKeyFile(dir: string, name: string, key: KeyPair): string {
  const file = join(dir, `${name}.key.json`);
  const sealed = encryptPrivateKey(cryptoSuite, key.privateKey, new TextEncoder().encode(PASSWORD), { scrypt: { N: 16, r: 8, p: 1 } });
  writeFileSync(file, JSON.stringify(sealed));
  return file;
}

/** Keys, genesis and the peer's configuration in a fresh temporary directory. */
export async function createNetwork(): Promise<Network> {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-e2e-'));
  const proposal = createInitProposal({
    seed: new TextEncoder().encode('jadechain e2e ledger'),
    createdTime: BigInt(Date.now() - 1000),
    settings: {
      protocolVersion: 1,
      crypto: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519'] },
      consensus: { provider: 'single', properties: {} },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: { maxTransactionBytes: 64 * 1024, maxOperationsPerTransaction: 16, maxTransactionsPerBlock: 1000, maxBlockBytes: 8 << 20, maxValueBytes: 4096 },
      timestampWindowMs: 600_000,
    },
    participants: [{ id: 0, name: 'peer-0', address: peerKey.address, pubKey: peerKey.publicKey, state: 'CONSENSUS' }],
    genesisUsers: [
      { pubKey: adminKey.publicKey, roles: ['ADMIN'], policy: 'UNION' },
      { pubKey: gatewayKey.publicKey, roles: ['GATEWAY'], policy: 'UNION' },
    ],
    roles: [
      { name: 'ADMIN', ledgerPermissions: ALL, transactionPermissions: ['DIRECT_OPERATION'] },
      { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
    ],
  });
  const genesis = combineInit(cryptoSuite, proposal, [signInitProposal(cryptoSuite, proposal, peerKey.privateKey)]);
  const ledgerPath = join(dir, 'peer-data', 'ledgers', genesis.ledgerHash.toBase58());
  mkdirSync(ledgerPath, { recursive: true });
  const store = LmdbStore.open(ledgerPath);
  await Ledger.initialize(store, genesis, { suite: cryptoSuite });
  await store.close();

  const peerPorts = await freePorts(2);
  const [p2pPort, peerManagementPort] = peerPorts as [number, number];
  const peerConfig = join(dir, 'peer.json');
  writeFileSync(peerConfig, JSON.stringify({
    dataDir: 'peer-data',
    ledgers: [{ hash: genesis.ledgerHash.toBase58() }],
    identity: { keyFile: writeKeyFile(dir, 'peer', peerKey), password: { value: PASSWORD } },
    p2p: { host: '127.0.0.1', port: p2pPort },
    management: { host: '127.0.0.1', port: peerManagementPort },
    gateways: [{ publicKey: gatewayKey.publicKey.toBase58() }, { address: strangerKey.address.toBase58() }],
    mempool: { verifyWorkers: 1 },
  }));
  return {
    dir,
    ledgerHash: genesis.ledgerHash,
    peerConfig,
    peerManagementPort,
    async gatewayConfig(name, key, commitWaitMs, bodyLimitBytes = 128 * 1024) {
      // Not one of the peer's, even if the peer is not listening yet.
      const [port] = (await freePorts(1, peerPorts)) as [number];
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({
        identity: { keyFile: writeKeyFile(dir, name, key), password: { env: 'E2E_GATEWAY_PASSWORD' } },
        peers: [{ host: '127.0.0.1', port: p2pPort, publicKey: peerKey.publicKey.toBase58() }],
        http: { host: '127.0.0.1', port },
        timeouts: { commitWaitMs },
        bodyLimitBytes,
      }));
      return { file, port };
    },
  };
}

/** A running node process; its output is kept for the failure message. */
export class NodeProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  constructor(kind: 'peer' | 'gateway', config: string) {
    this.#child = spawn(process.execPath, [kind === 'peer' ? PEER_BIN : GATEWAY_BIN, '--config', config], {
      env: { ...process.env, E2E_GATEWAY_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString());
    };
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** SIGKILL: a crash, nothing flushed on the way out. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the orderly stop; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.#child.kill('SIGTERM');
    return this.exited;
  }
}

/** Polls `url` until `ready` says yes (or fails after `timeoutMs`). */
export async function waitFor(url: string, ready: (body: Record<string, unknown>) => boolean, process?: NodeProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (ready((await response.json()) as Record<string, unknown>)) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms${process === undefined ? '' : `; its process said:\n${process.output.join('')}`}`);
}

let nonce = 0;

/** A transaction signed by `signer` (default the administrator), without any node signature (the gateway adds its own). */
export function signedTransaction(ledgerHash: HashDigest, operations: readonly Operation[], signer: KeyPair = adminKey): TransactionRequest {
  const content = { ledgerHash, operations, timestamp: BigInt(Date.now()), nonce: new TextEncoder().encode(`e2e-nonce-${process.pid}-${++nonce}`) };
  const hash = transactionHash(cryptoSuite, 'SHA256', content);
  return { content, endpointSignatures: [signHash(cryptoSuite, signer.privateKey, hash)], nodeSignatures: [] };
}

export function hashOf(request: TransactionRequest): HashDigest {
  return transactionHash(cryptoSuite, 'SHA256', request.content);
}

export function jsonBody(request: TransactionRequest): string {
  return JSON.stringify(TransactionRequest.toJson(request));
}

export { Address };
