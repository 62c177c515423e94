import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_MERKLE_PROOF_LENGTH,
  MerkleProofError,
  decodeMerkleProof,
  encodeMerkleProof,
  merkleProofFromJson,
  merkleProofToJson,
} from '../src/proof/index.js';
import type { MerkleProof, MerkleProofErrorCode } from '../src/proof/index.js';
import { check } from './codec-support.js';

const nonZeroHash = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((bytes) => bytes.some((byte) => byte !== 0));
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const proofArb: fc.Arbitrary<MerkleProof> = fc
  .tuple(
    fc.array(fc.option(nonZeroHash, { nil: null, freq: 3 }), { maxLength: 256 }),
    fc.oneof(
      fc.constant({ kind: 'leaf' as const }),
      fc.constant({ kind: 'empty' as const }),
      fc.tuple(hash, hash).map(([key, valueHash]) => ({ kind: 'otherLeaf' as const, key, valueHash })),
    ),
  )
  .map(([siblings, end]) => ({ siblings, end }));

function fails(code: MerkleProofErrorCode): (error: unknown) => boolean {
  return (error) => error instanceof MerkleProofError && error.code === code;
}

const A = new Uint8Array(32).fill(0xaa);
const B = new Uint8Array(32).fill(0xbb);

describe('binary proof encoding', () => {
  test('has the documented layout', () => {
    const proof: MerkleProof = { siblings: [A, null, null, null, null, null, null, null, null, B], end: { kind: 'otherLeaf', key: B, valueHash: A } };
    const expected = Uint8Array.from([0x02, 0x00, 0x0a, 0b1000_0000, 0b0100_0000, ...A, ...B, ...B, ...A]);
    assert.deepEqual(encodeMerkleProof(proof), expected);
    assert.deepEqual(encodeMerkleProof({ siblings: [], end: { kind: 'empty' } }), Uint8Array.of(0, 0, 0));
    assert.deepEqual(encodeMerkleProof({ siblings: [null, A], end: { kind: 'leaf' } }), Uint8Array.from([1, 0, 2, 0b0100_0000, ...A]));
  });

  test('round-trips every proof, and the binary and JSON forms agree', () => {
    check(
      fc.property(proofArb, (proof) => {
        const bytes = encodeMerkleProof(proof);
        assert.ok(bytes.length <= MAX_MERKLE_PROOF_LENGTH);
        assert.deepEqual(decodeMerkleProof(bytes), proof);
        const json = JSON.parse(JSON.stringify(merkleProofToJson(proof))) as unknown;
        assert.deepEqual(merkleProofFromJson(json), proof);
      }),
      1000,
    );
  });

  test('rejects every truncation of a valid encoding', () => {
    check(
      fc.property(proofArb, (proof) => {
        const bytes = encodeMerkleProof(proof);
        for (let length = 0; length < bytes.length; length++) {
          assert.throws(() => decodeMerkleProof(bytes.subarray(0, length)), fails('TRUNCATED'));
        }
      }),
      200,
    );
  });

  test('rejects trailing bytes and oversized input', () => {
    check(
      fc.property(proofArb, fc.uint8Array({ minLength: 1, maxLength: 40 }), (proof, extra) => {
        const bytes = encodeMerkleProof(proof);
        assert.throws(() => decodeMerkleProof(Uint8Array.from([...bytes, ...extra])), (error: unknown) => {
          return error instanceof MerkleProofError && (error.code === 'TRAILING_BYTES' || error.code === 'OVERSIZED');
        });
      }),
      500,
    );
    const longest: MerkleProof = { siblings: new Array<Uint8Array>(256).fill(A), end: { kind: 'otherLeaf', key: A, valueHash: B } };
    assert.equal(encodeMerkleProof(longest).length, MAX_MERKLE_PROOF_LENGTH);
    assert.throws(() => decodeMerkleProof(new Uint8Array(MAX_MERKLE_PROOF_LENGTH + 1)), fails('OVERSIZED'));
  });

  test('rejects unknown end kinds, impossible depths and non-canonical forms', () => {
    assert.throws(() => decodeMerkleProof(Uint8Array.of(3, 0, 0)), fails('UNKNOWN_END_KIND'));
    assert.throws(() => decodeMerkleProof(Uint8Array.of(0, 1, 1)), fails('INVALID_DEPTH'));
    assert.throws(() => decodeMerkleProof(Uint8Array.of(0, 0xff, 0xff)), fails('INVALID_DEPTH'));
    // depth 3 uses the top three bitmap bits; the fourth is padding.
    assert.throws(() => decodeMerkleProof(Uint8Array.of(0, 0, 3, 0b0001_0000)), fails('NONCANONICAL'));
    assert.throws(() => decodeMerkleProof(Uint8Array.from([0, 0, 1, 0x80, ...new Uint8Array(32)])), fails('NONCANONICAL'));
    assert.throws(() => encodeMerkleProof({ siblings: [new Uint8Array(32)], end: { kind: 'empty' } }), fails('NONCANONICAL'));
    assert.throws(() => encodeMerkleProof({ siblings: [new Uint8Array(16)], end: { kind: 'empty' } }), fails('INVALID_LENGTH'));
    assert.throws(() => encodeMerkleProof({ siblings: new Array<null>(257).fill(null), end: { kind: 'empty' } }), fails('INVALID_DEPTH'));
    // The deepest proof a 256-bit key allows decodes.
    assert.equal(decodeMerkleProof(Uint8Array.from([0, 1, 0, ...new Uint8Array(32)])).siblings.length, 256);
  });

  test('decoded proofs own their bytes', () => {
    const bytes = encodeMerkleProof({ siblings: [A], end: { kind: 'leaf' } });
    const proof = decodeMerkleProof(bytes);
    bytes.fill(0);
    assert.deepEqual(proof.siblings[0], A);
  });

  test('decoding arbitrary bytes either fails with a MerkleProofError or re-encodes to the same bytes', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 8 }), (tail, kind, depth) => {
        const bytes = Uint8Array.from([kind, 0, depth, ...tail]);
        let proof: MerkleProof;
        try {
          proof = decodeMerkleProof(bytes);
        } catch (error) {
          assert.ok(error instanceof MerkleProofError);
          return;
        }
        assert.deepEqual(encodeMerkleProof(proof), bytes);
      }),
      3000,
    );
  });
});

