import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMerkleProof, emptyMerkleRoot, encodeMerkleProof, verifyMerkleProof } from '@jadechain/types';
import type { MerkleProof } from '@jadechain/types';
import { MerkleTree, OverlayNodeReader } from '../src/merkle/index.js';
import type { MerkleChange, NodeReader } from '../src/merkle/index.js';
import { check, hex, keyArb, sha256, valueArb } from './merkle-helpers.js';

/** A tree whose every update is kept in memory, so any past root stays readable. */
function memoryTree(): { tree: MerkleTree; apply(root: Uint8Array, changes: MerkleChange[]): Uint8Array } {
  const nodes = new OverlayNodeReader({ getNode: () => undefined } satisfies NodeReader);
  const tree = new MerkleTree(sha256, nodes);
  return {
    tree,
    apply(root, changes) {
      const update = tree.update(root, changes);
      nodes.add(update.newNodes);
      return update.root;
    },
  };
}

const changeArb: fc.Arbitrary<MerkleChange> = fc
  .tuple(keyArb, fc.option(valueArb, { nil: null, freq: 4 }))
  .map(([key, valueHash]) => ({ key, valueHash }));
/** Blocks of changes: each block is one batch. */
const blocksArb = fc.array(fc.array(changeArb, { maxLength: 12 }), { minLength: 1, maxLength: 8 });

/** The key/value map after applying blocks in order, as hex strings. */
function finalState(blocks: MerkleChange[][]): Map<string, Uint8Array> {
  const state = new Map<string, Uint8Array>();
  for (const change of blocks.flat()) {
    if (change.valueHash === null) state.delete(hex(change.key));
    else state.set(hex(change.key), change.valueHash);
  }
  return state;
}

function asChanges(state: Map<string, Uint8Array>): MerkleChange[] {
  return [...state].map(([key, valueHash]) => ({ key: Uint8Array.from(Buffer.from(key, 'hex')), valueHash }));
}

describe('MerkleTree properties', () => {
  test('history independence: the root depends only on the final key set, not on order or batching', () => {
    check(
      fc.property(blocksArb, fc.integer(), (blocks, shuffleSeed) => {
        const { apply } = memoryTree();
        let root = emptyMerkleRoot();
        for (const block of blocks) root = apply(root, block);
        const final = asChanges(finalState(blocks));
        assert.deepEqual(root, memoryTree().apply(emptyMerkleRoot(), final));
        // The same entries inserted one at a time, in a shuffled order.
        const shuffled = final.slice().sort((a, b) => (hashOrder(a.key, shuffleSeed) < hashOrder(b.key, shuffleSeed) ? -1 : 1));
        const oneByOne = memoryTree();
        let single = emptyMerkleRoot();
        for (const change of shuffled) single = oneByOne.apply(single, [change]);
        assert.deepEqual(single, root);
      }),
      300,
    );
  });

  test('every key, present or absent, has a proof that verifies and survives encoding', () => {
    check(
      fc.property(blocksArb, fc.array(keyArb, { maxLength: 5 }), (blocks, probes) => {
        const { tree, apply } = memoryTree();
        let root = emptyMerkleRoot();
        for (const block of blocks) root = apply(root, block);
        const state = finalState(blocks);
        for (const key of [...blocks.flat().map((change) => change.key), ...probes]) {
          const expected = state.get(hex(key)) ?? null;
          const { valueHash, proof } = tree.prove(root, key);
          assert.deepEqual(valueHash, expected);
          assert.deepEqual(tree.get(root, key), expected);
          const decoded = decodeMerkleProof(encodeMerkleProof(proof));
          assert.equal(verifyMerkleProof(sha256, root, key, expected, decoded), true);
          for (const tampered of tamper(proof)) assert.equal(verifyMerkleProof(sha256, root, key, expected, tampered), false);
          if (expected !== null) assert.equal(verifyMerkleProof(sha256, root, key, null, proof), false);
        }
      }),
      120,
    );
  });

  test('past roots still answer, list and prove their own state after later updates', () => {
    check(
      fc.property(blocksArb, (blocks) => {
        const { tree, apply } = memoryTree();
        const history: Array<{ root: Uint8Array; state: Map<string, Uint8Array> }> = [];
        let root = emptyMerkleRoot();
        for (let height = 0; height < blocks.length; height++) {
          root = apply(root, blocks[height] ?? []);
          history.push({ root, state: finalState(blocks.slice(0, height + 1)) });
        }
        const keys = blocks.flat().map((change) => change.key);
        for (const { root: past, state } of history) {
          const listed = [...tree.entries(past)].map((entry) => [hex(entry.key), hex(entry.valueHash)]);
          assert.deepEqual(listed, [...state].map(([key, value]) => [key, hex(value)]).sort());
          for (const key of keys) {
            const expected = state.get(hex(key)) ?? null;
            assert.deepEqual(tree.get(past, key), expected);
            assert.equal(verifyMerkleProof(sha256, past, key, expected, tree.prove(past, key).proof), true);
          }
        }
      }),
      100,
    );
  });

  test('deleting what was added restores the earlier root exactly', () => {
    check(
      fc.property(fc.array(changeArb, { maxLength: 20 }), fc.array(keyArb, { minLength: 1, maxLength: 10 }), valueArb, (base, extra, value) => {
        const { apply } = memoryTree();
        const before = apply(emptyMerkleRoot(), base);
        const present = finalState([base]);
        const added = extra.filter((key) => !present.has(hex(key)));
        fc.pre(added.length > 0);
        const grown = apply(before, added.map((key) => ({ key, valueHash: value })));
        assert.notDeepEqual(grown, before);
        assert.deepEqual(apply(grown, added.map((key) => ({ key, valueHash: null }))), before);
      }),
      300,
    );
  });
});

/** A stable pseudo-random order over keys for a given seed (no Math.random). */
function hashOrder(key: Uint8Array, seed: number): string {
  return hex(sha256(Uint8Array.from([...key, seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff])));
}

/** Damaged copies of a proof: a flipped, dropped or extra sibling, an adjacent swap, another end. */
function tamper(proof: MerkleProof): MerkleProof[] {
  const { siblings, end } = proof;
  const out: MerkleProof[] = [{ siblings: [...siblings, sha256(Uint8Array.of(1))], end }];
  const last = siblings.length - 1;
  if (last >= 0) out.push({ siblings: siblings.slice(0, last), end });
  const present = siblings.findIndex((sibling) => sibling !== null);
  if (present >= 0) {
    const flipped = siblings.slice();
    const sibling = (flipped[present] as Uint8Array).slice();
    sibling[5] = (sibling[5] ?? 0) ^ 0x10;
    flipped[present] = sibling;
    out.push({ siblings: flipped, end });
  }
  const swapAt = siblings.findIndex((sibling, i) => i < last && hex(sibling ?? new Uint8Array()) !== hex(siblings[i + 1] ?? new Uint8Array()));
  if (swapAt >= 0) {
    const swapped = siblings.slice();
    [swapped[swapAt], swapped[swapAt + 1]] = [siblings[swapAt + 1] ?? null, siblings[swapAt] ?? null];
    out.push({ siblings: swapped, end });
  }
  out.push({ siblings, end: end.kind === 'empty' ? { kind: 'leaf' } : { kind: 'empty' } });
  return out;
}
