import { ed25519 } from '@noble/curves/ed25519.js';
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { bytesToNumberLE, concatBytes, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { invalidKey, requireLength } from './input.js';

/**
 * JadeChain's Ed25519 verification rule, identical in both backends (spec/crypto.md). A signature
 * R‖S on message M under public key A is valid if and only if:
 *   1. S is canonical: S < L (L = 2^252 + 27742317777372353535851937790883648493);
 *   2. A and R are canonical point encodings: y < p, and x = 0 never carries the sign bit;
 *   3. neither A nor R has small order (order dividing 8); mixed-order points are not rejected;
 *   4. the cofactorless equation holds byte for byte: encode([S]B − [k]A) = R, where
 *      k = SHA-512(R ‖ A ‖ M) mod L.
 * This is the set libsodium's crypto_sign_verify_detached accepts: the node backend calls it
 * directly, this module implements it on @noble/curves point arithmetic for the pure backend
 * (noble's own `verify` checks the cofactored equation, which accepts more). The edge-case vectors
 * (vectors/signatures/ed25519-edge-cases.json) and a differential fuzz test pin the equivalence.
 */

export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SEED_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

/** A canonical, non-small-order point, or undefined (rules 2 and 3). */
function decodeStrict(encoding: Uint8Array): EdwardsPoint | undefined {
  let point: EdwardsPoint;
  try {
    // zip215 = false: rejects y ≥ p and a sign bit on x = 0 (RFC 8032 §5.1.3 decoding).
    point = Point.fromBytes(encoding, false);
  } catch {
    return undefined;
  }
  return point.isSmallOrder() ? undefined : point;
}

export function verifyEd25519Strict(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  requireLength('ED25519 public key', publicKey, ED25519_PUBLIC_KEY_LENGTH);
  requireLength('ED25519 signature', signature, ED25519_SIGNATURE_LENGTH);
  const encodedR = signature.subarray(0, 32);
  const S = bytesToNumberLE(signature.subarray(32));
  if (S >= L) return false;
  const A = decodeStrict(publicKey);
  if (A === undefined || decodeStrict(encodedR) === undefined) return false;
  const k = bytesToNumberLE(sha512(concatBytes(encodedR, publicKey, message))) % L;
  const recomputedR = Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k));
  return equalBytes(recomputedR.toBytes(), encodedR);
}

/** A public key is usable when it can pass rule 2 and 3 (a key failing them verifies nothing). */
export function checkEd25519PublicKey(publicKey: Uint8Array): void {
  requireLength('ED25519 public key', publicKey, ED25519_PUBLIC_KEY_LENGTH);
  if (decodeStrict(publicKey) === undefined) {
    throw invalidKey('ED25519 public key is not a canonical point of large order');
  }
}

/** Any 32 bytes are a valid private key (RFC 8032 §5.1.5 hashes the seed). */
export function checkEd25519Seed(seed: Uint8Array): void {
  requireLength('ED25519 private key', seed, ED25519_SEED_LENGTH);
}