describe('JSON proof form', () => {
  test('has the documented shape', () => {
    const proof: MerkleProof = { siblings: [null, A], end: { kind: 'otherLeaf', key: B, valueHash: A } };
    assert.deepEqual(merkleProofToJson(proof), { end: 'otherLeaf', siblings: [null, 'aa'.repeat(32)], key: 'bb'.repeat(32), valueHash: 'aa'.repeat(32) });
    assert.deepEqual(merkleProofToJson({ siblings: [], end: { kind: 'leaf' } }), { end: 'leaf', siblings: [] });
  });

  test('rejects anything but the exact shape', () => {
    const good = { end: 'otherLeaf', siblings: [null, 'aa'.repeat(32)], key: 'bb'.repeat(32), valueHash: 'aa'.repeat(32) };
    const bad: unknown[] = [
      null,
      [],
      'proof',
      { ...good, extra: 1 },
      { ...good, end: 'leaf' },
      { ...good, end: 'other' },
      { ...good, siblings: 'aa' },
      { ...good, siblings: ['AA'.repeat(32)] },
      { ...good, siblings: ['aa'.repeat(31)] },
      { ...good, siblings: [0] },
      { ...good, key: undefined },
      { ...good, valueHash: 'zz'.repeat(32) },
      { end: 'empty', siblings: new Array(257).fill(null) },
      { end: 'empty', siblings: ['00'.repeat(32)] },
    ];
    for (const json of bad) assert.throws(() => merkleProofFromJson(json), MerkleProofError, JSON.stringify(json));
  });
});
