#!/usr/bin/env node
// Token transfers per second in the contract harness (one process, one core): each invocation is
// one transaction in a block of its own on the real ledger over memory storage; it starts from the
// prepared sandbox's memory image (ADR 0010), runs the example token's `transfer` (2 reads, 2 writes, 1 event),
// and its derived operations are applied and committed. See contracts-ledger.mjs for full blocks.
// Usage: npx tsc -b packages/contracts && node bench/contracts.mjs [seconds]
import { performance } from 'node:perf_hooks';
import { LocalLedger, buildContract, invokeOn, labelAddress } from '@jadechain/contracts';

const seconds = Number(process.argv[2] ?? 3);
const { code } = buildContract(new URL('../examples/contracts/token/token.ts', import.meta.url).pathname);
const ledger = await LocalLedger.create();
const token = await ledger.deploy('token', code);
const store = (await ledger.createDataAccount('store', [token])).toBase58();
const events = (await ledger.createEventAccount('events', [token])).toBase58();
const bob = labelAddress('bob').toBase58();
await invokeOn(ledger, token, 'init', [store, events, 10n ** 15n], { signers: ['alice'] });

let count = 0;
let gas = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  const result = await invokeOn(ledger, token, 'transfer', [store, bob, 1n], { signers: ['alice'] });
  if (result.state !== 'SUCCESS') throw new Error(`transfer failed: ${result.state} ${result.invocation?.failure?.message}`);
  gas = result.gas?.used ?? 0;
  count += 1;
}
const elapsed = (performance.now() - start) / 1000;
console.log(`contract token transfer (harness, one per block): ${(count / elapsed).toFixed(0)} invocations/s, ${(1000 * elapsed / count).toFixed(2)} ms each, ${gas} gas each`);
