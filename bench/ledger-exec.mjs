#!/usr/bin/env node
// Ledger execution throughput (issue 3, docs/adr/0004-execution-model.md): executed transactions
// per second with one KV write each, signatures already verified (cache warm), LMDB on disk, one
// core, blocks of BLOCK_SIZE transactions, commit included; then KV proofs generated per second.
//
// Usage: node bench/ledger-exec.mjs [blocks=20] [blockSize=2000] [accounts=16]
// Prints wall-clock tx/s, the split between execute and commit, and CPU µs per transaction, for
// the whole run and for each fifth of it (the cost grows with the ledger), and what the last
// block wrote per transaction: records and bytes by table (spec/ledger.md, "Storage layout").
// Build first: npx tsc -b packages/ledger
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoSuite as suite } from '@jadechain/crypto/node';
import { GENESIS_TIME, benchGenesis, keys } from './support.mjs';
import { LmdbStore } from '@jadechain/storage';
import { Ledger, proveKvEntry, verifyKvEntryProof } from '@jadechain/ledger';
import { commitVoteMessage, signHash, transactionHash } from '@jadechain/types';

const [blocks = 20, blockSize = 2000, accountCount = 16] = process.argv.slice(2).map(Number);
const { participant, user, gateway, genesis } = benchGenesis('bench', 'bench');
const accounts = Array.from({ length: accountCount }, (_, i) => keys(`bench-account-${i}`));


const dir = mkdtempSync(join(tmpdir(), 'jadechain-bench-ledger-'));
const store = LmdbStore.open(dir);
const ledger = await Ledger.initialize(store, genesis, { suite });

let nonce = 0;
function request(operations, timestamp) {
  const content = { ledgerHash: ledger.ledgerHash, operations, timestamp, nonce: new TextEncoder().encode(`nonce-${String(++nonce).padStart(12, '0')}`) };
  const hash = transactionHash(suite, 'SHA256', content);
  return { content, endpointSignatures: [signHash(suite, user.privateKey, hash)], nodeSignatures: [signHash(suite, gateway.privateKey, hash)] };
}

function certificate(result) {
  const vote = { ledgerHash: ledger.ledgerHash, height: result.header.height, round: 0, blockHash: result.blockHash };
  return { height: vote.height, round: 0, blockHash: result.blockHash, votes: [{ voter: { type: 'PARTICIPANT_ID', id: 0 }, signature: suite.sign(participant.privateKey, commitVoteMessage(vote)) }] };
}

async function run(transactions, timestamp) {
  const result = ledger.execute({ height: ledger.tip.height + 1, timestamp, transactions });
  await ledger.commit(result.writeSet, certificate(result));
  return result;
}

await run(accounts.map((account) => request([{ type: 'DataAccountRegister', address: account.address, pubKey: account.publicKey }], GENESIS_TIME + 1n)), GENESIS_TIME + 1n);

// Build every block first and check it, as the mempool would have: execution gets the accepted
// transactions (signatures verified, hashes known) and re-checks only what the settings govern.
let keyCounter = 0;
const prepared = [];
for (let b = 0; b < blocks; b++) {
  const timestamp = GENESIS_TIME + 1000n * BigInt(b + 2);
  const transactions = [];
  for (let i = 0; i < blockSize; i++) {
    const k = keyCounter++;
    const account = accounts[k % accountCount];
    transactions.push(request([{ type: 'KvSet', account: account.address, writes: [{ key: `key-${k}`, value: { type: 'TEXT', value: `value of key ${k} in the benchmark` }, expectedVersion: -1n }] }], timestamp));
  }
  const checked = transactions.map((transaction) => ledger.checkTransaction(transaction));
  if (checked.some((check) => !check.ok)) throw new Error('bench transaction refused');
  prepared.push({ timestamp, transactions: checked });
}

/** Records and bytes a block's write set puts, by table letter (the first byte of each key). */
function writesByTable(writeSet) {
  const tables = new Map();
  writeSet.writeTo({
    put(key, value) {
      const table = String.fromCharCode(key[0]);
      const seen = tables.get(table) ?? { records: 0, bytes: 0 };
      tables.set(table, { records: seen.records + 1, bytes: seen.bytes + key.length + value.length });
    },
    delete() {},
    size: 0,
  });
  return tables;
}

