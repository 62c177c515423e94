import { ContractErrorCode } from './errors.js';
import { GAS } from './limits.js';

/** Where the gas of an invocation went. */
export interface GasReport {
  readonly limit: number;
  readonly used: number;
  /** Invocation and code-loading charges. */
  readonly base: number;
  readonly instructions: number;
  readonly hostCalls: number;
  readonly dataBytes: number;
}

type GasCategory = 'base' | 'instructions' | 'hostCalls' | 'dataBytes';

/**
 * A failure that ends the whole invocation whatever the contract does about it: once set, the
 * interrupt handler stops every running sandbox and every host call is refused. The first fault
 * wins. `abstain` marks the watchdog: the result is not reproducible and must not be recorded.
 */
export interface StickyFault {
  readonly code: ContractErrorCode | 'WATCHDOG';
  readonly message: string;
}

/**
 * The gas meter of one invocation (shared by its nested calls) and its wall-clock watchdog.
 * Gas only counts deterministic quantities; the watchdog is the one non-deterministic input and
 * it never changes gas, only turns the outcome into an abstention.
 */
export class GasMeter {
  #used = 0;
  readonly #spent: Record<GasCategory, number> = { base: 0, instructions: 0, hostCalls: 0, dataBytes: 0 };
  #fault: StickyFault | undefined;
  /** Builtin work below one gas unit, carried to the next call. */
  #pendingUnits = 0;

  constructor(
    readonly limit: number,
    private readonly deadline: number,
    private readonly now: () => number,
  ) {}

  get fault(): StickyFault | undefined {
    return this.#fault;
  }

  /** Records a sticky fault unless one is already recorded. */
  fail(fault: StickyFault): void {
    this.#fault ??= fault;
  }

  /** Adds a charge; false (and an OUT_OF_GAS fault) when it does not fit the limit. */
  charge(category: GasCategory, amount: number): boolean {
    if (this.#fault !== undefined) return false;
    if (this.#used + amount > this.limit) {
      this.#spent[category] += this.limit - this.#used;
      this.#used = this.limit;
      this.fail({ code: ContractErrorCode.OUT_OF_GAS, message: `gas limit ${this.limit} reached` });
      return false;
    }
    this.#used += amount;
    this.#spent[category] += amount;
    return true;
  }

  /** The sandbox's interrupt handler: true stops the interpreter (uncatchably). */
  onInterrupt(pricePerInterrupt: number): boolean {
    if (this.now() > this.deadline) {
      this.fail({ code: 'WATCHDOG', message: 'the wall-clock watchdog fired' });
    }
    return !this.charge('instructions', pricePerInterrupt);
  }

  /**
   * Charges work done inside a builtin, `units` elements at a time; whole gas units are charged
   * as they accumulate (to 'instructions'). False once the gas is gone.
   */
  work(units: number): boolean {
    if (!(units >= 0)) return this.#fault === undefined;
    if (!Number.isFinite(units) || units > Number.MAX_SAFE_INTEGER) return this.charge('instructions', Number.MAX_SAFE_INTEGER);
    this.#pendingUnits += units;
    const gas = Math.floor(this.#pendingUnits / GAS.builtinElements);
    this.#pendingUnits -= gas * GAS.builtinElements;
    return gas === 0 ? this.#fault === undefined : this.charge('instructions', gas);
  }

  report(): GasReport {
    return { limit: this.limit, used: this.#used, ...this.#spent };
  }
}
