import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { ContractError, ContractErrorCode } from './errors.js';
import { GAS, type ContractLimits } from './limits.js';
import type { GasMeter } from './meter.js';
import { MemoryImage } from './memory-image.js';
import { quickJsModuleIn, sandboxMemory } from './sandbox-memory.js';
import { installPrelude, invokeLoaded, loadModule, runModule, type SandboxFailure, type SandboxProgram, type SandboxResult } from './sandbox.js';

/** The limits a prepared sandbox was built with; a call under other ones runs in a fresh sandbox. */
export type SandboxMemoryLimits = Pick<ContractLimits, 'memoryBytes' | 'stackBytes'>;

/** What stands for the fresh path's failure when the gas runs out while loading (the meter's fault decides). */
const STOPPED_WHILE_LOADING: SandboxFailure = { kind: 'failed', code: ContractErrorCode.CONTRACT_LOAD_FAILED, message: 'InternalError: interrupted', stack: '' };

/** Loaded contracts kept as images, per prepared sandbox (least recently used dropped first). */
const MAX_LOADED_CONTRACTS = 32;
/** A contract whose loaded image would be larger is loaded on every call instead. */
const MAX_LOADED_IMAGE_BYTES = 2 * 1024 * 1024;
/** In a loaded contract's charges: an interrupt-handler call (other entries are builtin work units). */
const INTERRUPT = -1;

interface CurrentCall {
  program: SandboxProgram | undefined;
  meter: Pick<GasMeter, 'onInterrupt'> | undefined;
}

/** A contract loaded into the prepared sandbox, and what loading it charged, in order. */
interface LoadedContract {
  readonly image: MemoryImage;
  readonly charges: readonly number[];
}

/**
 * A QuickJS runtime and context with the prelude already evaluated, in a WebAssembly instance of
 * its own, and an image of that instance's memory taken right after. Every call starts by putting
 * an image back — this one, or the one taken after loading its contract — so it begins from the
 * same bytes as every other call of that contract: the state a fresh runtime would reach, down to
 * the allocator's free lists, without paying for a new runtime, a new context, the prelude's and
 * the contract's compilation each time (≈1.7 ms of a token transfer's ≈2 ms in the sandbox).
 * ADR 0010 has the determinism argument.
 *
 * One call at a time: a nested contract call (made from inside a running one) takes the prepared
 * sandbox of its depth (ContractEngine keeps one per depth).
 */
export class PreparedSandbox {
  #busy = false;
  /** By code; null for code that is loaded on every call (see #loadAndKeep). */
  readonly #loaded = new Map<string, LoadedContract | null>();

  private constructor(
    readonly limits: SandboxMemoryLimits,
    private readonly memory: WebAssembly.Memory,
    private readonly image: MemoryImage,
    private readonly context: QuickJSContext,
    private readonly api: QuickJSHandle,
    private readonly current: CurrentCall,
    /** Interrupt-handler calls the prelude caused: a fresh sandbox charges them, so does this one. */
    readonly preludeInterrupts: number,
  ) {}

  static async create(limits: SandboxMemoryLimits): Promise<PreparedSandbox> {
    const memory = sandboxMemory(limits.memoryBytes);
    const wasm = await quickJsModuleIn(memory);
    const runtime = wasm.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    const current: CurrentCall = { program: undefined, meter: undefined };
    let preludeInterrupts = 0;
    runtime.setInterruptHandler(() => {
      if (current.meter !== undefined) return current.meter.onInterrupt(GAS.interrupt);
      preludeInterrupts += 1;
      return false;
    });
    const context = runtime.newContext();
    // quickjs-emscripten makes these handles on first use, in WebAssembly memory: made after the
    // image they would point into memory the next restore takes back.
    for (const handle of [context.global, context.undefined, context.null, context.true, context.false]) void handle.alive;
    const prelude = installPrelude(context, () => {
      if (current.program === undefined) throw new ContractError(ContractErrorCode.INVALID_VALUE, 'a host call outside any contract call');
      return current.program;
    });
    if (prelude.kind === 'failed') throw new ContractError(ContractErrorCode.CONTRACT_LOAD_FAILED, `the prelude does not load: ${prelude.message}`);
    return new PreparedSandbox(limits, memory, MemoryImage.capture(memory), context, prelude.api, current, preludeInterrupts);
  }

