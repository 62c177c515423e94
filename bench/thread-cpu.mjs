#!/usr/bin/env node
// CPU per thread of a running process over an interval, from /proc/<pid>/task/*/stat (Linux): a
// peer's main thread, its signature workers, V8's helper threads (garbage collection, compilation)
// and libuv's pool (LMDB's writes) apart — what a CPU profile of the main thread cannot show.
//
// Usage: node bench/thread-cpu.mjs --pid PID [--seconds S]
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const CLOCK_TICKS_PER_SECOND = 100;
const USAGE = 'usage: node bench/thread-cpu.mjs --pid PID [--seconds S]';

const { values } = parseArgs({ options: { pid: { type: 'string' }, seconds: { type: 'string', default: '10' } } });
const pid = Number(values.pid);
const seconds = Number(values.seconds);
if (!Number.isInteger(pid) || pid <= 0 || !Number.isFinite(seconds) || seconds <= 0) {
  console.error(`--pid and --seconds must be positive numbers\n${USAGE}`);
  process.exit(2);
}

/** Thread id → { name, ticks } (user + system). */
function sample() {
  const threads = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The name (field 2) may hold spaces; the fields after its closing parenthesis do not.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

let before;
try {
  before = sample();
} catch {
  console.error(`no process ${pid}\n${USAGE}`);
  process.exit(2);
}
await sleep(seconds * 1000);
const after = sample();
const rows = [...after]
  .map(([tid, { name, ticks }]) => ({ tid, name, cores: (ticks - (before.get(tid)?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND / seconds }))
  .filter(({ cores }) => cores > 0)
  .sort((a, b) => b.cores - a.cores);
// The main thread's id is the process id.
for (const { tid, name, cores } of rows) console.log(`${tid.padStart(8)} ${(Number(tid) === pid ? 'main' : name).padEnd(16)} ${cores.toFixed(3)} cores`);
console.log(`${'total'.padStart(8)} ${''.padEnd(16)} ${rows.reduce((sum, { cores }) => sum + cores, 0).toFixed(3)} cores over ${seconds} s`);
