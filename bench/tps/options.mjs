// Command-line options of `npm run bench:tps`.
import { parseArgs } from 'node:util';
import { WORKLOADS } from './workloads.mjs';

export const USAGE = `usage: npm run bench:tps -- [options]
  --peers N            peers of the network: 4 (BFT, default) or 1 (single-node mode)
  --workload LIST      kv (default), kv2, register, token, comma-separated, or all
  --rate N             offer N transactions/s for one fixed-rate run (per workload)
  --find-max           search the highest rate with p99 < 1 s (the default without --rate)
  --duration S         measured window of the fixed-rate and final runs, seconds (default 60)
  --probe-seconds S    measured window of each search probe (default 10)
  --warmup S           warm-up before each measured window (default 5)
  --path P             submission path: binary (default), json, or both (compared at --rate)
  --cpu-prof DIR       write peer0's V8 CPU profile into DIR and summarise it at the end
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
  const rate = values.rate === undefined ? undefined : positive('rate', values.rate);
  if (path === 'both' && rate === undefined) throw new Error(`--path both compares the paths at a fixed rate: give --rate\n${USAGE}`);
  return {
    peers: Math.round(positive('peers', values.peers, 4)),
    workloads,
    rate,
    findMax: values['find-max'] === true || rate === undefined,
    duration: positive('duration', values.duration, 60),
    probeSeconds: positive('probe-seconds', values['probe-seconds'], 10),
    warmup: positive('warmup', values.warmup, 5),
    paths: path === 'both' ? ['binary', 'json'] : [path],
    cpuProfileDir: values['cpu-prof'],
    keep: values.keep === true,
  };
}
