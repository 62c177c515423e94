import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten';
import { ContractError, ContractErrorCode } from './errors.js';
import { GAS, type ContractLimits } from './limits.js';
import type { GasMeter } from './meter.js';
import { MemoryImage } from './memory-image.js';
import { installPrelude, runModule, type SandboxFailure, type SandboxProgram, type SandboxResult } from './sandbox.js';

/** The limits a prepared sandbox was built with; a call under other ones runs in a fresh sandbox. */
export type SandboxMemoryLimits = Pick<ContractLimits, 'memoryBytes' | 'stackBytes'>;

/** The WebAssembly memory the pinned variant imports: 256 pages to start, 32,768 at most. */
const MEMORY_PAGES = { initial: 256, maximum: 32_768 };

/** What the fresh path reports when the gas runs out inside the prelude (the meter's fault decides). */
const INTERRUPTED_IN_PRELUDE: SandboxFailure = { kind: 'failed', code: ContractErrorCode.CONTRACT_LOAD_FAILED, message: 'InternalError: interrupted', stack: '' };

interface CurrentCall {
  program: SandboxProgram | undefined;
  meter: GasMeter | undefined;
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

  /** Whether a call under `limits` can run here now. */
  accepts(limits: SandboxMemoryLimits): boolean {
    return !this.#busy && limits.memoryBytes === this.limits.memoryBytes && limits.stackBytes === this.limits.stackBytes;
  }

  run(meter: GasMeter, program: SandboxProgram): SandboxResult {
    if (this.#busy) throw new ContractError(ContractErrorCode.INVALID_VALUE, 'a prepared sandbox runs one call at a time');
    this.image.restore(this.memory);
    this.#busy = true;
    this.current.program = program;
    this.current.meter = meter;
    try {
      for (let charged = 0; charged < this.preludeInterrupts; charged += 1) {
        if (meter.onInterrupt(GAS.interrupt)) return INTERRUPTED_IN_PRELUDE;
      }
      return runModule(this.context, this.api, program);
    } finally {
      this.current.program = undefined;
      this.current.meter = undefined;
      this.#busy = false;
    }
  }
}