  /** How many loaded contracts are kept as images. */
  get loadedContracts(): number {
    let count = 0;
    for (const loaded of this.#loaded.values()) if (loaded !== null) count += 1;
    return count;
  }

  /** Whether a call under `limits` can run here now. */
  accepts(limits: SandboxMemoryLimits): boolean {
    return !this.#busy && limits.memoryBytes === this.limits.memoryBytes && limits.stackBytes === this.limits.stackBytes;
  }

  /**
   * Runs one call. A contract loaded before starts from its loaded image: what loading charged is
   * charged again, in the same order, and only `invoke` runs. Otherwise the call starts from the
   * prelude's image and loads the contract itself, and a clean load becomes the contract's image.
   */
  run(meter: GasMeter, program: SandboxProgram): SandboxResult {
    if (this.#busy) throw new ContractError(ContractErrorCode.INVALID_VALUE, 'a prepared sandbox runs one call at a time');
    this.#busy = true;
    try {
      const { method } = program;
      const loaded = method === undefined ? null : this.#loadedContract(program.code);
      (loaded?.image ?? this.image).restore(this.memory);
      this.current.program = program;
      this.current.meter = meter;
      for (let charged = 0; charged < this.preludeInterrupts; charged += 1) {
        if (meter.onInterrupt(GAS.interrupt)) return STOPPED_WHILE_LOADING;
      }
      if (method === undefined || loaded === null) return runModule(this.context, this.api, program);
      if (loaded === undefined) {
        const failure = this.#loadAndKeep(meter, program);
        if (failure !== undefined) return failure;
      } else {
        for (const charge of loaded.charges) {
          const stopped = charge === INTERRUPT ? meter.onInterrupt(GAS.interrupt) : !meter.work(charge);
          if (stopped) return STOPPED_WHILE_LOADING;
        }
      }
      return invokeLoaded(this.context, this.api, method, program);
    } finally {
      this.current.program = undefined;
      this.current.meter = undefined;
      this.#busy = false;
    }
  }

  /** The contract's loaded image (most recently used now); null for code loaded on every call; undefined when not known yet. */
  #loadedContract(code: string): LoadedContract | null | undefined {
    const known = this.#loaded.get(code);
    if (known !== undefined) {
      this.#loaded.delete(code);
      this.#loaded.set(code, known);
    }
    return known;
  }

  /**
   * Loads the contract in this call (from the prelude's image, under the call's own meter, so its
   * gas and watchdog apply) while writing down what loading charges. A clean load — no failure,
   * no fault, no host call (only a forbidden API's trap reaches the host while a module loads) —
   * is kept as the contract's image; code that fails to load or touches the host is marked to be
   * loaded on every call. A load stopped by gas or the watchdog is neither: it says nothing about
   * the code.
   */
  #loadAndKeep(meter: GasMeter, program: SandboxProgram): SandboxFailure | undefined {
    this.image.clearBeyond(this.memory);
    const charges: number[] = [];
    let touchedHost = false;
    this.current.meter = {
      onInterrupt: (price) => {
        charges.push(INTERRUPT);
        return meter.onInterrupt(price);
      },
    };
    this.current.program = {
      ...program,
      onWork: (units) => {
        charges.push(units);
        return program.onWork(units);
      },
      onHostCall: (op, payload) => {
        touchedHost = true;
        return program.onHostCall(op, payload);
      },
    };
    let failure: SandboxFailure | undefined;
    try {
      failure = loadModule(this.context, this.api, program.code);
    } finally {
      // The call itself answers the host and the interrupts again.
      this.current.program = program;
      this.current.meter = meter;
    }
    if (meter.fault !== undefined && !touchedHost) return failure ?? STOPPED_WHILE_LOADING;
    const image = failure === undefined && !touchedHost ? this.image.successor(this.memory) : undefined;
    this.#keep(program.code, image === undefined || image.size > MAX_LOADED_IMAGE_BYTES ? null : { image, charges });
    return failure;
  }

  #keep(code: string, loaded: LoadedContract | null): void {
    this.#loaded.set(code, loaded);
    if (this.#loaded.size <= MAX_LOADED_CONTRACTS) return;
    for (const oldest of this.#loaded.keys()) {
      this.#loaded.delete(oldest);
      return;
    }
  }
}
