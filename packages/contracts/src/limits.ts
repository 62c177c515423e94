/**
 * Resource limits and the gas schedule. Every number here is consensus-relevant: peers must use
 * the same values (they change gas, which every contract receipt records with `SANDBOX_VERSION`;
 * ADR 0011).
 */

/**
 * The sandbox engine, pinned: the quickjs-emscripten release, its variant and the QuickJS
 * release it vendors. A test checks these against the installed packages.
 */
export const SANDBOX_ENGINE = Object.freeze({
  quickjsEmscripten: '0.32.0',
  variant: '@jitl/quickjs-wasmfile-release-sync',
  quickjs: '2025-09-13+f1139494',
});
/** One string naming the engine, for the ledger settings. */
export const SANDBOX_VERSION = `quickjs-emscripten@${SANDBOX_ENGINE.quickjsEmscripten}/${SANDBOX_ENGINE.variant}/quickjs@${SANDBOX_ENGINE.quickjs}`;

export interface ContractLimits {
  /** Gas available to the whole invocation, nested calls included. */
  readonly gasLimit: number;
  /**
   * Memory of one sandbox in bytes, enforced as the cap of its WebAssembly memory with 8 MiB beside
   * it for the runtime itself (sandbox-memory.ts: QuickJS's own limit is not enforced by the build).
   */
  readonly memoryBytes: number;
  /** Native stack of one sandbox in bytes: bounds JavaScript recursion deterministically. */
  readonly stackBytes: number;
  /** Deepest chain of contract-to-contract calls (the invoked contract is depth 1). */
  readonly maxCallDepth: number;
  /** Wall-clock watchdog of last resort, in milliseconds; firing makes the peer abstain. */
  readonly watchdogMs: number;
}

export const DEFAULT_LIMITS: ContractLimits = Object.freeze({
  gasLimit: 2_000_000,
  memoryBytes: 16 * 1024 * 1024,
  stackBytes: 256 * 1024,
  maxCallDepth: 8,
  watchdogMs: 10_000,
});

/**
 * Gas prices. QuickJS calls the interrupt handler after a fixed number of interpreter ticks
 * (function calls and backward jumps; about 5,000 iterations of a simple loop on QuickJS
 * 2025-09-13), counted per context: a fresh context per call makes the count a pure function of
 * the code and its inputs.
 */
export const GAS = Object.freeze({
  /** Each invocation (and each nested call) pays this up front. */
  invocation: 1_000,
  /** Per byte of contract code loaded into a sandbox. */
  codeByte: 1,
  /** Per interrupt-handler call (≈5,000 simple loop iterations). */
  interrupt: 2_000,
  /**
   * Elements per gas unit for builtins that loop in C without polling the interrupt handler
   * (indexOf, join, fill, sort, ...): they are charged len(this) + len(result) elements after each
   * call (sort n·⌈log2(n+1)⌉), so a loop of them runs out of gas like a loop of simple steps.
   */
  builtinElements: 64,
  /** Each host call (kv.get, accounts.get, ...). */
  hostCall: 100,
  /** Per byte of data crossing the sandbox boundary, either way. */
  dataByte: 1,
  /** A KV write, on top of the host call. */
  kvWrite: 500,
  /** An event, on top of the host call. */
  eventPublish: 500,
});
