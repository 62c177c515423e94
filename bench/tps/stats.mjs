// The arithmetic of the throughput harness, kept apart so it can be tested: percentiles, the
// open-loop schedule, the steady-window summary and the ceiling of issue 9.

/**
 * The nearest-rank percentile of an ascending array (`fraction` in (0, 1]): the smallest value
 * with at least that fraction of the values at or below it. NaN for an empty array.
 */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * How many transactions an open loop offering `rate` per second has sent `elapsedMs` after its
 * start. During the first `rampMs` the offered rate rises evenly from 0 to `rate` (a cold network
 * meets the load gradually, as its code is compiled and its caches fill), then stays at `rate`:
 * by time t, rate·t²/(2·ramp) are due in the ramp and rate·(t − ramp/2) after it; the next one is
 * due at once, so ⌊that⌋ + 1, at most `total`. Computed from the start each time, so late timer
 * ticks never lower the offered rate.
 */
export function dueCount(rate, elapsedMs, total, rampMs = 0) {
  if (elapsedMs < 0) return 0;
  const due = elapsedMs < rampMs ? (rate * elapsedMs * elapsedMs) / (2000 * rampMs) : (rate * (elapsedMs - rampMs / 2)) / 1000;
  // The tolerance absorbs the rounding of dueAtMs, so a transaction is due exactly at its due time.
  return Math.min(total, Math.floor(due + 1e-7) + 1);
}

/** When the i-th transaction (from 0) is due, in milliseconds after the start: the inverse of dueCount. */
export function dueAtMs(rate, index, rampMs = 0) {
  const dueInRamp = (rate * rampMs) / 2000;
  return index < dueInRamp ? Math.sqrt((2000 * rampMs * index) / rate) : (index * 1000) / rate + rampMs / 2;
}

/** How many transactions a run offers: the ramp (half the rate on average) and the window. */
export function offeredCount(rate, rampSeconds, seconds) {
  return Math.ceil(rate * (rampSeconds / 2 + seconds));
}

/**
 * Summarises one fixed-rate run over its steady window [windowStart, windowEnd) (milliseconds on
 * the run's clock). Latency counts the transactions *due* inside the window, from the moment they
 * were due (not when the loop got round to them), so a stalled sender shows as latency. Committed
 * tx/s counts acknowledgements that arrived inside the window.
 *
 * `records`: { dueMs, doneMs, blockHeight, outcome: 'committed' | 'failed' | 'timeout' | 'refused' |
 * 'error' } ('failed': recorded in the ledger with a state other than SUCCESS).
 */
export function summarize(records, windowStart, windowEnd) {
  const seconds = (windowEnd - windowStart) / 1000;
  const inWindow = records.filter((record) => record.dueMs >= windowStart && record.dueMs < windowEnd);
  const latencies = inWindow.filter((record) => record.outcome === 'committed').map((record) => record.doneMs - record.dueMs);
  latencies.sort((a, b) => a - b);
  const committedInWindow = records.filter((record) => record.outcome === 'committed' && record.doneMs >= windowStart && record.doneMs < windowEnd).length;
  const count = (outcome) => inWindow.filter((record) => record.outcome === outcome).length;
  const blocks = new Set(inWindow.filter((record) => record.outcome === 'committed').map((record) => record.blockHeight)).size;
  return {
    blocks,
    offered: inWindow.length,
    committedPerSecond: committedInWindow / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies.length === 0 ? NaN : latencies[latencies.length - 1],
    failed: count('failed'),
    timeouts: count('timeout'),
    refused: count('refused'),
    errors: count('error'),
  };
}

/**
 * The seconds of the window [windowStart, windowEnd) whose transactions (by due time) include a
 * commit that took `limitMs` or longer, merged into runs of consecutive seconds: where a slow run's
 * tail came from (one stall, or slowness throughout). Each: { from, to } (seconds into the window,
 * `to` inclusive), `slow` (how many), `max` (ms).
 */
export function slowSpells(records, windowStart, windowEnd, limitMs = P99_LIMIT_MS) {
  const bySecond = new Map();
  for (const record of records) {
    if (record.outcome !== 'committed' || record.dueMs < windowStart || record.dueMs >= windowEnd) continue;
    const latency = record.doneMs - record.dueMs;
    if (latency < limitMs) continue;
    const second = Math.floor((record.dueMs - windowStart) / 1000);
    const entry = bySecond.get(second) ?? { slow: 0, max: 0 };
    entry.slow++;
    entry.max = Math.max(entry.max, latency);
    bySecond.set(second, entry);
  }
  const spells = [];
  for (const second of [...bySecond.keys()].sort((a, b) => a - b)) {
    const { slow, max } = bySecond.get(second);
    const last = spells.at(-1);
    if (last !== undefined && last.to === second - 1) Object.assign(last, { to: second, slow: last.slow + slow, max: Math.max(last.max, max) });
    else spells.push({ from: second, to: second, slow, max });
  }
  return spells;
}

/** Highest latency that still passes, and the share of the offered rate that must be committed. */
export const P99_LIMIT_MS = 1000;
export const MIN_COMMITTED_SHARE = 0.95;

/** A run passes when p99 stays under a second, nothing failed and the network kept up with the offer. */
export function passes(summary, rate) {
  return (
    summary.p99 < P99_LIMIT_MS &&
    summary.failed + summary.timeouts + summary.refused + summary.errors === 0 &&
    summary.committedPerSecond >= MIN_COMMITTED_SHARE * rate
  );
}

/**
 * Issue 9's ceiling: each transaction is verified `peers + 1` times (every peer and the gateway)
 * and executed `peers` times; each of the machine's `cores` spends 1 / `verifyPerCore` seconds on
 * a verification and 1 / `executePerCore` on an execution.
 */
export function ceilingTps({ peers, cores, verifyPerCore, executePerCore }) {
  const secondsPerTx = (peers + 1) / verifyPerCore + peers / executePerCore;
  return cores / secondsPerTx;
}

/**
 * The next rate of the search for the highest passing rate: grow by `growth` until a run fails,
 * then bisect between the best pass and the lowest failure. Undefined once they are within
 * `precision` of each other (or nothing passed down to `floor`).
 */
export function nextRate({ best, lowestFailure, growth = 1.5, precision = 0.1, floor = 25 }) {
  if (lowestFailure === undefined) return best === undefined ? undefined : Math.round(best * growth);
  if (best === undefined) {
    const lower = Math.round(lowestFailure / 2);
    return lower < floor ? undefined : lower;
  }
  if (lowestFailure - best <= precision * best) return undefined;
  return Math.round((best + lowestFailure) / 2);
}
