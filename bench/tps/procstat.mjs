// What Linux says about a process: CPU time from /proc/<pid>/stat, anonymous memory from
// /proc/<pid>/status (RssAnon: LMDB's file mapping inflates plain RSS, so it is left out).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far; NaN when /proc cannot tell. */
export function cpuSeconds(pid) {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** RssAnon in MiB; NaN when /proc cannot tell. */
export function rssAnonMiB(pid) {
  try {
    const match = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? NaN : Number(match[1]) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * The JS heap in use and the memory JS objects hold outside it (MiB), from the process's
 * `/metrics` (`*_process_memory_bytes`), next to RssAnon; undefined when it cannot be read.
 */
export async function jsMemoryMiB(metricsUrl) {
  const text = await metricsText(metricsUrl);
  if (text === undefined) return undefined;
  const read = (kind) => Number(new RegExp(`_process_memory_bytes\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { heapUsed: read('heap_used'), external: read('external') };
}

/** A process's `/metrics` text; undefined without a URL or when it cannot be read. */
async function metricsText(metricsUrl) {
  if (metricsUrl === undefined) return undefined;
  try {
    return await (await globalThis.fetch(metricsUrl)).text();
  } catch {
    return undefined;
  }
}

/** The JS memory of every process that has a metrics URL, in the same order. */
export function sampleJsMemory(processes) {
  return Promise.all(processes.map(({ metricsUrl }) => jsMemoryMiB(metricsUrl)));
}

/** Load average over the last minute, to print beside every number on a shared machine. */
export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/**
 * CPU meter over a set of named processes: `sample()` now, and later `coresSince(sample)` gives
 * the cores each used in between (CPU seconds per wall second).
 */
export function sampleCpu(processes) {
  return { atMs: performance.now(), cpu: processes.map(({ name, pid }) => ({ name, pid, seconds: cpuSeconds(pid) })) };
}

export function coresSince(before) {
  const wallSeconds = (performance.now() - before.atMs) / 1000;
  return before.cpu.map(({ name, pid, seconds }) => ({ name, cores: (cpuSeconds(pid) - seconds) / wallSeconds }));
}

/** Counters worth a line when a run is slow: a block decided after round 0, a fetch, a hint, a sync, a drop. */
const EVENT_COUNTERS = /^jadechain_peer_(blocks_by_round_total\{round="(?!0")|fetch_requested_total|fetch_failures_total|proposer_hints_(sent|fetched)_total|sync_blocks_total|consensus_(unsent|dropped)_total|consensus_misbehaviour_total|transactions_rejected_total|batches_rejected_total)/;

/** The event counters of one process's `/metrics` ("name{labels}" → value); undefined when unreadable. */
export async function eventCounters(metricsUrl) {
  const text = await metricsText(metricsUrl);
  if (text === undefined) return undefined;
  const counters = new Map();
  for (const line of text.split('\n')) {
    if (!EVENT_COUNTERS.test(line)) continue;
    const space = line.lastIndexOf(' ');
    counters.set(line.slice('jadechain_peer_'.length, space), Number(line.slice(space + 1)));
  }
  return counters;
}

/** The event counters of every process that has a metrics URL, in the same order. */
export function sampleEventCounters(processes) {
  return Promise.all(processes.map(({ metricsUrl }) => eventCounters(metricsUrl)));
}
