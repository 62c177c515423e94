import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../src/algorithms.js';
import { CURVE_ORDERS, type EcAlgorithm } from '../src/sig/ec-params.js';
import { PublicKeyCache } from '../src/sig/key-cache.js';
import { BACKENDS, cryptoError, fromHex, utf8 } from './vector-support.js';
import { eachScheme, fixedKeyPair, flipBit } from './signatures-support.js';

const EC_ALGORITHMS: readonly EcAlgorithm[] = ['ECDSA-P256', 'ECDSA-SECP256K1', 'SM2'];
const [nodeBackend, pureBackend] = BACKENDS as [(typeof BACKENDS)[number], (typeof BACKENDS)[number]];

/** Raw lengths: [public key, private key, signature]; RSA as the 2048-bit fixture key. */
const LENGTHS: Record<SignatureAlgorithm, readonly [number, number, number]> = {
  ED25519: [32, 32, 64],
  'ECDSA-P256': [65, 32, 64],
  'ECDSA-SECP256K1': [65, 32, 64],
  SM2: [65, 32, 64],
  RSA: [259, 1155, 256],
};

for (const algorithm of SIGNATURE_ALGORITHMS) {
  const pair = fixedKeyPair(algorithm);
  const message = utf8(`JadeChain ${algorithm} message`);

  for (const { backend, scheme } of eachScheme(algorithm)) {
    describe(`${algorithm} on the ${backend.name} backend`, () => {
      test('signs so that both backends verify, and any change to message, signature or key fails', () => {
        const signature = scheme.sign(pair.privateKey, message);
        assert.equal(signature.length, LENGTHS[algorithm][2]);
        for (const verifier of BACKENDS) {
          const verify = verifier.signature(algorithm).verify;
          assert.equal(verify(pair.publicKey, message, signature), true, verifier.name);
          assert.equal(verify(pair.publicKey, utf8(`JadeChain ${algorithm} message.`), signature), false);
          for (const bit of [0, 9, 8 * signature.length - 1, 8 * 17 + 3]) {
            assert.equal(verify(pair.publicKey, message, flipBit(signature, bit)), false, `signature bit ${bit}`);
          }
        }
        // A different, valid key of the same algorithm (RSA: a modulus bit flipped, which keeps the shape).
        const otherKey = algorithm === 'RSA' ? flipBit(pair.publicKey, 8 * 100) : nodeBackend.signature(algorithm).generateKeyPair().publicKey;
        assert.equal(scheme.verify(otherKey, message, signature), false);
      });

      test('derives the public key the other backend derives, and accepts its own keys', () => {
        assert.deepEqual(scheme.derivePublicKey(pair.privateKey), pair.publicKey);
        scheme.checkPrivateKey(pair.privateKey);
        scheme.checkPublicKey(pair.publicKey);
      });

      test('wrong lengths are INVALID_LENGTH in every entry point, verify included', () => {
        const [publicLength, privateLength, signatureLength] = LENGTHS[algorithm];
        const signature = new Uint8Array(signatureLength);
        for (const length of [0, publicLength - 1, publicLength + 1]) {
          const key = new Uint8Array(length).fill(4);
          assert.throws(() => scheme.verify(key, message, signature), cryptoError('INVALID_LENGTH'), `public key of ${length}`);
          assert.throws(() => scheme.checkPublicKey(key), cryptoError('INVALID_LENGTH'));
        }
        for (const length of [0, signatureLength - 1, signatureLength + 1]) {
          assert.throws(() => scheme.verify(pair.publicKey, message, new Uint8Array(length)), cryptoError('INVALID_LENGTH'), `signature of ${length}`);
        }
        for (const length of [0, privateLength - 1, privateLength + 1]) {
          const key = new Uint8Array(length).fill(1);
          assert.throws(() => scheme.sign(key, message), cryptoError('INVALID_LENGTH'), `private key of ${length}`);
          assert.throws(() => scheme.derivePublicKey(key), cryptoError('INVALID_LENGTH'));
          assert.throws(() => scheme.checkPrivateKey(key), cryptoError('INVALID_LENGTH'));
        }
      });
    });
  }
}

