// Benchmarks the LMDB store (packages/storage). Build first: npx tsc -b packages/storage
//
//   node bench/storage.mjs              100,000 keys of 32 bytes, 100-byte values
//   STORAGE_BENCH_KEYS=1000000 node bench/storage.mjs
//
// Prints durable commits/s for 1-key and 1,000-key batches (each commit awaited, so each one is
// a synced LMDB transaction), point reads/s (random keys, synchronous get), scan keys/s (one
// full ordered scan), and the CPU a block's tree nodes cost to store one to a record or sixteen
// to a record (ADR 0002's storage lever). The store lives in the system temp directory: its disk decides the commit
// numbers. Numbers on a shared machine are noisy.
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { LmdbStore } from '../packages/storage/dist/src/index.js';

const KEYS = Number(process.env.STORAGE_BENCH_KEYS ?? 100_000);
const BIG_BATCH = 1_000;

function key(n) {
  return new Uint8Array(crypto.createHash('sha256').update(String(n)).digest());
}

const value = new Uint8Array(100).fill(0x5a);
const keys = Array.from({ length: KEYS }, (_, n) => key(n));

function rate(count, milliseconds) {
  return Math.round((count * 1000) / milliseconds).toLocaleString('en-US');
}

const directory = mkdtempSync(join(tmpdir(), 'jadechain-bench-storage-'));
const store = LmdbStore.open(directory);
try {
  let started = performance.now();
  for (let offset = 0; offset < KEYS; offset += BIG_BATCH) {
    const batch = store.newBatch();
    for (const k of keys.slice(offset, offset + BIG_BATCH)) batch.put(k, value);
    await store.commit(batch);
  }
  const bigCommits = Math.ceil(KEYS / BIG_BATCH);
  const bigMs = performance.now() - started;
  console.log(`durable commits/s, ${BIG_BATCH}-key batches: ${rate(bigCommits, bigMs)} (${rate(KEYS, bigMs)} keys/s)`);

  const singleCommits = 2_000;
  started = performance.now();
  for (let n = 0; n < singleCommits; n++) {
    const batch = store.newBatch();
    batch.put(keys[(n * 7919) % KEYS], value);
    await store.commit(batch);
  }
  console.log(`durable commits/s, 1-key batches: ${rate(singleCommits, performance.now() - started)}`);

  const reads = 500_000;
  let found = 0;
  started = performance.now();
  for (let n = 0; n < reads; n++) if (store.get(keys[(n * 104_729) % KEYS]) !== undefined) found++;
  const readMs = performance.now() - started;
  if (found !== reads) throw new Error(`expected every key to be found, found ${found} of ${reads}`);
  console.log(`point reads/s: ${rate(reads, readMs)}`);

  let scanned = 0;
  started = performance.now();
  for (const entry of store.scan()) scanned += entry.value.length > 0 ? 1 : 0;
  const scanMs = performance.now() - started;
  if (scanned !== KEYS) throw new Error(`expected a scan of ${KEYS} keys, got ${scanned}`);
  console.log(`scan keys/s: ${rate(scanned, scanMs)}`);

  // A block's new tree nodes as the ledger stores them (internal records of 89 bytes under
  // height ‖ sequence keys, one durable commit per block), one record per node or sixteen nodes
  // per record: CPU of every thread (lmdb-js's write thread, the kernel's page writes) per node.
  const NODES_PER_BLOCK = 1_750;
  const BLOCKS = 200;
  for (const perRecord of [1, 16]) {
    // Keys and values made before the clock starts: only the store's work is measured.
    const blocks = Array.from({ length: BLOCKS }, (_, index) => {
      const height = index + 1 + perRecord * 1_000_000;
      const records = [];
      for (let sequence = 0; sequence < NODES_PER_BLOCK; sequence += perRecord) {
        const nodeKey = new Uint8Array(13);
        nodeKey[0] = 0x4e;
        new DataView(nodeKey.buffer).setBigUint64(1, BigInt(height));
        new DataView(nodeKey.buffer).setUint32(9, sequence / perRecord);
        records.push([nodeKey, new Uint8Array(89 * Math.min(perRecord, NODES_PER_BLOCK - sequence)).fill(sequence & 0xff)]);
      }
      return records;
    });
    const cpuBefore = process.cpuUsage();
    for (const records of blocks) {
      const batch = store.newBatch();
      for (const [nodeKey, nodeValue] of records) batch.put(nodeKey, nodeValue);
      await store.commit(batch);
    }
    const cpu = process.cpuUsage(cpuBefore);
    console.log(`tree nodes stored ${perRecord === 1 ? 'one per record' : `${perRecord} per record`}: ${((cpu.user + cpu.system) / (NODES_PER_BLOCK * BLOCKS)).toFixed(2)} µs of CPU per node (${NODES_PER_BLOCK.toLocaleString('en-US')} nodes per durable commit)`);
  }
} finally {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
