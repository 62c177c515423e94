#!/usr/bin/env node
// Token transfers per second through one peer's ledger path (one process, one core): blocks of
// BLOCK signed transfer transactions are checked (signatures included), executed with the QuickJS
// executor and committed, as a peer's consensus engine drives its ledger. Senders rotate over
// SENDERS users so that transfers in one block touch different balances as well as shared ones.
// Mempool, transport and consensus messages are not included: the network number comes from the
// throughput harness (bench/tps.mjs). Usage: npx tsc -b packages/contracts && node bench/contracts-ledger.mjs [seconds] [block]
import { performance } from 'node:perf_hooks';
import { LocalLedger, buildContract, invokeOn, labelAddress, toTypedValue } from '@jadechain/contracts';

const seconds = Number(process.argv[2] ?? 5);
const BLOCK = Number(process.argv[3] ?? 200);
const SENDERS = 8;
const { code } = buildContract(new URL('../examples/contracts/token/token.ts', import.meta.url).pathname);
const ledger = await LocalLedger.create();
const token = await ledger.deploy('token', code);
const store = (await ledger.createDataAccount('store', [token])).toBase58();
const events = (await ledger.createEventAccount('events', [token])).toBase58();
const senders = Array.from({ length: SENDERS }, (_, i) => `sender-${i}`);
await invokeOn(ledger, token, 'init', [store, events, 10n ** 15n], { signers: ['alice'] });
for (const sender of senders) {
  await invokeOn(ledger, token, 'transfer', [store, labelAddress(sender).toBase58(), 10n ** 12n], { signers: ['alice'] });
}
const bob = labelAddress('bob').toBase58();
const transfer = (sender) => ({
  operations: [{ type: 'ContractInvoke', address: token, method: 'transfer', args: [store, bob, 1n].map(toTypedValue) }],
  signers: [sender],
});

let count = 0;
let blocks = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  const batch = Array.from({ length: BLOCK }, (_, i) => transfer(senders[i % SENDERS]));
  const results = await ledger.submitBlock(batch);
  const failed = results.find((result) => result.state !== 'SUCCESS');
  if (failed !== undefined) throw new Error(`a transfer failed: ${failed.state} ${failed.receipt?.invocations[0]?.failure?.message}`);
  count += results.length;
  blocks += 1;
}
const elapsed = (performance.now() - start) / 1000;
console.log(
  `contract token transfer (one peer's ledger path, blocks of ${BLOCK}): ${(count / elapsed).toFixed(0)} invocations/s, ` +
    `${(1000 * elapsed / count).toFixed(2)} ms each, ${blocks} blocks in ${elapsed.toFixed(1)} s`,
);
