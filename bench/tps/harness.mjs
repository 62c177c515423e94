// One workload on a running network: fixed-rate runs and the search for the highest rate whose
// p99 commit latency stays under a second. Every run's transactions are signed before it starts.
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { budgetLines, budgetOf, readRecording, recordMachine } from './budget.mjs';
import { generateTransactions } from './generate.mjs';
import { runFixedRate } from './load.mjs';
import { RUN_HEADER, runLines } from './report.mjs';
import { nextRate, offeredCount, passes } from './stats.mjs';

/** Below this the search gives up: the network does not sustain even this rate under a second. */
const LOWEST_RATE = 25;
/** Confirmation runs tried at the found rate, each a tenth lower than the one before, before giving up. */
const CONFIRMATIONS = 3;
/** The ledger is settled when its transaction count stays put this many polls this far apart (a full block may take a second). */
const SETTLE_POLL_MS = 1000;
const SETTLE_STABLE_POLLS = 2;

export class WorkloadRunner {
  /** `plan`: the workload's plan from prepareWorkload; `log`: prints one line. */
  constructor({ network, plan, options, log }) {
    this.network = network;
    this.plan = plan;
    this.options = options;
    this.log = log;
    this.ledger = network.ledgerHash.toBase58();
    this.runs = 0;
    /** Every acknowledged commit of every run (SUCCESS or not), for the final read-back. */
    this.acknowledged = [];
    /** The measured windows of every run (this process's clock), to cut profiles to them. */
    this.windows = [];
    this.processes = [...network.processes.map(({ name, pid, metricsUrl }) => ({ name, pid, metricsUrl })), { name: 'bench', pid: process.pid }];
  }

  /**
   * One run at `rate` for a `seconds` window: signs, offers, waits for the backlog to drain.
   * `budget`: record the machine with perf in the middle of the window (--perf-budget).
   */
  async run(rate, seconds, format, budget = false) {
    const count = offeredCount(rate, this.options.warmup, seconds);
    const plan = { ...this.plan, ledgerHash: this.ledger, tag: `${this.plan.workload}-${this.runs++}`, timestamp: String(Date.now()), rate, format };
    const { bodies, hashes } = await generateTransactions(plan, count, availableParallelism());
    const budgetSeconds = this.options.budgetSeconds;
    const file = join(this.network.dir, `perf-${plan.tag}.data`);
    // Never rejects: a failed recording is reported with the run, not left unhandled while the run goes on.
    const atWindowStart =
      budget && budgetSeconds !== undefined
        ? () => recordMachine({ file, seconds: budgetSeconds, delayMs: ((seconds - budgetSeconds) / 2) * 1000 }).then(() => ({ file }), (error) => ({ error }))
        : undefined;
    const result = await runFixedRate({ client: this.network.client, ledger: this.ledger, format, bodies, hashes, rate, warmupSeconds: this.options.warmup, seconds, processes: this.processes, atWindowStart });
    for (const record of result.records) if (record.outcome === 'committed' || record.outcome === 'failed') this.acknowledged.push(record);
    this.windows.push(result.window);
    await this.#settle();
    const failure = this.network.failure();
    if (failure !== undefined) throw new Error(failure);
    return result;
  }

  /** Fixed-rate runs at each --rate in turn, once per submission path asked for; answers the last. */
  async fixedRate() {
    let last;
    for (const rate of this.options.rates) {
      for (const format of this.options.paths) {
        this.log(`fixed rate ${rate}/s, ${format} submission, ${this.options.duration} s window after ${this.options.warmup} s warm-up (rate rising from 0)`);
        this.log(RUN_HEADER);
        last = await this.run(rate, this.options.duration, format, true);
        for (const line of runLines(last, passes(last.summary, last.rate) ? 'p99 < 1 s' : 'p99 ≥ 1 s or failures')) this.log(line);
        if (last.recorded !== undefined) await this.#logBudget(last);
      }
    }
    return last;
  }

  /**
   * Grows the rate by half until a probe fails, bisects to within a tenth, then confirms the best
   * rate over the full window (stepping down a tenth when the confirmation fails). Answers the
   * confirmed run; else the best passing probe, marked `confirmed: false` (it held p99 < 1 s for a
   * probe's window only); undefined when no probe passed.
   */
  async findMax(startRate) {
    const format = this.options.paths[0];
    this.log(`search for the highest rate with p99 < 1 s: probes of ${this.options.probeSeconds} s after ${this.options.warmup} s warm-up (rate rising from 0), ${format} submission`);
    this.log(RUN_HEADER);
    let best;
    let bestProbe;
    let lowestFailure;
    for (let rate = Math.max(LOWEST_RATE, Math.round(startRate)); rate !== undefined; rate = nextRate({ best, lowestFailure, floor: LOWEST_RATE })) {
      const probe = await this.run(rate, this.options.probeSeconds, format);
      const passed = passes(probe.summary, rate);
      for (const line of runLines(probe, passed ? 'pass' : 'fail')) this.log(line);
      if (passed && rate > (best ?? 0)) [best, bestProbe] = [rate, probe];
      else lowestFailure = Math.min(lowestFailure ?? Infinity, rate);
    }
    if (best === undefined) {
      this.log(`no rate down to ${LOWEST_RATE}/s kept p99 under 1 s`);
      return undefined;
    }
    for (let attempt = 0, rate = best; attempt < CONFIRMATIONS; attempt++, rate = Math.round(rate * 0.9)) {
      this.log(`confirmation at ${rate}/s over ${this.options.duration} s:`);
      const run = await this.run(rate, this.options.duration, format);
      const passed = passes(run.summary, rate);
      for (const line of runLines(run, passed ? 'confirmed' : 'fail')) this.log(line);
      if (passed) return { ...run, confirmed: true };
    }
    this.log(`no confirmation held p99 < 1 s for ${this.options.duration} s; reporting the best probe (${best}/s over ${this.options.probeSeconds} s)`);
    return { ...bestProbe, confirmed: false };
  }

  /** Where each µs of CPU per committed transaction went in the run's recorded seconds (budget.mjs). */
  async #logBudget(run) {
    let samples;
    try {
      if (run.recorded.error !== undefined) throw run.recorded.error;
      samples = await readRecording(run.recorded.file);
    } catch (error) {
      this.log(`           perf budget: not recorded (${error.message})`);
      return;
    }
    const committed = run.summary.committedPerSecond;
    const microsPerTx = new Map(run.cpuCores.map(({ name, cores }) => [name, committed > 0 ? (cores * 1e6) / committed : 0]));
    this.log(`           where the CPU went (perf, ${this.options.budgetSeconds} s in the middle of the window; JavaScript rows approximate, see bench/tps/budget.mjs):`);
    for (const line of budgetLines(budgetOf(samples, this.processes, microsPerTx), this.processes, microsPerTx)) this.log(`         ${line}`);
  }

  /**
   * Waits until the ledger stops growing: after a failed probe the mempool still holds what the
   * gateway gave up waiting for, and the next run must not inherit that backlog.
   */
  async #settle() {
    let count = await this.#transactionCount();
    for (let stable = 0; stable < SETTLE_STABLE_POLLS; ) {
      await sleep(SETTLE_POLL_MS);
      const now = await this.#transactionCount();
      stable = now === count ? stable + 1 : 0;
      count = now;
    }
  }

  #transactionCount() {
    return this.network.client.data(`/ledgers/${this.ledger}/txs/count`);
  }
}
