// Command-line options of `npm run bench:tps`.
import { parseArgs } from 'node:util';
import { WORKLOADS } from './workloads.mjs';

export const USAGE = `usage: npm run bench:tps -- [options]
  --peers N            peers of the network: 4 (BFT, default) or 1 (single-node mode)
  --workload LIST      kv (default), kv2, register, token, comma-separated, or all
  --rate N[,N...]      offer N transactions/s for a fixed-rate run (per workload); a list runs
                       one after another on the same network (recovery after an overload)
  --find-max           search the highest rate with p99 < 1 s (the default without --rate)
  --duration S         measured window of the fixed-rate and final runs, seconds (default 60)
  --probe-seconds S    measured window of each search probe (default 10)
  --warmup S           warm-up before each measured window, the offered rate rising evenly
                       from 0 to the run's rate (default 5)
  --path P             submission path: binary (default), json, or both (compared at --rate)
  --cpu-prof DIR       write peer0's and the gateway's V8 CPU profiles into DIR, summarise them
  --perf-budget S      with --rate: record the whole machine with Linux perf for S seconds in the
                       middle of each window and print where each µs of CPU per committed
                       transaction went, by component and process (needs perf: linux-perf)
  --block-interval MS  the peers' consensus.minBlockIntervalMs (default: the peer's own, 100)
  --node-flags FLAGS   Node/V8 flags for every peer and the gateway (--node-flags="--max-semi-space-size=32 ...")
  --keep               keep the network's folder (logs, ledgers) after the run`;

function positive(name, text, fallback) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} ${text}: not a positive number\n${USAGE}`);
  return value;
}

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      peers: { type: 'string' },
      workload: { type: 'string' },
      rate: { type: 'string' },
      'find-max': { type: 'boolean' },
      duration: { type: 'string' },
      'probe-seconds': { type: 'string' },
      warmup: { type: 'string' },
      path: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'perf-budget': { type: 'string' },
      'node-flags': { type: 'string' },
      'block-interval': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { help: true };
  const workloads = values.workload === undefined || values.workload === 'kv' ? ['kv'] : values.workload === 'all' ? [...WORKLOADS] : values.workload.split(',');
  const unknown = workloads.filter((name) => !WORKLOADS.includes(name));
  if (unknown.length > 0) throw new Error(`--workload ${unknown.join(',')}: not one of ${WORKLOADS.join(', ')}\n${USAGE}`);
  const path = values.path ?? 'binary';
  if (!['binary', 'json', 'both'].includes(path)) throw new Error(`--path ${path}: binary, json or both\n${USAGE}`);
  // A list runs one fixed-rate window after another on the same network (e.g. an overload, then
  // a rate it sustains when fresh: does it recover?).
  const rates = values.rate === undefined ? undefined : values.rate.split(',').map((each) => positive('rate', each));
  const rate = rates?.[0];
  if (path === 'both' && rate === undefined) throw new Error(`--path both compares the paths at a fixed rate: give --rate\n${USAGE}`);
  const duration = positive('duration', values.duration, 60);
  const budgetSeconds = positive('perf-budget', values['perf-budget']);
  if (budgetSeconds !== undefined && rate === undefined) throw new Error(`--perf-budget records fixed-rate windows: give --rate\n${USAGE}`);
  if (budgetSeconds !== undefined && budgetSeconds > duration) throw new Error(`--perf-budget ${budgetSeconds}: longer than the window (--duration ${duration})\n${USAGE}`);
  return {
    peers: Math.round(positive('peers', values.peers, 4)),
    workloads,
    rate,
    rates,
    findMax: values['find-max'] === true || rate === undefined,
    duration,
    probeSeconds: positive('probe-seconds', values['probe-seconds'], 10),
    warmup: positive('warmup', values.warmup, 5),
    paths: path === 'both' ? ['binary', 'json'] : [path],
    cpuProfileDir: values['cpu-prof'],
    budgetSeconds,
    blockIntervalMs: values['block-interval'] === undefined ? undefined : Math.round(positive('block-interval', values['block-interval'])),
    nodeFlags: values['node-flags']?.split(' ').filter((flag) => flag !== '') ?? [],
    keep: values.keep === true,
  };
}
