import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { AEAD_ALGORITHMS, type AeadAlgorithm } from '../src/algorithms.js';
import { nodeBackend } from '../src/node/backend.js';
import { pureBackend } from '../src/pure/backend.js';
import { Sm4, sm4Ctr } from '../src/pure/sm4.js';
import { BACKENDS, cryptoError, fromHex, fuzzParameters, readVectors, toHex } from './vector-support.js';

interface AeadVectorFile {
  algorithm: AeadAlgorithm;
  vectors: { name: string; key: string; nonce: string; plaintext: string; aad: string; ciphertext: string; tag: string }[];
}

interface Sm4VectorFile {
  vectors: { name: string; key: string; plaintext: string; iterations: number; ciphertext: string }[];
}

const AEAD_FILES = ['aead/aes-256-gcm.json', 'aead/sm4-ctr-hmac-sm3.json'];
const sm4Vectors = readVectors<Sm4VectorFile>('aead/sm4.json').vectors;

function freshInputs(algorithm: AeadAlgorithm) {
  const cipher = nodeBackend.aead(algorithm);
  return fc.record({
    key: fc.uint8Array({ minLength: cipher.keyLength, maxLength: cipher.keyLength }),
    nonce: fc.uint8Array({ minLength: cipher.nonceLength, maxLength: cipher.nonceLength }),
    plaintext: fc.uint8Array({ maxLength: 200 }),
    aad: fc.uint8Array({ maxLength: 60 }),
  });
}

describe('SM4 block cipher (GB/T 32907-2016 Annex A)', () => {
  for (const vector of sm4Vectors) {
    test(`pure SM4: ${vector.name} (${vector.iterations} encryptions)`, () => {
      const block = fromHex(vector.plaintext);
      const cipher = new Sm4(fromHex(vector.key));
      for (let i = 0; i < vector.iterations; i++) cipher.encryptBlock(block, 0, block, 0);
      assert.equal(toHex(block), vector.ciphertext);
    });

    test(`node:crypto sm4-ecb: ${vector.name} (${vector.iterations} encryptions)`, () => {
      const cipher = createCipheriv('sm4-ecb', fromHex(vector.key), null).setAutoPadding(false);
      let block = Buffer.from(fromHex(vector.plaintext));
      for (let i = 0; i < vector.iterations; i++) block = cipher.update(block);
      assert.equal(block.toString('hex'), vector.ciphertext);
    });
  }

  test('pure SM4-CTR equals node:crypto sm4-ctr, including the 128-bit counter wrap', () => {
    const counterNearWrap = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((iv) => {
      iv.fill(0xff, 4);
      return iv;
    });
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), counterNearWrap),
        fc.uint8Array({ maxLength: 300 }),
        (key, iv, data) => {
          const cipher = createCipheriv('sm4-ctr', key, iv);
          const expected = Buffer.concat([cipher.update(data), cipher.final()]);
          assert.equal(toHex(sm4Ctr(key, iv, data)), expected.toString('hex'));
        },
      ),
      fuzzParameters(1000),
    );
  });

  test('wrong SM4 key or IV lengths are typed errors', () => {
    assert.throws(() => new Sm4(new Uint8Array(15)), cryptoError('INVALID_LENGTH'));
    assert.throws(() => sm4Ctr(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1)), cryptoError('INVALID_LENGTH'));
  });
});

test('SM4-CTR-HMAC-SM3 known answers match a re-derivation from the primitives (spec/crypto.md)', () => {
  const { vectors } = readVectors<AeadVectorFile>('aead/sm4-ctr-hmac-sm3.json');
  const hmacSm3 = (key: Uint8Array, data: Uint8Array | string) => createHmac('sm3', key).update(data).digest();
  for (const vector of vectors) {
    const key = fromHex(vector.key);
    const nonce = fromHex(vector.nonce);
    const aad = fromHex(vector.aad);
    const encryptionKey = hmacSm3(key, 'JadeChain SM4-CTR-HMAC-SM3 encryption key').subarray(0, 16);
    const macKey = hmacSm3(key, 'JadeChain SM4-CTR-HMAC-SM3 MAC key');
    const ctr = createCipheriv('sm4-ctr', encryptionKey, nonce);
    const ciphertext = Buffer.concat([ctr.update(fromHex(vector.plaintext)), ctr.final()]);
    const aadLength = Buffer.alloc(8);
    aadLength.writeBigUInt64BE(BigInt(aad.length));
    const tag = hmacSm3(macKey, Buffer.concat([aadLength, aad, nonce, ciphertext])).subarray(0, 16);
    assert.equal(ciphertext.toString('hex'), vector.ciphertext, vector.name);
    assert.equal(tag.toString('hex'), vector.tag, vector.name);
  }
});

