import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContractEngine, InMemoryLedger, invokeOn, labelAddress, type RunResult } from '../src/index.js';

const engine = await ContractEngine.load();
const SMALL_GAS = { gasLimit: 200_000 };

/** A ledger with one data account the contract may write, and the contract deployed. */
function setup(code: string): { ledger: InMemoryLedger; contract: ReturnType<typeof labelAddress>; store: string } {
  const ledger = new InMemoryLedger();
  const contract = ledger.deploy('hostile', code);
  const store = ledger.createDataAccount('store', [contract]).toBase58();
  return { ledger, contract, store };
}

function run(code: string, method = 'main', limits: Record<string, number> = SMALL_GAS): RunResult & { store: string } {
  const { ledger, contract, store } = setup(code);
  return { ...invokeOn(engine, ledger, contract, method, [store], { limits }), store };
}

function expectFailure(result: RunResult & { store: string }, code: string): void {
  assert.equal(result.outcome.status, 'FAILED', JSON.stringify(result.outcome, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  if (result.outcome.status !== 'FAILED') return;
  assert.equal(result.outcome.error.code, code);
  assert.ok(result.outcome.gas.used > 0, 'a failure still charges gas');
  assert.equal(result.ledger.kv(labelAddress('store'), 'k'), undefined, 'no state change');
}

/** Writes "k" first, so a state change would be visible if the failure did not undo it. */
const WRITE_FIRST = 'ctx.kv.set(store, "k", 1);';

describe('hostile contracts fail deterministically, charge gas and change no state', () => {
  test('endless loop runs out of gas', () => {
    const result = run(`exports.main = function (ctx, store) { ${WRITE_FIRST} for (;;) {} };`);
    expectFailure(result, 'OUT_OF_GAS');
    assert.equal(result.outcome.gas.used, SMALL_GAS.gasLimit);
  });

  test('an endless loop that catches everything still stops', () => {
    const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} for (;;) { try { for (;;) {} } catch (e) {} } };`;
    expectFailure(run(code), 'OUT_OF_GAS');
  });

  test('unbounded recursion overflows the stack', () => {
    expectFailure(run(`function f(n) { return f(n + 1) + 1; } exports.main = function (ctx, store) { ${WRITE_FIRST} return f(0); };`), 'STACK_OVERFLOW');
  });

  test('huge allocation hits the memory limit', () => {
    expectFailure(run(`exports.main = function (ctx, store) { ${WRITE_FIRST} return "x".repeat(1 << 26).length; };`), 'MEMORY_LIMIT');
  });

  test('growing an array until memory runs out hits the memory limit', () => {
    const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} const a = []; for (;;) a.push(new Array(1000).fill(a.length)); };`;
    expectFailure(run(code, 'main', { gasLimit: 50_000_000, memoryBytes: 4 * 1024 * 1024 }), 'MEMORY_LIMIT');
  });

  for (const [name, expression] of [
    ['Date.now', 'Date.now()'],
    ['new Date', 'new Date().getTime()'],
    ['typeof Date', 'typeof Date'],
    ['Math.random', 'Math.random()'],
    ['eval', 'eval("1 + 1")'],
    ['indirect eval', '(0, globalThis.eval)("1")'],
    ['Function', 'Function("return this")()'],
    ['constructor of a function', '(function () {}).constructor("return globalThis")()'],
    ['constructor of a generator', 'Object.getPrototypeOf(function* () {}).constructor("yield 1")'],
    ['constructor of an async function', '(async function () {}).constructor("return 1")'],
    ['WeakRef', 'new WeakRef({})'],
    ['FinalizationRegistry', 'new FinalizationRegistry(() => {})'],
  ] as const) {
    test(`${name} is forbidden, even when the contract catches the error`, () => {
      const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} try { return ${expression}; } catch (e) { return "caught"; } };`;
      expectFailure(run(code), 'FORBIDDEN_API');
    });
  }

  test('polluting prototypes inside the sandbox does not reach the host', () => {
    const code = `exports.main = function (ctx, store) {
      Object.prototype.polluted = "yes"; Array.prototype.map = function () { return ["hijacked"]; };
      JSON.parse = function () { return { ok: { t: "TEXT", v: "forged" } }; };
      ctx.kv.set(store, "k", { ["__proto__"]: { polluted: "yes" }, constructor: { prototype: { polluted: "yes" } } });
      return JSON.stringify({ __proto__: { polluted: 1 } });
    };`;
    const result = run(code);
    assert.equal(result.outcome.status, 'SUCCESS');
    const plain: Record<string, unknown> = {};
    assert.equal(plain['polluted'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(typeof [].map, 'function');
    assert.deepEqual([1].map((x) => x + 1), [2]);
  });

  test('the host process and Node globals are unreachable', () => {
    const code = `exports.main = function () { return [typeof process, typeof require, typeof globalThis.__jadechainHost, typeof console, typeof SharedArrayBuffer === "undefined"].join(","); };`;
    const result = run(code);
    assert.equal(result.outcome.status, 'FAILED', 'typeof SharedArrayBuffer trips the trap');
    const safe = run(`exports.main = function () { return [typeof process, typeof require, typeof globalThis.__jadechainHost].join(","); };`);
    assert.equal(safe.value, 'undefined,undefined,undefined');
  });

  test('a float return value is refused as INVALID_VALUE', () => {
    expectFailure(run(`exports.main = function (ctx, store) { ${WRITE_FIRST} return 0.1 + 0.2; };`), 'INVALID_VALUE');
  });

  test('a missing method is METHOD_NOT_FOUND; inherited names are not methods', () => {
    expectFailure(run('exports.main = function () { return 1; };', 'toString'), 'METHOD_NOT_FOUND');
    expectFailure(run('exports.main = function () { return 1; };', 'nothing'), 'METHOD_NOT_FOUND');
  });

  test('a syntax error is CONTRACT_LOAD_FAILED', () => {
    expectFailure(run('exports.main = function ( {'), 'CONTRACT_LOAD_FAILED');
  });

  test('a thrown error keeps the contract message and stack', () => {
    const result = run('exports.main = function () {\n  throw new Error("boom");\n};');
    expectFailure(result, 'CONTRACT_THREW');
    if (result.outcome.status !== 'FAILED') return;
    assert.equal(result.outcome.error.message, 'boom');
    assert.match(result.outcome.error.stack, /contract\.js:2/);
  });

  test('the wall-clock watchdog makes the peer abstain', () => {
    const result = run('exports.main = function () { for (;;) {} };', 'main', { gasLimit: 1e12, watchdogMs: 30 });
    assert.equal(result.outcome.status, 'ABSTAIN');
  });

  test('contract-to-contract recursion stops at the call-depth limit', () => {
    const { ledger, contract, store } = setup('exports.main = function (ctx, store) { ctx.kv.set(store, "k", 1); return ctx.call(ctx.self, "main", store); };');
    const result = { ...invokeOn(engine, ledger, contract, 'main', [store], { limits: { maxCallDepth: 4 } }), store };
    expectFailure(result, 'CALL_DEPTH_EXCEEDED');
  });
});
