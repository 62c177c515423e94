// A real local network for the harness: `jadechain testnet init` into a fresh temporary folder,
// then every peer and the gateway started as separate processes with their logs in files.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HashDigest, KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { HttpClient } from './http-client.mjs';

const BIN = new URL('../../packages/cli/bin/jadechain.js', import.meta.url).pathname;
const READY_TIMEOUT_MS = 60_000;
const LOG_TAIL_BYTES = 4000;

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free loopback ports, starting at a random place. */
async function freePortRange(count) {
  for (;;) {
    // Below Linux's ephemeral range (32768+): a client socket of this or another process may hold any port there.
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    const ports = Array.from({ length: count }, (_, offset) => first + offset);
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return first;
  }
}

async function waitFor(probe, what, failed) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const reason = failed();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    try {
      if (await probe()) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${READY_TIMEOUT_MS / 1000} s`);
}

export class Network {
  /**
   * Lays out and starts `peers` peers and a gateway. `profileDir`: a folder to write the first
   * peer's and the gateway's V8 CPU profiles into (node --cpu-prof), written when they stop;
   * `nodeFlags`: Node/V8 flags for every peer and the gateway; `blockIntervalMs`: the peers'
   * `consensus.minBlockIntervalMs`, when given.
   */
  static async start({ peers, profileDir, nodeFlags = [], blockIntervalMs }) {
    const dir = mkdtempSync(join(tmpdir(), 'jadechain-tps-'));
    const network = new Network(dir);
    try {
      const firstPeerPort = await freePortRange(2 * peers + 1);
      const gatewayPort = firstPeerPort + 2 * peers;
      execFileSync(process.execPath, [BIN, 'testnet', 'init', '--dir', dir, '--peers', String(peers), '--peer-port', String(firstPeerPort), '--port', String(gatewayPort)], { stdio: 'pipe' });
      network.manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8'));
      // One benchmarking client would hit the per-client rate limit long before the gateway's capacity.
      const gatewayConfig = join(dir, 'gateway.json');
      writeFileSync(gatewayConfig, JSON.stringify({ ...JSON.parse(readFileSync(gatewayConfig, 'utf8')), rateLimit: { max: 1_000_000_000, windowMs: 60_000 } }));
      if (blockIntervalMs !== undefined) {
        for (const peer of network.manifest.peers) {
          const file = join(dir, `${peer.name}.json`);
          const config = JSON.parse(readFileSync(file, 'utf8'));
          writeFileSync(file, JSON.stringify({ ...config, consensus: { ...config.consensus, minBlockIntervalMs: blockIntervalMs } }));
        }
      }
      mkdirSync(join(dir, 'logs'));
      network.manifest.peers.forEach((peer, index) => {
        network.#spawn(peer.name, [...nodeFlags, ...(index === 0 ? profileFlags(profileDir) : [])], ['peer', 'start', '--config', join(dir, `${peer.name}.json`)], `${peer.managementUrl}/metrics`);
      });
      await waitFor(async () => {
        const answers = await Promise.all(network.manifest.peers.map((peer) => fetchStatus(`${peer.managementUrl}/health`)));
        return answers.every((status) => status === 200);
      }, 'peers', () => network.failure());
      network.#spawn('gateway', [...nodeFlags, ...profileFlags(profileDir)], ['gateway', 'start', '--config', gatewayConfig], `${network.manifest.gatewayUrl}/metrics`);
      network.client = new HttpClient(network.manifest.gatewayUrl);
      await waitFor(async () => (await network.client.get('/ready')).status === 200, 'gateway', () => network.failure());
      network.ledgerHash = HashDigest.fromBase58(network.manifest.ledgerHash);
      const password = readFileSync(join(dir, 'dev-password'), 'utf8').trim();
      network.admin = new KeystoreDir(join(dir, 'keys'), cryptoSuite).unlock(network.manifest.adminKey, new TextEncoder().encode(password));
      return network;
    } catch (error) {
      await network.stop();
      throw error;
    }
  }

  constructor(dir) {
    this.dir = dir;
    this.processes = [];
  }

  #spawn(name, nodeFlags, args, metricsUrl) {
    const logFile = join(this.dir, 'logs', `${name}.log`);
    const log = createWriteStream(logFile);
    // An IPC channel, unused but for its closing: a peer or gateway whose parent is gone stops
    // (runUntilSignalled, packages/service/src/main.ts), so a harness killed mid-run leaves no
    // network running behind it.
    // In the network's folder: what a process writes where it runs (V8's isolate logs under
    // --perf-basic-prof) goes with the folder.
    const child = spawn(process.execPath, [...nodeFlags, BIN, ...args], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child.channel?.unref();
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const entry = { name, pid: child.pid, metricsUrl, child, logFile, exit: undefined, spawnedAtMs: performance.now() };
    entry.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((entry.exit = code ?? signal))));
    this.processes.push(entry);
  }

  /** Why the network is broken (a process exited), or undefined while every process runs. */
  failure() {
    const dead = this.processes.find((entry) => entry.exit !== undefined);
    return dead === undefined ? undefined : `${dead.name} exited (${dead.exit}); its log ends:\n${this.logTail(dead)}`;
  }

  logTail(entry) {
    try {
      return readFileSync(entry.logFile, 'utf8').slice(-LOG_TAIL_BYTES);
    } catch {
      return '(no log)';
    }
  }

  /** Stops the gateway, then the peers (SIGTERM, each waited for), and removes the folder unless kept. */
  async stop({ keep = false } = {}) {
    this.client?.close();
    for (const entry of [...this.processes].reverse()) {
      if (entry.exit === undefined) entry.child.kill('SIGTERM');
      await entry.exited;
    }
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

function profileFlags(profileDir) {
  return profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
}

async function fetchStatus(url) {
  const { hostname, port, pathname } = new URL(url);
  const client = new HttpClient(`http://${hostname}:${port}`, { maxSockets: 1 });
  try {
    return (await client.get(pathname)).status;
  } finally {
    client.close();
  }
}
