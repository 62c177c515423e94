import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyMerkleRoot, merkleInternalPreimage, merkleLeafPreimage, verifyMerkleProof } from '@jadechain/types';
import { KVNodeReader, MerkleTree, MerkleTreeError, putMerkleNodes } from '../src/merkle/index.js';
import type { MerkleChange, MerkleTreeErrorCode } from '../src/merkle/index.js';
import { MemoryStore } from '@jadechain/storage';
import { keyOf, sha256, sm3, valueOf } from './merkle-helpers.js';

const PREFIX = new TextEncoder().encode('MK/');

function setup(hash = sha256): { store: MemoryStore; tree: MerkleTree; commit(changes: MerkleChange[], root?: Uint8Array): Promise<Uint8Array> } {
  const store = new MemoryStore();
  const tree = new MerkleTree(hash, new KVNodeReader(store, PREFIX));
  return {
    store,
    tree,
    async commit(changes, root = emptyMerkleRoot()) {
      const update = tree.update(root, changes);
      const batch = store.newBatch();
      putMerkleNodes(batch, PREFIX, update.newNodes);
      await store.commit(batch);
      return update.root;
    },
  };
}

const storedCount = (store: MemoryStore): number => [...store.scan()].length;
const set = (label: number | string, value: number | string = label): MerkleChange => ({ key: keyOf(label), valueHash: valueOf(value) });
const del = (label: number | string): MerkleChange => ({ key: keyOf(label), valueHash: null });
const fails = (code: MerkleTreeErrorCode) => (error: unknown) => error instanceof MerkleTreeError && error.code === code;

