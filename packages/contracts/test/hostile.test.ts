import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Address } from '@jadechain/crypto';
import { LedgerError } from '@jadechain/ledger';
import { LocalLedger, QuickJsContractExecutor, identity, invokeOn, type RunResult } from '../src/index.js';

const SMALL_GAS = { gasLimit: 200_000 };

interface Setup {
  readonly ledger: LocalLedger;
  readonly contract: RunResult['contract'];
  readonly store: string;
}

/** A real ledger on memory storage, the contract deployed and one data account it may write. */
async function setup(code: string, limits: Record<string, number> = SMALL_GAS): Promise<Setup> {
  const ledger = await LocalLedger.create({ limits });
  const contract = await ledger.deploy('hostile', code);
  const store = (await ledger.createDataAccount('store', [contract])).toBase58();
  return { ledger, contract, store };
}

type Hostile = RunResult & { readonly store: string };

async function run(code: string, method = 'main', limits: Record<string, number> = SMALL_GAS): Promise<Hostile> {
  const { ledger, contract, store } = await setup(code, limits);
  return { ...(await invokeOn(ledger, contract, method, [store])), store };
}

function addressOf(base58: string): Address {
  return Address.fromBase58(base58);
}

function expectFailure(result: Hostile, code: string): void {
  assert.notEqual(result.state, 'SUCCESS');
  assert.equal(result.invocation?.failure?.code, code, JSON.stringify(result.invocation?.failure));
  assert.ok((result.invocation?.gasUsed ?? 0n) > 0n, 'a failure still charges gas');
  assert.deepEqual(result.result.derivedOperations, [], 'nothing derived is recorded');
  assert.equal(result.ledger.kv(addressOf(result.store), 'k'), undefined, 'no state change');
}

/** Writes "k" first, so a state change would be visible if the failure did not undo it. */
const WRITE_FIRST = 'ctx.kv.set(store, "k", 1);';

