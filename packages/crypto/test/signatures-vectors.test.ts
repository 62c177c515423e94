import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { numberToBytesBE } from '@noble/curves/utils.js';
import { sm2 } from 'sm-crypto-v2';
import { signatureFromDer } from '../src/sig/der.js';
import { CURVE_ORDERS } from '../src/sig/ec-params.js';
import { signSm2, verifySm2 } from '../src/sig/sm2.js';
import { BACKENDS, fromHex, readVectors, utf8 } from './vector-support.js';
import { eachScheme } from './signatures-support.js';

/** Standard vectors, each run against both backends (sources cited in the vector files). */

interface Ed25519Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

describe('Ed25519, RFC 8032 §7.1', () => {
  const { vectors } = readVectors<{ vectors: Ed25519Vector[] }>('signatures/ed25519-rfc8032.json');
  for (const { backend, scheme } of eachScheme('ED25519')) {
    for (const v of vectors) {
      test(`${v.name}, ${backend.name}: derives the public key, signs byte for byte, verifies`, () => {
        const seed = fromHex(v.secretKey);
        assert.deepEqual(scheme.derivePublicKey(seed), fromHex(v.publicKey));
        assert.deepEqual(scheme.sign(seed, fromHex(v.message)), fromHex(v.signature));
        assert.equal(scheme.verify(fromHex(v.publicKey), fromHex(v.message), fromHex(v.signature)), true);
      });
    }
  }
});

interface EdgeCase {
  index: number;
  message: string;
  publicKey: string;
  signature: string;
  valid: boolean;
  reason: string;
}

describe('Ed25519 edge cases ("Taming the many EdDSAs"): one verdict, both backends', () => {
  const { vectors } = readVectors<{ vectors: EdgeCase[] }>('signatures/ed25519-edge-cases.json');
  test('the file holds the 15 speccheck vectors and exactly one of them is valid', () => {
    assert.equal(vectors.length, 15);
    assert.deepEqual(vectors.filter((v) => v.valid).map((v) => v.index), [6]);
  });
  for (const { backend, scheme } of eachScheme('ED25519')) {
    test(backend.name, () => {
      for (const v of vectors) {
        assert.equal(scheme.verify(fromHex(v.publicKey), fromHex(v.message), fromHex(v.signature)), v.valid, `vector ${v.index}: ${v.reason}`);
      }
    });
  }
});

interface P256File {
  privateKey: string;
  publicKeyX: string;
  publicKeyY: string;
  vectors: { message: string; r: string; s: string }[];
}

describe('ECDSA P-256 with SHA-256, RFC 6979 §A.2.5', () => {
  const file = readVectors<P256File>('signatures/ecdsa-p256-rfc6979.json');
  const n = CURVE_ORDERS['ECDSA-P256'];
  const publicKey = fromHex(`04${file.publicKeyX}${file.publicKeyY}`);
  for (const { backend, scheme } of eachScheme('ECDSA-P256')) {
    test(`${backend.name}: derives U, verifies both signatures and their low-S twins`, () => {
      assert.deepEqual(scheme.derivePublicKey(fromHex(file.privateKey)), publicKey);
      for (const v of file.vectors) {
        const s = BigInt(`0x${v.s}`);
        assert.equal(scheme.verify(publicKey, utf8(v.message), fromHex(`${v.r}${v.s}`)), true, v.message);
        assert.equal(scheme.verify(publicKey, utf8(v.message), fromHex(v.r + Buffer.from(numberToBytesBE(n - s, 32)).toString('hex'))), true);
        assert.equal(scheme.verify(publicKey, utf8(`${v.message}.`), fromHex(`${v.r}${v.s}`)), false);
      }
    });
  }
  test('pure backend (deterministic k): signs exactly r ‖ min(s, n − s)', () => {
    for (const v of file.vectors) {
      const s = BigInt(`0x${v.s}`);
      const lowS = s > n / 2n ? n - s : s;
      const expected = fromHex(v.r + Buffer.from(numberToBytesBE(lowS, 32)).toString('hex'));
      assert.deepEqual(BACKENDS[1]!.signature('ECDSA-P256').sign(fromHex(file.privateKey), utf8(v.message)), expected);
    }
  });
});

