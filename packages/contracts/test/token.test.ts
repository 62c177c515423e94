import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Address } from '@jadechain/crypto';
import {
  ContractError,
  LocalLedger,
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
const token = buildContract(`${TOKEN_DIR}token.ts`);
const alice = labelAddress('alice');
const bob = labelAddress('bob');

interface TokenLedger {
  readonly ledger: LocalLedger;
  readonly address: Address;
  readonly store: string;
  readonly events: Address;
}

/** A real ledger on memory storage with the token deployed and initialised by alice (1000). */
async function tokenLedger(): Promise<TokenLedger> {
  const ledger = await LocalLedger.create();
  const address = await ledger.deploy('token', token.code);
  const store = (await ledger.createDataAccount('token-store', [address])).toBase58();
  const events = await ledger.createEventAccount('token-events', [address]);
  const init = await invokeOn(ledger, address, 'init', [store, events.toBase58(), 1000n], { signers: ['alice'] });
  assert.equal(init.state, 'SUCCESS');
  return { ledger, address, store, events };
}

describe('token example', () => {
  test('transfer moves balances, publishes an event, records derived operations and gas', async () => {
    const { ledger, address, store, events } = await tokenLedger();
    const sent = await invokeOn(ledger, address, 'transfer', [store, bob.toBase58(), 300n], { signers: ['alice'] });
    assert.equal(sent.value, 700n);
    assert.equal((await invokeOn(ledger, address, 'balanceOf', [store, bob.toBase58()])).value, 300n);
    const [event] = ledger.events(events, 'transfer');
    assert.deepEqual(fromTypedValue(event?.content ?? { type: 'NIL' }), { from: alice.toBase58(), to: bob.toBase58(), amount: '300' });
    assert.ok(event?.contractSource?.equals(address), 'the event names the contract as its source');
    assert.deepEqual(sent.result.derivedOperations.map((operation) => operation.type), ['KvSet', 'EventPublish']);
    const gas = sent.gas;
    assert.ok(gas !== undefined);
    assert.equal(sent.invocation?.gasUsed, BigInt(gas.used));
    assert.equal(gas.used, gas.base + gas.instructions + gas.hostCalls + gas.dataBytes);
    assert.ok(gas.hostCalls > 0 && gas.dataBytes > 0 && gas.base > token.code.length);
  });

  test('an overdraft fails with the contract message and writes nothing', async () => {
    const { ledger, address, store } = await tokenLedger();
    const result = await invokeOn(ledger, address, 'transfer', [store, bob.toBase58(), 5000n], { signers: ['alice'] });
    assert.equal(result.state, 'CONTRACT_EXECUTE_ERROR');
    assert.match(result.invocation?.failure?.message ?? '', /insufficient balance: 1000 < 5000/);
    assert.equal(ledger.kv(labelAddress('token-store'), `balance:${bob.toBase58()}`), undefined);
  });

  test('writes need permission: a store the contract does not own refuses them', async () => {
    const ledger = await LocalLedger.create();
    const address = await ledger.deploy('token', token.code);
    const foreign = (await ledger.createDataAccount('foreign', [labelAddress('carol')], 0o700)).toBase58();
    const result = await invokeOn(ledger, address, 'init', [foreign, foreign, 10n], { signers: ['alice'] });
    assert.equal(result.state, 'CONTRACT_EXECUTE_ERROR');
    assert.match(result.invocation?.failure?.message ?? '', /REJECTED_BY_SECURITY_POLICY|write access/);
    assert.equal(ledger.kv(labelAddress('foreign'), 'issuer'), undefined);
  });

  test('same call, same recorded result, receipt and block, whatever ran before (fixed seed property)', async () => {
    const describeOutcome = async (amount: bigint): Promise<string> => {
      const { ledger, address, store } = await tokenLedger();
      const result = await invokeOn(ledger, address, 'transfer', [store, bob.toBase58(), amount], { signers: ['alice'] });
      const { header } = ledger.ledger.tip;
      return JSON.stringify([result.result, result.receipt, result.gas, header], (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    };
    const amounts = [1n, 1000n, 1001n];
    const reference = new Map<string, string>();
    for (const amount of amounts) reference.set(amount.toString(), await describeOutcome(amount));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...amounts), { minLength: 1, maxLength: 3 }), fc.constantFrom('loop', 'alloc', 'none'), async (order, kind) => {
        if (kind !== 'none') {
          const body = kind === 'loop' ? 'let s = 0; for (let i = 0; i < 20000; i++) s += i; return s;' : 'return new Array(50000).fill(7).length;';
          const noise = await LocalLedger.create();
          const main = await noise.deploy('noise', `exports.main = function () { ${body} };`);
          assert.equal((await invokeOn(noise, main, 'main', [])).state, 'SUCCESS');
        }
        for (const amount of order) assert.equal(await describeOutcome(amount), reference.get(amount.toString()));
      }),
      { seed: SEED, numRuns: 8, verbose: true },
    );
  });

  test('a contract calls another contract; a failed callee undoes its writes and the caller may catch', async () => {
    const { ledger, address, store } = await tokenLedger();
    const wallet = await ledger.deploy(
      'wallet',
      `exports.pay = function (ctx, token, store, own, to, amount) {
        try { ctx.call(token, "transfer", store, to, amount); } catch (e) { ctx.kv.set(own, "last-error", e.code + ": " + e.message); }
        return ctx.call(token, "balanceOf", store, ctx.self);
      };`,
    );
    const own = await ledger.createDataAccount('wallet-own', [wallet]);
    const args = [address.toBase58(), store, own.toBase58(), bob.toBase58(), 5n];
    const result = await invokeOn(ledger, wallet, 'pay', args, { signers: ['alice'] });
    assert.equal(result.state, 'SUCCESS');
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
