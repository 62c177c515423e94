import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import type { SignatureAlgorithm } from '../algorithms.js';
import { CryptoError } from '../errors.js';
import { invalidKey, requireLength } from './input.js';

/** The elliptic-curve signature algorithms whose signatures are a pair (r, s). */
export type EcAlgorithm = 'ECDSA-P256' | 'ECDSA-SECP256K1' | 'SM2';

/**
 * Group orders n: FIPS 186-4 §D.1.2.3 (P-256), SEC 2 v2 §2.4.1 (secp256k1), GB/T 32918.5-2017
 * §3 (SM2 recommended curve). The signature tests check them against the curve libraries.
 */
export const CURVE_ORDERS: Readonly<Record<EcAlgorithm, bigint>> = {
  'ECDSA-P256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'ECDSA-SECP256K1': 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
  SM2: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
};

export const EC_SCALAR_LENGTH = 32;
/** Raw public keys are uncompressed points 04‖x‖y. */
export const EC_PUBLIC_KEY_LENGTH = 65;
export const UNCOMPRESSED_POINT_PREFIX = 0x04;
/** Raw signatures are r‖s, each 32 bytes big-endian. */
export const EC_SIGNATURE_LENGTH = 64;

export function ecAlgorithm(algorithm: SignatureAlgorithm): EcAlgorithm {
  if (algorithm === 'ED25519' || algorithm === 'RSA') {
    throw new CryptoError('WRONG_ALGORITHM', `${algorithm} signatures are not (r, s) pairs`);
  }
  return algorithm;
}

/** r and s of a raw r‖s signature, or undefined unless both lie in [1, n−1]. */
export function splitSignature(signature: Uint8Array, n: bigint): { r: bigint; s: bigint } | undefined {
  const r = bytesToNumberBE(signature.subarray(0, EC_SCALAR_LENGTH));
  const s = bytesToNumberBE(signature.subarray(EC_SCALAR_LENGTH, EC_SIGNATURE_LENGTH));
  return r > 0n && r < n && s > 0n && s < n ? { r, s } : undefined;
}

/**
 * Signatures this package makes are low-S (s ≤ n/2): (r, s) and (r, n − s) both verify, and
 * normalising removes that malleability from what we produce. Verification still accepts high S,
 * because other signers (OpenSSL among them) produce it.
 */
export function toLowS(signature: Uint8Array, n: bigint): Uint8Array {
  const s = bytesToNumberBE(signature.subarray(EC_SCALAR_LENGTH, EC_SIGNATURE_LENGTH));
  if (s <= n >> 1n) return signature;
  const low = new Uint8Array(EC_SIGNATURE_LENGTH);
  low.set(signature.subarray(0, EC_SCALAR_LENGTH));
  low.set(numberToBytesBE(n - s, EC_SCALAR_LENGTH), EC_SCALAR_LENGTH);
  return low;
}

/** A raw private scalar as a number, required to lie in [1, max]. */
export function parsePrivateScalar(algorithm: EcAlgorithm, privateKey: Uint8Array, max: bigint): bigint {
  requireLength(`${algorithm} private key`, privateKey, EC_SCALAR_LENGTH);
  const d = bytesToNumberBE(privateKey);
  if (d < 1n || d > max) throw invalidKey(`${algorithm} private key is not a scalar in [1, 0x${max.toString(16)}]`);
  return d;
}

/** Length and prefix of a raw public key; true when it can be an uncompressed point at all. */
export function hasUncompressedShape(algorithm: EcAlgorithm, publicKey: Uint8Array): boolean {
  requireLength(`${algorithm} public key`, publicKey, EC_PUBLIC_KEY_LENGTH);
  return publicKey[0] === UNCOMPRESSED_POINT_PREFIX;
}
