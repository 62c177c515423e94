// Benchmarks the authenticated-state tree (packages/ledger/src/merkle) and the standalone proof
// verifier (packages/types/src/proof). Build first: npx tsc -b packages/ledger
//
//   node bench/merkle.mjs                 100,000-key tree, 1,000 changes per block
//   MERKLE_BENCH_KEYS=1000000 node bench/merkle.mjs   (needs ~1 GB of memory)
//
// Prints hashes/s for each SHA-256 / SM3 implementation on 65-byte node preimages, then for the
// fastest SHA-256: batched updates/s, single-key updates, hashes and new nodes per change, proofs
// generated/s and verified/s, and proof sizes, first with nodes in memory, then with the same
// blocks on LMDB (one durable commit per block). Numbers on a shared machine are noisy.
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KVNodeReader, MerkleTree, OverlayNodeReader, putMerkleNodes } from '../packages/ledger/dist/src/merkle/index.js';
import { LmdbStore } from '../packages/storage/dist/src/index.js';
import { emptyMerkleRoot, encodeMerkleProof, verifyMerkleProof } from '../packages/types/dist/src/proof/index.js';

const require = createRequire(new URL('../packages/crypto/package.json', import.meta.url));
const KEYS = Number(process.env.MERKLE_BENCH_KEYS ?? 100_000);
const BLOCK = 1_000;
const BLOCKS = 50;

function hashFunctions() {
  const candidates = {
    'sha256 createHash': (data) => crypto.createHash('sha256').update(data).digest(),
    'sm3 createHash': (data) => crypto.createHash('sm3').update(data).digest(),
  };
  // crypto.hash() arrived in Node 20.12 / 21.7: one call, no Hash object.
  if (typeof crypto.hash === 'function') {
    candidates['sha256 crypto.hash'] = (data) => crypto.hash('sha256', data, 'buffer');
    candidates['sm3 crypto.hash'] = (data) => crypto.hash('sm3', data, 'buffer');
  }
  try {
    const sodium = require('sodium-native');
    candidates['sha256 sodium-native'] = (data) => {
      const out = Buffer.allocUnsafe(32);
      sodium.crypto_hash_sha256(out, data);
      return out;
    };
  } catch {
    console.log('sodium-native not installed: skipped');
  }
  return candidates;
}

