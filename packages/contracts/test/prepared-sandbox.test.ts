import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { DEFAULT_LIMITS, type ContractLimits } from '../src/limits.js';
import { MemoryImage } from '../src/memory-image.js';
import { GasMeter } from '../src/meter.js';
import { PreparedSandbox } from '../src/prepared.js';
import { runInSandbox, type SandboxProgram, type SandboxResult } from '../src/sandbox.js';
import { quickJsModuleIn, sandboxMemory } from '../src/sandbox-memory.js';

/** Fixed fast-check seed for CI; override with JADECHAIN_SEED. */
const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x5a4d);

// Small memory so that the memory-limit case fails fast; the watchdog far away so it never decides.
const LIMITS: ContractLimits = { ...DEFAULT_LIMITS, memoryBytes: 2 * 1024 * 1024, watchdogMs: 600_000 };

interface Case {
  readonly name: string;
  readonly code: string;
  readonly method?: string;
  readonly gasLimit?: number;
  /** False for code whose loaded state is not kept as an image (it does not load cleanly). */
  readonly keepsImage?: false;
  /** The wall clock passes the watchdog's deadline after this many interrupt-handler calls. */
  readonly watchdogAfter?: number;
}

const CASES: readonly Case[] = [
  { name: 'reads, writes, loops and returns', code: 'exports.main = function (ctx) { ctx.kv.set("acct", "k", 5); const e = ctx.kv.get("acct", "k"); let s = 0; for (let i = 0; i < 30000; i++) s += i; return s + Number(e.version); };' },
  { name: 'publishes and returns JSON', code: 'exports.main = function (ctx) { ctx.events.publish("acct", "t", "x"); return { a: [1, 2, 3], b: ctx.self }; };' },
  { name: 'throws', code: 'exports.main = function () { throw new RangeError("no"); };' },
  { name: 'runs out of gas', code: 'exports.main = function () { for (;;) {} };', gasLimit: 200_000 },
  { name: 'overflows the stack', code: 'function f(n) { return f(n + 1) + 1; } exports.main = function () { return f(0); };' },
  { name: 'hits the memory limit', code: 'exports.main = function () { const a = []; for (;;) a.push(new Uint8Array(1 << 20)); };', gasLimit: 50_000_000 },
  { name: 'uses a forbidden API', code: 'exports.main = function () { return Date.now(); };' },
  { name: 'does not parse', code: 'exports.main = function ( {', keepsImage: false },
  { name: 'has no such method', code: 'exports.other = function () { return 1; };' },
  { name: 'returns an unsafe number', code: 'exports.main = function () { return 0.5; };' },
  { name: 'loops and meters builtins while it loads', code: 'let x = 0; for (let i = 0; i < 100000; i++) x += i; const t = new Array(3000).fill(1).join(""); exports.main = function () { return x + t.length; };' },
  { name: 'runs out of gas while it loads', code: 'let x = 0; for (let i = 0; i < 10000000; i++) x += i; exports.main = function () { return x; };', gasLimit: 30_000, keepsImage: false },
  { name: 'meets the watchdog while it loads', code: 'let x = 0; for (let i = 0; i < 10000000; i++) x += i; exports.main = function () { return x; };', watchdogAfter: 3, keepsImage: false },
  { name: 'uses a forbidden API while it loads', code: 'const now = Date.now(); exports.main = function () { return 1; };', keepsImage: false },
  { name: 'throws while it loads', code: 'throw new Error("not today"); exports.main = function () { return 1; };', keepsImage: false },
  { name: 'leaves things behind', code: 'globalThis.left = (globalThis.left || 0) + 1; Object.prototype.polluted = true; JSON.parse = null; exports.main = function () { return globalThis.left; };' },
];

/** A deterministic host: a key-value map and an event counter, answering as the real one does. */
function fakeHost(): { readonly log: string[]; readonly onHostCall: (op: string, payload: string) => string } {
  const values = new Map<string, unknown>();
  const log: string[] = [];
  return {
    log,
    onHostCall(op, payload) {
      log.push(`${op} ${payload}`);
      const fields = JSON.parse(payload) as { key?: string; value?: unknown };
      if (op === 'kv.set') {
        values.set(String(fields.key), fields.value);
        return JSON.stringify({ ok: '1' });
      }
      if (op === 'kv.get') {
        const value = values.get(String(fields.key));
        return JSON.stringify({ ok: value === undefined ? null : { version: '1', value } });
      }
      return JSON.stringify({ ok: op === 'event.publish' ? '0' : null });
    },
  };
}

interface Run {
  readonly result: SandboxResult;
  readonly gas: ReturnType<GasMeter['report']>;
  readonly fault: GasMeter['fault'];
  readonly hostCalls: readonly string[];
}

