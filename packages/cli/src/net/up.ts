import { readFileSync, writeFileSync } from 'node:fs';
import { GatewayClient } from '@jadechain/sdk';
import type { CommandContext } from '../context.js';
import { EXIT_NEGATIVE, EXIT_OK } from '../errors.js';
import { DEFAULT_GATEWAY_PORT, TestnetLayout, readManifest, type TestnetManifest } from './layout.js';
import { Supervisor } from './supervisor.js';
import { initTestnet, type TestnetCrypto } from './testnet-init.js';
import { describeTolerance } from './topology.js';

export interface UpOptions {
  readonly dir: string;
  readonly port?: number;
  readonly crypto: TestnetCrypto;
  /** Peers of a new network (an existing one keeps its own). */
  readonly peers: number;
  readonly peerPort: number;
  /** How long to wait for the gateway to answer before giving up. */
  readonly readyTimeoutMs: number;
}

const READY_POLL_MS = 200;

/** Points the gateway (and the manifest that `tx` and `query` read) at another HTTP port. */
function moveGateway(layout: TestnetLayout, manifest: TestnetManifest, port: number): TestnetManifest {
  const config = JSON.parse(readFileSync(layout.gatewayConfig, 'utf8')) as { http?: { host?: string; port?: number } };
  writeFileSync(layout.gatewayConfig, `${JSON.stringify({ ...config, http: { ...config.http, port } }, null, 2)}\n`);
  const moved = { ...manifest, gatewayUrl: `http://${config.http?.host ?? '127.0.0.1'}:${port}` };
  writeFileSync(layout.manifest, `${JSON.stringify(moved, null, 2)}\n`);
  return moved;
}

async function waitUntilReady(probe: () => Promise<unknown>, timeoutMs: number, failed: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs && !failed(); waited += READY_POLL_MS) {
    try {
      await probe();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }
  return false;
}

/** Resolves when the URL answers 2xx (the peers' /health, the gateway's /ready). */
async function healthy(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/** What stops `up`: Ctrl-C, `kill`, and the terminal closing (SIGHUP). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Calls `handler` on every stop signal (which then no longer ends the process) until disposed. */
function onStopSignals(handler: (signal: string) => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}

/**
 * `jadechain up`: creates the network if the folder holds none, starts every peer and then the
 * gateway as child processes, waits until the gateway is ready (connected to a quorum of peers)
 * and answers queries, prints their logs until Ctrl-C, SIGTERM or SIGHUP, then stops them all; a
 * second signal during that stop kills them. Exit 0 after a clean stop, 1 when a child failed.
 */
export async function runUp(ctx: CommandContext, options: UpOptions): Promise<void> {
  const out = ctx.io.stdout;
  const layout = new TestnetLayout(options.dir);
  let manifest = readManifest(layout);
  if (manifest === undefined) {
    out(`jadechain: creating a ${options.crypto} testnet of ${options.peers} peer(s) in ${layout.dir}\n`);
    manifest = await initTestnet({
      dir: options.dir,
      peers: options.peers,
      crypto: options.crypto,
      gatewayPort: options.port ?? DEFAULT_GATEWAY_PORT,
      peerPort: options.peerPort,
    });
  } else if (options.port !== undefined && !manifest.gatewayUrl.endsWith(`:${options.port}`)) {
    manifest = moveGateway(layout, manifest, options.port);
  }

  let childFailed: () => void = () => undefined;
  const failure = new Promise<string>((resolve) => (childFailed = () => resolve('child')));
  let failed = false;
  const supervisor = new Supervisor(out, (name, code) => {
    failed = true;
    ctx.io.stderr(`jadechain: ${name} exited unexpectedly with code ${code}\n`);
    childFailed();
  });
  let signalled: (signal: string) => void = () => undefined;
  const signal = new Promise<string>((resolve) => (signalled = resolve));
  let stopping = false;
  const disposeSignals = onStopSignals((received) => {
    if (!stopping) {
      signalled(received);
      return;
    }
    // Ctrl-C again (or a closing terminal) while a child takes its time to stop: stop waiting.
    out(`jadechain: ${received} while stopping: killing every process\n`);
    supervisor.kill();
  });
  try {
    manifest.peers.forEach((peer, index) => supervisor.start({ name: peer.name, args: ['peer', 'start', '--config', layout.peerConfig(index)] }));
    // The gateway starts once every peer answers, so its first connection finds the ledgers open
    // (an earlier one is refused and retried, which only fills the log with warnings).
    const peersUp = () => Promise.all(manifest.peers.map((peer) => healthy(`${peer.managementUrl}/health`)));
    const gatewayClient = new GatewayClient(manifest.gatewayUrl, { requestTimeoutMs: 2_000 });
    const ready = await Promise.race([
      (async () => {
        if (!(await waitUntilReady(peersUp, options.readyTimeoutMs, () => failed))) return false;
        supervisor.start({ name: 'gateway', args: ['gateway', 'start', '--config', layout.gatewayConfig] });
        const gatewayReady = () => healthy(`${manifest.gatewayUrl}/ready`).then(() => gatewayClient.ledgers());
        return waitUntilReady(gatewayReady, options.readyTimeoutMs, () => failed);
      })(),
      signal.then(() => false),
    ]);
    if (ready) printWelcome(ctx, layout, manifest);
    else if (!failed) ctx.io.stderr(`jadechain: the gateway did not answer at ${manifest.gatewayUrl}\n`);
    const reason = ready ? await Promise.race([signal, failure]) : 'not ready';
    out(`jadechain: stopping (${reason})\n`);
  } finally {
    stopping = true;
    const clean = await supervisor.stop();
    disposeSignals();
    out(`jadechain: ${clean ? 'every process stopped cleanly' : 'stopped, with failures'}\n`);
    ctx.exitCode = clean && !failed ? EXIT_OK : EXIT_NEGATIVE;
  }
}

function printWelcome(ctx: CommandContext, layout: TestnetLayout, manifest: TestnetManifest): void {
  const dirOption = layout.dir === new TestnetLayout('.jadechain-data').dir ? '' : ` --dir ${layout.dir}`;
  ctx.io.stdout(
    [
      '',
      `JadeChain is up: gateway ${manifest.gatewayUrl}`,
      `  ledger ${manifest.ledgerHash} (${manifest.crypto}), data in ${layout.dir}`,
      `  ${describeTolerance(manifest.peers.length)}:`,
      ...manifest.peers.map((peer, index) => `    ${peer.name.padEnd(8)} ${peer.managementUrl}/status  config ${layout.peerConfig(index)}`),
      '',
      'Try, in another terminal:',
      `  npx jadechain query ledger${dirOption}`,
      `  ADDR=$(npx jadechain tx data-account-register${dirOption} | tail -1 | awk '{print $NF}')`,
      `  npx jadechain tx kv-set --account $ADDR --key greeting --value hello${dirOption}`,
      `  npx jadechain query kv $ADDR greeting${dirOption}`,
      `  curl ${manifest.gatewayUrl}/ledgers`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