for (const backend of BACKENDS) {
  describe(`AEAD, ${backend.name} backend`, () => {
    for (const file of AEAD_FILES) {
      const { algorithm, vectors } = readVectors<AeadVectorFile>(file);
      test(`${algorithm} known answers (${file})`, () => {
        const cipher = backend.aead(algorithm);
        for (const vector of vectors) {
          const [key, nonce, plaintext, aad] = [vector.key, vector.nonce, vector.plaintext, vector.aad].map(fromHex) as [
            Uint8Array, Uint8Array, Uint8Array, Uint8Array,
          ];
          const sealed = cipher.seal(key, nonce, plaintext, aad);
          assert.equal(toHex(sealed), vector.ciphertext + vector.tag, vector.name);
          assert.equal(toHex(cipher.open(key, nonce, sealed, aad)), vector.plaintext, vector.name);
        }
      });
    }

    for (const algorithm of AEAD_ALGORITHMS) {
      const cipher = backend.aead(algorithm);

      test(`${algorithm}: shape is 32-byte key, fixed nonce, 16-byte tag`, () => {
        assert.equal(cipher.algorithm, algorithm);
        assert.equal(cipher.keyLength, 32);
        assert.equal(cipher.nonceLength, algorithm === 'AES-256-GCM' ? 12 : 16);
        assert.equal(cipher.tagLength, 16);
      });

      test(`${algorithm}: any change to ciphertext, tag, nonce, key or associated data fails with DECRYPTION_FAILED`, () => {
        fc.assert(
          fc.property(freshInputs(algorithm), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(4), (inputs, at, bit, part) => {
            const { key, nonce, plaintext, aad } = inputs;
            const sealed = cipher.seal(key, nonce, plaintext, aad);
            const flip = (bytes: Uint8Array) => {
              const copy = Uint8Array.from(bytes);
              const index = at % copy.length;
              copy[index] = copy[index]! ^ bit;
              return copy;
            };
            const longerAad = new Uint8Array(aad.length + 1);
            longerAad.set(aad);
            const tampered: [Uint8Array, Uint8Array, Uint8Array, Uint8Array] = [
              [flip(key), nonce, sealed, aad],
              [key, flip(nonce), sealed, aad],
              [key, nonce, flip(sealed), aad],
              [key, nonce, sealed, aad.length === 0 ? new Uint8Array([bit]) : flip(aad)],
              [key, nonce, sealed, longerAad],
            ][part] as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
            assert.throws(() => cipher.open(...tampered), cryptoError('DECRYPTION_FAILED'));
          }),
          fuzzParameters(600),
        );
      });

      test(`${algorithm}: truncated input fails with DECRYPTION_FAILED; bad key or nonce length is INVALID_LENGTH`, () => {
        const key = new Uint8Array(32);
        const nonce = new Uint8Array(cipher.nonceLength);
        const sealed = cipher.seal(key, nonce, new Uint8Array(5));
        assert.throws(() => cipher.open(key, nonce, sealed.subarray(0, 15)), cryptoError('DECRYPTION_FAILED'));
        assert.throws(() => cipher.open(key, nonce, sealed.subarray(1)), cryptoError('DECRYPTION_FAILED'));
        assert.throws(() => cipher.seal(new Uint8Array(16), nonce, sealed), cryptoError('INVALID_LENGTH'));
        assert.throws(() => cipher.open(key, new Uint8Array(8), sealed), cryptoError('INVALID_LENGTH'));
      });

      test(`${algorithm}: omitted associated data is the same as empty`, () => {
        const key = new Uint8Array(32).fill(7);
        const nonce = new Uint8Array(cipher.nonceLength).fill(9);
        const sealed = cipher.seal(key, nonce, new Uint8Array([1, 2, 3]));
        assert.deepEqual(sealed, cipher.seal(key, nonce, new Uint8Array([1, 2, 3]), new Uint8Array(0)));
        assert.deepEqual(cipher.open(key, nonce, sealed, new Uint8Array(0)), new Uint8Array([1, 2, 3]));
      });
    }
  });
}

describe('AEAD backends agree', () => {
  for (const algorithm of AEAD_ALGORITHMS) {
    test(`${algorithm}: what one backend seals the other opens, byte for byte`, () => {
      const [node, pure] = [nodeBackend.aead(algorithm), pureBackend.aead(algorithm)];
      fc.assert(
        fc.property(freshInputs(algorithm), ({ key, nonce, plaintext, aad }) => {
          const sealed = node.seal(key, nonce, plaintext, aad);
          assert.deepEqual(pure.seal(key, nonce, plaintext, aad), sealed);
          assert.deepEqual(pure.open(key, nonce, sealed, aad), plaintext);
          assert.deepEqual(node.open(key, nonce, sealed, aad), plaintext);
        }),
        fuzzParameters(500),
      );
    });
  }
});
