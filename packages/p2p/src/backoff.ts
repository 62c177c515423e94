import { TransportError } from './errors.js';

/** Exponential backoff with jitter between reconnection attempts. */
export interface BackoffPolicy {
  /** Delay ceiling before the first retry, in milliseconds. */
  readonly initialMs: number;
  /** Largest delay ceiling. */
  readonly maxMs: number;
  /** Growth of the ceiling per failed attempt. */
  readonly multiplier: number;
  /** Fraction of the ceiling that is randomised away, in [0, 1]: delays fall in [ceiling·(1−jitter), ceiling]. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0.5 };

export function resolveBackoff(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...overrides };
  const valid =
    Number.isFinite(policy.initialMs) && policy.initialMs > 0 &&
    Number.isFinite(policy.maxMs) && policy.maxMs >= policy.initialMs &&
    Number.isFinite(policy.multiplier) && policy.multiplier >= 1 &&
    policy.jitter >= 0 && policy.jitter <= 1;
  if (!valid) throw new TransportError('INVALID_OPTIONS', `invalid backoff policy ${JSON.stringify(policy)}`);
  return policy;
}

/**
 * The delay before retry number `attempt` (0 for the first retry). Jitter spreads the retries of
 * many clients that lost the same server at the same moment; keeping a floor of
 * ceiling·(1−jitter) stops a client from retrying in a tight loop when the random source is low.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** attempt);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (1 - policy.jitter * draw));
}

/**
 * A small deterministic random source (mulberry32) in [0, 1), for reproducible reconnection
 * schedules in tests and simulations. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
