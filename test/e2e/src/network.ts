import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HashDigest, KeystoreDir, cryptoSuite, type PrivKey } from '@jadechain/crypto';
import { GatewayClient } from '@jadechain/sdk';
import { ProxyMesh } from './mesh.js';
import { JADECHAIN_BIN, NodeProcess } from './processes.js';

export interface NetworkOptions {
  readonly dir: string;
  readonly peers: number;
  /** Peer↔peer links through a ProxyMesh (two or more peers), so that links can fail. */
  readonly proxied: boolean;
  /** The peers' BFT round timeouts (`consensus.timeouts` of the peer configuration). */
  readonly consensusTimeouts?: Readonly<Record<string, number>>;
  /** How long the gateway waits for a commit before answering TIMEOUT. */
  readonly commitWaitMs?: number;
}

/** One peer: its process and a client of its management endpoint, which serves the query API. */
export interface PeerNode {
  readonly index: number;
  readonly name: string;
  readonly process: NodeProcess;
  readonly managementUrl: string;
  readonly client: GatewayClient;
}

interface Manifest {
  readonly ledgerHash: string;
  readonly gatewayUrl: string;
  readonly adminKey: string;
  readonly peers: readonly { readonly name: string; readonly managementUrl: string }[];
}

type JsonObject = Record<string, unknown>;

const READY_POLL_MS = 200;
const QUERY_TIMEOUT_MS = 5_000;

/**
 * A testnet made by the real `jadechain testnet init`, run as separate processes from the built
 * executable: the peers (their links through a proxy mesh when asked) and the gateway.
 */
export class TestNetwork {
  private constructor(
    readonly dir: string,
    readonly ledgerHash: HashDigest,
    readonly gatewayUrl: string,
    readonly gateway: NodeProcess,
    private readonly members: PeerNode[],
    readonly mesh: ProxyMesh | undefined,
    private readonly adminKeyName: string,
  ) {}