describe('unusable keys of the right length', () => {
  for (const algorithm of EC_ALGORITHMS) {
    const n = CURVE_ORDERS[algorithm];
    for (const { backend, scheme } of eachScheme(algorithm)) {
      test(`${algorithm}, ${backend.name}: points off the curve or not uncompressed make verify false and checkPublicKey INVALID_KEY`, () => {
        const { publicKey, privateKey } = fixedKeyPair(algorithm);
        const signature = scheme.sign(privateKey, utf8('m'));
        const offCurve = flipBit(publicKey, 8 * 64);
        const compressedPrefix = Uint8Array.from(publicKey);
        compressedPrefix[0] = 0x02;
        const xTooLarge = Uint8Array.from([0x04, ...new Uint8Array(64).fill(0xff)]);
        for (const bad of [offCurve, compressedPrefix, xTooLarge, new Uint8Array(65)]) {
          assert.equal(scheme.verify(bad, utf8('m'), signature), false);
          assert.throws(() => scheme.checkPublicKey(bad), cryptoError('INVALID_KEY'));
        }
      });

      test(`${algorithm}, ${backend.name}: private scalars outside [1, n−1] (SM2: [1, n−2]) are INVALID_KEY`, () => {
        const top = algorithm === 'SM2' ? n - 2n : n - 1n;
        for (const d of [0n, top + 1n, n, 2n ** 256n - 1n]) {
          const key = numberToBytesBE(d, 32);
          assert.throws(() => scheme.sign(key, utf8('m')), cryptoError('INVALID_KEY'), `d = ${d}`);
          assert.throws(() => scheme.derivePublicKey(key), cryptoError('INVALID_KEY'));
          assert.throws(() => scheme.checkPrivateKey(key), cryptoError('INVALID_KEY'));
        }
        for (const d of [1n, top]) {
          const key = numberToBytesBE(d, 32);
          const signature = scheme.sign(key, utf8('edge'));
          assert.equal(scheme.verify(scheme.derivePublicKey(key), utf8('edge'), signature), true, `d = ${d}`);
        }
      });
    }
  }

  for (const { backend, scheme } of eachScheme('ED25519')) {
    test(`ED25519, ${backend.name}: small-order and non-canonical public keys are INVALID_KEY and verify nothing`, () => {
      const identity = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
      const nonCanonical = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      const signature = scheme.sign(fixedKeyPair('ED25519').privateKey, utf8('m'));
      for (const bad of [identity, nonCanonical]) {
        assert.throws(() => scheme.checkPublicKey(bad), cryptoError('INVALID_KEY'));
        assert.equal(scheme.verify(bad, utf8('m'), signature), false);
      }
    });
  }
});

describe('ECDSA signatures are low-S, verification accepts high S', () => {
  for (const algorithm of ['ECDSA-P256', 'ECDSA-SECP256K1'] as const) {
    const n = CURVE_ORDERS[algorithm];
    for (const { backend, scheme } of eachScheme(algorithm)) {
      test(`${algorithm}, ${backend.name}`, () => {
        const { publicKey, privateKey } = fixedKeyPair(algorithm);
        for (let i = 0; i < 16; i++) {
          const message = utf8(`low-s ${i}`);
          const signature = scheme.sign(privateKey, message);
          const s = bytesToNumberBE(signature.subarray(32));
          assert.ok(s <= n / 2n, `s of signature ${i} is high`);
          const highS = Uint8Array.from([...signature.subarray(0, 32), ...numberToBytesBE(n - s, 32)]);
          for (const verifier of BACKENDS) assert.equal(verifier.signature(algorithm).verify(publicKey, message, highS), true);
        }
      });
    }
  }
});

describe('deterministic schemes give byte-identical signatures in both backends', () => {
  for (const algorithm of ['ED25519', 'ECDSA-SECP256K1', 'RSA'] as const) {
    test(algorithm, () => {
      const { privateKey } = fixedKeyPair(algorithm);
      for (const text of ['', 'a', 'JadeChain transaction']) {
        assert.deepEqual(pureBackend.signature(algorithm).sign(privateKey, utf8(text)), nodeBackend.signature(algorithm).sign(privateKey, utf8(text)));
      }
    });
  }
});

describe('generated key pairs', () => {
  for (const algorithm of SIGNATURE_ALGORITHMS.filter((a) => a !== 'RSA')) {
    for (const { backend, scheme } of eachScheme(algorithm)) {
      test(`${algorithm}, ${backend.name}: pass the key checks, derive each other and differ each time`, () => {
        const first = scheme.generateKeyPair();
        const second = scheme.generateKeyPair();
        assert.notDeepEqual(first.privateKey, second.privateKey);
        for (const { privateKey, publicKey } of [first, second]) {
          scheme.checkPrivateKey(privateKey);
          scheme.checkPublicKey(publicKey);
          assert.deepEqual(scheme.derivePublicKey(privateKey), publicKey);
        }
      });
    }
  }
});

describe('PublicKeyCache', () => {
  test('keeps the most recently used entries up to its capacity', () => {
    const cache = new PublicKeyCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1); // a is now the most recent
    cache.set('c', 3); // evicts b
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });
});
