#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { failureReport, runSeeds } from './report.js';
import { runSimulation } from './simulation.js';
import type { SimulationOptions } from './simulation.js';
import { BEHAVIOURS, SIM_SIZES } from './scenario.js';
import type { Behaviour } from './scenario.js';

const USAGE = `usage: npm run sim -- [--seeds N] [--from S] [--nodes 4|7|10] [--behaviour NAME] [--membership]
       npm run sim -- --seed S [--trace] [--membership]
Runs the BFT simulator over seeds S, S+1, … (default 1000 seeds from 1) and prints seeds/s;
--membership activates a new validator and then deactivates another during each run;
exits 1 on the first violation, printing the seed (which replays exactly) and a trace.
Behaviours: ${BEHAVIOURS.join(', ')}.`;

function main(): number {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      from: { type: 'string' },
      seed: { type: 'string' },
      nodes: { type: 'string' },
      behaviour: { type: 'string' },
      membership: { type: 'boolean' },
      trace: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const size = values.nodes === undefined ? undefined : Number(values.nodes);
  if (size !== undefined && !SIM_SIZES.includes(size)) return usageError(`--nodes must be one of ${SIM_SIZES.join(', ')}`);
  const behaviour = values.behaviour as Behaviour | undefined;
  if (behaviour !== undefined && !BEHAVIOURS.includes(behaviour)) return usageError(`unknown behaviour ${behaviour}`);
  const options: SimulationOptions = {
    ...(size ? { size } : {}),
    ...(behaviour ? { behaviour, byzantineCount: Number.MAX_SAFE_INTEGER } : {}),
    ...(values.membership ? { membership: true } : {}),
  };

  if (values.seed !== undefined) {
    const result = runSimulation(Number(values.seed), { ...options, trace: values.trace ?? false });
    console.log(`seed ${result.seed}: ${result.description}`);
    if (values.trace) for (const line of result.trace) console.log(`  ${line}`);
    console.log(`height ${result.height}, ${result.events} events, ${result.messages} messages, ${result.virtualMs} virtual ms`);
    if (result.violations.length === 0) {
      console.log('no violations');
      return 0;
    }
    console.log(failureReport(result, options));
    return 1;
  }

  const count = Number(values.seeds ?? 1000);
  const from = Number(values.from ?? 1);
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(from)) return usageError('--seeds and --from take whole numbers');
  const started = performance.now();
  let done = 0;
  const outcome = runSeeds({ from, count }, options, (result) => {
    done++;
    if (result.violations.length > 0) {
      console.log(failureReport(result, options));
      process.exit(1);
    }
    if (done % 100 === 0) console.log(`${done} seeds, ${(done / ((performance.now() - started) / 1000)).toFixed(1)} seeds/s`);
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${outcome.runs} seeds from ${from}: no violations; ${outcome.heights} blocks; ${(outcome.runs / seconds).toFixed(1)} seeds/s`);
  return 0;
}

function usageError(message: string): number {
  console.error(`${message}\n${USAGE}`);
  return 2;
}

process.exitCode = main();