  static async create(options: NetworkOptions): Promise<TestNetwork> {
    const firstPort = await freeConsecutivePorts(2 * options.peers + 1);
    const gatewayPort = firstPort + 2 * options.peers;
    await jadechain(['testnet', 'init', '--dir', options.dir, '--peers', String(options.peers), '--peer-port', String(firstPort), '--port', String(gatewayPort)]);
    const manifest = readJson(join(options.dir, 'testnet.json')) as unknown as Manifest;
    const peerFiles = manifest.peers.map((peer) => join(options.dir, `${peer.name}.json`));
    const configs = peerFiles.map((file) => readJson(file));
    const mesh = options.proxied && options.peers > 1 ? await ProxyMesh.open(configs.map((config) => config['p2p'] as { host: string; port: number })) : undefined;
    // The gateway lists every peer in order: peer i's identity is its i-th entry.
    const identities = (readJson(join(options.dir, 'gateway.json'))['peers'] as { publicKey: string }[]).map((entry) => entry.publicKey);
    configs.forEach((config, index) => {
      if (mesh !== undefined) {
        const entries = config['peers'] as { publicKey: string; host: string; port: number }[];
        config['peers'] = entries.map((entry) => ({ ...entry, port: mesh.portFor(index, identities.indexOf(entry.publicKey)) }));
      }
      if (options.consensusTimeouts !== undefined && config['consensus'] !== undefined) {
        config['consensus'] = { ...(config['consensus'] as JsonObject), timeouts: options.consensusTimeouts };
      }
      writeJson(peerFiles[index] ?? '', config);
    });
    if (options.commitWaitMs !== undefined) {
      const gatewayConfig = readJson(join(options.dir, 'gateway.json'));
      writeJson(join(options.dir, 'gateway.json'), { ...gatewayConfig, timeouts: { commitWaitMs: options.commitWaitMs } });
    }
    const logs = join(options.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const peers = manifest.peers.map((peer, index) => ({
      index,
      name: peer.name,
      process: new NodeProcess(peer.name, ['peer', 'start', '--config', peerFiles[index] ?? ''], join(logs, `${peer.name}.log`)),
      managementUrl: peer.managementUrl,
      client: new GatewayClient(peer.managementUrl, { requestTimeoutMs: QUERY_TIMEOUT_MS }),
    }));
    const gateway = new NodeProcess('gateway', ['gateway', 'start', '--config', join(options.dir, 'gateway.json')], join(logs, 'gateway.log'));
    return new TestNetwork(options.dir, HashDigest.fromBase58(manifest.ledgerHash), manifest.gatewayUrl, gateway, [...peers], mesh, manifest.adminKey);
  }

  get peers(): readonly PeerNode[] {
    return this.members;
  }

  /** Starts every peer, then the gateway once they answer, and waits until the gateway is ready. */
  async start(timeoutMs: number): Promise<void> {
    for (const peer of this.peers) peer.process.start();
    await Promise.all(this.peers.map((peer) => this.waitForPeer(peer, timeoutMs)));
    this.gateway.start();
    await this.waitForGateway(timeoutMs);
  }

  private waitForGateway(timeoutMs: number): Promise<void> {
    return waitFor(`${this.gatewayUrl}/ready`, timeoutMs, () => fetchOk(`${this.gatewayUrl}/ready`));
  }

  /**
   * Prepares one more peer the way an operator would (docs/consensus.md): its identity key, its
   * ledger store from the genesis (`ledger init-combine`), and a configuration listing every
   * existing peer. Not started, not a participant yet.
   */
  async addPeer(name: string): Promise<PeerNode> {
    const env = { JADECHAIN_HOME: this.dir };
    await jadechain(['keys', 'generate', '--name', name, '--password-file', join(this.dir, 'dev-password')], env);
    const genesis = readJson(join(this.dir, 'genesis.json'));
    const proposal = join(this.dir, 'genesis-proposal.json');
    writeJson(proposal, genesis['proposal']);
    const signatures = (genesis['signatures'] as unknown[]).map((signature, index) => {
      const file = join(this.dir, `genesis-signature-${index}.json`);
      writeJson(file, signature);
      return file;
    });
    const dataDir = join(this.dir, name);
    await jadechain(['ledger', 'init-combine', '--proposal', proposal, '--signature', ...signatures, '--data', join(dataDir, 'ledgers', this.ledgerHash.toBase58())]);
    const port = await freeConsecutivePorts(2);
    const template = readJson(join(this.dir, `${this.members[0]?.name ?? 'peer0'}.json`));
    const file = join(this.dir, `${name}.json`);
    writeJson(file, {
      ...template,
      dataDir,
      identity: { ...(template['identity'] as JsonObject), keyFile: join(this.dir, 'keys', `${name}.key.json`) },
      p2p: { host: '127.0.0.1', port },
      management: { host: '127.0.0.1', port: port + 1 },
      peers: readJson(join(this.dir, 'gateway.json'))['peers'],
    });
    const managementUrl = `http://127.0.0.1:${port + 1}`;
    const peer = {
      index: this.members.length,
      name,
      process: new NodeProcess(name, ['peer', 'start', '--config', file], join(this.dir, 'logs', `${name}.log`)),
      managementUrl,
      client: new GatewayClient(managementUrl, { requestTimeoutMs: QUERY_TIMEOUT_MS }),
    };
    this.members.push(peer);
    return peer;
  }

  /** Lists `peer` in the gateway's configuration and restarts the gateway. */
  async addToGateway(peer: PeerNode, timeoutMs: number): Promise<void> {
    const config = readJson(join(this.dir, `${peer.name}.json`));
    const identity = JSON.parse(await jadechain(['keys', 'show', peer.name, '--json'], { JADECHAIN_HOME: this.dir })) as { publicKey: string };
    const gatewayFile = join(this.dir, 'gateway.json');
    const gateway = readJson(gatewayFile);
    const p2p = config['p2p'] as { host: string; port: number };
    writeJson(gatewayFile, { ...gateway, peers: [...(gateway['peers'] as unknown[]), { publicKey: identity.publicKey, host: p2p.host, port: p2p.port }] });
    await this.gateway.stop();
    this.gateway.start();
    await this.waitForGateway(timeoutMs);
  }

  async restartPeer(peer: PeerNode, timeoutMs: number): Promise<void> {
    peer.process.start();
    await this.waitForPeer(peer, timeoutMs);
  }

  private waitForPeer(peer: PeerNode, timeoutMs: number): Promise<void> {
    return waitFor(`${peer.name} /health`, timeoutMs, () => peer.process.running && fetchOk(`${peer.managementUrl}/health`));
  }

  /** The testnet administrator's key, which may write anything. */
  adminKey(): PrivKey {
    const password = readFileSync(join(this.dir, 'dev-password'), 'utf8').trim();
    return new KeystoreDir(join(this.dir, 'keys'), cryptoSuite).unlock(this.adminKeyName, new TextEncoder().encode(password));
  }

  /** Each process's last log lines, to print when a test fails. */
  lastLogLines(count: number): string {
    return [...this.peers.map((peer) => peer.process), this.gateway]
      .map((node) => `----- ${node.name} (last ${count} lines) -----\n${node.lastLines(count).join('\n')}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await Promise.all(this.peers.map((peer) => peer.process.stop()));
    await this.mesh?.close();
  }
}

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `jadechain` with `args` (and extra environment variables); resolves with its exit code and output. */
export function runJadechain(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [JADECHAIN_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** `runJadechain` for commands that must succeed: rejects with the output otherwise; resolves with stdout. */
export async function jadechain(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  const outcome = await runJadechain(args, env);
  if (outcome.code !== 0) throw new Error(`jadechain ${args.join(' ')} exited ${outcome.code}:\n${outcome.stdout}${outcome.stderr}`);
  return outcome.stdout;
}

async function fetchOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Polls `check` until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(READY_POLL_MS);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive free loopback ports, below Linux's ephemeral range (32768 on). */
export async function freeConsecutivePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: count }, (_, offset) => portIsFree(first + offset)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

function readJson(file: string): JsonObject {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
