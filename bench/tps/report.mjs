// How the harness prints its runs: one row per fixed-rate run, CPU and memory per process.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { VERIFY_WORKERS } from './ceiling.mjs';
import { loadAverage } from './procstat.mjs';
import { slowSpells } from './stats.mjs';

const whole = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const ms = (value) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–');

export function machineLine() {
  let os = 'unknown OS';
  try {
    os = /^PRETTY_NAME="(.*)"$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // Not Linux: the rest still says what matters.
  }
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os}; load average ${loadAverage()}`;
}

export const RUN_HEADER = `${'offered/s'.padStart(9)} ${'committed/s'.padStart(11)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}  fail  verdict`;

/** One run in one line, then its CPU and memory per process on the next. */
export function runLines(run, verdict) {
  const { summary } = run;
  const failures = summary.failed + summary.timeouts + summary.refused + summary.errors;
  const row = `${whole(run.rate).padStart(9)} ${whole(summary.committedPerSecond).padStart(11)} ${ms(summary.p50).padStart(7)} ${ms(summary.p95).padStart(7)} ${ms(summary.p99).padStart(7)} ${ms(summary.max).padStart(7)} ${String(failures).padStart(5)}  ${verdict}`;
  // CPU per committed transaction moves less with the machine's other load than the rates do.
  const perTx = (cores) => (summary.committedPerSecond > 0 ? ` (${whole((cores * 1e6) / summary.committedPerSecond)} µs/tx)` : '');
  const cores = run.cpuCores.map(({ name, cores }) => `${name} ${cores.toFixed(2)}${perTx(cores)}`).join(', ');
  const rss = run.rssAtStart.map(({ name, mib }, index) => `${name} ${whole(mib)}→${whole(run.rssAtEnd[index].mib)}`).join(', ');
  // What the network's processes (not this one) would commit with the machine's cores to themselves.
  const networkCores = run.cpuCores.filter(({ name }) => name !== 'bench').reduce((sum, { cores: used }) => sum + used, 0);
  const networkMicros = (networkCores * 1e6) / summary.committedPerSecond;
  const implied = summary.committedPerSecond > 0 ? `; network ${whole(networkMicros)} µs/tx → ${whole((cpus().length * 1e6) / networkMicros)} tx/s on ${cpus().length} free cores` : '';
  const detail = [`           cores: ${cores}; total ${run.cpuCores.reduce((sum, { cores: used }) => sum + used, 0).toFixed(2)}${implied}`, `           RssAnon MiB: ${rss}; ${summary.blocks} blocks (${(summary.offered / Math.max(1, summary.blocks)).toFixed(1)} tx each); worst send lag ${ms(run.maxSendLagMs)} ms; load ${loadAverage()}`];
  const heaps = run.rssAtStart
    .map(({ name }, index) => [name, run.jsMemory.atStart[index], run.jsMemory.atEnd[index]])
    .filter(([, start, end]) => start !== undefined && end !== undefined)
    .map(([name, start, end]) => `${name} ${whole(start.heapUsed)}→${whole(end.heapUsed)} (+${whole(start.external)}→${whole(end.external)} external)`);
  if (heaps.length > 0) detail.push(`           JS heap used MiB: ${heaps.join(', ')}`);
  if (run.rssSeries.length > 2) {
    const minutes = run.rssSeries.map(({ atSeconds }) => `${whole(atSeconds / 60)}`).join(' ');
    detail.push(`           RssAnon MiB at minute ${minutes} of the window:`);
    for (const [index, { name }] of run.rssAtStart.entries()) detail.push(`             ${name.padEnd(8)} ${run.rssSeries.map(({ mib }) => whole(mib[index]).padStart(4)).join(' ')}`);
  }
  const warmupSpells = slowSpells(run.records, 0, run.windowOfRecords.startMs);
  if (warmupSpells.length > 0) detail.push(`           commits of 1 s or more, by due second of the warm-up: ${warmupSpells.map(spellText).join(', ')}`);
  const spells = slowSpells(run.records, run.windowOfRecords.startMs, run.windowOfRecords.endMs);
  if (spells.length > 0) detail.push(`           commits of 1 s or more, by due second of the window: ${spells.map(spellText).join(', ')}`);
  const warmupEvents = eventLines(run, run.events.beforeWarmup, run.events.atStart);
  if (warmupEvents.length > 0) detail.push(`           peer events in the warm-up: ${warmupEvents.join('; ')}`);
  const windowEvents = eventLines(run, run.events.atStart, run.events.atEnd);
  if (windowEvents.length > 0) detail.push(`           peer events in the window: ${windowEvents.join('; ')}`);
  if (failures > 0) detail.push(`           ${summary.failed} recorded as failed, ${summary.timeouts} TIMEOUT, ${summary.refused} refused, ${summary.errors} errors${firstFailure(run)}`);
  return [row, ...detail];
}

function spellText({ from, to, slow, max }) {
  return `${from === to ? `s ${from}` : `s ${from}–${to}`} (${whole(slow)}, max ${ms(max)} ms)`;
}

/** What each peer counted between two samples that is not the steady state (see procstat's EVENT_COUNTERS). */
function eventLines(run, startSamples, endSamples) {
  const lines = [];
  for (const [index, { name }] of run.rssAtStart.entries()) {
    const start = startSamples[index];
    const end = endSamples[index];
    if (start === undefined || end === undefined) continue;
    const grown = [...end].map(([counter, value]) => [counter, value - (start.get(counter) ?? 0)]).filter(([, delta]) => delta > 0);
    if (grown.length > 0) lines.push(`${name} ${grown.map(([counter, delta]) => `${counter.replace(/_total/, '')} +${delta}`).join(', ')}`);
  }
  return lines;
}

function firstFailure(run) {
  const failed = run.records.find((record) => ['failed', 'refused', 'error'].includes(record.outcome));
  return failed === undefined ? '' : ` (first: ${failed.state ?? failed.code ?? ''} ${String(failed.message ?? '').slice(0, 160)})`;
}

export function ceilingLines(measured, peers) {
  const { cores, verify, execute } = measured;
  return [
    `ceiling (${peers} peer${peers === 1 ? '' : 's'} + gateway on ${cores} cores; ${peers + 1} verifications and ${peers} executions per tx):`,
    `  Ed25519 (libsodium): ${whole(verify.perCpuSecond)} verifies per CPU second; ${whole(verify.wallPerSecond)}/s wall clock on ${VERIFY_WORKERS} workers`,
    `  ledger (LMDB, fsync): ${whole(execute.perCpuSecond)} tx per CPU second; ${whole(execute.wallPerSecond)}/s wall clock on one core`,
    `  → ${whole(measured.ceiling)} tx/s from the CPU-second rates (${whole(measured.wallCeiling)} from the wall-clock rates at load ${loadAverage()})`,
  ];
}
