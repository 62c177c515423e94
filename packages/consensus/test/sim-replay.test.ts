import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Prng } from '../src/sim/prng.js';
import { failureReport } from '../src/sim/report.js';
import { runSimulation } from '../src/sim/simulation.js';
import { BASE_SEED } from './sim-support.js';

describe('simulator determinism and failure reports', () => {
  test('a seed replays exactly: same events, same trace, same outcome', () => {
    const seed = BASE_SEED + 400_000;
    const first = runSimulation(seed, { trace: true });
    const second = runSimulation(seed, { trace: true });
    assert.deepEqual(second.trace, first.trace);
    assert.equal(second.events, first.events);
    assert.equal(second.height, first.height);
    assert.deepEqual(second.violations, first.violations);
    assert.ok(first.trace.length > 0);
    const untraced = runSimulation(seed);
    assert.equal(untraced.events, first.events, 'tracing observes without changing the run');
  });

  test('when honest nodes lose their records, restarts make them sign twice; the report names the seed and shows a trace', () => {
    let failed: ReturnType<typeof runSimulation> | undefined;
    for (let seed = BASE_SEED + 410_000; failed === undefined && seed < BASE_SEED + 410_200; seed++) {
      const result = runSimulation(seed, { sabotage: 'lose-records' });
      if (result.violations.length > 0) failed = result;
    }
    assert.ok(failed !== undefined, 'some seed exposes the sabotage');
    assert.ok(failed.violations.some((v) => v.startsWith('double sign')));
    const report = failureReport(failed, { sabotage: 'lose-records' });
    assert.match(report, new RegExp(`^seed ${failed.seed} failed \\(replay: npm run sim -- --seed ${failed.seed}`));
    assert.match(report, /double sign: honest v\d+ signed two/);
    assert.ok(report.split('\n').filter((line) => /^ {4}\s*\d+ms /.test(line)).length > 10, 'a trace of the last events');
  });

  test('the generator matches the reference xoshiro128** outputs', () => {
    // xoshiro128starstar.c (Blackman and Vigna, prng.di.unimi.it), state {1, 2, 3, 4}: first six outputs.
    const prng = Prng.fromState(1, 2, 3, 4);
    assert.deepEqual(
      Array.from({ length: 6 }, () => prng.next()),
      [11520, 0, 5927040, 70819200, 2031721883, 1637235492],
    );
  });

  test('draws stay in range and forks are independent of later draws', () => {
    const prng = new Prng(42);
    for (let i = 0; i < 10_000; i++) {
      const value = prng.int(-3, 5);
      assert.ok(value >= -3 && value <= 5 && Number.isInteger(value));
      const unit = prng.float();
      assert.ok(unit >= 0 && unit < 1);
    }
    const a = new Prng(7);
    const forkA = a.fork();
    const b = new Prng(7);
    const forkB = b.fork();
    b.next();
    assert.deepEqual([forkA.next(), forkA.next()], [forkB.next(), forkB.next()]);
  });
});
