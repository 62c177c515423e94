import type { BftTimeouts } from '../bft/io.js';
import type { LinkConditions, Partition } from './network.js';
import { Prng } from './prng.js';

/** What a Byzantine validator does (spec/consensus.md §9 says why each is detected or harmless). */
export type Behaviour = 'silent' | 'twins' | 'double-vote' | 'bad-proposal' | 'conflicting-proposal' | 'garbage';
export const BEHAVIOURS: readonly Behaviour[] = ['silent', 'twins', 'double-vote', 'bad-proposal', 'conflicting-proposal', 'garbage'];

export interface ByzantineSpec {
  readonly validator: number;
  readonly behaviour: Behaviour;
  /** Twins: the validators each of the two instances talks to (they may overlap). */
  readonly audiences: readonly [readonly number[], readonly number[]];
}

export interface CrashSpec {
  readonly validator: number;
  readonly atMs: number;
  readonly downMs: number;
}

/**
 * A membership change during the run (spec/consensus.md §13): validator `joiner` (id = size, not
 * a validator at genesis) is activated by a transaction at `activateAtMs`; once an honest node has
 * committed that, `leaver` is deactivated by another, `deactivateDelayMs` later.
 */
export interface MembershipSpec {
  readonly joiner: number;
  readonly leaver: number;
  readonly activateAtMs: number;
  readonly deactivateDelayMs: number;
}

export interface Scenario {
  readonly seed: number;
  /** Validators at genesis (ids 0 … size−1). */
  readonly size: number;
  readonly byzantine: readonly ByzantineSpec[];
  readonly beforeGst: LinkConditions;
  readonly afterGst: LinkConditions;
  readonly partitions: readonly Partition[];
  readonly crashes: readonly CrashSpec[];
  readonly skewsMs: readonly number[];
  readonly gstMs: number;
  /** The run fails liveness if submitted transactions are not all committed by then. */
  readonly endMs: number;
  readonly transactions: readonly { readonly atMs: number; readonly valid: boolean }[];
  readonly timeouts: BftTimeouts;
  readonly maxBatch: number;
  readonly membership: MembershipSpec | undefined;
}

export interface ScenarioOptions {
  readonly size?: number;
  readonly byzantineCount?: number;
  readonly behaviour?: Behaviour;
  /** Activate a validator and deactivate another during the run (see MembershipSpec). */
  readonly membership?: boolean;
}

export const SIM_SIZES: readonly number[] = [4, 7, 10];
const LIVENESS_WINDOW_MS = 40_000;

/** Draws every fault of a run from its seed. */
export function scenarioFor(seed: number, options: ScenarioOptions = {}): Scenario {
  const prng = new Prng(seed);
  const size = options.size ?? prng.pick(SIM_SIZES);
  const maxFaulty = Math.floor((size - 1) / 3);
  const byzantineCount = Math.min(options.byzantineCount ?? prng.int(0, maxFaulty), maxFaulty);
  const validators = Array.from({ length: size }, (_, i) => i);
  const faulty = prng.shuffle(validators).slice(0, byzantineCount);
  const byzantine = faulty.map((validator): ByzantineSpec => {
    const others = validators.filter((v) => v !== validator);
    const sides = others.map(() => prng.int(0, 2));
    return {
      validator,
      behaviour: options.behaviour ?? prng.pick(BEHAVIOURS),
      audiences: [others.filter((_, i) => sides[i] !== 1), others.filter((_, i) => sides[i] !== 0)],
    };
  });
  const gstMs = prng.int(1000, 6000);
  const minDelayMs = prng.int(1, 10);
  const beforeGst = {
    minDelayMs,
    maxDelayMs: minDelayMs + prng.pick([5, 50, 300, 1000]),
    loss: prng.pick([0, 0.05, 0.2, 0.4]),
    duplicate: prng.pick([0, 0.05, 0.2]),
  };
  const afterGst = { minDelayMs: 1, maxDelayMs: prng.int(5, 60), loss: 0, duplicate: prng.pick([0, 0.05]) };
  const partitions = Array.from({ length: prng.int(0, 2) }, (): Partition => {
    const startMs = prng.int(0, gstMs - 100);
    const sides = validators.map(() => prng.int(0, 1));
    if (sides.every((side) => side === sides[0])) sides[0] = 1 - (sides[0] as number);
    return {
      startMs,
      endMs: Math.min(gstMs, startMs + prng.int(100, 3000)),
      groups: [validators.filter((v) => sides[v] === 0), validators.filter((v) => sides[v] === 1)],
    };
  });
  const honest = validators.filter((v) => !faulty.includes(v));
  const crashes = Array.from({ length: prng.int(0, 2) }, (): CrashSpec => {
    const atMs = prng.int(0, gstMs - 100);
    return { validator: prng.pick(honest), atMs, downMs: Math.max(1, Math.min(prng.int(20, 2000), gstMs - 50 - atMs)) };
  });
  const lastSubmission = gstMs + 3000;
  const transactions = Array.from({ length: prng.int(2, 12) }, () => ({ atMs: prng.int(0, lastSubmission), valid: prng.chance(0.9) })).sort(
    (a, b) => a.atMs - b.atMs,
  );
  const skewsMs = validators.map(() => prng.int(-200, 200));
  // Drawn last, so that the runs without a membership change are those of the same seeds before it existed.
  const membership = options.membership === true ? membershipFor(prng, size, gstMs) : undefined;
  return {
    seed,
    size,
    byzantine,
    beforeGst,
    afterGst,
    partitions: membership === undefined ? partitions : partitions.map((partition) => withJoiner(partition, membership.joiner, prng.int(0, 1))),
    crashes: crashes.filter((crash, i) => crashes.findIndex((other) => other.validator === crash.validator) === i),
    skewsMs: membership === undefined ? skewsMs : [...skewsMs, prng.int(-200, 200)],
    gstMs,
    endMs: lastSubmission + LIVENESS_WINDOW_MS,
    transactions,
    timeouts: { proposeMs: 300, prevoteMs: 150, precommitMs: 150, roundIncrementMs: 100, retransmitMs: 400 },
    maxBatch: prng.pick([1, 3, 100]),
    membership,
  };
}

function membershipFor(prng: Prng, size: number, gstMs: number): MembershipSpec {
  return { joiner: size, leaver: prng.int(0, size - 1), activateAtMs: prng.int(0, gstMs + 1000), deactivateDelayMs: prng.int(0, 1000) };
}

/** The joiner takes a side in each partition like every other node. */
function withJoiner(partition: Partition, joiner: number, side: number): Partition {
  return { ...partition, groups: partition.groups.map((group, i) => (i === side ? [...group, joiner] : group)) };
}

/** One line saying what a run was made of. */
export function describeScenario(scenario: Scenario): string {
  const faults = scenario.byzantine.map((spec) => `v${spec.validator}:${spec.behaviour}`).join(',') || 'none';
  const link = scenario.beforeGst;
  return (
    `n=${scenario.size} byzantine=[${faults}] gst=${scenario.gstMs}ms delay=${link.minDelayMs}-${link.maxDelayMs}ms ` +
    `loss=${link.loss} dup=${link.duplicate} partitions=${scenario.partitions.length} crashes=${scenario.crashes.length} ` +
    `txs=${scenario.transactions.length} batch=${scenario.maxBatch}` +
    (scenario.membership === undefined ? '' : ` join=v${scenario.membership.joiner}@${scenario.membership.activateAtMs}ms leave=v${scenario.membership.leaver}`)
  );
}
