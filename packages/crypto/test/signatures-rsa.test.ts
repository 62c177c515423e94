import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { numberToBytesBE } from '@noble/curves/utils.js';
import { encodeRsaPrivateKey, parseRsaPrivateKey, parseRsaPublicKey, type RsaPrivateKey } from '../src/sig/rsa-key.js';
import { modInverse, modPow } from '../src/sig/rsa-pure.js';
import { BACKENDS, cryptoError, utf8 } from './vector-support.js';
import { eachScheme, RSA_TEST_KEYS } from './signatures-support.js';

const [nodeBackend, pureBackend] = BACKENDS as [(typeof BACKENDS)[number], (typeof BACKENDS)[number]];

describe('RSA (SHA256withRSA, JD Chain raw keys)', () => {
  for (const key of RSA_TEST_KEYS) {
    test(`${key.bits} bits: node and pure sign byte-identically, and both verify`, () => {
      const message = utf8(`rsa ${key.bits}`);
      const signature = nodeBackend.signature('RSA').sign(key.privateKey, message);
      assert.equal(signature.length, key.bits / 8);
      assert.deepEqual(pureBackend.signature('RSA').sign(key.privateKey, message), signature);
      for (const { scheme } of eachScheme('RSA')) {
        assert.deepEqual(scheme.derivePublicKey(key.privateKey), key.publicKey);
        assert.equal(scheme.verify(key.publicKey, message, signature), true);
      }
    });
  }

  test('the raw layout is n ‖ e ‖ d ‖ p ‖ q ‖ dp ‖ dq ‖ qinv, and the public key is its first k + 3 bytes', () => {
    for (const { bits, privateKey, publicKey } of RSA_TEST_KEYS) {
      const k = bits / 8;
      assert.equal(privateKey.length, 2 * k + 3 + (5 * k) / 2);
      assert.deepEqual(privateKey.subarray(0, k + 3), publicKey);
      const parsed = parseRsaPrivateKey(privateKey);
      assert.equal(parsed.p * parsed.q, parsed.n);
      assert.deepEqual(encodeRsaPrivateKey(parsed), privateKey);
    }
  });

  const base = parseRsaPrivateKey(RSA_TEST_KEYS[0]!.privateKey);
  const broken: Record<string, RsaPrivateKey> = {
    'qinv off by one': { ...base, qinv: base.qinv + 1n },
    'dp off by one': { ...base, dp: base.dp + 1n },
    'd inconsistent with dp, dq': { ...base, d: base.d - 2n },
    'p and q swapped without a new qinv': { ...base, p: base.q, q: base.p },
  };
  for (const { backend, scheme } of eachScheme('RSA')) {
    test(`${backend.name}: inconsistent CRT parts are INVALID_KEY before any signing`, () => {
      for (const [name, key] of Object.entries(broken)) {
        const raw = encodeRsaPrivateKey(key);
        assert.throws(() => scheme.checkPrivateKey(raw), cryptoError('INVALID_KEY'), name);
        assert.throws(() => scheme.sign(raw, utf8('m')), cryptoError('INVALID_KEY'), name);
      }
    });

    test(`${backend.name}: a wrong exponent or a short or even modulus is INVALID_KEY and verifies nothing`, () => {
      const { publicKey, privateKey } = RSA_TEST_KEYS[0]!;
      const signature = scheme.sign(privateKey, utf8('m'));
      const exponent3 = Uint8Array.from(publicKey);
      exponent3.set([0, 0, 3], 256);
      const shortModulus = Uint8Array.from(publicKey);
      shortModulus[0] = 0x7f;
      const evenModulus = Uint8Array.from(publicKey);
      evenModulus[255] = evenModulus[255]! & 0xfe;
      for (const bad of [exponent3, shortModulus, evenModulus]) {
        assert.throws(() => scheme.checkPublicKey(bad), cryptoError('INVALID_KEY'));
        assert.equal(scheme.verify(bad, utf8('m'), signature), false);
      }
    });

    test(`${backend.name}: signature representatives ≥ n are invalid (RFC 8017 §5.2.2)`, () => {
      const { publicKey, privateKey } = RSA_TEST_KEYS[0]!;
      const { n } = parseRsaPublicKey(publicKey);
      const signature = scheme.sign(privateKey, utf8('m'));
      const plusN = BigInt(`0x${Buffer.from(signature).toString('hex')}`) + n;
      for (const value of [n, n + 1n, plusN, 2n ** 2048n - 1n]) {
        if (value >= 2n ** 2048n) continue;
        assert.equal(scheme.verify(publicKey, utf8('m'), numberToBytesBE(value, 256)), false);
      }
      for (const value of [0n, 1n, n - 1n]) assert.equal(scheme.verify(publicKey, utf8('m'), numberToBytesBE(value, 256)), false);
    });

    test(`${backend.name}: generates 2048-bit keys that pass the checks`, () => {
      const { privateKey, publicKey } = scheme.generateKeyPair();
      scheme.checkPrivateKey(privateKey);
      scheme.checkPublicKey(publicKey);
      assert.equal(publicKey.length, 259);
      assert.equal(scheme.verify(publicKey, utf8('fresh'), scheme.sign(privateKey, utf8('fresh'))), true);
    });
  }

  test('modPow and modInverse agree with the definitions', () => {
    const m = 1000003n;
    assert.equal(modPow(2n, 0n, m), 1n);
    assert.equal(modPow(2n, 20n, m), (2n ** 20n) % m);
    assert.equal(modPow(-5n, 3n, m), (((-125n % m) + m) % m));
    assert.equal((modInverse(12345n, m) * 12345n) % m, 1n);
    assert.throws(() => modInverse(6n, 9n), RangeError);
  });
});