interface Secp256k1File {
  vectors: { privateKey: string; message: string; signatureDer: string }[];
}

describe('ECDSA secp256k1 with SHA-256, RFC 6979 vectors of btcd/trezor-crypto', () => {
  const { vectors } = readVectors<Secp256k1File>('signatures/ecdsa-secp256k1-rfc6979.json');
  for (const { backend, scheme } of eachScheme('ECDSA-SECP256K1')) {
    test(`${backend.name}: signs exactly the low-S DER signature (as r ‖ s) and verifies it`, () => {
      for (const v of vectors) {
        const expected = signatureFromDer('ECDSA-SECP256K1', fromHex(v.signatureDer));
        const privateKey = fromHex(v.privateKey);
        assert.deepEqual(scheme.sign(privateKey, utf8(v.message)), expected, v.message);
        assert.equal(scheme.verify(scheme.derivePublicKey(privateKey), utf8(v.message), expected), true);
      }
    });
  }
});

interface Sm2File {
  userId: string;
  message: string;
  privateKey: string;
  publicKey: string;
  k: string;
  r: string;
  s: string;
}

describe('SM2, GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A', () => {
  const v = readVectors<Sm2File>('signatures/sm2-gmt0003.json');
  const signature = fromHex(v.r + v.s);
  test('signing with the standard k reproduces r and s exactly', () => {
    assert.deepEqual(signSm2(fromHex(v.privateKey), utf8(v.message), { userId: v.userId, nonce: BigInt(`0x${v.k}`) }), signature);
  });
  test('the user ID is part of what is signed', () => {
    assert.equal(verifySm2(fromHex(v.publicKey), utf8(v.message), signature, v.userId), true);
    assert.equal(verifySm2(fromHex(v.publicKey), utf8(v.message), signature, 'ALICE123@YAHOO.COM'), false);
  });
  for (const { backend, scheme } of eachScheme('SM2')) {
    test(`${backend.name}: derives the public key and verifies with the default user ID, repeatedly (key precomputation)`, () => {
      assert.deepEqual(scheme.derivePublicKey(fromHex(v.privateKey)), fromHex(v.publicKey));
      for (let i = 0; i < 3; i++) {
        assert.equal(scheme.verify(fromHex(v.publicKey), utf8(v.message), signature), true, `round ${i}`);
        assert.equal(scheme.verify(fromHex(v.publicKey), utf8('message digesT'), signature), false, `round ${i}`);
      }
    });
  }
});

interface RsaFile {
  modulus: string;
  publicExponent: string;
  vectors: { tcId: number; message: string; signature: string; valid: boolean }[];
}

describe('RSASSA-PKCS1-v1_5 with SHA-256, Wycheproof', () => {
  const file = readVectors<RsaFile>('signatures/rsa-pkcs1v15-sha256.json');
  const publicKey = fromHex(file.modulus + file.publicExponent);
  for (const { backend, scheme } of eachScheme('RSA')) {
    test(backend.name, () => {
      for (const v of file.vectors) {
        assert.equal(scheme.verify(publicKey, fromHex(v.message), fromHex(v.signature)), v.valid, `tcId ${v.tcId}`);
      }
    });
  }
});

test('the group orders in ec-params.ts are the curve libraries\' orders', () => {
  assert.equal(CURVE_ORDERS['ECDSA-P256'], p256.Point.Fn.ORDER);
  assert.equal(CURVE_ORDERS['ECDSA-SECP256K1'], secp256k1.Point.Fn.ORDER);
  // SM2: (n − 1)·G = −G, which has G's x coordinate and not its y.
  const minusG = sm2.getPublicKeyFromPrivateKey((CURVE_ORDERS.SM2 - 1n).toString(16).padStart(64, '0'));
  const g = sm2.getPublicKeyFromPrivateKey('1'.padStart(64, '0'));
  assert.equal(minusG.slice(2, 66), g.slice(2, 66));
  assert.notEqual(minusG.slice(66), g.slice(66));
});
