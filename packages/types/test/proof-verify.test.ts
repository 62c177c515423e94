import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MerkleProofError,
  decodeMerkleProof,
  emptyMerkleRoot,
  encodeMerkleProof,
  merkleInternalPreimage,
  merkleKeyBit,
  merkleLeafPreimage,
  verifyMerkleProof,
} from '../src/proof/index.js';
import type { MerkleProof } from '../src/proof/index.js';
import { check } from './codec-support.js';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

/**
 * A deliberately naive model of the hashing rules (recompute everything from the entry list), so
 * that the verifier is checked against the rules as written rather than against the ledger's tree.
 */
interface Entry {
  readonly key: Uint8Array;
  readonly valueHash: Uint8Array;
}

function modelRoot(entries: readonly Entry[], depth = 0): Uint8Array {
  const [only] = entries;
  if (only === undefined) return emptyMerkleRoot();
  if (entries.length === 1) return sha256(merkleLeafPreimage(only.key, only.valueHash));
  const left = entries.filter((entry) => merkleKeyBit(entry.key, depth) === 0);
  const right = entries.filter((entry) => merkleKeyBit(entry.key, depth) === 1);
  return sha256(merkleInternalPreimage(modelRoot(left, depth + 1), modelRoot(right, depth + 1)));
}

function modelProve(entries: readonly Entry[], key: Uint8Array): MerkleProof {
  const siblings: Array<Uint8Array | null> = [];
  let below = entries;
  for (let depth = 0; below.length > 1; depth++) {
    const bit = merkleKeyBit(key, depth);
    const sibling = modelRoot(below.filter((entry) => merkleKeyBit(entry.key, depth) !== bit), depth + 1);
    siblings.push(sibling.every((byte) => byte === 0) ? null : sibling);
    below = below.filter((entry) => merkleKeyBit(entry.key, depth) === bit);
  }
  const [only] = below;
  if (only === undefined) return { siblings, end: { kind: 'empty' } };
  if (Buffer.compare(only.key, key) === 0) return { siblings, end: { kind: 'leaf' } };
  return { siblings, end: { kind: 'otherLeaf', key: only.key, valueHash: only.valueHash } };
}

/** Keys that are either random or near one base key, so that paths share long prefixes, down to the last bit. */
const BASE_KEY = sha256(new Uint8Array([1]));
const keyArb = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([bit, last]) => {
    const key = BASE_KEY.slice();
    key[31] = last;
    key[bit >>> 3] = (key[bit >>> 3] ?? 0) ^ (0x80 >>> (bit & 7));
    return key;
  }),
);
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const entriesArb = fc
  .uniqueArray(fc.record({ key: keyArb, valueHash: hashArb }), { selector: (entry) => Buffer.from(entry.key).toString('hex'), maxLength: 24 });

