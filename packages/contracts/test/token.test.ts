import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ContractEngine,
  ContractError,
  InMemoryLedger,
  SANDBOX_ENGINE,
  buildContract,
  contractMethods,
  fromTypedValue,
  generateClientStub,
  invokeOn,
  labelAddress,
} from '../src/index.js';

const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x19c0);
const TOKEN_DIR = new URL('../../../../examples/contracts/token/', import.meta.url).pathname;
const engine = await ContractEngine.load();
const token = buildContract(`${TOKEN_DIR}token.ts`);
const alice = labelAddress('alice');
const bob = labelAddress('bob');

function tokenLedger(): { ledger: InMemoryLedger; address: ReturnType<typeof labelAddress>; store: string; events: ReturnType<typeof labelAddress> } {
  const ledger = new InMemoryLedger();
  const address = ledger.deploy('token', token.code);
  const store = ledger.createDataAccount('token-store', [address]).toBase58();
  const events = ledger.createEventAccount('token-events', [address]);
  const init = invokeOn(engine, ledger, address, 'init', [store, events.toBase58(), 1000n], { signers: [alice] });
  assert.equal(init.outcome.status, 'SUCCESS');
  return { ledger, address, store, events };
}

describe('token example', () => {
  test('transfer moves balances, publishes an event and reports gas', () => {
    const { ledger, address, store, events } = tokenLedger();
    const sent = invokeOn(engine, ledger, address, 'transfer', [store, bob.toBase58(), 300n], { signers: [alice] });
    assert.equal(sent.value, 700n);
    assert.equal(invokeOn(engine, ledger, address, 'balanceOf', [store, bob.toBase58()]).value, 300n);
    assert.deepEqual(fromTypedValue(ledger.events(events, 'transfer')[0] ?? { type: 'NIL' }), { from: alice.toBase58(), to: bob.toBase58(), amount: '300' });
    const gas = sent.outcome.gas;
    assert.equal(gas.used, gas.base + gas.instructions + gas.hostCalls + gas.dataBytes);
    assert.ok(gas.hostCalls > 0 && gas.dataBytes > 0 && gas.base > token.code.length);
  });

  test('an overdraft fails with the contract message and writes nothing', () => {
    const { ledger, address, store } = tokenLedger();
    const result = invokeOn(engine, ledger, address, 'transfer', [store, bob.toBase58(), 5000n], { signers: [alice] });
    assert.equal(result.outcome.status, 'FAILED');
    if (result.outcome.status === 'FAILED') assert.match(result.outcome.error.message, /insufficient balance: 1000 < 5000/);
    assert.equal(ledger.kv(labelAddress('token-store'), `balance:${bob.toBase58()}`), undefined);
  });

  test('writes need permission: a store the contract does not own refuses them', () => {
    const ledger = new InMemoryLedger();
    const address = ledger.deploy('token', token.code);
    const foreign = ledger.createDataAccount('foreign', [labelAddress('carol')]).toBase58();
    const result = invokeOn(engine, ledger, address, 'init', [foreign, foreign, 10n], { signers: [alice] });
    assert.equal(result.outcome.status, 'FAILED');
    if (result.outcome.status === 'FAILED') assert.match(result.outcome.error.message, /no w permission/);
  });

  test('same call, same result, gas and writes, whatever ran before (fixed seed property)', () => {
    const reference = new Map<string, string>();
    const describeOutcome = (amount: bigint): string => {
      const { ledger, address, store } = tokenLedger();
      const result = invokeOn(engine, ledger, address, 'transfer', [store, bob.toBase58(), amount], { signers: [alice] });
      return JSON.stringify(result.outcome, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    };
    const amounts = [1n, 999n, 1000n, 1001n];
    for (const amount of amounts) reference.set(amount.toString(), describeOutcome(amount));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...amounts), { minLength: 1, maxLength: 6 }), fc.constantFrom('loop', 'alloc', 'none'), (order, kind) => {
        if (kind !== 'none') {
          const body = kind === 'loop' ? 'let s = 0; for (let i = 0; i < 20000; i++) s += i; return s;' : 'return new Array(50000).fill(7).length;';
          const noise = new InMemoryLedger();
          const main = noise.deploy('noise', `exports.main = function () { ${body} };`);
          assert.equal(invokeOn(engine, noise, main, 'main', []).outcome.status, 'SUCCESS');
        }
        for (const amount of order) assert.equal(describeOutcome(amount), reference.get(amount.toString()));
      }),
      { seed: SEED, numRuns: 25, verbose: true },
    );
  });

  test('a contract calls another contract; a failed callee undoes its writes and the caller may catch', () => {
    const { ledger, address, store } = tokenLedger();
    const wallet = ledger.deploy(
      'wallet',
      `exports.pay = function (ctx, token, store, own, to, amount) {
        try { ctx.call(token, "transfer", store, to, amount); } catch (e) { ctx.kv.set(own, "last-error", e.code + ": " + e.message); }
        return ctx.call(token, "balanceOf", store, ctx.self);
      };`,
    );
    const own = ledger.createDataAccount('wallet-own', [wallet]);
    const args = [address.toBase58(), store, own.toBase58(), bob.toBase58(), 5n];
    const result = invokeOn(engine, ledger, wallet, 'pay', args, { signers: [alice] });
    assert.equal(result.outcome.status, 'SUCCESS');
    assert.equal(result.value, 0n, 'the wallet (the caller of transfer) holds nothing');
    assert.deepEqual(ledger.kv(own, 'last-error')?.value, { type: 'TEXT', value: 'CONTRACT_THREW: insufficient balance: 0 < 5' });
    assert.equal(ledger.kv(labelAddress('token-store'), `balance:${bob.toBase58()}`), undefined);
  });
});

describe('author kit', () => {
  test('build inlines relative imports, deterministically', () => {
    assert.deepEqual(token.modules, ['token.ts', 'balances.ts']);
    assert.equal(buildContract(`${TOKEN_DIR}token.ts`).code, token.code);
    assert.doesNotMatch(token.code, /[^_]require\(/);
  });

  test('build refuses package imports', () => {
    const source = new URL('../../test/fixtures/imports-package.ts', import.meta.url).pathname;
    assert.throws(() => buildContract(source), (error: unknown) => error instanceof ContractError && error.code === 'UNSUPPORTED_IMPORT');
  });

  test('client stubs list the exported methods with their portable types', () => {
    const source = readFileSync(`${TOKEN_DIR}token.ts`, 'utf8');
    assert.deepEqual(
      contractMethods(source).map((method) => method.name),
      ['init', 'balanceOf', 'transfer'],
    );
    const stub = generateClientStub(source, 'TokenClient');
    assert.match(stub, /transfer\(store: string, to: string, amount: bigint\): Promise<bigint>/);
    assert.match(stub, /this\.invoker\.invoke\("transfer", \[store, to, amount\]\)/);
  });

  test('the pinned engine is the installed one', () => {
    const read = (name: string): string => (JSON.parse(readFileSync(new URL(`../../../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
    assert.equal(read('quickjs-emscripten'), SANDBOX_ENGINE.quickjsEmscripten);
    assert.equal(read(SANDBOX_ENGINE.variant), SANDBOX_ENGINE.quickjsEmscripten);
    const readme = readFileSync(new URL(`../../../../node_modules/${SANDBOX_ENGINE.variant}/README.md`, import.meta.url), 'utf8');
    assert.ok(readme.includes(SANDBOX_ENGINE.quickjs));
  });
});
