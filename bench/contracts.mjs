#!/usr/bin/env node
// Token transfers per second in the contract harness (one process, one core): each invocation
// gets a fresh QuickJS runtime and context, runs the example token's `transfer` (2 reads, 2
// writes, 1 event), and its derived operations are applied to the in-memory ledger.
// Usage: npx tsc -b packages/contracts && node bench/contracts.mjs [seconds]
import { performance } from 'node:perf_hooks';
import { ContractEngine, InMemoryLedger, buildContract, invokeOn, labelAddress } from '@jadechain/contracts';

const seconds = Number(process.argv[2] ?? 3);
const engine = await ContractEngine.load();
const { code } = buildContract(new URL('../examples/contracts/token/token.ts', import.meta.url).pathname);
const ledger = new InMemoryLedger();
const token = ledger.deploy('token', code);
const store = ledger.createDataAccount('store', [token]).toBase58();
const events = ledger.createEventAccount('events', [token]).toBase58();
const alice = labelAddress('alice');
const bob = labelAddress('bob').toBase58();
invokeOn(engine, ledger, token, 'init', [store, events, 10n ** 15n], { signers: [alice] });

let count = 0;
let gas = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  const { outcome } = invokeOn(engine, ledger, token, 'transfer', [store, bob, 1n], { signers: [alice] });
  if (outcome.status !== 'SUCCESS') throw new Error(`transfer failed: ${JSON.stringify(outcome)}`);
  gas = outcome.gas.used;
  count += 1;
}
const elapsed = (performance.now() - start) / 1000;
console.log(`contract token transfer (harness): ${(count / elapsed).toFixed(0)} invocations/s, ${(1000 * elapsed / count).toFixed(2)} ms each, ${gas} gas each`);