describe('verifyMerkleProof against the hashing rules', () => {
  test('the empty tree has the all-zero root and proves every key absent with no siblings', () => {
    assert.deepEqual(emptyMerkleRoot(), new Uint8Array(32));
    assert.equal(verifyMerkleProof(sha256, emptyMerkleRoot(), BASE_KEY, null, { siblings: [], end: { kind: 'empty' } }), true);
    assert.equal(verifyMerkleProof(sha256, emptyMerkleRoot(), BASE_KEY, new Uint8Array(32), { siblings: [], end: { kind: 'leaf' } }), false);
  });

  test('a one-key tree is its leaf: root = SHA256(0x00 ‖ key ‖ value hash)', () => {
    const key = hex('80'.padEnd(64, '0'));
    const value = sha256(new TextEncoder().encode('value'));
    const root = new Uint8Array(createHash('sha256').update(Uint8Array.of(0)).update(key).update(value).digest());
    assert.deepEqual(modelRoot([{ key, valueHash: value }]), root);
    assert.equal(verifyMerkleProof(sha256, root, key, value, { siblings: [], end: { kind: 'leaf' } }), true);
  });

  test('two keys that differ in the first bit hang directly under the root: SHA256(0x01 ‖ left leaf ‖ right leaf)', () => {
    const left = { key: hex('00'.repeat(32)), valueHash: sha256(Uint8Array.of(1)) };
    const right = { key: hex('ff'.repeat(32)), valueHash: sha256(Uint8Array.of(2)) };
    const leftLeaf = sha256(Uint8Array.from([0, ...left.key, ...left.valueHash]));
    const rightLeaf = sha256(Uint8Array.from([0, ...right.key, ...right.valueHash]));
    const root = sha256(Uint8Array.from([1, ...leftLeaf, ...rightLeaf]));
    assert.deepEqual(modelRoot([left, right]), root);
    assert.equal(verifyMerkleProof(sha256, root, left.key, left.valueHash, { siblings: [rightLeaf], end: { kind: 'leaf' } }), true);
    assert.equal(verifyMerkleProof(sha256, root, right.key, right.valueHash, { siblings: [leftLeaf], end: { kind: 'leaf' } }), true);
  });

  test('keys sharing a prefix sit below a chain of one-sided internal nodes', () => {
    const a = { key: hex('00'.repeat(31) + '00'), valueHash: sha256(Uint8Array.of(1)) };
    const b = { key: hex('00'.repeat(31) + '01'), valueHash: sha256(Uint8Array.of(2)) };
    let node = sha256(merkleInternalPreimage(sha256(merkleLeafPreimage(a.key, a.valueHash)), sha256(merkleLeafPreimage(b.key, b.valueHash))));
    for (let depth = 254; depth >= 0; depth--) node = sha256(merkleInternalPreimage(node, emptyMerkleRoot()));
    assert.deepEqual(modelRoot([a, b]), node);
    const proof = modelProve([a, b], b.key);
    assert.equal(proof.siblings.length, 256);
    assert.equal(proof.siblings.filter((sibling) => sibling !== null).length, 1);
    assert.equal(verifyMerkleProof(sha256, node, b.key, b.valueHash, proof), true);
  });

  test('proofs of present keys verify with their value hash and fail with any other', () => {
    check(
      fc.property(entriesArb.filter((entries) => entries.length > 0), fc.nat(), hashArb, (entries, pick, otherValue) => {
        const root = modelRoot(entries);
        const entry = entries[pick % entries.length] as Entry;
        const proof = modelProve(entries, entry.key);
        assert.equal(verifyMerkleProof(sha256, root, entry.key, entry.valueHash, proof), true);
        assert.equal(verifyMerkleProof(sha256, root, entry.key, null, proof), false);
        if (Buffer.compare(otherValue, entry.valueHash) !== 0) assert.equal(verifyMerkleProof(sha256, root, entry.key, otherValue, proof), false);
      }),
      300,
    );
  });

  test('proofs of absent keys verify as absent and fail when a value is claimed', () => {
    check(
      fc.property(entriesArb, keyArb, hashArb, (entries, key, valueHash) => {
        fc.pre(!entries.some((entry) => Buffer.compare(entry.key, key) === 0));
        const root = modelRoot(entries);
        const proof = modelProve(entries, key);
        assert.equal(verifyMerkleProof(sha256, root, key, null, proof), true);
        assert.equal(verifyMerkleProof(sha256, root, key, valueHash, proof), false);
      }),
      300,
    );
  });

  test('a proof for one key says nothing about another key', () => {
    check(
      fc.property(entriesArb.filter((entries) => entries.length > 1), fc.nat(), fc.nat(), (entries, i, j) => {
        const a = entries[i % entries.length] as Entry;
        const b = entries[j % entries.length] as Entry;
        fc.pre(a !== b);
        const root = modelRoot(entries);
        const proof = modelProve(entries, a.key);
        assert.equal(verifyMerkleProof(sha256, root, b.key, a.valueHash, proof), false);
        assert.equal(verifyMerkleProof(sha256, root, b.key, b.valueHash, proof), false);
        assert.equal(verifyMerkleProof(sha256, root, b.key, null, proof), false);
      }),
      200,
    );
  });

  test('an other leaf that does not share the path prefix is refused', () => {
    const a = { key: hex('00'.repeat(32)), valueHash: sha256(Uint8Array.of(1)) };
    const b = { key: hex('ff'.repeat(32)), valueHash: sha256(Uint8Array.of(2)) };
    const root = modelRoot([a, b]);
    const bLeaf = sha256(merkleLeafPreimage(b.key, b.valueHash));
    // Key 0x00…01 is absent: its path (first bit 0) ends in a's leaf, a genuine absence proof.
    const absent = hex('00'.repeat(31) + '01');
    const genuine: MerkleProof = { siblings: [bLeaf], end: { kind: 'otherLeaf', key: a.key, valueHash: a.valueHash } };
    assert.equal(verifyMerkleProof(sha256, root, absent, null, genuine), true);
    // Against an honest root the hashes alone imply that the other leaf is on the path. The
    // verifier checks it by itself anyway: under a root built with b on the wrong side, only that
    // check refuses a proof that ends in b's leaf.
    const aLeaf = sha256(merkleLeafPreimage(a.key, a.valueHash));
    const misplaced = sha256(merkleInternalPreimage(bLeaf, aLeaf));
    const offPath: MerkleProof = { siblings: [aLeaf], end: { kind: 'otherLeaf', key: b.key, valueHash: b.valueHash } };
    assert.equal(verifyMerkleProof(sha256, misplaced, absent, null, offPath), false);
    const onPath: MerkleProof = { siblings: [aLeaf], end: { kind: 'otherLeaf', key: hex('7f'.repeat(32)), valueHash: b.valueHash } };
    const rootWithOnPathLeaf = sha256(merkleInternalPreimage(sha256(merkleLeafPreimage(hex('7f'.repeat(32)), b.valueHash)), aLeaf));
    assert.equal(verifyMerkleProof(sha256, rootWithOnPathLeaf, absent, null, onPath), true, 'the same shape with an on-path key passes');
  });

  test('caller mistakes throw INVALID_LENGTH; malformed proofs only return false', () => {
    const proof: MerkleProof = { siblings: [], end: { kind: 'empty' } };
    const code = (error: unknown): boolean => error instanceof MerkleProofError && error.code === 'INVALID_LENGTH';
    assert.throws(() => verifyMerkleProof(sha256, new Uint8Array(31), BASE_KEY, null, proof), code);
    assert.throws(() => verifyMerkleProof(sha256, emptyMerkleRoot(), new Uint8Array(33), null, proof), code);
    assert.throws(() => verifyMerkleProof(sha256, emptyMerkleRoot(), BASE_KEY, new Uint8Array(1), proof), code);
    const short = (data: Uint8Array): Uint8Array => sha256(data).subarray(0, 20);
    assert.throws(() => verifyMerkleProof(short, emptyMerkleRoot(), BASE_KEY, null, { siblings: [BASE_KEY], end: { kind: 'empty' } }), code);
    const bad = [
      { siblings: [new Uint8Array(31)], end: { kind: 'empty' } },
      { siblings: [new Uint8Array(32)], end: { kind: 'empty' } },
      { siblings: new Array<null>(257).fill(null), end: { kind: 'empty' } },
      { siblings: [], end: { kind: 'otherLeaf', key: new Uint8Array(3), valueHash: new Uint8Array(32) } },
      { siblings: [], end: { kind: 'sideways' } } as unknown as MerkleProof,
    ] as MerkleProof[];
    for (const proof of bad) assert.equal(verifyMerkleProof(sha256, emptyMerkleRoot(), BASE_KEY, null, proof), false);
  });
});