describe('hostile contracts fail deterministically, charge gas and change no state', () => {
  test('endless loop runs out of gas', async () => {
    const result = await run(`exports.main = function (ctx, store) { ${WRITE_FIRST} for (;;) {} };`);
    expectFailure(result, 'OUT_OF_GAS');
    assert.equal(result.invocation?.gasUsed, BigInt(SMALL_GAS.gasLimit));
    assert.equal(result.gas?.used, SMALL_GAS.gasLimit);
  });

  test('an endless loop that catches everything still stops', async () => {
    const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} for (;;) { try { for (;;) {} } catch (e) {} } };`;
    expectFailure(await run(code), 'OUT_OF_GAS');
  });

  test('unbounded recursion overflows the stack', async () => {
    expectFailure(await run(`function f(n) { return f(n + 1) + 1; } exports.main = function (ctx, store) { ${WRITE_FIRST} return f(0); };`), 'STACK_OVERFLOW');
  });

  test('huge allocation hits the memory limit', async () => {
    // repeat is charged for the 64 Mi characters asked for (1 Mi gas) before it runs: give it that.
    const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} return "x".repeat(1 << 26).length; };`;
    expectFailure(await run(code, 'main', { gasLimit: 2_000_000 }), 'MEMORY_LIMIT');
    expectFailure(await run(code), 'OUT_OF_GAS');
  });

  test('typed arrays and strings count against the memory limit: a sandbox cannot grow past it', async () => {
    // The pinned QuickJS build does not enforce its own memory limit: before the engine capped each
    // sandbox's WebAssembly memory, this loop kept 2,042 arrays of 1 MiB (2 GiB) for ≈2,000 gas.
    for (const allocation of ['new Uint8Array(1 << 20)', 'new ArrayBuffer(1 << 20)', 'new Array(1 << 17).fill(1)']) {
      const code = `exports.main = function (ctx, store) { const a = []; try { for (;;) a.push(${allocation}); } catch (e) { return a.length + " " + String(e); } };`;
      const result = await run(code, 'main', { gasLimit: 50_000_000, memoryBytes: 2 * 1024 * 1024 });
      assert.equal(result.state, 'SUCCESS', allocation);
      const [kept, error] = String(result.value).split(' ', 2);
      assert.ok(Number(kept) <= 16, `${allocation}: ${String(result.value)}`);
      assert.equal(`${error}`, 'InternalError:', String(result.value));
    }
  });

  test('growing an array until memory runs out hits the memory limit', async () => {
    const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} const a = []; for (;;) a.push(new Array(1000).fill(a.length)); };`;
    // QuickJS slows near its memory cap, and the machine may be loaded: the watchdog must not win here.
    expectFailure(await run(code, 'main', { gasLimit: 50_000_000, memoryBytes: 2 * 1024 * 1024, watchdogMs: 120_000 }), 'MEMORY_LIMIT');
  });

  for (const [name, loop] of [
    ['scanning a long string', 'const s = "x".repeat(1 << 20); for (;;) s.indexOf("y");'],
    ['scanning a huge sparse array', 'const a = new Array(1e9); for (;;) a.includes(1);'],
    ['catching out-of-memory errors', 'for (;;) { try { "x".repeat(1 << 26); } catch (e) {} }'],
    ['sorting and joining', 'const a = new Array(1 << 16).fill(7); for (;;) a.sort().join();'],
  ] as const) {
    test(`a loop of builtins ${name} runs out of gas, not into the watchdog`, async () => {
      expectFailure(await run(`exports.main = function (ctx, store) { ${WRITE_FIRST} ${loop} };`), 'OUT_OF_GAS');
    });
  }

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
    test(`${name} is forbidden, even when the contract catches the error`, async () => {
      const code = `exports.main = function (ctx, store) { ${WRITE_FIRST} try { return ${expression}; } catch (e) { return "caught"; } };`;
      expectFailure(await run(code), 'FORBIDDEN_API');
    });
  }

  test('polluting prototypes inside the sandbox does not reach the host', async () => {
    const code = `exports.main = function (ctx, store) {
      Object.prototype.polluted = "yes"; Array.prototype.map = function () { return ["hijacked"]; };
      JSON.parse = function () { return { ok: { t: "TEXT", v: "forged" } }; };
      ctx.kv.set(store, "k", { ["__proto__"]: { polluted: "yes" }, constructor: { prototype: { polluted: "yes" } } });
      return JSON.stringify({ __proto__: { polluted: 1 } });
    };`;
    const result = await run(code);
    assert.equal(result.state, 'SUCCESS');
    const plain: Record<string, unknown> = {};
    assert.equal(plain['polluted'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(typeof [].map, 'function');
    assert.deepEqual([1].map((x) => x + 1), [2]);
  });

  test('the host process and Node globals are unreachable', async () => {
    const code = `exports.main = function () { return [typeof process, typeof require, typeof globalThis.__jadechainHost, typeof console, typeof SharedArrayBuffer === "undefined"].join(","); };`;
    const result = await run(code);
    assert.equal(result.invocation?.failure?.code, 'FORBIDDEN_API', 'typeof SharedArrayBuffer trips the trap');
    const safe = await run(`exports.main = function () { return [typeof process, typeof require, typeof globalThis.__jadechainHost].join(","); };`);
    assert.equal(safe.value, 'undefined,undefined,undefined');
  });

  test('a float return value is refused as INVALID_VALUE', async () => {
    expectFailure(await run(`exports.main = function (ctx, store) { ${WRITE_FIRST} return 0.1 + 0.2; };`), 'INVALID_VALUE');
  });

  test('a missing method is METHOD_NOT_FOUND; inherited names are not methods', async () => {
    const inherited = await run('exports.main = function () { return 1; };', 'toString');
    expectFailure(inherited, 'METHOD_NOT_FOUND');
    assert.equal(inherited.state, 'CONTRACT_METHOD_NOT_FOUND');
    expectFailure(await run('exports.main = function () { return 1; };', 'nothing'), 'METHOD_NOT_FOUND');
  });

  test('code that does not load is refused at deploy (ILLEGAL_CONTRACT_CAR), whatever it tries', async () => {
    const ledger = await LocalLedger.create({ limits: SMALL_GAS });
    const executor = await QuickJsContractExecutor.load(SMALL_GAS);
    const broken = identity('broken');
    for (const [code, reason] of [
      ['exports.main = function ( {', 'CONTRACT_LOAD_FAILED'],
      ['for (;;) {}', 'OUT_OF_GAS'],
      ['const t = Date.now();', 'FORBIDDEN_API'],
      ['throw new Error("no");', 'CONTRACT_LOAD_FAILED'],
    ] as const) {
      const check = executor.checkCode(code);
      assert.equal(check.status === 'FAILED' ? check.error.code : check.status, reason);
      const operation = { type: 'ContractDeploy', address: broken.address, pubKey: broken.publicKey, code: new TextEncoder().encode(code), expectedVersion: -1n, language: 'JAVASCRIPT' } as const;
      assert.equal((await ledger.submit([operation])).state, 'ILLEGAL_CONTRACT_CAR');
    }
    assert.equal(ledger.ledger.tip.state().contract(broken.address), undefined);
  });

  test('a thrown error keeps the contract message and stack in the recorded receipt', async () => {
    const result = await run('exports.main = function () {\n  throw new Error("boom");\n};');
    expectFailure(result, 'CONTRACT_THREW');
    assert.equal(result.state, 'CONTRACT_EXECUTE_ERROR');
    assert.equal(result.invocation?.failure?.message, 'boom');
    assert.match(result.invocation?.failure?.stack ?? '', /contract\.js:2/);
  });

  test('the wall-clock watchdog makes the ledger build no block (the peer abstains)', async () => {
    const { ledger, contract, store } = await setup('exports.main = function () { for (;;) {} };', { gasLimit: 1e12, watchdogMs: 30 });
    await ledger.user('alice');
    const height = ledger.ledger.tip.height;
    const aborted = await invokeOn(ledger, contract, 'main', [store]).then(
      () => assert.fail('the block was built'),
      (error: unknown) => error,
    );
    assert.ok(aborted instanceof LedgerError && aborted.code === 'CONTRACT_ABSTAINED');
    assert.ok(aborted.transactionHash !== undefined, 'the error names the transaction, so a mempool can drop it');
    assert.equal(ledger.ledger.tip.height, height);
  });

  test('a nested call runs out of memory at the same point whatever ran before it', async () => {
    // Where the allocator fails depends on the heap a call starts from: each call depth has a
    // prepared sandbox whose heap every call puts back, so the count is a function of the code.
    const limits = { gasLimit: 50_000_000, memoryBytes: 2 * 1024 * 1024 };
    const ledger = await LocalLedger.create({ limits });
    const hog = await ledger.deploy('hog', 'exports.count = function (ctx, size) { const a = []; try { for (;;) a.push(new Uint8Array(Number(size))); } catch (e) { return a.length; } }; exports.scatter = function () { const keep = []; for (let i = 0; i < 20000; i++) { const s = "x".repeat(i % 97); if (i % 3 === 0) keep.push(s); } return keep.length; };');
    const caller = await ledger.deploy('caller', 'exports.main = function (ctx, hog, method, size) { return ctx.call(hog, method, size); };');
    await ledger.user('alice');
    const nested = async (method: string, size: number): Promise<unknown> => (await invokeOn(ledger, caller, 'main', [hog.toBase58(), method, size], { signers: ['alice'] })).value;
    const first = await nested('count', 200_000);
    assert.ok(typeof first === 'bigint' && first > 0n, String(first));
    for (const [method, size] of [['scatter', 0], ['count', 70_000], ['scatter', 0], ['count', 333_333]] as const) {
      await nested(method, size);
      await invokeOn(ledger, hog, method, [size], { signers: ['alice'] });
      assert.equal(await nested('count', 200_000), first, `after ${method}(${size})`);
    }
  });

  test('contract-to-contract recursion stops at the call-depth limit', async () => {
    const code = 'exports.main = function (ctx, store) { ctx.kv.set(store, "k", 1); return ctx.call(ctx.self, "main", store); };';
    expectFailure(await run(code, 'main', { maxCallDepth: 4 }), 'CALL_DEPTH_EXCEEDED');
  });
});
