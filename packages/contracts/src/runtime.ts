import { Address } from '@jadechain/crypto';
import type { TypedValue } from '@jadechain/types';
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { ContractError, ContractErrorCode } from './errors.js';
import type { ContractHost, DerivedOperation } from './host.js';
import { HostCalls } from './host-calls.js';
import { DEFAULT_LIMITS, GAS, type ContractLimits } from './limits.js';
import { GasMeter, type GasReport } from './meter.js';
import { WriteOverlay } from './overlay.js';
import { PreparedSandbox, type SandboxMemoryLimits } from './prepared.js';
import { runInSandbox, type SandboxProgram, type SandboxResult } from './sandbox.js';
import { quickJsModuleIn, sandboxMemory } from './sandbox-memory.js';
import { fromWire, toWire } from './values.js';

export interface InvocationRequest {
  readonly contract: Address;
  readonly method: string;
  readonly args: readonly TypedValue[];
  readonly limits?: Partial<ContractLimits>;
}

export interface InvocationFailure {
  readonly code: ContractErrorCode;
  readonly message: string;
  /** The contract's stack when it threw (file `contract.js`, the author's line numbers). */
  readonly stack: string;
}

/**
 * The result of one invocation. SUCCESS and FAILED are reproducible on every peer and are
 * recorded; ABSTAIN (the watchdog fired) is not: the peer must not vote for a block whose
 * results it could not compute.
 */
export type InvocationOutcome =
  | {
      readonly status: 'SUCCESS';
      readonly value: TypedValue;
      readonly derivedOperations: readonly DerivedOperation[];
      readonly gas: GasReport;
    }
  | { readonly status: 'FAILED'; readonly error: InvocationFailure; readonly gas: GasReport }
  | { readonly status: 'ABSTAIN'; readonly reason: string; readonly gas: GasReport };

/** The outcome of one contract call inside an invocation (top level or nested). */
export type CallResult = { readonly ok: true; readonly value: TypedValue } | { readonly ok: false; readonly error: InvocationFailure };

let sharedModule: Promise<QuickJSWASMModule> | undefined;
/**
 * The shared module's memory cap (see sandboxMemory): calls under limits no sandbox was prepared
 * for, and calls deeper than MAX_PREPARED_DEPTH (several live runtimes at once), run there.
 */
const SHARED_MODULE_MEMORY_BYTES = 64 * 1024 * 1024;
/**
 * Prepared sandboxes by memory and stack limits and call depth, one set per process each: a call
 * at depth d runs in the d-th (each runs one call at a time, and a nested call runs while its
 * caller's sandbox is busy).
 */
const preparedSandboxes = new Map<string, Promise<readonly PreparedSandbox[]>>();
/** Depths beyond this (only with a larger maxCallDepth than the default) run in the shared module. */
const MAX_PREPARED_DEPTH = 8;

/** Runs one sandbox program under the invocation's limits and meter, at a call depth (1 = the invoked contract). */
export type SandboxRunner = (limits: ContractLimits, meter: GasMeter, program: SandboxProgram, depth: number) => SandboxResult;

/**
 * Runs contracts. Nothing a contract did before can change what a later call computes: a call
 * under the limits the engine was loaded with starts from the memory image of the prepared
 * sandbox of its depth (see PreparedSandbox); any other call gets a fresh QuickJS runtime and
 * context in the shared WebAssembly module. Both start from the same QuickJS state and charge
 * the same gas.
 */
export class ContractEngine {
  private constructor(
    private readonly wasm: QuickJSWASMModule,
    private readonly prepared: readonly PreparedSandbox[],
  ) {}

  /** Loads (once per process) the pinned QuickJS variant and the sandboxes prepared for `limits`, one per call depth. */
  static async load(limits: Partial<ContractLimits> = {}): Promise<ContractEngine> {
    const { memoryBytes, stackBytes, maxCallDepth } = { ...DEFAULT_LIMITS, ...limits };
    sharedModule ??= quickJsModuleIn(sandboxMemory(SHARED_MODULE_MEMORY_BYTES));
    const depths = Math.max(1, Math.min(maxCallDepth, MAX_PREPARED_DEPTH));
    const key = `${memoryBytes}/${stackBytes}/${depths}`;
    let prepared = preparedSandboxes.get(key);
    if (prepared === undefined) {
      prepared = prepareSandboxes({ memoryBytes, stackBytes }, depths);
      preparedSandboxes.set(key, prepared);
    }
    return new ContractEngine(await sharedModule, await prepared);
  }