function runCase(testCase: Case, runner: (meter: GasMeter, program: SandboxProgram) => SandboxResult): Run {
  let clockReads = 0;
  const meter = new GasMeter(testCase.gasLimit ?? 2_000_000, 1_000, () => (testCase.watchdogAfter !== undefined && ++clockReads > testCase.watchdogAfter ? 2_000 : 0));
  const host = fakeHost();
  const result = runner(meter, {
    code: testCase.code,
    method: testCase.method ?? 'main',
    argsText: '[]',
    infoText: JSON.stringify({ self: 'self', caller: 'caller', signers: ['caller'], txHash: 'tx', blockHeight: '7', blockTimestamp: '1700000000000' }),
    onHostCall: host.onHostCall,
    onWork: (units) => meter.work(units),
  });
  return { result, gas: meter.report(), fault: meter.fault, hostCalls: host.log };
}

describe('a prepared sandbox starts every call from a memory image: after the prelude, or after loading the contract', () => {
  let shared: QuickJSWASMModule;
  let prepared: PreparedSandbox;
  const fresh = (meter: GasMeter, program: SandboxProgram): SandboxResult => runInSandbox(shared, LIMITS, meter, program);
  const fromImage = (meter: GasMeter, program: SandboxProgram): SandboxResult => prepared.run(meter, program);

  before(async () => {
    // The same memory cap as the prepared sandbox's, so that memory runs out at the same size.
    shared = await quickJsModuleIn(sandboxMemory(LIMITS.memoryBytes));
    prepared = await PreparedSandbox.create(LIMITS);
  });

  test('every case gives the result, gas, fault and host calls of a fresh runtime and context', () => {
    for (const testCase of CASES) {
      const run = runCase(testCase, fromImage);
      assert.deepEqual(run, runCase(testCase, fresh), testCase.name);
      if (testCase.watchdogAfter !== undefined) assert.equal(run.fault?.code, 'WATCHDOG', testCase.name);
    }
  });

  test('nothing a call did reaches the next one, whatever ran before', () => {
    const leaving = CASES.find((testCase) => testCase.name === 'leaves things behind');
    assert.ok(leaving !== undefined);
    const first = runCase(leaving, fromImage);
    assert.deepEqual(first.result, { kind: 'returned', wire: { t: 'INT64', v: '1' } });
    // Every case again, failures included (memory exhausted, stack overflowed, interrupted), now
    // from the images of the loaded contracts where there are any: the same outcomes as on the
    // first pass, and the leaving case still sees a clean global object.
    for (let round = 0; round < 3; round += 1) {
      for (const testCase of CASES) assert.deepEqual(runCase(testCase, fromImage), runCase(testCase, fresh), `${testCase.name}, round ${round}`);
    }
    assert.deepEqual(runCase(leaving, fromImage), first);
    assert.equal(prepared.loadedContracts, CASES.filter((testCase) => testCase.keepsImage !== false).length, 'every contract that loads cleanly is kept as an image');
  });

  test('any sequence of calls, with more contracts than images are kept, gives what fresh runtimes give', () => {
    // Four texts of each case (a trailing comment apart): 64 contracts for 32 kept images, so
    // images are made, used and dropped in whatever order the sequence brings.
    const variants = CASES.flatMap((testCase) => [0, 1, 2, 3].map((variant) => ({ ...testCase, code: `${testCase.code}\n// variant ${variant}` })));
    try {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: variants.length - 1 }), { minLength: 1, maxLength: 40 }), (sequence) => {
          for (const index of sequence) {
            const testCase = variants[index]!;
            assert.deepEqual(runCase(testCase, fromImage), runCase(testCase, fresh), testCase.name);
          }
        }),
        { seed: SEED, numRuns: 12 },
      );
    } catch (error) {
      console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
      throw error;
    }
    assert.ok(prepared.loadedContracts <= 32, `at most 32 images are kept, not ${prepared.loadedContracts}`);
  });

  test('it takes calls under its own memory and stack limits, one at a time', () => {
    assert.equal(prepared.accepts(LIMITS), true);
    assert.equal(prepared.accepts({ ...LIMITS, memoryBytes: LIMITS.memoryBytes * 2 }), false);
    assert.equal(prepared.accepts({ ...LIMITS, stackBytes: LIMITS.stackBytes / 2 }), false);
    let acceptedDuringCall: boolean | undefined;
    runCase({ name: 'nested', code: 'exports.main = function (ctx) { return ctx.accounts.get("x"); };' }, (meter, program) =>
      prepared.run(meter, {
        ...program,
        onHostCall: (op, payload) => {
          acceptedDuringCall = prepared.accepts(LIMITS);
          return program.onHostCall(op, payload);
        },
      }),
    );
    assert.equal(acceptedDuringCall, false, 'a call made from inside a running one must take a fresh sandbox');
    assert.equal(prepared.accepts(LIMITS), true);
  });

  test('memory that is not laid out as static data, stack and heap is refused', () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    new Uint8Array(memory.buffer).fill(1);
    assert.throws(() => MemoryImage.capture(memory), /no unused stack/);
  });
});
