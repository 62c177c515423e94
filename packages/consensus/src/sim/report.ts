import { runSimulation } from './simulation.js';
import type { SimulationOptions, SimulationResult } from './simulation.js';

/** How many trace lines a failure report shows. */
export const REPORT_TRACE_LINES = 60;

/**
 * Explains a failed run: its seed (which replays it exactly), what the scenario was, the
 * violations and the last events, re-running the seed with tracing on to get them.
 */
export function failureReport(result: SimulationResult, options: SimulationOptions = {}): string {
  const traced = result.trace.length > 0 ? result : runSimulation(result.seed, { ...options, trace: true });
  return [
    `seed ${result.seed} failed (replay: npm run sim -- --seed ${result.seed} --trace${optionFlags(options)})`,
    `  ${result.description}`,
    ...result.violations.slice(0, 10).map((violation) => `  ${violation.split('\n')[0]}`),
    `  last ${REPORT_TRACE_LINES} events:`,
    ...traced.trace.slice(-REPORT_TRACE_LINES).map((line) => `    ${line}`),
  ].join('\n');
}

function optionFlags(options: SimulationOptions): string {
  return (
    (options.size ? ` --nodes ${options.size}` : '') + (options.behaviour ? ` --behaviour ${options.behaviour}` : '') + (options.membership ? ' --membership' : '')
  );
}

export interface SeedRange {
  readonly from: number;
  readonly count: number;
}

export interface BatchOutcome {
  readonly runs: number;
  readonly failures: readonly SimulationResult[];
  readonly heights: number;
}

/** Runs consecutive seeds; `onResult` sees each result as it comes. */
export function runSeeds(range: SeedRange, options: SimulationOptions, onResult?: (result: SimulationResult) => void): BatchOutcome {
  const failures: SimulationResult[] = [];
  let heights = 0;
  for (let seed = range.from; seed < range.from + range.count; seed++) {
    const result = runSimulation(seed, options);
    heights += result.height;
    if (result.violations.length > 0) failures.push(result);
    onResult?.(result);
  }
  return { runs: range.count, failures, heights };
}
