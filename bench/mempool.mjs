#!/usr/bin/env node
// Mempool admission throughput (issue 4, docs/adr/0008-consensus-interface-and-mempool.md):
// transactions admitted per second with 1 and 2 signature workers. Each transaction is
// Ed25519-signed by a user and co-signed by a gateway (two signatures to verify) and writes one
// KV entry; they arrive in concurrent groups, as a gateway forwards them. Every run starts with a
// fresh ledger, so that no signature is in the cache.
//
// Usage: node bench/mempool.mjs [transactions=20000] [group=500]
// Build first: npx tsc -b packages/node
import { cryptoSuite as suite } from '@jadechain/crypto/node';
import { GENESIS_TIME, benchGenesis, keys } from './support.mjs';
import { MemoryStore } from '@jadechain/storage';
import { Ledger } from '@jadechain/ledger';
import { TransactionRequest, signHash, transactionHash } from '@jadechain/types';
import { Mempool, SignatureWorkerPool } from '../packages/node/dist/src/mempool/index.js';

const [count = 20_000, group = 500] = process.argv.slice(2).map(Number);
const { user, gateway, genesis } = benchGenesis('mempool bench', 'single');
const account = keys('bench-account');

const ledgerHash = genesis.ledgerHash;

const transactions = [];
for (let i = 0; i < count; i++) {
  const content = {
    ledgerHash,
    operations: [{ type: 'KvSet', account: account.address, writes: [{ key: `key-${i}`, value: { type: 'TEXT', value: `value of key ${i}` }, expectedVersion: -1n }] }],
    timestamp: GENESIS_TIME + 1000n,
    nonce: new TextEncoder().encode(`nonce-${String(i).padStart(12, '0')}`),
  };
  const hash = transactionHash(suite, 'SHA256', content);
  const request = { content, endpointSignatures: [signHash(suite, user.privateKey, hash)], nodeSignatures: [signHash(suite, gateway.privateKey, hash)] };
  transactions.push(TransactionRequest.encode(request));
}

console.log(`mempool: ${count} transactions (2 Ed25519 signatures each, 1 KV write), groups of ${group}, canonical bytes in`);
for (const workers of [1, 2]) {
  const ledger = await Ledger.initialize(new MemoryStore(), genesis, { suite });
  const verifier = new SignatureWorkerPool({ workers });
  const pool = new Mempool({ ledger, verifier, maxTransactions: count, maxBytes: 1 << 30, clock: () => GENESIS_TIME + 1000n });
  const started = process.hrtime.bigint();
  const pending = [];
  for (let i = 0; i < count; i += group) pending.push(pool.addAll(transactions.slice(i, i + group)));
  const admissions = (await Promise.all(pending)).flat();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const refused = admissions.filter((admission) => !admission.admitted);
  if (refused.length > 0) throw new Error(`${refused.length} refused, e.g. ${refused[0].code}: ${refused[0].message}`);
  console.log(`  ${workers} worker${workers === 1 ? ' ' : 's'}: ${Math.round(count / seconds)} tx/s admitted (${Math.round((2 * count) / seconds)} signatures/s)`);
  await verifier.close();
}
