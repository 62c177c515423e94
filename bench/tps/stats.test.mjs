// Tests of the harness's arithmetic: node --test bench/tps/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ceilingTps, dueAtMs, dueCount, nextRate, offeredCount, passes, percentile, slowSpells, summarize } from './stats.mjs';

const SEED = Number(process.env.JADECHAIN_SEED ?? 20261125);
const property = (arbitraries, predicate) => {
  const result = fc.check(fc.property(...arbitraries, predicate), { seed: SEED, numRuns: 2000 });
  if (result.failed) assert.fail(`seed ${SEED}: ${fc.defaultReportMessage(result)}`);
};

describe('percentile (nearest rank)', () => {
  test('matches hand-worked ranks', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    assert.equal(percentile(values, 0.5), 50);
    assert.equal(percentile(values, 0.99), 99);
    assert.equal(percentile(values, 1), 100);
    assert.equal(percentile([7], 0.99), 7);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });

  test('at least the fraction of values lie at or below it, and fewer lie strictly below', () => {
    property([fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true })], (values, fraction) => {
      const sorted = [...values].sort((a, b) => a - b);
      const p = percentile(sorted, fraction);
      const atOrBelow = sorted.filter((value) => value <= p).length;
      const below = sorted.filter((value) => value < p).length;
      return atOrBelow >= fraction * sorted.length && below < fraction * sorted.length;
    });
  });
});

describe('open-loop pacing', () => {
  test('offers exactly rate × seconds transactions, whatever the tick times', () => {
    property([fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 30 }), fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 50 })], (rate, seconds, ticks) => {
      const total = rate * seconds;
      let sent = 0;
      for (const tick of [...ticks].sort((a, b) => a - b)) {
        const due = dueCount(rate, tick, total);
        if (due < sent) return false;
        sent = due;
      }
      // A microsecond before the last transaction is due, one is still to go; at that moment, all are due.
      return dueCount(rate, dueAtMs(rate, total - 1), total) === total && dueCount(rate, dueAtMs(rate, total - 1) - 0.001, total) === total - 1;
    });
  });

  test('with a ramp, never falls, agrees with dueAtMs, and offers the full rate after the ramp', () => {
    property([fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 3000 })], (rate, rampMs, total) => {
      let sent = 0;
      for (let tick = 0; tick <= rampMs + 3000; tick += 7) {
        const due = dueCount(rate, tick, total, rampMs);
        if (due < sent) return false;
        sent = due;
      }
      for (const index of new Set([0, Math.min(1, total - 1), Math.floor(total / 2), total - 1])) {
        const at = dueAtMs(rate, index, rampMs);
        if (dueCount(rate, at, total, rampMs) < index + 1) return false;
        if (index > 0 && dueCount(rate, at - 0.001, total, rampMs) > index) return false;
      }
      return true;
    });
  });

  test('a ramp offers half the rate on average, then the rate', () => {
    // 1,000/s over a 4 s ramp: 2,000 due by its end (0.5 s in: 31.25), then 1,000 more each second.
    assert.equal(dueCount(1000, 500, 100_000, 4000), 32);
    assert.equal(dueCount(1000, 4000, 100_000, 4000), 2001);
    assert.equal(dueCount(1000, 5000, 100_000, 4000), 3001);
    assert.equal(dueAtMs(1000, 2000, 4000), 4000);
    assert.equal(dueAtMs(1000, 2500, 4000), 4500);
    assert.equal(offeredCount(1000, 4, 10), 12_000);
    assert.equal(offeredCount(1000, 0, 10), 10_000);
  });

  test('the first transaction is due at once, none before the start', () => {
    assert.equal(dueCount(100, 0, 1000), 1);
    assert.equal(dueCount(100, -1, 1000), 0);
    assert.equal(dueCount(100, 1000, 1000), 101);
    assert.equal(dueAtMs(200, 3), 15);
  });
});

