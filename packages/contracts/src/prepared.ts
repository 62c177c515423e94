import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten';
import { ContractError, ContractErrorCode } from './errors.js';
import { GAS, type ContractLimits } from './limits.js';
import { GasMeter } from './meter.js';
import { MemoryImage } from './memory-image.js';
import { installPrelude, invokeLoaded, runModule, type SandboxFailure, type SandboxProgram, type SandboxResult } from './sandbox.js';

/** The limits a prepared sandbox was built with; a call under other ones runs in a fresh sandbox. */
export type SandboxMemoryLimits = Pick<ContractLimits, 'memoryBytes' | 'stackBytes'>;

/** The WebAssembly memory the pinned variant imports: 256 pages to start, 32,768 at most. */
const MEMORY_PAGES = { initial: 256, maximum: 32_768 };

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
 * the image back, so it begins from the same bytes as every other call — the state a fresh runtime
 * would reach after the prelude, down to the allocator's free lists — without paying for a new
 * runtime, a new context and the prelude's compilation each time (≈1.4 ms of a token transfer's
 * ≈2 ms in the sandbox). ADR 0010 has the determinism argument.
 *
 * One call at a time: a nested contract call (made from inside a running one) takes a fresh sandbox.
 */
export class PreparedSandbox {
  #busy = false;
  /** By code; null for code that is loaded on every call (see #record). */
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
    const memory = new WebAssembly.Memory(MEMORY_PAGES);
    const wasm = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
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
   * charged again, in the same order, and only `invoke` runs. Top-level code can make no host call
   * (the prelude keeps the host function to itself), so a load depends on the code alone.
   */
  run(meter: GasMeter, program: SandboxProgram): SandboxResult {
    if (this.#busy) throw new ContractError(ContractErrorCode.INVALID_VALUE, 'a prepared sandbox runs one call at a time');
    this.#busy = true;
    try {
      const loaded = program.method === undefined ? undefined : this.#loadedContract(program.code, meter.limit);
      (loaded?.image ?? this.image).restore(this.memory);
      this.current.program = program;
      this.current.meter = meter;
      for (let charged = 0; charged < this.preludeInterrupts; charged += 1) {
        if (meter.onInterrupt(GAS.interrupt)) return STOPPED_WHILE_LOADING;
      }
      if (loaded === undefined || program.method === undefined) return runModule(this.context, this.api, program);
      for (const charge of loaded.charges) {
        const stopped = charge === INTERRUPT ? meter.onInterrupt(GAS.interrupt) : !meter.work(charge);
        if (stopped) return STOPPED_WHILE_LOADING;
      }
      return invokeLoaded(this.context, this.api, program.method, program);
    } finally {
      this.current.program = undefined;
      this.current.meter = undefined;
      this.#busy = false;
    }
  }

  #loadedContract(code: string, gasLimit: number): LoadedContract | undefined {
    const known = this.#loaded.get(code);
    if (known !== undefined) {
      this.#loaded.delete(code);
      this.#loaded.set(code, known);
      return known ?? undefined;
    }
    const recorded = this.#record(code, gasLimit);
    if (recorded === 'gas') return undefined;
    this.#loaded.set(code, recorded);
    if (this.#loaded.size > MAX_LOADED_CONTRACTS) {
      for (const oldest of this.#loaded.keys()) {
        this.#loaded.delete(oldest);
        break;
      }
    }
    return recorded ?? undefined;
  }

  /**
   * Loads `code` from the prelude's image, counting what it charges, and keeps the result as an
   * image. null when the load fails, touches the host (a forbidden API) or leaves too large an
   * image — such code is loaded on every call; 'gas' when `gasLimit` did not cover the load (a
   * later call with more gas may try again).
   */
  #record(code: string, gasLimit: number): LoadedContract | null | 'gas' {
    this.image.restore(this.memory);
    this.image.clearBeyond(this.memory);
    const recorder = new GasMeter(gasLimit, Number.POSITIVE_INFINITY, () => 0);
    for (let charged = 0; charged < this.preludeInterrupts; charged += 1) recorder.onInterrupt(GAS.interrupt);
    const charges: number[] = [];
    let touchedHost = false;
    this.current.meter = {
      onInterrupt: (price) => {
        charges.push(INTERRUPT);
        return recorder.onInterrupt(price);
      },
    };
    this.current.program = {
      code,
      method: undefined,
      argsText: '[]',
      infoText: '{}',
      onHostCall: () => {
        touchedHost = true;
        return JSON.stringify({ err: { code: ContractErrorCode.CONTRACT_LOAD_FAILED, message: 'no host calls while a module loads' } });
      },
      onWork: (units) => {
        charges.push(units);
        return recorder.work(units);
      },
    };
    const outcome = runModule(this.context, this.api, this.current.program);
    if (recorder.fault?.code === ContractErrorCode.OUT_OF_GAS) return 'gas';
    if (outcome.kind !== 'returned' || touchedHost || recorder.fault !== undefined) return null;
    const image = this.image.successor(this.memory);
    return image.size > MAX_LOADED_IMAGE_BYTES ? null : { image, charges };
  }
}
