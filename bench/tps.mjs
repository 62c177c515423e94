#!/usr/bin/env node
// Throughput of a real local network (issue 9): `npm run bench:tps -- --help` for the options.
//
// Lays out a fresh network with `jadechain testnet init` (default four BFT peers and a gateway,
// LMDB with fsync), starts every peer and the gateway as processes, measures this machine's
// ceiling in the same run (Ed25519 verifications/s on two workers, ledger executions/s on one
// core), then per workload signs every transaction beforehand in worker threads and offers them
// at a fixed rate (open loop, one HTTP request per transaction held until its commit). Reports
// committed tx/s, commit latency p50/p95/p99 (from when each transaction was due to when the
// gateway acknowledged its commit), CPU per process and RssAnon, and searches the highest rate
// whose p99 stays under a second. Finally it reads every acknowledged transaction back through
// the query API. The last line is `tps=<n> p50_ms=<n> p99_ms=<n> ceiling_tps=<n>`.
//
// Build first: npx tsc -b packages/cli
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PERF_NODE_FLAGS, perfUnavailable } from './tps/budget.mjs';
import { measureCeiling } from './tps/ceiling.mjs';
import { checkAcknowledged } from './tps/check.mjs';
import { WorkloadRunner } from './tps/harness.mjs';
import { Network } from './tps/network.mjs';
import { USAGE, parseOptions } from './tps/options.mjs';
import { formatProfile, threadOf } from './tps/profile.mjs';
import { ceilingLines, machineLine } from './tps/report.mjs';
import { WORKLOAD_TITLES, WorkloadUnavailable, prepareWorkload } from './tps/workloads.mjs';

/**
 * Where the search starts, as a share of the ceiling: well below it, so the first probes pass (a
 * peer overloaded once stays slow for the rest of the run). Contract calls cost far more than the
 * ceiling's KV write.
 */
const START_SHARE = { kv: 0.15, kv2: 0.15, register: 0.15, token: 0.015 };

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const log = (line) => console.log(line);
if (options.budgetSeconds !== undefined) {
  const reason = await perfUnavailable();
  if (reason !== undefined) {
    console.error(`--perf-budget: ${reason}`);
    process.exit(2);
  }
}

log(machineLine());
const ceiling = await measureCeiling(options.peers);
for (const line of ceilingLines(ceiling, options.peers)) log(line);

const nodeFlags = options.budgetSeconds === undefined ? options.nodeFlags : [...options.nodeFlags, ...PERF_NODE_FLAGS];
const network = await Network.start({ peers: options.peers, profileDir: options.cpuProfileDir, nodeFlags, blockIntervalMs: options.blockIntervalMs });
// Interrupted: stop the network and remove its folder (the processes would stop anyway when this
// one is gone, but the folder would stay).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`\n${signal}: stopping the network`);
    network.stop({ keep: options.keep }).finally(() => process.exit(130));
  });
}
log(`network: ${options.peers} peer(s) (${options.peers === 1 ? 'single-node' : 'BFT'}) + gateway, LMDB, in ${network.dir}`);
const results = new Map();
const runners = [];
let failed = false;
try {
  for (const workload of options.workloads) {
    log('');
    log(`== ${workload}: ${WORKLOAD_TITLES[workload]}, ${options.peers} peer(s)`);
    let plan;
    try {
      plan = await prepareWorkload(workload, { client: network.client, ledgerHash: network.ledgerHash, admin: network.admin });
    } catch (error) {
      if (!(error instanceof WorkloadUnavailable)) throw error;
      log(error.message);
      continue;
    }
    const runner = new WorkloadRunner({ network, plan, options, log });
    let result;
    if (options.rate !== undefined) result = await runner.fixedRate();
    if (options.findMax) result = (await runner.findMax(options.rate ?? START_SHARE[workload] * ceiling.ceiling)) ?? result;
    if (result !== undefined) results.set(workload, result);
    runners.push(runner);
  }
  log('');
  // Hundreds of thousands of records: flat() rather than spreading them into push's arguments.
  const checked = await checkAcknowledged(network.client, network.ledgerHash.toBase58(), runners.map((runner) => runner.acknowledged).flat());
  log(`read back: all ${checked.transactions.toLocaleString('en-US')} acknowledged transactions found in ${checked.blocks} blocks, as acknowledged (${checked.requests} query requests)`);
} catch (error) {
  failed = true;
  throw error;
} finally {
  await network.stop({ keep: options.keep || failed });
  if (failed || options.keep) log(`network folder kept: ${network.dir}`);
  // The symbol maps V8 wrote for perf (--perf-basic-prof, always in /tmp): tens of MB each, of no use once read.
  if (options.budgetSeconds !== undefined) for (const { pid } of network.processes) rmSync(`/tmp/perf-${pid}.map`, { force: true });
}

if (options.cpuProfileDir !== undefined) {
  // One profile per thread (main, signature workers) of peer0 and of the gateway, cut to the
  // measured windows, which are on this process's clock: a profile's clock starts about when its
  // process was spawned.
  const profiled = [network.processes[0], network.processes.find((entry) => entry.name === 'gateway')];
  for (const entry of profiled) {
    const profileWindows = runners.flatMap((runner) => runner.windows).map(({ fromMs, toMs }) => ({ fromMs: fromMs - entry.spawnedAtMs, toMs: toMs - entry.spawnedAtMs }));
    const files = readdirSync(options.cpuProfileDir).filter((name) => name.endsWith('.cpuprofile') && threadOf(name).pid === entry.pid);
    files.sort((a, b) => threadOf(a).thread - threadOf(b).thread);
    log(`\n${entry.name}'s CPU profile over the measured windows (${profileWindows.length} runs):`);
    for (const file of files) log(formatProfile(join(options.cpuProfileDir, file), { top: threadOf(file).thread === 0 ? 30 : 8, windows: profileWindows }));
  }
}

log('');
for (const [workload, run] of results) {
  const verdict = run.confirmed === false ? ` (a ${options.probeSeconds} s probe: not sustained for ${options.duration} s)` : '';
  log(`${workload.padEnd(9)} ${Math.round(run.summary.committedPerSecond)} tx/s at ${run.rate}/s offered, p50 ${run.summary.p50.toFixed(0)} ms, p99 ${run.summary.p99.toFixed(0)} ms${verdict}`);
}
const headline = results.get('kv') ?? results.values().next().value;
const round = (value) => (Number.isFinite(value) ? Math.round(value) : 0);
log(`tps=${round(headline?.summary.committedPerSecond)} p50_ms=${round(headline?.summary.p50)} p99_ms=${round(headline?.summary.p99)} ceiling_tps=${round(ceiling.ceiling)}`);