/** Every way of damaging a proof that the tracker names; each must make verification fail. */
function tamperings(proof: MerkleProof, entries: readonly Entry[]): MerkleProof[] {
  const out: MerkleProof[] = [];
  const { siblings, end } = proof;
  const present = siblings.flatMap((sibling, index) => (sibling === null ? [] : [index]));
  for (const index of present) {
    const flipped = siblings.map((sibling, i) => (i === index && sibling !== null ? flipBit(sibling, 0x01) : sibling));
    out.push({ siblings: flipped, end });
    out.push({ siblings: siblings.map((sibling, i) => (i === index ? null : sibling)), end });
  }
  if (siblings.length > 0) {
    out.push({ siblings: siblings.slice(1), end });
    out.push({ siblings: siblings.slice(0, -1), end });
  }
  out.push({ siblings: [...siblings, BASE_KEY], end });
  out.push({ siblings: [BASE_KEY, ...siblings], end });
  for (let i = 0; i + 1 < siblings.length; i++) {
    const a = siblings[i] ?? null;
    const b = siblings[i + 1] ?? null;
    if (a === b || (a !== null && b !== null && Buffer.compare(a, b) === 0)) continue;
    const swapped = siblings.slice();
    swapped[i] = b;
    swapped[i + 1] = a;
    out.push({ siblings: swapped, end });
  }
  if (end.kind === 'leaf') out.push({ siblings, end: { kind: 'empty' } });
  if (end.kind === 'otherLeaf') {
    out.push({ siblings, end: { kind: 'empty' } });
    out.push({ siblings, end: { ...end, valueHash: flipBit(end.valueHash, 0x80) } });
    out.push({ siblings, end: { ...end, key: flipBit(end.key, 0x01) } });
  }
  if (end.kind === 'empty' && entries[0] !== undefined) out.push({ siblings, end: { kind: 'otherLeaf', ...entries[0] } });
  return out;
}

