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
 * start: the i-th (from 0) is due at i / rate seconds, so ⌊elapsed · rate⌋ + 1 are due, at most
 * `total`. Computed from the start each time, so late timer ticks never lower the offered rate.
 */
export function dueCount(rate, elapsedMs, total) {
  if (elapsedMs < 0) return 0;
  // The tolerance absorbs the rounding of dueAtMs, so a transaction is due exactly at its due time.
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000 + 1e-7) + 1);
}

/** When the i-th transaction is due, in milliseconds after the start. */
export function dueAtMs(rate, index) {
  return (index * 1000) / rate;
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