function time(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

/** Deterministic pseudo-random 32-byte keys and values (no Math.random, repeatable runs). */
function bytesFor(label, i) {
  return crypto.createHash('sha256').update(`${label} ${i}`).digest();
}

function counting(hash) {
  const counter = { calls: 0 };
  return { counter, hash: (data) => (counter.calls++, hash(data)) };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

console.log(`node ${process.version}, ${KEYS.toLocaleString('en-US')} keys, ${BLOCK} changes per block`);
console.log('\n-- hash of a 65-byte node preimage');
const preimage = crypto.randomBytes(65);
const hashes = hashFunctions();
let fastestSha = null;
for (const [name, fn] of Object.entries(hashes)) {
  for (let i = 0; i < 50_000; i++) fn(preimage);
  const { seconds } = time(() => {
    for (let i = 0; i < 500_000; i++) fn(preimage);
  });
  const perSecond = 500_000 / seconds;
  console.log(`${name.padEnd(22)} ${fmt(perSecond).padStart(11)} hashes/s  ${(1e9 / perSecond).toFixed(0).padStart(5)} ns each`);
  if (name.startsWith('sha256') && (fastestSha === null || perSecond > fastestSha.perSecond)) fastestSha = { name, fn, perSecond };
}

console.log(`\n-- tree with ${fastestSha.name}, nodes in memory (no storage cost)`);
const { counter, hash } = counting(fastestSha.fn);
const nodes = new OverlayNodeReader({ getNode: () => undefined });
const tree = new MerkleTree(hash, nodes);
const keys = Array.from({ length: KEYS }, (_, i) => bytesFor('key', i));

const initial = keys.map((key, i) => ({ key, valueHash: bytesFor('value', i) }));
const build = time(() => tree.update(emptyMerkleRoot(), initial));
nodes.add(build.result.newNodes);
let root = build.result.root;
console.log(`build ${fmt(KEYS)} keys in one batch: ${build.seconds.toFixed(2)} s (${fmt(KEYS / build.seconds)} keys/s, ${fmt(build.result.newNodes.length)} nodes)`);

// The change lists are made before timing: 90% updates of existing keys, 10% inserts of new ones.
const blockChanges = Array.from({ length: BLOCKS }, (_, b) =>
  Array.from({ length: BLOCK }, (_, i) => {
    const index = (b * BLOCK + i) * 7919;
    const key = i % 10 === 0 ? bytesFor('new key', b * BLOCK + i) : keys[index % KEYS];
    return { key, valueHash: bytesFor('v', index) };
  }),
);
counter.calls = 0;
let newNodes = 0;
const blocks = time(() => {
  for (const changes of blockChanges) {
    const update = tree.update(root, changes);
    nodes.add(update.newNodes);
    newNodes += update.newNodes.length;
    root = update.root;
  }
});
const changes = BLOCKS * BLOCK;
console.log(
  `batched updates: ${fmt(changes / blocks.seconds)} changes/s (${((blocks.seconds / changes) * 1e6).toFixed(1)} µs each), ` +
    `${(counter.calls / changes).toFixed(1)} hashes and ${(newNodes / changes).toFixed(1)} new nodes per change`,
);

const singles = 5_000;
const singleChanges = Array.from({ length: singles }, (_, i) => [{ key: keys[(i * 104729) % KEYS], valueHash: bytesFor('single', i) }]);
counter.calls = 0;
const single = time(() => {
  for (const changes of singleChanges) {
    const update = tree.update(root, changes);
    nodes.add(update.newNodes);
    root = update.root;
  }
});
console.log(
  `single-key updates: ${fmt(singles / single.seconds)} /s (${((single.seconds / singles) * 1e6).toFixed(1)} µs each, ` +
    `${(counter.calls / singles).toFixed(1)} hashes)`,
);

const proofCount = 20_000;
const probes = Array.from({ length: proofCount }, (_, i) => (i % 2 === 0 ? keys[(i * 7919) % KEYS] : bytesFor('absent', i)));
const proven = time(() => probes.map((key) => tree.prove(root, key)));
console.log(`proofs generated: ${fmt(proofCount / proven.seconds)} /s`);
const verified = time(() => {
  let ok = 0;
  proven.result.forEach(({ valueHash, proof }, i) => {
    if (verifyMerkleProof(fastestSha.fn, root, probes[i], valueHash, proof)) ok++;
  });
  return ok;
});
if (verified.result !== proofCount) throw new Error(`only ${verified.result} of ${proofCount} proofs verified`);
console.log(`proofs verified: ${fmt(proofCount / verified.seconds)} /s`);

const sizes = { leaf: [], empty: [], otherLeaf: [] };
for (const { proof } of proven.result) sizes[proof.end.kind].push(encodeMerkleProof(proof).length);
for (const [kind, list] of Object.entries(sizes)) {
  if (list.length === 0) continue;
  const mean = list.reduce((a, b) => a + b, 0) / list.length;
  console.log(`proof size, end ${kind.padEnd(9)} mean ${mean.toFixed(0)} B, max ${Math.max(...list)} B (${list.length} proofs)`);
}

console.log(`\n-- the same blocks on LMDB in ${tmpdir()}: reads through the store, one durable commit per block`);
const directory = mkdtempSync(join(tmpdir(), 'jadechain-merkle-bench-'));
const PREFIX = new TextEncoder().encode('MK/');
const store = LmdbStore.open(directory);
try {
  const onDisk = new MerkleTree(fastestSha.fn, new KVNodeReader(store, PREFIX));
  const commitNodes = async (nodes) => {
    const batch = store.newBatch();
    putMerkleNodes(batch, PREFIX, nodes);
    await store.commit(batch);
  };
  const loadStart = process.hrtime.bigint();
  await commitNodes(build.result.newNodes);
  console.log(`stored the ${fmt(build.result.newNodes.length)} nodes of the initial tree in ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(2)} s`);
  let diskRoot = build.result.root;
  let computeSeconds = 0;
  const start = process.hrtime.bigint();
  for (const changes of blockChanges) {
    const computed = time(() => onDisk.update(diskRoot, changes));
    computeSeconds += computed.seconds;
    await commitNodes(computed.result.newNodes);
    diskRoot = computed.result.root;
  }
  const totalSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `batched updates: ${fmt(changes / totalSeconds)} changes/s including commits (${((totalSeconds / changes) * 1e6).toFixed(1)} µs each; ` +
      `update alone ${((computeSeconds / changes) * 1e6).toFixed(1)} µs)`,
  );
  const diskProofs = time(() => probes.map((key) => onDisk.prove(diskRoot, key)));
  console.log(`proofs generated from LMDB: ${fmt(proofCount / diskProofs.seconds)} /s`);
} finally {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
