// Benchmarks the gateway's HTTP API on a real one-peer network: `jadechain testnet init` into a
// temporary folder, then `peer start` and `gateway start` as child processes on free loopback
// ports. Build first: npx tsc -b packages/cli
//
//   node bench/api.mjs
//   API_BENCH_CLIENTS=16 API_BENCH_REQUESTS=4000 API_BENCH_SUBMITTERS=32 API_BENCH_TXS=2000 node bench/api.mjs
//
// Queries: each main JD Chain query path is asked API_BENCH_REQUESTS times (or for at most
// API_BENCH_SECONDS) by API_BENCH_CLIENTS concurrent clients over keep-alive connections (Node's
// fetch); requests/s counts answers with success:true. Submission: API_BENCH_TXS signed KV writes
// (signed before the clock starts) go to POST /ledgers/{l}/txs from API_BENCH_SUBMITTERS concurrent
// submitters, each waiting for its committed answer; committed tx/s and p50/p99 latency are
// reported. Then every acknowledged transaction is looked up through the query API (hash, block
// height and state must match), and the processes are stopped. The bench process, the gateway and
// the peer share the machine's cores, so the numbers are for the whole loop on one box.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
/* global fetch */
import { HashDigest, KeystoreDir, cryptoSuite } from '@jadechain/crypto';
import { GatewayClient, SubmitTimeoutError, TransactionBuilder, Values } from '@jadechain/sdk';

const root = new URL('..', import.meta.url).pathname;
const BIN = join(root, 'packages/cli/bin/jadechain.js');
const setting = (name, fallback) => Number(process.env[name] ?? fallback);
const CLIENTS = setting('API_BENCH_CLIENTS', 16);
const REQUESTS = setting('API_BENCH_REQUESTS', 3000);
const SECONDS = setting('API_BENCH_SECONDS', 10);
const SUBMITTERS = setting('API_BENCH_SUBMITTERS', 32);
const TXS = setting('API_BENCH_TXS', 2000);
const LOADED_KEYS = 100;

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Three consecutive free ports: the peer's p2p and management ports, then the gateway's. */
async function freePorts() {
  for (;;) {
    // Below Linux's ephemeral range (32768+): a client socket of this or another process may hold any port there.
    const first = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await Promise.all([0, 1, 2].map((offset) => portIsFree(first + offset)))).every(Boolean)) return first;
  }
}

function startChild(args, log) {
  // The IPC channel only closes: a node whose parent is gone stops (a killed bench leaves none behind).
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.channel?.unref();
  child.stdout.on('data', (chunk) => log.push(chunk.toString()));
  child.stderr.on('data', (chunk) => log.push(chunk.toString()));
  child.exited = new Promise((resolve) => child.once('exit', resolve));
  return child;
}

