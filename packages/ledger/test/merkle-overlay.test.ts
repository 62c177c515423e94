import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyMerkleRoot } from '@jadechain/types';
import { KVNodeReader, MerkleTree, MerkleTreeError, OverlayNodeReader, putMerkleNodes } from '../src/merkle/index.js';
import type { MerkleChange, MerkleUpdate } from '../src/merkle/index.js';
import { MemoryStore } from '@jadechain/storage';
import { keyOf, sha256, valueOf } from './merkle-helpers.js';

const PREFIX = new TextEncoder().encode('MK/');
const set = (label: number | string, value: number | string = label): MerkleChange => ({ key: keyOf(label), valueHash: valueOf(value) });

async function commit(store: MemoryStore, update: MerkleUpdate, prefix = PREFIX): Promise<void> {
  const batch = store.newBatch();
  putMerkleNodes(batch, prefix, update.newNodes);
  await store.commit(batch);
}

describe('executing on an uncommitted parent', () => {
  test('a block runs on its parent’s pending nodes; committing both makes every root readable from the store alone', async () => {
    const store = new MemoryStore();
    const committed = new KVNodeReader(store, PREFIX);
    const genesis = new MerkleTree(sha256, committed).update(emptyMerkleRoot(), [set(1), set(2)]);
    await commit(store, genesis);

    // Block 1 is executed but not committed; block 2 executes on top of it.
    const block1 = new MerkleTree(sha256, committed).update(genesis.root, [set(3), set(1, 'one')]);
    const pending = new OverlayNodeReader(committed, block1.newNodes);
    const block2 = new MerkleTree(sha256, pending).update(block1.root, [set(4), { key: keyOf(2), valueHash: null }]);
    const stacked = new MerkleTree(sha256, new OverlayNodeReader(pending, block2.newNodes));
    assert.deepEqual(stacked.get(block2.root, keyOf(1)), valueOf('one'));
    assert.deepEqual(stacked.get(block2.root, keyOf(3)), valueOf(3));
    assert.equal(stacked.get(block2.root, keyOf(2)), null);

    const storeOnly = new MerkleTree(sha256, committed);
    assert.throws(() => storeOnly.get(block2.root, keyOf(4)), (error: unknown) => error instanceof MerkleTreeError && error.code === 'MISSING_NODE');
    await commit(store, block1);
    await commit(store, block2);
    assert.deepEqual(storeOnly.get(block2.root, keyOf(4)), valueOf(4));
    assert.deepEqual(storeOnly.get(block1.root, keyOf(2)), valueOf(2));
    assert.deepEqual(storeOnly.get(genesis.root, keyOf(1)), valueOf(1));
    // The result is the same as executing block 2 after block 1 was committed.
    assert.deepEqual(storeOnly.update(block1.root, [set(4), { key: keyOf(2), valueHash: null }]).root, block2.root);
  });

  test('competing children of one pending parent do not see each other; dropping one leaves no trace', async () => {
    const store = new MemoryStore();
    const committed = new KVNodeReader(store, PREFIX);
    const parent = new MerkleTree(sha256, committed).update(emptyMerkleRoot(), [set(1), set(2), set(3)]);
    const pending = new OverlayNodeReader(committed, parent.newNodes);
    const left = new MerkleTree(sha256, pending).update(parent.root, [set(10)]);
    const right = new MerkleTree(sha256, pending).update(parent.root, [set(20)]);
    const onLeft = new MerkleTree(sha256, new OverlayNodeReader(pending, left.newNodes));
    assert.equal(onLeft.get(left.root, keyOf(20)), null);
    assert.throws(() => onLeft.get(right.root, keyOf(20)), MerkleTreeError);

    await commit(store, parent);
    await commit(store, right);
    const storeOnly = new MerkleTree(sha256, committed);
    assert.deepEqual(storeOnly.get(right.root, keyOf(20)), valueOf(20));
    assert.throws(() => storeOnly.get(left.root, keyOf(10)), MerkleTreeError);
  });

  test('trees under different store prefixes do not share nodes', async () => {
    const store = new MemoryStore();
    const other = new TextEncoder().encode('XX/');
    const update = new MerkleTree(sha256, new KVNodeReader(store, PREFIX)).update(emptyMerkleRoot(), [set(1), set(2)]);
    await commit(store, update, other);
    assert.throws(() => new MerkleTree(sha256, new KVNodeReader(store, PREFIX)).get(update.root, keyOf(1)), MerkleTreeError);
    assert.deepEqual(new MerkleTree(sha256, new KVNodeReader(store, other)).get(update.root, keyOf(1)), valueOf(1));
  });
});