function flipBit(bytes: Uint8Array, mask: number): Uint8Array {
  const copy = bytes.slice();
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ mask;
  return copy;
}

describe('tampered proofs fail', () => {
  test('flip, drop, insert, reorder a sibling; swap the end; change key or value', () => {
    check(
      fc.property(entriesArb.filter((entries) => entries.length > 0), keyArb, fc.nat(), (entries, absentKey, pick) => {
        const root = modelRoot(entries);
        const entry = entries[pick % entries.length] as Entry;
        const claims: Array<[Uint8Array, Uint8Array | null]> = [[entry.key, entry.valueHash]];
        if (!entries.some((e) => Buffer.compare(e.key, absentKey) === 0)) claims.push([absentKey, null]);
        for (const [key, valueHash] of claims) {
          const proof = modelProve(entries, key);
          assert.equal(verifyMerkleProof(sha256, root, key, valueHash, proof), true);
          for (const tampered of tamperings(proof, entries)) {
            assert.equal(verifyMerkleProof(sha256, root, key, valueHash, tampered), false);
          }
          if (valueHash !== null) {
            const ownLeafAsOther: MerkleProof = { siblings: proof.siblings, end: { kind: 'otherLeaf', key, valueHash } };
            assert.equal(verifyMerkleProof(sha256, root, key, null, ownLeafAsOther), false, 'a key cannot be absent by its own leaf');
          }
          // An absence proof also covers other absent keys on the same path, so only inclusion is key-specific.
          if (valueHash === null) continue;
          assert.equal(verifyMerkleProof(sha256, root, flipBit(key, 0x01), valueHash, proof), false);
          assert.equal(verifyMerkleProof(sha256, root, key, flipBit(valueHash, 0x01), proof), false);
        }
      }),
      200,
    );
  });

  test('flipping any single bit of an encoded proof makes it undecodable or unverifiable', () => {
    check(
      fc.property(entriesArb.filter((entries) => entries.length > 1), keyArb, fc.nat(), fc.nat(), (entries, key, at, bit) => {
        const root = modelRoot(entries);
        const claim = entries.find((entry) => Buffer.compare(entry.key, key) === 0)?.valueHash ?? null;
        const bytes = encodeMerkleProof(modelProve(entries, key));
        const damaged = bytes.slice();
        const index = at % damaged.length;
        damaged[index] = (damaged[index] ?? 0) ^ (1 << bit % 8);
        let decoded: MerkleProof;
        try {
          decoded = decodeMerkleProof(damaged);
        } catch (error) {
          assert.ok(error instanceof MerkleProofError);
          return;
        }
        assert.equal(verifyMerkleProof(sha256, root, key, claim, decoded), false);
      }),
      1000,
    );
  });
});
