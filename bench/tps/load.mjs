// The open loop: submits pre-signed transactions at a fixed offered rate, whatever the answers,
// each over its own HTTP request held until the gateway acknowledges the commit.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { coresSince, rssAnonMiB, sampleCpu, sampleEventCounters, sampleJsMemory } from './procstat.mjs';
import { submitOnce } from './http-client.mjs';
import { dueAtMs, dueCount, summarize } from './stats.mjs';

/** How often the loop wakes up to send what has become due (Node's timers do not go finer). */
const TICK_MS = 1;

/** Windows this long or longer also sample RssAnon every minute: is the memory flat, or does it climb? */
const MEMORY_SERIES_MIN_SECONDS = 120;
const MEMORY_SERIES_EVERY_MS = 60_000;

/**
 * Offers `bodies` at `rate` per second: the first `warmupSeconds` warm up (the offered rate rising
 * evenly from 0 to `rate`: see dueCount), the next `seconds` are
 * measured (CPU, RssAnon and JS memory of `processes` sampled at the window's edges). Resolves once every
 * submission has its answer, with the summary, the per-transaction records and the samples.
 * `atWindowStart`, when given, is called as the window starts; what its promise gives is the
 * result's `recorded` (the harness records the machine with perf meanwhile).
 */
export async function runFixedRate({ client, ledger, format, bodies, hashes, rate, warmupSeconds, seconds, processes, atWindowStart }) {
  const total = bodies.length;
  const windowStart = warmupSeconds * 1000;
  const windowEnd = windowStart + seconds * 1000;
  const records = new Array(total);
  const answers = [];
  let sent = 0;
  // How far behind its schedule the loop fell at its worst: a sender that cannot keep up is no open loop.
  let maxSendLagMs = 0;
  let cpuAtStart;
  let cpuCores;
  let rssAtStart;
  let rssAtEnd;
  let jsMemoryAtStart;
  let jsMemoryAtEnd;
  // Event counters before the warm-up, at the window's start and at its end: a stall that spills into the window often starts in the warm-up.
  const eventsBeforeWarmup = sampleEventCounters(processes);
  let eventsAtStart;
  let eventsAtEnd;
  let recording;
  // RssAnon of every process at the window's start and then each minute (long windows only).
  const rssSeries = [];
  const started = performance.now();
  while (sent < total || cpuCores === undefined) {
    const elapsed = performance.now() - started;
    if (cpuAtStart === undefined && elapsed >= windowStart) {
      cpuAtStart = sampleCpu(processes);
      rssAtStart = processes.map(({ name, pid }) => ({ name, mib: rssAnonMiB(pid) }));
      jsMemoryAtStart = sampleJsMemory(processes);
      eventsAtStart = sampleEventCounters(processes);
      recording = atWindowStart?.();
    }
    const nextSample = windowStart + rssSeries.length * MEMORY_SERIES_EVERY_MS;
    if (seconds >= MEMORY_SERIES_MIN_SECONDS && elapsed >= nextSample && nextSample <= windowEnd) {
      rssSeries.push({ atSeconds: (nextSample - windowStart) / 1000, mib: processes.map(({ pid }) => rssAnonMiB(pid)) });
    }
    if (cpuCores === undefined && elapsed >= windowEnd) {
      cpuCores = coresSince(cpuAtStart);
      rssAtEnd = processes.map(({ name, pid }) => ({ name, mib: rssAnonMiB(pid) }));
      jsMemoryAtEnd = sampleJsMemory(processes);
      eventsAtEnd = sampleEventCounters(processes);
    }
    for (const due = dueCount(rate, elapsed, total, windowStart); sent < due; sent++) {
      const index = sent;
      const dueMs = dueAtMs(rate, index, windowStart);
      maxSendLagMs = Math.max(maxSendLagMs, elapsed - dueMs);
      const record = { dueMs, doneMs: NaN, outcome: 'pending', transactionHash: hashes[index] };
      records[index] = record;
      answers.push(
        submitOnce(client, ledger, format, bodies[index]).then((answer) => {
          record.doneMs = performance.now() - started;
          Object.assign(record, answer, answer.transactionHash === undefined ? { transactionHash: hashes[index] } : {});
          if (answer.transactionHash !== undefined && answer.transactionHash !== hashes[index]) {
            Object.assign(record, { outcome: 'error', message: `the gateway acknowledged ${answer.transactionHash}, not ${hashes[index]}` });
          }
        }),
      );
    }
    await sleep(TICK_MS);
  }
  await Promise.all(answers);
  const summary = summarize(records, windowStart, windowEnd);
  // The measured window on this process's clock (performance.now()), to cut profiles to it.
  const window = { fromMs: started + windowStart, toMs: started + windowEnd };
  const jsMemory = { atStart: await jsMemoryAtStart, atEnd: await jsMemoryAtEnd };
  const events = { beforeWarmup: await eventsBeforeWarmup, atStart: await eventsAtStart, atEnd: await eventsAtEnd };
  // The same window on the records' clock (milliseconds after the first due transaction).
  const windowOfRecords = { startMs: windowStart, endMs: windowEnd };
  return { rate, summary, records, cpuCores, rssAtStart, rssAtEnd, rssSeries, jsMemory, events, maxSendLagMs, window, windowOfRecords, recorded: await recording };
}
