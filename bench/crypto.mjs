#!/usr/bin/env node
// Prints hashes/s, signs/s and verifies/s per algorithm and backend, single-threaded.
// Usage: npm run bench:crypto [-- --seconds 1]
import os from 'node:os';
import { backend as nodeBackend } from '@jadechain/crypto/node';
import { backend as pureBackend, HASH_ALGORITHMS, SIGNATURE_ALGORITHMS, AEAD_ALGORITHMS } from '@jadechain/crypto/pure';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 1;
const MESSAGE = new Uint8Array(200).map((_, i) => i);

/** Runs fn repeatedly for about SECONDS and returns operations per second. */
function rate(fn) {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    fn();
    ops++;
    if ((ops & 7) === 0 || elapsed === 0n) elapsed = process.hrtime.bigint() - start;
  }
  elapsed = process.hrtime.bigint() - start;
  return (ops * 1e9) / Number(elapsed);
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const rows = [];

for (const algorithm of HASH_ALGORITHMS) {
  for (const b of [nodeBackend, pureBackend]) {
    const h = b.hash(algorithm);
    rows.push([algorithm, b.name, 'hash 200 B', rate(() => h.digest(MESSAGE))]);
    // A Merkle tree node's preimage: what a ledger hashes most (docs/adr/0002-authenticated-state.md).
    const node = MESSAGE.subarray(0, 65);
    rows.push([algorithm, b.name, 'hash 65 B', rate(() => h.digest(node))]);
  }
}

for (const algorithm of SIGNATURE_ALGORITHMS) {
  // RSA key generation in pure JavaScript takes seconds; both backends share raw key formats,
  // so one node-generated key serves both.
  const keys = nodeBackend.signature(algorithm).generateKeyPair();
  for (const b of [nodeBackend, pureBackend]) {
    const s = b.signature(algorithm);
    const signature = s.sign(keys.privateKey, MESSAGE);
    rows.push([algorithm, b.name, 'sign', rate(() => s.sign(keys.privateKey, MESSAGE))]);
    rows.push([algorithm, b.name, 'verify', rate(() => s.verify(keys.publicKey, MESSAGE, signature))]);
  }
}

for (const algorithm of AEAD_ALGORITHMS) {
  for (const b of [nodeBackend, pureBackend]) {
    const c = b.aead(algorithm);
    const key = new Uint8Array(c.keyLength).fill(7);
    const nonce = new Uint8Array(c.nonceLength).fill(9);
    const plaintext = new Uint8Array(1024);
    rows.push([algorithm, b.name, 'seal 1 KiB', rate(() => c.seal(key, nonce, plaintext))]);
  }
}

console.log(`# crypto benchmark — ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${SECONDS}s per row`);
console.log('algorithm        backend  operation     ops/s');
for (const [algorithm, backendName, op, value] of rows) {
  console.log(`${algorithm.padEnd(16)} ${backendName.padEnd(8)} ${op.padEnd(12)} ${fmt(value).padStart(10)}`);
}
