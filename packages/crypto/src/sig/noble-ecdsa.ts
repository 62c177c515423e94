import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SignatureScheme } from '../backend.js';
import { invalidKey, requireLength } from './input.js';
import {
  CURVE_ORDERS,
  EC_SIGNATURE_LENGTH,
  hasUncompressedShape,
  parsePrivateScalar,
  splitSignature,
  type EcAlgorithm,
} from './ec-params.js';

/**
 * ECDSA with SHA-256 on @noble/curves: both backends use it for secp256k1 (node:crypto is no
 * faster there), the pure backend also for P-256. Signing is deterministic (RFC 6979) and low-S;
 * verification accepts any r, s in [1, n−1], high S included.
 */
export function nobleEcdsaScheme(algorithm: 'ECDSA-P256' | 'ECDSA-SECP256K1'): SignatureScheme {
  const curve: ECDSA = algorithm === 'ECDSA-P256' ? p256 : secp256k1;
  const n = CURVE_ORDERS[algorithm];

  const privateScalar = (privateKey: Uint8Array): bigint => parsePrivateScalar(algorithm, privateKey, n - 1n);

  return {
    algorithm,
    generateKeyPair() {
      const privateKey = curve.utils.randomSecretKey();
      return { privateKey, publicKey: curve.getPublicKey(privateKey, false) };
    },
    derivePublicKey(privateKey) {
      privateScalar(privateKey);
      return curve.getPublicKey(privateKey, false);
    },
    sign(privateKey, message) {
      privateScalar(privateKey);
      // prehash: SHA-256 of the message; no extra entropy: k per RFC 6979 §3.2.
      return curve.sign(message, privateKey, { prehash: true, lowS: true });
    },
    verify(publicKey, message, signature) {
      const wellShaped = hasUncompressedShape(algorithm, publicKey);
      requireLength(`${algorithm} signature`, signature, EC_SIGNATURE_LENGTH);
      if (!wellShaped || splitSignature(signature, n) === undefined) return false;
      try {
        return curve.verify(signature, message, publicKey, { prehash: true, lowS: false });
      } catch {
        return false; // a point not on the curve
      }
    },
    checkPublicKey(publicKey) {
      checkEcPublicKey(algorithm, publicKey, curve);
    },
    checkPrivateKey(privateKey) {
      privateScalar(privateKey);
    },
  };
}

/** An uncompressed point on the curve (the point at infinity has no such encoding). */
export function checkEcPublicKey(algorithm: EcAlgorithm, publicKey: Uint8Array, curve: ECDSA): void {
  if (!hasUncompressedShape(algorithm, publicKey)) throw invalidKey(`${algorithm} public key must start with 0x04`);
  try {
    curve.Point.fromBytes(publicKey).assertValidity();
  } catch {
    throw invalidKey(`${algorithm} public key is not a point on the curve`);
  }
}