describe('steady-window summary', () => {
  const record = (dueMs, latency, outcome = 'committed') => ({ dueMs, doneMs: dueMs + latency, outcome, blockHeight: Math.floor(dueMs / 1000) });

  test('counts latency from the due time of transactions due in the window, throughput from acknowledgements in it', () => {
    const records = [record(500, 100), record(1000, 10), record(1500, 30), record(2999, 20), record(3000, 5), record(2000, 0, 'timeout'), record(2500, 7, 'failed')];
    const summary = summarize(records, 1000, 3000);
    assert.equal(summary.offered, 5);
    assert.equal(summary.timeouts, 1);
    assert.equal(summary.failed, 1);
    assert.equal(summary.blocks, 2, 'blocks 1 and 2 hold the committed transactions due in the window');
    assert.equal(summary.p50, 20);
    assert.equal(summary.p99, 30);
    // Acknowledged inside [1000, 3000): 1010, 1530; 3019 is after, 600 before.
    assert.equal(summary.committedPerSecond, 1);
  });

  test('a run passes only under one second, without failures, keeping up with the offer', () => {
    const base = { committedPerSecond: 100, p99: 999, failed: 0, timeouts: 0, refused: 0, errors: 0 };
    assert.equal(passes(base, 100), true);
    assert.equal(passes({ ...base, p99: 1000 }, 100), false);
    assert.equal(passes({ ...base, refused: 1 }, 100), false);
    assert.equal(passes({ ...base, failed: 1 }, 100), false, 'a transaction recorded as failed is no throughput');
    assert.equal(passes({ ...base, committedPerSecond: 94 }, 100), false);
  });
});

describe('ceiling and rate search', () => {
  test("reproduces issue 9's figures: ≈2,700 tx/s for four peers, ≈7,700 for one", () => {
    // The figures: 19k verifications/s on two worker threads, so 9.5k per core; 20k executions/s per core.
    const machine = { cores: 2, verifyPerCore: 9_500, executePerCore: 20_000 };
    assert.equal(Math.round(ceilingTps({ ...machine, peers: 4 })), 2754);
    assert.equal(Math.round(ceilingTps({ ...machine, peers: 1 })), 7677);
  });

  test('grows until a failure, then bisects down to the precision', () => {
    assert.equal(nextRate({ best: 200 }), 300);
    assert.equal(nextRate({ best: 200, lowestFailure: 300 }), 250);
    assert.equal(nextRate({ best: 250, lowestFailure: 270 }), undefined);
    assert.equal(nextRate({ lowestFailure: 200 }), 100);
    assert.equal(nextRate({ lowestFailure: 40 }), undefined);
  });

  test('the search ends, below any capacity, within a pass of the capacity', () => {
    property([fc.integer({ min: 30, max: 50_000 }), fc.integer({ min: 25, max: 2000 })], (capacity, start) => {
      let best;
      let lowestFailure;
      let rate = start;
      for (let steps = 0; rate !== undefined; steps++) {
        if (steps > 40) return false;
        if (rate <= capacity) best = Math.max(best ?? 0, rate);
        else lowestFailure = Math.min(lowestFailure ?? Infinity, rate);
        rate = nextRate({ best, lowestFailure });
      }
      return best === undefined ? capacity < 50 : best <= capacity && lowestFailure - best <= 0.1 * best + 1;
    });
  });
});

describe('slow spells', () => {
  const record = (dueMs, latencyMs, outcome = 'committed') => ({ dueMs, doneMs: dueMs + latencyMs, outcome });

  test('merges consecutive slow seconds of the window and leaves out fast, failed and outside ones', () => {
    const records = [
      record(500, 200), // before the window
      record(1_100, 1_500), // second 0
      record(1_900, 900), // fast
      record(2_200, 4_000), // second 1
      record(2_300, 1_000), // second 1: the limit counts as slow
      record(4_500, 2_000), // second 3
      record(4_600, 5_000, 'timeout'), // not committed
      record(6_000, 3_000), // at the window's end: outside
    ];
    assert.deepEqual(slowSpells(records, 1_000, 6_000), [
      { from: 0, to: 1, slow: 3, max: 4_000 },
      { from: 3, to: 3, slow: 1, max: 2_000 },
    ]);
  });

  test('every slow committed transaction of the window is in exactly one spell, and spells do not touch', () => {
    property([fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 3_000 })), { maxLength: 300 })], (pairs) => {
      const records = pairs.map(([due, latency]) => record(due, latency));
      const spells = slowSpells(records, 5_000, 15_000);
      const slow = records.filter((r) => r.dueMs >= 5_000 && r.dueMs < 15_000 && r.doneMs - r.dueMs >= 1_000);
      const touching = spells.some((spell, index) => index > 0 && spell.from <= spells[index - 1].to + 1);
      return !touching && spells.reduce((sum, spell) => sum + spell.slow, 0) === slow.length && slow.every((r) => spells.some((s) => Math.floor((r.dueMs - 5_000) / 1000) >= s.from && Math.floor((r.dueMs - 5_000) / 1000) <= s.to));
    });
  });
});
