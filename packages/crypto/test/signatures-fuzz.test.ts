import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../src/algorithms.js';
import { CryptoError } from '../src/errors.js';
import { BACKENDS, fromHex, fuzzParameters, utf8 } from './vector-support.js';
import { eachScheme, fixedKeyPair, flipBit } from './signatures-support.js';

/**
 * Property tests (fixed seed, JADECHAIN_SEED overrides; fast-check prints the seed of a failure):
 * verify never throws anything but a CryptoError, random and mutated signatures never verify,
 * and on Ed25519 edge cases the two backends never disagree.
 */

/** Runs per property: pure-JS curve arithmetic costs about a millisecond per verification. */
function runsFor(backendName: string, algorithm: SignatureAlgorithm): number {
  if (backendName === 'node' && algorithm !== 'SM2' && algorithm !== 'ECDSA-SECP256K1') return 3000;
  return algorithm === 'RSA' ? 500 : 300;
}

/** Random bytes of the right length; EC keys keep their 0x04 prefix half the time. */
function keyLike(algorithm: SignatureAlgorithm, publicKey: Uint8Array): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ minLength: publicKey.length, maxLength: publicKey.length });
  const prefixed = random.map((bytes) => (publicKey.length === 65 ? Uint8Array.from([0x04, ...bytes.subarray(1)]) : bytes));
  const rsaShaped = random.map((bytes) => Uint8Array.from([bytes[0]! | 0x80, ...bytes.subarray(1, -3), 1, 0, 1]));
  return fc.oneof(fc.constant(publicKey), random, algorithm === 'RSA' ? rsaShaped : prefixed);
}

/** Random signatures; Ed25519 ones half the time with S < 2^252 < L, so that they reach the curve arithmetic. */
function signatureLike(algorithm: SignatureAlgorithm, length: number): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ minLength: length, maxLength: length });
  if (algorithm !== 'ED25519') return random;
  return fc.oneof(random, random.map((bytes) => Uint8Array.from([...bytes.subarray(0, 63), bytes[63]! & 0x0f])));
}

for (const algorithm of SIGNATURE_ALGORITHMS) {
  const pair = fixedKeyPair(algorithm);
  const signatureLength = BACKENDS[0]!.signature(algorithm).sign(pair.privateKey, utf8('x')).length;

  describe(`${algorithm} verify fuzz`, () => {
    for (const { backend, scheme } of eachScheme(algorithm)) {
      test(`${backend.name}: random keys and signatures of the right length never verify and never throw`, () => {
        fc.assert(
          fc.property(
            keyLike(algorithm, pair.publicKey),
            fc.uint8Array({ maxLength: 48 }),
            signatureLike(algorithm, signatureLength),
            (publicKey, message, signature) => {
              assert.equal(scheme.verify(publicKey, message, signature), false);
            },
          ),
          fuzzParameters(runsFor(backend.name, algorithm)),
        );
      });

      test(`${backend.name}: inputs of any other length are a CryptoError INVALID_LENGTH, nothing else`, () => {
        const length = fc.nat({ max: 600 });
        fc.assert(
          fc.property(length, length, fc.boolean(), (keyLength, signatureLengthDrawn, breakKey) => {
            const publicKey = breakKey ? new Uint8Array(keyLength).fill(4) : pair.publicKey;
            const signature = new Uint8Array(signatureLengthDrawn);
            fc.pre(publicKey.length !== pair.publicKey.length || signature.length !== signatureLength);
            try {
              scheme.verify(publicKey, utf8('m'), signature);
              assert.fail('verify returned for a wrong length');
            } catch (error) {
              assert.ok(error instanceof CryptoError && error.code === 'INVALID_LENGTH', String(error));
            }
          }),
          fuzzParameters(1000),
        );
      });
    }

    test('one changed bit in the signature or the message: both backends say false', () => {
      const message = utf8(`mutation base ${algorithm}`);
      const signature = BACKENDS[0]!.signature(algorithm).sign(pair.privateKey, message);
      fc.assert(
        fc.property(fc.boolean(), fc.nat(), (inSignature, bit) => {
          const changedSignature = inSignature ? flipBit(signature, bit) : signature;
          const changedMessage = inSignature ? message : flipBit(message, bit);
          for (const backend of BACKENDS) {
            assert.equal(backend.signature(algorithm).verify(pair.publicKey, changedMessage, changedSignature), false, backend.name);
          }
        }),
        fuzzParameters(algorithm === 'RSA' ? 300 : 150),
      );
    });
  });
}

describe('Ed25519: node (libsodium) and pure (ed25519-strict.ts) agree on edge cases', () => {
  const Point = ed25519.Point;
  const L = Point.Fn.ORDER;
  const p = Point.Fp.ORDER;
  // A point of order 8 (its y is in libsodium's small-order list); its multiples are the 8 torsion points.
  const T8 = Point.fromBytes(fromHex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));
  const torsion = [Point.ZERO];
  for (let i = 1; i < 8; i++) torsion.push(torsion[i - 1]!.add(T8));

  test('the torsion points have the orders the generator assumes', () => {
    assert.ok(T8.double().double().double().is0() && !T8.double().double().is0());
  });

  const cases = fc.record({
    a: fc.bigInt({ min: 1n, max: L - 1n }),
    r: fc.bigInt({ min: 1n, max: L - 1n }),
    message: fc.uint8Array({ maxLength: 40 }),
    torsionA: fc.nat({ max: 7 }),
    torsionR: fc.nat({ max: 7 }),
    mode: fc.constantFrom('clean', 'mixed', 'small A', 'small R', 'S + L', 'S = 0', 'non-canonical A', 'non-canonical R', 'bit flip'),
    small: fc.nat({ max: 18 }),
    bit: fc.nat({ max: 511 }),
  });

  test('same verdict on honest, mixed-order, small-order, non-canonical and malleated signatures', () => {
    let accepted = 0;
    fc.assert(
      fc.property(cases, (c) => {
        const clean = c.mode === 'clean';
        let A = Point.BASE.multiply(c.a).add(clean ? Point.ZERO : torsion[c.torsionA]!);
        let R = Point.BASE.multiply(c.r).add(clean ? Point.ZERO : torsion[c.torsionR]!);
        if (c.mode === 'small A') A = torsion[c.torsionA]!;
        if (c.mode === 'small R') R = torsion[c.torsionR]!;
        let encodedA: Uint8Array = A.toBytes();
        const encodedR = R.toBytes();
        const k = bytesToNumberLE(sha512(concatBytes(encodedR, encodedA, c.message))) % L;
        let S = (c.r + k * c.a) % L;
        if (c.mode === 'S + L') S += L;
        if (c.mode === 'S = 0') S = 0n;
        let signature: Uint8Array = concatBytes(encodedR, numberToBytesLE(S, 32));
        // y + p for small y is the only room for a second encoding of y (2^255 − 19 + y < 2^255).
        const nonCanonical = numberToBytesLE(BigInt(c.small) + p, 32);
        if (c.mode === 'non-canonical A') encodedA = nonCanonical;
        if (c.mode === 'non-canonical R') signature = concatBytes(nonCanonical, signature.subarray(32));
        if (c.mode === 'bit flip') signature = flipBit(signature, c.bit);
        const [node, pure] = BACKENDS.map((backend) => backend.signature('ED25519').verify(encodedA, c.message, signature));
        assert.equal(pure, node, `mode ${c.mode}`);
        if (node === true) accepted++;
      }),
      fuzzParameters(400),
    );
    assert.ok(accepted > 20, `only ${accepted} accepted cases: the generator no longer exercises valid signatures`);
  });
});
