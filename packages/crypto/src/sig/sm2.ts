import { bytesToHex, hexToBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { sm2 } from 'sm-crypto-v2';
import type { SignatureScheme } from '../backend.js';
import { CURVE_ORDERS, EC_SCALAR_LENGTH, EC_SIGNATURE_LENGTH, hasUncompressedShape, parsePrivateScalar, splitSignature } from './ec-params.js';
import { requireLength, invalidKey } from './input.js';
import { PublicKeyCache } from './key-cache.js';

/**
 * SM2 signatures (GB/T 32918.2-2016) with SM3 and the user-ID digest Z_A, on sm-crypto-v2 (pure
 * JavaScript, so both backends share this one implementation). Raw forms as for ECDSA: private
 * scalar d in [1, n−2] (1 + d must be invertible), public key 04‖x‖y, signature r‖s.
 */

/** The default signer ID of GM/T 0009-2012 §10 (and of JD Chain and OpenSSL). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

const n = CURVE_ORDERS.SM2;

type PrecomputedPoint = ReturnType<typeof sm2.precomputePublicKey>;

/**
 * A 4-bit precomputation window costs about 6 ms and 75 KB per key and makes each later verify
 * about 5× faster, so it is done the second time a valid key is seen; 256 keys bound the memory.
 */
const PRECOMPUTE_WINDOW = 4;
const precomputedKeys = new PublicKeyCache<PrecomputedPoint | 'seen-once'>(256);

function isOnCurve(publicKeyHex: string): boolean {
  try {
    return sm2.verifyPublicKey(publicKeyHex);
  } catch {
    return false; // the library throws on coordinates that are no field elements
  }
}

/** The key in the form sm-crypto-v2 verifies fastest, or undefined if it is not a point on the curve. */
function publicKeyForVerify(publicKeyHex: string): PrecomputedPoint | string | undefined {
  const cached = precomputedKeys.get(publicKeyHex);
  if (cached === undefined) {
    if (!isOnCurve(publicKeyHex)) return undefined;
    precomputedKeys.set(publicKeyHex, 'seen-once');
    return publicKeyHex;
  }
  if (cached !== 'seen-once') return cached;
  const point = sm2.precomputePublicKey(publicKeyHex, PRECOMPUTE_WINDOW);
  precomputedKeys.set(publicKeyHex, point);
  return point;
}

export interface Sm2SignOptions {
  readonly userId?: string;
  /** The per-signature secret k, only for reproducing standard vectors; random otherwise. */
  readonly nonce?: bigint;
}

export function signSm2(privateKey: Uint8Array, message: Uint8Array, options: Sm2SignOptions = {}): Uint8Array {
  parsePrivateScalar('SM2', privateKey, n - 2n);
  const privateKeyHex = bytesToHex(privateKey);
  const publicKey = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  const pointPool = options.nonce === undefined ? [] : [nonceAndX1(options.nonce)];
  const signatureHex = sm2.doSignature(message, privateKeyHex, {
    hash: true,
    publicKey,
    userId: options.userId ?? SM2_DEFAULT_USER_ID,
    pointPool,
  });
  return hexToBytes(signatureHex);
}

function nonceAndX1(k: bigint): { k: bigint; x1: bigint } {
  if (k < 1n || k >= n) throw invalidKey('SM2 nonce must lie in [1, n−1]');
  const kG = sm2.getPublicKeyFromPrivateKey(bytesToHex(numberToBytesBE(k, EC_SCALAR_LENGTH)));
  return { k, x1: BigInt(`0x${kG.slice(2, 66)}`) };
}

export function verifySm2(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, userId = SM2_DEFAULT_USER_ID): boolean {
  const wellShaped = hasUncompressedShape('SM2', publicKey);
  requireLength('SM2 signature', signature, EC_SIGNATURE_LENGTH);
  const pair = splitSignature(signature, n);
  // GB/T 32918.2 §7.1 B1–B2 and B5: r, s in [1, n−1] and t = r + s ≠ 0 (mod n).
  if (!wellShaped || pair === undefined || (pair.r + pair.s) % n === 0n) return false;
  const key = publicKeyForVerify(bytesToHex(publicKey));
  return key !== undefined && sm2.doVerifySignature(message, bytesToHex(signature), key, { hash: true, userId });
}

function checkSm2PublicKey(publicKey: Uint8Array): void {
  if (!hasUncompressedShape('SM2', publicKey)) throw invalidKey('SM2 public key must start with 0x04');
  if (!isOnCurve(bytesToHex(publicKey))) throw invalidKey('SM2 public key is not a point on the curve');
}

export const sm2Scheme: SignatureScheme = {
  algorithm: 'SM2',
  generateKeyPair() {
    for (;;) {
      const pair = sm2.generateKeyPairHex();
      const privateKey = hexToBytes(pair.privateKey);
      // The library draws d from [1, n−1]; SM2 needs [1, n−2].
      if (BigInt(`0x${pair.privateKey}`) <= n - 2n) return { privateKey, publicKey: hexToBytes(pair.publicKey) };
    }
  },
  derivePublicKey(privateKey) {
    parsePrivateScalar('SM2', privateKey, n - 2n);
    return hexToBytes(sm2.getPublicKeyFromPrivateKey(bytesToHex(privateKey)));
  },
  sign: (privateKey, message) => signSm2(privateKey, message),
  verify: (publicKey, message, signature) => verifySm2(publicKey, message, signature),
  checkPublicKey: checkSm2PublicKey,
  checkPrivateKey(privateKey) {
    parsePrivateScalar('SM2', privateKey, n - 2n);
  },
};
