import type { TestContext } from 'node:test';
import { failureReport, runSeeds } from '../src/sim/report.js';
import type { BatchOutcome } from '../src/sim/report.js';
import type { SimulationOptions, SimulationResult } from '../src/sim/simulation.js';

/**
 * Seeds CI runs start here; JADECHAIN_SEED moves the whole range (each file adds its own offset,
 * so files never share seeds). A failure prints the seed, which replays exactly.
 */
export const BASE_SEED = Number(process.env['JADECHAIN_SEED'] ?? 1);

/** Runs `count` seeds from BASE_SEED + offset and fails with a replayable report on the first violation. */
export function checkSeeds(t: TestContext, offset: number, count: number, options: SimulationOptions, onResult?: (result: SimulationResult) => void): BatchOutcome {
  const from = BASE_SEED + offset;
  const started = performance.now();
  const outcome = runSeeds({ from, count }, options, onResult);
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`${count} seeds from ${from}: ${outcome.heights} blocks, ${(count / seconds).toFixed(1)} seeds/s`);
  const [failure] = outcome.failures;
  if (failure !== undefined) {
    const report = failureReport(failure, options);
    console.error(report);
    throw new Error(`${outcome.failures.length} of ${count} seeds violated the protocol's properties; first:\n${report}`);
  }
  return outcome;
}
