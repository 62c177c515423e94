import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { numberToBytesBE } from '@noble/curves/utils.js';
import fc from 'fast-check';
import { signatureFromDer, signatureToDer } from '../src/sig/der.js';
import { CURVE_ORDERS, type EcAlgorithm } from '../src/sig/ec-params.js';
import { cryptoError, fromHex, fuzzParameters, rejectsWithCryptoError, toHex } from './vector-support.js';

const ALGORITHMS: readonly EcAlgorithm[] = ['ECDSA-P256', 'ECDSA-SECP256K1', 'SM2'];

const raw = (r: bigint, s: bigint): Uint8Array => Uint8Array.from([...numberToBytesBE(r, 32), ...numberToBytesBE(s, 32)]);

describe('signatureToDer / signatureFromDer', () => {
  test('minimal INTEGERs: a 0x00 only before a high bit, leading zeros stripped', () => {
    const der = signatureToDer('ECDSA-P256', raw(0x80n, 1n));
    assert.equal(toHex(der), '300702020080020101');
    assert.deepEqual(signatureFromDer('ECDSA-P256', der), raw(0x80n, 1n));
    const n = CURVE_ORDERS['ECDSA-P256'];
    const full = signatureToDer('ECDSA-P256', raw(n - 1n, 0x7fn));
    assert.equal(full.length, 2 + 35 + 3);
    assert.equal(toHex(full.subarray(0, 5)), '3026022100');
  });

  test('rejects BER and malformed encodings with INVALID_SIGNATURE_ENCODING', () => {
    assert.deepEqual(signatureFromDer('SM2', fromHex('3006020101020101')), raw(1n, 1n)); // the well-formed baseline
    const bad: Record<string, string> = {
      empty: '',
      'wrong outer tag': '3106020101020101',
      'long-form length': '308106020101020101',
      'length longer than input': '3007020101020101',
      'trailing byte': '300602010102010100',
      'truncated INTEGER': '3006020101020201',
      'second element not INTEGER': '3006020101040101',
      'zero-length INTEGER': '30050201010200',
      'negative r': '3006020181020101',
      'needless leading zero': '300702020001020101',
      'r = 0': '3006020100020101',
      'one INTEGER only': '3003020101',
      'three INTEGERs': '3009020101020101020101',
    };
    for (const [name, hex] of Object.entries(bad)) {
      assert.throws(() => signatureFromDer('SM2', fromHex(hex)), cryptoError('INVALID_SIGNATURE_ENCODING'), name);
    }
    assert.throws(() => signatureFromDer('SM2', new Uint8Array(73).fill(0x30)), cryptoError('INVALID_SIGNATURE_ENCODING'));
  });

  test('scalars must lie in [1, n−1] in both directions', () => {
    for (const algorithm of ALGORITHMS) {
      const n = CURVE_ORDERS[algorithm];
      for (const [r, s] of [[0n, 1n], [1n, 0n], [n, 1n], [1n, n]] as const) {
        assert.throws(() => signatureToDer(algorithm, raw(r, s)), cryptoError('INVALID_SIGNATURE_ENCODING'));
      }
      const atN = Uint8Array.from([0x30, 0x26, 0x02, 0x21, 0x00, ...numberToBytesBE(n, 32), 0x02, 0x01, 0x01]);
      assert.throws(() => signatureFromDer(algorithm, atN), cryptoError('INVALID_SIGNATURE_ENCODING'));
    }
  });

  test('only ECDSA and SM2 have DER signatures; raw input must be 64 bytes', () => {
    assert.throws(() => signatureToDer('ED25519', new Uint8Array(64)), cryptoError('WRONG_ALGORITHM'));
    assert.throws(() => signatureFromDer('RSA', fromHex('3006020101020101')), cryptoError('WRONG_ALGORITHM'));
    assert.throws(() => signatureToDer('SM2', new Uint8Array(63)), cryptoError('INVALID_LENGTH'));
  });

  test('fuzz: every raw (r, s) in range round-trips through DER', () => {
    for (const algorithm of ALGORITHMS) {
      const n = CURVE_ORDERS[algorithm];
      const scalar = fc.oneof(fc.bigInt({ min: 1n, max: n - 1n }), fc.constantFrom(1n, 0x7fn, 0x80n, 0xffn, 0x100n, n - 1n, n >> 1n, 2n ** 255n));
      fc.assert(
        fc.property(scalar, scalar, (r, s) => {
          const der = signatureToDer(algorithm, raw(r, s));
          assert.deepEqual(signatureFromDer(algorithm, der), raw(r, s));
        }),
        fuzzParameters(2000),
      );
    }
  });

  test('fuzz: random and mutated input is either canonical DER or a CryptoError, never anything else', () => {
    const n = CURVE_ORDERS.SM2;
    const valid = fc.tuple(fc.bigInt({ min: 1n, max: n - 1n }), fc.bigInt({ min: 1n, max: n - 1n })).map(([r, s]) => signatureToDer('SM2', raw(r, s)));
    const mutated = fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })).map(([der, at, value, kind]) => {
      const i = at % der.length;
      if (kind === 0) return Uint8Array.from([...der.subarray(0, i), value, ...der.subarray(i + 1)]);
      if (kind === 1) return der.subarray(0, i);
      if (kind === 2) return Uint8Array.from([...der, value]);
      return Uint8Array.from([...der.subarray(0, i), value, ...der.subarray(i)]);
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), (input) => {
        let decoded: Uint8Array | undefined;
        const rejected = rejectsWithCryptoError(() => (decoded = signatureFromDer('SM2', input)));
        // Whatever decodes re-encodes to exactly the input: there is one DER form per signature.
        if (!rejected) assert.deepEqual(signatureToDer('SM2', decoded!), input);
      }),
      fuzzParameters(5000),
    );
  });
});
