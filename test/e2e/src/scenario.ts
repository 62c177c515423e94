import { test } from 'node:test';

/** The fixed seed of the fault scenario's choices (which peers fail); JADECHAIN_SEED overrides it. */
export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x7a1e);

/** A small seeded generator (mulberry32): the same seed picks the same peers on every run. */
export class SeededChoice {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % bound) >>> 0;
  }

  /** `count` distinct members of `items`. */
  distinct<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(...pool.splice(this.below(pool.length), 1));
    return chosen;
  }
}

/**
 * Steps of one scenario, run in order as separate tests: once a step fails the later ones fail
 * at once (they would only report the same broken network again), and `onFirstFailure` runs
 * once, e.g. to print each process's last log lines.
 */
export class Scenario {
  private broken: string | undefined;

  constructor(private readonly onFirstFailure: (step: string, error: unknown) => void | Promise<void>) {}

  get failed(): boolean {
    return this.broken !== undefined;
  }

  step(name: string, body: () => Promise<void>): void {
    test(name, async () => {
      if (this.broken !== undefined) throw new Error(`not run: the earlier step "${this.broken}" failed`);
      try {
        await body();
      } catch (error) {
        this.broken = name;
        await this.onFirstFailure(name, error);
        throw error;
      }
    });
  }
}