  readonly #run: SandboxRunner = (limits, meter, program, depth) => {
    const prepared = this.prepared[depth - 1];
    return prepared?.accepts(limits) === true ? prepared.run(meter, program) : runInSandbox(this.wasm, limits, meter, program);
  };

  invoke(host: ContractHost, request: InvocationRequest): InvocationOutcome {
    const limits: ContractLimits = { ...DEFAULT_LIMITS, ...request.limits };
    const start = performance.now();
    const meter = new GasMeter(limits.gasLimit, start + limits.watchdogMs, () => performance.now());
    const overlay = new WriteOverlay(host);
    const caller = host.signers[0];
    if (caller === undefined) throw new ContractError(ContractErrorCode.INVALID_VALUE, 'an invocation needs at least one signer');
    const invocation = new Invocation(this.#run, host, limits, meter, overlay);
    const result = invocation.call(request.contract, request.method, request.args.map(toWire), caller, 1);
    if (invocation.hostFailure !== undefined) throw invocation.hostFailure.error;
    const gas = meter.report();
    const fault = meter.fault;
    if (fault?.code === 'WATCHDOG') return { status: 'ABSTAIN', reason: fault.message, gas };
    if (fault !== undefined) return { status: 'FAILED', error: { code: fault.code, message: fault.message, stack: '' }, gas };
    if (!result.ok) return { status: 'FAILED', error: result.error, gas };
    return { status: 'SUCCESS', value: result.value, derivedOperations: [...overlay.operations], gas };
  }

  /**
   * Loads a module in a fresh sandbox without calling anything (the deploy-time check): its
   * top-level code runs under the same limits and gas as an invocation's, and may make no host call.
   */
  check(code: string, requested: Partial<ContractLimits> = {}): LoadCheck {
    const limits: ContractLimits = { ...DEFAULT_LIMITS, ...requested };
    const meter = new GasMeter(limits.gasLimit, performance.now() + limits.watchdogMs, () => performance.now());
    let outcome: SandboxResult | undefined;
    if (meter.charge('base', GAS.invocation + code.length * GAS.codeByte)) {
      const program: SandboxProgram = {
        code,
        method: undefined,
        argsText: '[]',
        infoText: '{}',
        onWork: (units) => meter.work(units),
        onHostCall: (op, payload) => {
          if (op === 'forbidden') meter.fail({ code: ContractErrorCode.FORBIDDEN_API, message: `the contract used ${payload.slice(0, 40)}, which contracts may not use` });
          return JSON.stringify({ err: { code: ContractErrorCode.CONTRACT_LOAD_FAILED, message: 'no host calls while a module loads' } });
        },
      };
      outcome = this.#run(limits, meter, program, 1);
    }
    const gas = meter.report();
    const fault = meter.fault;
    if (fault?.code === 'WATCHDOG') return { status: 'ABSTAIN', reason: fault.message, gas };
    if (fault !== undefined) return { status: 'FAILED', error: { code: fault.code, message: fault.message, stack: '' }, gas };
    if (outcome?.kind === 'failed') return { status: 'FAILED', error: { code: outcome.code, message: outcome.message, stack: outcome.stack }, gas };
    return { status: 'LOADS', gas };
  }
}

/** Whether a module loads: FAILED with the load error, or ABSTAIN when the watchdog fired. */
export type LoadCheck =
  | { readonly status: 'LOADS'; readonly gas: GasReport }
  | { readonly status: 'FAILED'; readonly error: InvocationFailure; readonly gas: GasReport }
  | { readonly status: 'ABSTAIN'; readonly reason: string; readonly gas: GasReport };

/** One invocation: its meter, its writes, and the chain of nested calls. */
export class Invocation {
  /** Set when the host itself failed during a host call; rethrown by the engine. */
  hostFailure: { readonly error: unknown } | undefined;

  constructor(
    private readonly run: SandboxRunner,
    readonly host: ContractHost,
    readonly limits: ContractLimits,
    readonly meter: GasMeter,
    readonly overlay: WriteOverlay,
  ) {}

  /** Runs `method` of `contract`; a failed call leaves no writes behind. */
  call(contract: Address, method: string, wireArgs: readonly unknown[], caller: Address, depth: number): CallResult {
    if (depth > this.limits.maxCallDepth) {
      this.meter.fail({ code: ContractErrorCode.CALL_DEPTH_EXCEEDED, message: `contract calls nested deeper than ${this.limits.maxCallDepth}` });
    }
    const deployed = this.host.getContract(contract);
    if (deployed === undefined) {
      return failed(ContractErrorCode.CONTRACT_DOES_NOT_EXIST, `no contract at ${contract.toBase58()}`);
    }
    if (!this.meter.charge('base', GAS.invocation + deployed.code.length * GAS.codeByte)) return failed(ContractErrorCode.OUT_OF_GAS, '');
    const checkpoint = this.overlay.checkpoint();
    const hostCalls = new HostCalls(this, contract, depth);
    const info = {
      self: contract.toBase58(),
      caller: caller.toBase58(),
      signers: this.host.signers.map((signer) => signer.toBase58()),
      txHash: this.host.transactionHash.toBase58(),
      blockHeight: this.host.blockHeight.toString(),
      blockTimestamp: this.host.blockTimestamp.toString(),
    };
    const program: SandboxProgram = {
      code: deployed.code,
      method,
      argsText: JSON.stringify(wireArgs),
      infoText: JSON.stringify(info),
      onHostCall: (op, payload) => hostCalls.answer(op, payload),
      onWork: (units) => this.meter.work(units),
    };
    const outcome = this.run(this.limits, this.meter, program, depth);
    const result = this.#settle(outcome);
    if (!result.ok) this.overlay.rollback(checkpoint);
    return result;
  }

  #settle(outcome: SandboxResult): CallResult {
    const fault = this.meter.fault;
    // A sticky fault decides the whole invocation; the code here only matters to a caller that
    // is about to be stopped by the same fault.
    if (fault !== undefined) return failed(fault.code === 'WATCHDOG' ? ContractErrorCode.OUT_OF_GAS : fault.code, fault.message);
    if (outcome.kind === 'failed') return { ok: false, error: { code: outcome.code, message: outcome.message, stack: outcome.stack } };
    try {
      return { ok: true, value: fromWire(outcome.wire) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return failed(ContractErrorCode.INVALID_VALUE, `return value: ${message}`);
    }
  }
}

function failed(code: ContractErrorCode, message: string): CallResult {
  return { ok: false, error: { code, message, stack: '' } };
}

/** One prepared sandbox per call depth, made one after another (each is a WebAssembly instance). */
async function prepareSandboxes(limits: SandboxMemoryLimits, depths: number): Promise<PreparedSandbox[]> {
  const sandboxes: PreparedSandbox[] = [];
  for (let depth = 1; depth <= depths; depth += 1) sandboxes.push(await PreparedSandbox.create(limits));
  return sandboxes;
}
