import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cryptoSuite, decryptPrivateKey, HashDigest, type PrivKey, type PubKey } from '@jadechain/crypto';

/**
 * A real local network for the SDK's end-to-end tests, made and run the way a user does it:
 * `jadechain testnet init`, then `jadechain up` (a peer and a gateway as child processes).
 * The test's trust (ledger hash, the participant's key) is read from the network's own files,
 * never from the gateway.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI_BIN = join(root, 'packages/cli/bin/jadechain.js');
export const GATEWAY_BIN = join(root, 'packages/gateway/bin/gateway.js');
const READY_TIMEOUT_MS = 45_000;

export interface LocalNetwork {
  readonly dir: string;
  readonly gatewayUrl: string;
  readonly ledgerHash: HashDigest;
  readonly adminKey: PrivKey;
  readonly participant: PubKey;
  readonly output: () => string;
  /** Another gateway process on the same peer, with its own configuration changes. */
  startGateway(name: string, changes: Record<string, unknown>): Promise<{ url: string; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

function run(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr });
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free loopback ports (the peer's p2p and management ports are adjacent),
 * below Linux's ephemeral range (32768 on): there, an outgoing connection or a listen on port 0 of
 * a test running alongside could be handed one of them before the processes bind it (a port taken
 * by a connection refuses a listener: EADDRINUSE).
 */
export async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(first + i)));
    if (checks.every(Boolean)) return first;
  }
}

function waitForLine(child: ChildProcess, text: string, collected: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${READY_TIMEOUT_MS} ms:\n${collected.join('')}`)), READY_TIMEOUT_MS);
    const collect = (chunk: Buffer): void => {
      collected.push(chunk.toString('utf8'));
      if (collected.join('').includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before "${text}":\n${collected.join('')}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await fetch(`${url}/ready`).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/ready did not answer 200 within ${READY_TIMEOUT_MS} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Makes a network with `testnet init`, lets `gatewayChanges` adjust gateway.json, and runs `up`. */
export async function startLocalNetwork(gatewayChanges: Record<string, unknown> = {}): Promise<LocalNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'jadechain-sdk-'));
  const ports = await freePorts(3);
  const init = await run(['testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)]);
  if (init.code !== 0) throw new Error(`testnet init failed: ${init.stderr}`);
  const gatewayFile = join(dir, 'gateway.json');
  const gatewayConfig = JSON.parse(readFileSync(gatewayFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(gatewayFile, JSON.stringify({ ...gatewayConfig, ...gatewayChanges }));
  const password = new TextEncoder().encode(readFileSync(join(dir, 'dev-password'), 'utf8').trim());
  const keyOf = (name: string): PrivKey => decryptPrivateKey(cryptoSuite, JSON.parse(readFileSync(join(dir, 'keys', `${name}.key.json`), 'utf8')), password);
  const manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8')) as { ledgerHash: string; gatewayUrl: string };

  const output: string[] = [];
  const up = spawn(process.execPath, [CLI_BIN, 'up', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const gateways: ChildProcess[] = [];
  try {
    await waitForLine(up, 'JadeChain is up', output);
    await waitReady(manifest.gatewayUrl);
  } catch (error) {
    await stopChild(up);
    throw error;
  }
  return {
    dir,
    gatewayUrl: manifest.gatewayUrl,
    ledgerHash: HashDigest.fromBase58(manifest.ledgerHash),
    adminKey: keyOf('admin'),
    participant: cryptoSuite.publicKeyOf(keyOf('peer0')),
    output: () => output.join(''),
    async startGateway(name, changes) {
      const port = await freePorts(1);
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...gatewayConfig, http: { host: '127.0.0.1', port }, ...changes }));
      const child = spawn(process.execPath, [GATEWAY_BIN, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      gateways.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url);
      return { url, stop: () => stopChild(child) };
    },
    async stop() {
      await Promise.all(gateways.map(stopChild));
      await stopChild(up);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
