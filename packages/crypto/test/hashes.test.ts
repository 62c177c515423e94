import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HASH_ALGORITHMS, type HashAlgorithm } from '../src/algorithms.js';
import { nodeBackend } from '../src/node/backend.js';
import { pureBackend } from '../src/pure/backend.js';
import { sm3 } from '../src/pure/sm3.js';
import { BACKENDS, fuzzParameters, readVectors, toHex, utf8 } from './vector-support.js';

interface HashVectorFile {
  algorithm: HashAlgorithm;
  vectors: { name: string; input: { ascii: string; repeat?: number }; digest: string }[];
}

const VECTOR_FILES = ['hashes/sha256.json', 'hashes/sm3.json', 'hashes/ripemd160.json'];
const OUTPUT_LENGTHS: Record<HashAlgorithm, number> = { SHA256: 32, SM3: 32, RIPEMD160: 20 };

for (const backend of BACKENDS) {
  describe(`hashes, ${backend.name} backend`, () => {
    for (const file of VECTOR_FILES) {
      const { algorithm, vectors } = readVectors<HashVectorFile>(file);
      test(`${algorithm} standard vectors (${file})`, () => {
        const hash = backend.hash(algorithm);
        for (const vector of vectors) {
          const message = utf8(vector.input.ascii.repeat(vector.input.repeat ?? 1));
          assert.equal(toHex(hash.digest(message)), vector.digest, vector.name);
        }
      });
    }

    test('each hash function reports its algorithm and output length', () => {
      for (const algorithm of HASH_ALGORITHMS) {
        const hash = backend.hash(algorithm);
        assert.equal(hash.algorithm, algorithm);
        assert.equal(hash.outputLength, OUTPUT_LENGTHS[algorithm]);
        assert.equal(hash.digest(new Uint8Array(0)).length, OUTPUT_LENGTHS[algorithm]);
      }
    });

    test('digests are plain Uint8Arrays that the caller may keep and modify', () => {
      const hash = backend.hash('SHA256');
      const first = hash.digest(utf8('abc'));
      assert.equal(Object.getPrototypeOf(first), Uint8Array.prototype);
      first.fill(0);
      assert.equal(toHex(hash.digest(utf8('abc'))).slice(0, 8), 'ba7816bf');
    });
  });
}

describe('hash backends agree', () => {
  test('on every length around the padding boundaries (0..200 bytes)', () => {
    for (const algorithm of HASH_ALGORITHMS) {
      for (let length = 0; length <= 200; length++) {
        const data = Uint8Array.from({ length }, (_, i) => (i * 151 + length) & 0xff);
        assert.equal(
          toHex(nodeBackend.hash(algorithm).digest(data)),
          toHex(pureBackend.hash(algorithm).digest(data)),
          `${algorithm}, ${length} bytes`,
        );
      }
    }
  });

  test('on views into a larger buffer (an input that starts at an offset, as tree nodes do)', () => {
    const whole = Uint8Array.from({ length: 400 }, (_, i) => (i * 37) & 0xff);
    for (const algorithm of HASH_ALGORITHMS) {
      for (const [from, to] of [[1, 33], [7, 72], [3, 104], [150, 400]] as const) {
        const view = whole.subarray(from, to);
        assert.equal(toHex(nodeBackend.hash(algorithm).digest(view)), toHex(pureBackend.hash(algorithm).digest(whole.slice(from, to))), `${algorithm} [${from}, ${to})`);
      }
    }
  });

  test('on random inputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HASH_ALGORITHMS), fc.uint8Array({ maxLength: 2000 }), (algorithm, data) => {
        assert.equal(toHex(nodeBackend.hash(algorithm).digest(data)), toHex(pureBackend.hash(algorithm).digest(data)));
      }),
      fuzzParameters(2000),
    );
  });

  test('pure SM3 streams: any split of the input gives the one-shot digest', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 6 }), (data, cuts) => {
        const hasher = sm3.create();
        let offset = 0;
        for (const cut of cuts) {
          const end = Math.min(data.length, offset + (cut % 130));
          hasher.update(data.subarray(offset, end));
          offset = end;
        }
        hasher.update(data.subarray(offset));
        assert.equal(toHex(hasher.digest()), toHex(sm3(data)));
      }),
      fuzzParameters(1000),
    );
  });
});