async function waitForHealth(url, log) {
  for (let tries = 0; tries < 300; tries++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered:\n${log.join('')}`);
}

/** CPU seconds a process has used so far (Linux /proc; user + system), or NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs `phase` and reports, beside its result, how busy the peer, the gateway and this process were (cores used). */
async function measured(phase) {
  const pids = { peer: children[0].pid, gateway: children[1].pid };
  const before = { peer: cpuSeconds(pids.peer), gateway: cpuSeconds(pids.gateway), bench: process.cpuUsage() };
  const started = performance.now();
  const result = await phase();
  const seconds = (performance.now() - started) / 1000;
  const benchUsage = process.cpuUsage(before.bench);
  const cores = {
    peer: (cpuSeconds(pids.peer) - before.peer) / seconds,
    gateway: (cpuSeconds(pids.gateway) - before.gateway) / seconds,
    bench: (benchUsage.user + benchUsage.system) / 1e6 / seconds,
  };
  return { ...result, cores };
}

function percentile(sorted, fraction) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** `clients` loops asking `url` until `total` requests are done or the time is up. */
async function hammer(url, clients, total, seconds) {
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  let sampleFailure;
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < total && performance.now() < deadline) {
        issued += 1;
        const sent = performance.now();
        const response = await fetch(url);
        const envelope = await response.json();
        latencies.push(performance.now() - sent);
        if (envelope.success === true) succeeded += 1;
        else {
          failed += 1;
          sampleFailure ??= JSON.stringify(envelope);
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { succeeded, failed, sampleFailure, perSecond: (succeeded * 1000) / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

const dir = mkdtempSync(join(tmpdir(), 'jadechain-api-bench-'));
const log = [];
const children = [];
try {
  const ports = await freePorts();
  execFileSync(process.execPath, [BIN, 'testnet', 'init', '--dir', dir, '--peers', '1', '--peer-port', String(ports), '--port', String(ports + 2)], { stdio: 'ignore' });
  children.push(startChild(['peer', 'start', '--config', join(dir, 'peer0.json')], log));
  await waitForHealth(`http://127.0.0.1:${ports + 1}/health`, log);
  // The gateway's per-client rate limit (10,000 requests a minute by default) would cap one
  // benchmarking client long before the gateway does: lift it for this run.
  const gatewayConfig = join(dir, 'gateway.json');
  writeFileSync(gatewayConfig, JSON.stringify({ ...JSON.parse(readFileSync(gatewayConfig, 'utf8')), rateLimit: { max: 1_000_000_000, windowMs: 60_000 } }));
  children.push(startChild(['gateway', 'start', '--config', gatewayConfig], log));
  const base = `http://127.0.0.1:${ports + 2}`;
  await waitForHealth(`${base}/health`, log);

  const manifest = JSON.parse(readFileSync(join(dir, 'testnet.json'), 'utf8'));
  const ledgerHash = HashDigest.fromBase58(manifest.ledgerHash);
  const ledger = manifest.ledgerHash;
  const password = readFileSync(join(dir, 'dev-password'), 'utf8').trim();
  const admin = new KeystoreDir(join(dir, 'keys'), cryptoSuite).unlock('admin', new TextEncoder().encode(password));
  const client = new GatewayClient(base);
  const sign = (build) => build(new TransactionBuilder({ ledgerHash })).sign(cryptoSuite, [admin]);

  // Data for the queries: one data account with LOADED_KEYS keys, written in one transaction each.
  const accountKey = cryptoSuite.generateKeyPair('ED25519');
  const account = accountKey.publicKey.address();
  await client.submit(sign((builder) => builder.registerDataAccount(accountKey.publicKey)));
  const loaded = await Promise.all(
    Array.from({ length: LOADED_KEYS }, (_, index) => client.submit(sign((builder) => builder.setKv(account, `load-${index}`, Values.text(`value ${index}`))))),
  );
  const sampleTx = loaded[0].transactionHash;
  const sampleHeight = loaded[0].blockHeight;

  const paths = [
    [`/ledgers/${ledger}`, 'ledger'],
    [`/ledgers/${ledger}/blocks/latest`, 'blocks/latest'],
    [`/ledgers/${ledger}/blocks/height/${sampleHeight}`, 'blocks/height/{h}'],
    [`/ledgers/${ledger}/txs/hash/${sampleTx}`, 'txs/hash/{h}'],
    [`/ledgers/${ledger}/accounts/address/${account.toBase58()}/entries?keys=load-7`, 'accounts/address/{a}/entries?keys=k'],
    [`/ledgers/${ledger}/users/count`, 'users/count'],
  ];
  const rows = [];
  for (const [path, name] of paths) {
    const result = await measured(() => hammer(`${base}${path}`, CLIENTS, REQUESTS, SECONDS));
    if (result.failed > 0) throw new Error(`${name}: ${result.failed} answers were not success:true, e.g. ${result.sampleFailure}`);
    rows.push({ name, ...result });
  }

  // Submission: every transaction signed first, so that the clock measures the network alone.
  const pending = Array.from({ length: TXS }, (_, index) => sign((builder) => builder.setKv(account, `bench-${index}`, Values.text(`v${index}`))));
  const acknowledged = [];
  const latencies = [];
  let timeouts = 0;
  let next = 0;
  const started = performance.now();
  const submission = await measured(async () => {
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async () => {
        while (next < pending.length) {
          const request = pending[next++];
          const sent = performance.now();
          try {
            const result = await client.submit(request);
            latencies.push(performance.now() - sent);
            acknowledged.push(result);
          } catch (error) {
            if (!(error instanceof SubmitTimeoutError)) throw error;
            timeouts += 1;
          }
        }
      }),
    );
    return {};
  });
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);

  // Every acknowledged transaction must be in the ledger, where and as it was acknowledged.
  for (const result of acknowledged) {
    const recorded = await client.query(`/ledgers/${ledger}/txs/hash/${result.transactionHash}`);
    if (recorded.result.blockHeight !== result.blockHeight || recorded.result.executionState !== result.state || result.state !== 'SUCCESS') {
      throw new Error(`transaction ${result.transactionHash} acknowledged at ${result.blockHeight} ${result.state} reads ${JSON.stringify(recorded.result)}`);
    }
  }

  const format = (value, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`gateway API on a one-peer network, ${CLIENTS} query clients, ${SUBMITTERS} submitters`);
  const cores = ({ peer, gateway, bench }) => `${format(peer, 2).padStart(6)} ${format(gateway, 2).padStart(6)} ${format(bench, 2).padStart(6)}`;
  console.log(`${'query'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  cores: ${'peer'.padStart(6)} ${'gatew.'.padStart(6)} ${'bench'.padStart(6)}`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(44)} ${format(row.perSecond).padStart(8)} ${format(row.p50, 2).padStart(8)} ${format(row.p99, 2).padStart(8)}         ${cores(row.cores)}`);
  }
  const committedPerSecond = (acknowledged.length * 1000) / elapsed;
  const submitRow = [format(committedPerSecond).padStart(8), format(percentile(latencies, 0.5), 1).padStart(8), format(percentile(latencies, 0.99), 1).padStart(8)].join(' ');
  console.log(`${'POST /ledgers/{l}/txs (KV write, committed)'.padEnd(44)} ${submitRow}         ${cores(submission.cores)}`);
  const heights = new Set(acknowledged.map((result) => result.blockHeight));
  console.log(`${acknowledged.length} of ${TXS} transactions acknowledged in ${heights.size} blocks (${timeouts} TIMEOUT), every one found in the ledger`);
  const slowest = Math.min(...rows.map((row) => row.perSecond));
  const fastest = Math.max(...rows.map((row) => row.perSecond));
  console.log(`api: queries ${format(slowest)}–${format(fastest)} req/s, submission ${format(committedPerSecond)} committed tx/s (p50 ${format(percentile(latencies, 0.5), 1)} ms, p99 ${format(percentile(latencies, 0.99), 1)} ms)`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
  rmSync(dir, { recursive: true, force: true });
}
