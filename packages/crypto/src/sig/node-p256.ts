import { createECDH, createPrivateKey, createPublicKey, sign as opensslSign, verify as opensslVerify, type KeyObject } from 'node:crypto';
import { bytesToHex, numberToBytesBE } from '@noble/curves/utils.js';
import { p256 } from '@noble/curves/nist.js';
import type { SignatureScheme } from '../backend.js';
import { CURVE_ORDERS, EC_SCALAR_LENGTH, EC_SIGNATURE_LENGTH, hasUncompressedShape, parsePrivateScalar, splitSignature, toLowS } from './ec-params.js';
import { requireLength } from './input.js';
import { PublicKeyCache } from './key-cache.js';
import { checkEcPublicKey } from './noble-ecdsa.js';

/**
 * ECDSA P-256 with SHA-256 on node:crypto (OpenSSL). Signatures are normalised to low S;
 * verification accepts any r, s in [1, n−1], as the pure backend does.
 */

const n = CURVE_ORDERS['ECDSA-P256'];

/** DER prefixes (SEC 1 v2 §C.4, RFC 5480 §2) completed by the raw key bytes. */
const SEC1_PRIVATE_KEY_PREFIX = Uint8Array.from([0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20]);
const SEC1_PRIVATE_KEY_SUFFIX = Uint8Array.from([0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
const SPKI_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
  0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);

/** Importing a key costs about twice a verification; keep the parsed keys of recent signers. */
const publicKeys = new PublicKeyCache<KeyObject>(1024);

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  const id = bytesToHex(publicKey);
  let key = publicKeys.get(id);
  if (key === undefined) {
    const spki = new Uint8Array(SPKI_PREFIX.length + publicKey.length);
    spki.set(SPKI_PREFIX);
    spki.set(publicKey, SPKI_PREFIX.length);
    try {
      key = createPublicKey({ key: Buffer.from(spki.buffer), format: 'der', type: 'spki' });
    } catch {
      return undefined; // not a point on the curve
    }
    publicKeys.set(id, key);
  }
  return key;
}

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  parsePrivateScalar('ECDSA-P256', privateKey, n - 1n);
  const sec1 = new Uint8Array(SEC1_PRIVATE_KEY_PREFIX.length + EC_SCALAR_LENGTH + SEC1_PRIVATE_KEY_SUFFIX.length);
  sec1.set(SEC1_PRIVATE_KEY_PREFIX);
  sec1.set(privateKey, SEC1_PRIVATE_KEY_PREFIX.length);
  sec1.set(SEC1_PRIVATE_KEY_SUFFIX, SEC1_PRIVATE_KEY_PREFIX.length + EC_SCALAR_LENGTH);
  const key = createPrivateKey({ key: Buffer.from(sec1.buffer), format: 'der', type: 'sec1' });
  sec1.fill(0);
  return key;
}

function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  parsePrivateScalar('ECDSA-P256', privateKey, n - 1n);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return new Uint8Array(ecdh.getPublicKey());
}

export const nodeP256: SignatureScheme = {
  algorithm: 'ECDSA-P256',
  generateKeyPair() {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    // getPrivateKey drops leading zero bytes; the raw form is always 32 bytes.
    const privateKey = numberToBytesBE(BigInt(`0x${ecdh.getPrivateKey('hex')}`), EC_SCALAR_LENGTH);
    return { privateKey, publicKey: new Uint8Array(ecdh.getPublicKey()) };
  },
  derivePublicKey: publicKeyOf,
  sign(privateKey, message) {
    const rs = opensslSign('sha256', message, { key: privateKeyObject(privateKey), dsaEncoding: 'ieee-p1363' });
    return toLowS(new Uint8Array(rs), n);
  },
  verify(publicKey, message, signature) {
    const wellShaped = hasUncompressedShape('ECDSA-P256', publicKey);
    requireLength('ECDSA-P256 signature', signature, EC_SIGNATURE_LENGTH);
    if (!wellShaped || splitSignature(signature, n) === undefined) return false;
    const key = publicKeyObject(publicKey);
    return key !== undefined && opensslVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  },
  checkPublicKey(publicKey) {
    checkEcPublicKey('ECDSA-P256', publicKey, p256);
  },
  checkPrivateKey(privateKey) {
    parsePrivateScalar('ECDSA-P256', privateKey, n - 1n);
  },
};