let executeNs = 0n;
let lastWrites;
let commitNs = 0n;
const started = process.hrtime.bigint();
// CPU time of the whole process (main thread, LMDB's write thread, the collector's helpers):
// steadier than wall time on a shared machine, where other work stretches the wall clock.
const cpuBefore = process.cpuUsage();
// The run in fifths: does a transaction cost more as the ledger grows?
const fifth = Math.max(1, Math.floor(blocks / 5));
const segments = [];
let segment = { fromBlock: 1, executeNs: 0n, commitNs: 0n, cpu: process.cpuUsage() };
for (const [index, { timestamp, transactions }] of prepared.entries()) {
  const t0 = process.hrtime.bigint();
  const result = ledger.execute({ height: ledger.tip.height + 1, timestamp, transactions });
  const t1 = process.hrtime.bigint();
  if (index === prepared.length - 1) lastWrites = writesByTable(result.writeSet);
  await ledger.commit(result.writeSet, certificate(result));
  const t2 = process.hrtime.bigint();
  executeNs += t1 - t0;
  commitNs += t2 - t1;
  segment.executeNs += t1 - t0;
  segment.commitNs += t2 - t1;
  if (result.results.some((r) => r.state !== 'SUCCESS')) throw new Error(`a transaction failed: ${result.results.find((r) => r.state !== 'SUCCESS').state}`);
  if ((index + 1) % fifth === 0 || index + 1 === blocks) {
    segments.push({ ...segment, toBlock: index + 1, cpu: process.cpuUsage(segment.cpu) });
    segment = { fromBlock: index + 2, executeNs: 0n, commitNs: 0n, cpu: process.cpuUsage() };
  }
}
const totalNs = Number(process.hrtime.bigint() - started);
const cpu = process.cpuUsage(cpuBefore);
const total = blocks * blockSize;
console.log(`ledger-exec: ${blocks} blocks × ${blockSize} tx, 1 KV write each, ${accountCount} accounts, LMDB at ${dir}`);
console.log(`  executed+committed: ${Math.round(total / (totalNs / 1e9))} tx/s`);
console.log(`  execute: ${(Number(executeNs) / total / 1000).toFixed(1)} µs/tx, commit: ${(Number(commitNs) / total / 1000).toFixed(1)} µs/tx`);
console.log(`  CPU, all threads: ${((cpu.user + cpu.system) / total).toFixed(1)} µs/tx (user ${(cpu.user / total).toFixed(1)}, system ${(cpu.system / total).toFixed(1)})`);
for (const { fromBlock, toBlock, executeNs: execNs, commitNs: commNs, cpu: used } of segments) {
  const count = (toBlock - fromBlock + 1) * blockSize;
  const keysBefore = (fromBlock - 1) * blockSize;
  console.log(`    blocks ${fromBlock}–${toBlock} (${keysBefore.toLocaleString('en-US')} keys before): execute ${(Number(execNs) / count / 1000).toFixed(1)}, commit ${(Number(commNs) / count / 1000).toFixed(1)}, CPU ${((used.user + used.system) / count).toFixed(1)} µs/tx`);
}
const perTx = (value) => (value / blockSize).toFixed(2);
const written = [...lastWrites].sort(([, a], [, b]) => b.records - a.records);
const allWrites = written.reduce((sum, [, { records, bytes }]) => ({ records: sum.records + records, bytes: sum.bytes + bytes }), { records: 0, bytes: 0 });
console.log(`  the last block wrote ${perTx(allWrites.records)} records (${Math.round(allWrites.bytes / blockSize)} bytes with keys) per transaction: ${written.map(([table, { records, bytes }]) => `${table} ${perTx(records)} (${Math.round(bytes / blockSize)} B)`).join(', ')}`);

// Proofs of KV entries (two levels: account in the account set, entry in the account's tree).
const view = ledger.tip;
const root = view.header.dataAccountRoot.raw;
const sha256 = (data) => suite.hash('SHA256', data).raw;
const proofCount = 5000;
const targets = Array.from({ length: proofCount }, (_, i) => (i * 7919) % keyCounter).map((k) => ({ account: accounts[k % accountCount].address, key: `key-${k}` }));
const p0 = process.hrtime.bigint();
const proofs = targets.map(({ account, key }) => proveKvEntry(view, account, key));
const p1 = process.hrtime.bigint();
const verified = targets.filter(({ account, key }, i) => verifyKvEntryProof(sha256, root, account, key, proofs[i])).length;
const p2 = process.hrtime.bigint();
if (verified !== proofCount) throw new Error(`${proofCount - verified} proofs did not verify`);
console.log(`  KV proofs: ${Math.round(proofCount / (Number(p1 - p0) / 1e9))} generated/s, ${Math.round(proofCount / (Number(p2 - p1) / 1e9))} verified/s (${keyCounter} keys)`);
await store.close();
rmSync(dir, { recursive: true, force: true });