describe('MerkleTree', () => {
  test('the empty tree answers absent, proves it, and stays empty under deletes', async () => {
    const { tree } = setup();
    const empty = emptyMerkleRoot();
    assert.equal(tree.get(empty, keyOf(1)), null);
    const { valueHash, proof } = tree.prove(empty, keyOf(1));
    assert.equal(valueHash, null);
    assert.deepEqual(proof, { siblings: [], end: { kind: 'empty' } });
    assert.equal(verifyMerkleProof(sha256, empty, keyOf(1), null, proof), true);
    assert.deepEqual(tree.update(empty, [del(1)]), { root: empty, newNodes: [] });
    assert.deepEqual([...tree.entries(empty)], []);
  });

  test('roots follow the hashing rules: one key is its leaf, two keys an internal node over both leaves', async () => {
    const { tree, commit } = setup();
    const one = await commit([set(1)]);
    assert.deepEqual(one, sha256(merkleLeafPreimage(keyOf(1), valueOf(1))));
    // A second key whose first bit differs from keyOf(1)'s, so that both leaves hang under the root.
    const other = Array.from({ length: 8 }, (_, i) => i + 2).find((i) => (keyOf(i)[0] ?? 0) >> 7 !== (keyOf(1)[0] ?? 0) >> 7) as number;
    const [a, b] = [set(1), set(other)].sort((x, y) => Buffer.compare(x.key, y.key)) as [MerkleChange, MerkleChange];
    const leafA = sha256(merkleLeafPreimage(a.key, a.valueHash as Uint8Array));
    const leafB = sha256(merkleLeafPreimage(b.key, b.valueHash as Uint8Array));
    const two = tree.update(one, [set(other)]);
    assert.deepEqual(two.root, sha256(merkleInternalPreimage(leafA, leafB)));
  });

  test('update computes without writing; the store serves the new root once its nodes are put', async () => {
    const { store, tree, commit } = setup();
    const root = await commit([set(1), set(2), set(3)]);
    const before = storedCount(store);
    const update = tree.update(root, [set(4), del(2)]);
    assert.equal(storedCount(store), before);
    assert.throws(() => tree.get(update.root, keyOf(4)), fails('MISSING_NODE'));
    const batch = store.newBatch();
    putMerkleNodes(batch, PREFIX, update.newNodes);
    await store.commit(batch);
    assert.deepEqual(tree.get(update.root, keyOf(4)), valueOf(4));
    assert.equal(tree.get(update.root, keyOf(2)), null);
    assert.deepEqual(tree.get(root, keyOf(2)), valueOf(2));
  });

  test('within a batch the last change of a key wins, whatever the key order', async () => {
    const { tree, commit } = setup();
    const root = await commit([set(1, 'a'), set(2), set(1, 'b'), del(2), set(3), set(2, 'c')]);
    assert.deepEqual(tree.get(root, keyOf(1)), valueOf('b'));
    assert.deepEqual(tree.get(root, keyOf(2)), valueOf('c'));
    assert.deepEqual(root, await setup().commit([set(3), set(2, 'c'), set(1, 'b')]));
  });

  test('changes that change nothing give the same root and no new nodes', async () => {
    const { tree, commit } = setup();
    const root = await commit(Array.from({ length: 50 }, (_, i) => set(i)));
    const update = tree.update(root, [set(7), set(30), del(1000), del(2000)]);
    assert.deepEqual(update.root, root);
    assert.deepEqual(update.newNodes, []);
  });

  test('one change in a tree of 2,000 keys creates only the nodes on its path', async () => {
    const { tree, commit } = setup();
    const root = await commit(Array.from({ length: 2000 }, (_, i) => set(i)));
    const update = tree.update(root, [set(77, 'changed')]);
    const depth = tree.prove(root, keyOf(77)).proof.siblings.length;
    assert.equal(update.newNodes.length, depth + 1);
    assert.ok(depth < 30, `path depth ${depth}`);
  });

  test('entries come back in ascending key order', async () => {
    const { tree, commit } = setup();
    const changes = Array.from({ length: 300 }, (_, i) => set(i));
    const root = await commit(changes);
    const entries = [...tree.entries(root)];
    const expected = changes.slice().sort((x, y) => Buffer.compare(x.key, y.key));
    assert.deepEqual(
      entries.map((entry) => [entry.key, entry.valueHash]),
      expected.map((change) => [change.key, change.valueHash]),
    );
  });

  test('answers are copies that callers may change freely', async () => {
    const { tree, commit } = setup();
    const root = await commit([set(1), set(2)]);
    tree.get(root, keyOf(1))?.fill(0);
    tree.prove(root, keyOf(1)).proof.siblings[0]?.fill(0);
    for (const entry of tree.entries(root)) entry.key.fill(0);
    assert.deepEqual(tree.get(root, keyOf(1)), valueOf(1));
    assert.equal(verifyMerkleProof(sha256, root, keyOf(1), valueOf(1), tree.prove(root, keyOf(1)).proof), true);
  });

  test('the hash function is pluggable: SM3 trees verify with SM3 only', async () => {
    const { tree, commit } = setup(sm3);
    const root = await commit([set(1), set(2), set(3)]);
    assert.notDeepEqual(root, await setup().commit([set(1), set(2), set(3)]));
    const { proof } = tree.prove(root, keyOf(2));
    assert.equal(verifyMerkleProof(sm3, root, keyOf(2), valueOf(2), proof), true);
    assert.equal(verifyMerkleProof(sha256, root, keyOf(2), valueOf(2), proof), false);
  });

  test('refuses keys, value hashes and roots that are not 32 bytes', async () => {
    const { tree } = setup();
    const empty = emptyMerkleRoot();
    assert.throws(() => tree.get(empty, new Uint8Array(31)), fails('INVALID_LENGTH'));
    assert.throws(() => tree.get(new Uint8Array(20), keyOf(1)), fails('INVALID_LENGTH'));
    assert.throws(() => tree.prove(empty, new Uint8Array(33)), fails('INVALID_LENGTH'));
    assert.throws(() => tree.update(empty, [{ key: new Uint8Array(8), valueHash: null }]), fails('INVALID_LENGTH'));
    assert.throws(() => tree.update(empty, [{ key: keyOf(1), valueHash: new Uint8Array(31) }]), fails('INVALID_LENGTH'));
  });

  test('reports corrupt or missing nodes with typed errors', async () => {
    const { store, tree, commit } = setup();
    const root = await commit([set(1), set(2)]);
    assert.throws(() => tree.get(keyOf('no such root'), keyOf(1)), fails('MISSING_NODE'));
    const corrupt = async (bytes: Uint8Array): Promise<void> => {
      const batch = store.newBatch();
      batch.put(Uint8Array.from([...PREFIX, ...root]), bytes);
      await store.commit(batch);
    };
    await corrupt(new Uint8Array(64));
    assert.throws(() => tree.get(root, keyOf(1)), fails('CORRUPT_NODE'));
    await corrupt(Uint8Array.from([7, ...new Uint8Array(64)]));
    assert.throws(() => tree.prove(root, keyOf(1)), fails('CORRUPT_NODE'));
    // An internal node whose child is itself would make the path endless.
    await corrupt(Uint8Array.from([1, ...root, ...root]));
    assert.throws(() => tree.get(root, keyOf(1)), fails('CORRUPT_NODE'));
  });
});
