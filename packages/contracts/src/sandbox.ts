import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten';
import { ContractErrorCode } from './errors.js';
import { GAS, type ContractLimits } from './limits.js';
import type { GasMeter } from './meter.js';
import { PRELUDE_SOURCE } from './prelude.js';

/** What one sandbox run needs: the code, the call, and the host's answer to `__jadechainHost`. */
export interface SandboxProgram {
  readonly code: string;
  /** The method to call; undefined only loads the module (the deploy-time check). */
  readonly method: string | undefined;
  /** JSON array of wire values. */
  readonly argsText: string;
  /** JSON of the context info (self, caller, signers, transaction). */
  readonly infoText: string;
  /** Answers one host call with a JSON reply (`{"ok": ...}` or `{"err": {code, message}}`). */
  readonly onHostCall: (op: string, payload: string) => string;
  /** Charges `units` elements of builtin work; false when the gas is gone. */
  readonly onWork: (units: number) => boolean;
}

export interface SandboxFailure {
  readonly kind: 'failed';
  readonly code: ContractErrorCode;
  readonly message: string;
  readonly stack: string;
}

export type SandboxResult = { readonly kind: 'returned'; readonly wire: unknown } | SandboxFailure;

interface Thrown {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/**
 * Runs one call in a fresh QuickJS runtime and context: nothing survives from an earlier run, so
 * instruction counts, memory accounting and the stack budget depend only on the code and its
 * inputs. Sticky faults (gas, watchdog, forbidden API) are the caller's to read from the meter.
 */
export function runInSandbox(wasm: QuickJSWASMModule, limits: ContractLimits, meter: GasMeter, program: SandboxProgram): SandboxResult {
  const runtime = wasm.newRuntime();
  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(() => meter.onInterrupt(GAS.interrupt));
    const context = runtime.newContext();
    try {
      return runProgram(context, program);
    } finally {
      context.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

function runProgram(context: QuickJSContext, program: SandboxProgram): SandboxResult {
  const prelude = installPrelude(context, () => program);
  if (prelude.kind === 'failed') return prelude;
  try {
    return runModule(context, prelude.api, program);
  } finally {
    prelude.api.dispose();
  }
}

/**
 * Gives the context its two host functions and evaluates the prelude; `current` names the
 * program whose host calls and builtin work they answer (a prepared sandbox serves many).
 */
export function installPrelude(context: QuickJSContext, current: () => SandboxProgram): { readonly kind: 'ready'; readonly api: QuickJSHandle } | SandboxFailure {
  const hostFunction = context.newFunction('__jadechainHost', (op, payload) =>
    context.newString(current().onHostCall(context.getString(op), context.getString(payload))),
  );
  context.setProp(context.global, '__jadechainHost', hostFunction);
  hostFunction.dispose();
  // Charges builtin work (see GAS.builtinElements); answers whether gas remains.
  const workFunction = context.newFunction('__jadechainWork', (units) => (current().onWork(context.getNumber(units)) ? context.true : context.false));
  context.setProp(context.global, '__jadechainWork', workFunction);
  workFunction.dispose();

  const prelude = context.evalCode(PRELUDE_SOURCE, 'prelude.js');
  if (prelude.error) return thrownResult(context, prelude.error, ContractErrorCode.CONTRACT_LOAD_FAILED);
  return { kind: 'ready', api: prelude.value };
}

/** Evaluates the contract's module through the prelude's `load` and calls `invoke` on it. */
export function runModule(context: QuickJSContext, api: QuickJSHandle, program: SandboxProgram): SandboxResult {
  const failure = loadModule(context, api, program.code);
  if (failure !== undefined) return failure;
  return program.method === undefined ? { kind: 'returned', wire: null } : invokeLoaded(context, api, program.method, program);
}

/** Evaluates the contract's module through the prelude's `load`: undefined when it loaded. */
export function loadModule(context: QuickJSContext, api: QuickJSHandle, code: string): SandboxFailure | undefined {
  // The wrapper shares the code's first line so that line numbers in stacks stay the author's.
  const factory = context.evalCode(`(function (module, exports) {${code}\n})`, 'contract.js');
  if (factory.error) return thrownResult(context, factory.error, ContractErrorCode.CONTRACT_LOAD_FAILED);
  const loaded = callMember(context, api, 'load', [factory.value]);
  factory.value.dispose();
  if (loaded.error) return thrownResult(context, loaded.error, ContractErrorCode.CONTRACT_LOAD_FAILED);
  loaded.value.dispose();
  return undefined;
}

/** Calls `method` of the module the prelude has loaded. */
export function invokeLoaded(context: QuickJSContext, api: QuickJSHandle, method: string, program: Pick<SandboxProgram, 'argsText' | 'infoText'>): SandboxResult {
  const strings = [method, program.argsText, program.infoText].map((text) => context.newString(text));
  const invoked = callMember(context, api, 'invoke', strings);
  for (const handle of strings) handle.dispose();
  if (invoked.error) return thrownResult(context, invoked.error, ContractErrorCode.CONTRACT_THREW);
  const replyText = context.getString(invoked.value);
  invoked.value.dispose();
  return interpretReply(replyText, method);
}

type CallResult = { error: QuickJSHandle; value?: undefined } | { error?: undefined; value: QuickJSHandle };

function callMember(context: QuickJSContext, target: QuickJSHandle, name: string, args: QuickJSHandle[]): CallResult {
  const member = context.getProp(target, name);
  try {
    return context.callFunction(member, target, args);
  } finally {
    member.dispose();
  }
}

function thrownResult(context: QuickJSContext, errorHandle: QuickJSHandle, code: ContractErrorCode): SandboxFailure {
  const dumped: unknown = context.dump(errorHandle);
  errorHandle.dispose();
  return classify(asThrown(dumped), code);
}

function asThrown(dumped: unknown): Thrown {
  if (typeof dumped === 'object' && dumped !== null) {
    const { name, message, stack } = dumped as Record<string, unknown>;
    return { name: String(name ?? 'Error'), message: String(message ?? ''), stack: typeof stack === 'string' ? stack : '' };
  }
  return { name: 'Error', message: String(dumped), stack: '' };
}

/** QuickJS reports its limits as InternalErrors; everything else is the contract's own failure. */
function classify(thrown: Thrown, fallback: ContractErrorCode): SandboxFailure {
  let code = fallback;
  if (thrown.name === 'InternalError' && thrown.message === 'out of memory') code = ContractErrorCode.MEMORY_LIMIT;
  if (thrown.name === 'InternalError' && thrown.message === 'stack overflow') code = ContractErrorCode.STACK_OVERFLOW;
  const message = thrown.name === 'Error' || thrown.name === '' ? thrown.message : `${thrown.name}: ${thrown.message}`;
  return { kind: 'failed', code, message, stack: thrown.stack };
}

function interpretReply(replyText: string, method: string): SandboxResult {
  const reply = JSON.parse(replyText) as { ok?: unknown; threw?: Thrown; invalid?: string; missing?: boolean };
  if (reply.missing === true) {
    return { kind: 'failed', code: ContractErrorCode.METHOD_NOT_FOUND, message: `the contract exports no function "${method}"`, stack: '' };
  }
  if (reply.threw !== undefined) return classify(reply.threw, ContractErrorCode.CONTRACT_THREW);
  if (reply.invalid !== undefined) {
    return { kind: 'failed', code: ContractErrorCode.INVALID_VALUE, message: `return value: ${reply.invalid}`, stack: '' };
  }
  return { kind: 'returned', wire: reply.ok };
}
