import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { CryptoError } from '../errors.js';
import { invalidKey, requireLength } from './input.js';

/**
 * RSA raw keys in JD Chain's form (jdchain-framework RSAUtils pubKey2Bytes_RawKey and
 * privKey2Bytes_RawKey), generalised from 2048 bits to k = 256, 384 or 512 bytes:
 *   public  = n (k bytes) ‖ e (0x010001)
 *   private = n (k) ‖ e (3) ‖ d (k) ‖ p ‖ q ‖ dp ‖ dq ‖ qinv (k/2 bytes each)
 * all big-endian and left-padded. Only e = 65537 is accepted.
 */

const RSA_MODULUS_LENGTHS: readonly number[] = [256, 384, 512];
/** New keys are 2048 bits, the size of JD Chain's RSAUtils. */
export const GENERATED_RSA_MODULUS_LENGTH = 256;
export const RSA_PUBLIC_EXPONENT = 65537n;
const EXPONENT_LENGTH = 3;

export interface RsaPublicKey {
  /** k, the modulus length in bytes, which is also the signature length. */
  readonly modulusLength: number;
  readonly n: bigint;
  readonly e: bigint;
}

export interface RsaPrivateKey extends RsaPublicKey {
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qinv: bigint;
}

const publicKeyLength = (k: number): number => k + EXPONENT_LENGTH;
const privateKeyLength = (k: number): number => 2 * k + EXPONENT_LENGTH + (5 * k) / 2;

function modulusLengthFor(raw: Uint8Array, lengthOf: (k: number) => number, what: string): number {
  const k = RSA_MODULUS_LENGTHS.find((candidate) => lengthOf(candidate) === raw.length);
  if (k === undefined) {
    throw new CryptoError('INVALID_LENGTH', `${what} must be ${RSA_MODULUS_LENGTHS.map(lengthOf).join(', ')} bytes, got ${raw.length}`);
  }
  return k;
}

/** The modulus length a raw public key declares by its size; INVALID_LENGTH if none. */
function rsaModulusLength(rawPublicKey: Uint8Array): number {
  return modulusLengthFor(rawPublicKey, publicKeyLength, 'RSA public key');
}

/** Parses n ‖ e at the start of either raw form, checking e = 65537 and a full-size odd modulus. */
function parsePublicPart(raw: Uint8Array, k: number): RsaPublicKey {
  const n = bytesToNumberBE(raw.subarray(0, k));
  const e = bytesToNumberBE(raw.subarray(k, k + EXPONENT_LENGTH));
  if (e !== RSA_PUBLIC_EXPONENT) throw invalidKey('RSA public exponent must be 65537');
  if (n >> BigInt(8 * k - 1) !== 1n || (n & 1n) === 0n) throw invalidKey(`RSA modulus must be odd and exactly ${8 * k} bits`);
  return { modulusLength: k, n, e };
}

export function parseRsaPublicKey(raw: Uint8Array): RsaPublicKey {
  return parsePublicPart(raw, rsaModulusLength(raw));
}

/**
 * The key `verify` works with. Throws INVALID_LENGTH when the key has no known size or the
 * signature is not k bytes (unparseable input); returns undefined for a well-sized key that is
 * not usable (wrong exponent, short or even modulus), which verifies nothing.
 */
export function rsaVerificationKey(publicKey: Uint8Array, signature: Uint8Array): RsaPublicKey | undefined {
  const k = rsaModulusLength(publicKey);
  requireLength('RSA signature', signature, k);
  try {
    return parsePublicPart(publicKey, k);
  } catch {
    return undefined;
  }
}

/**
 * Parses and checks a raw private key. The CRT parts must agree with n, e and d; signing with
 * inconsistent parts could leak a factor of n, so both backends refuse such keys alike.
 */
export function parseRsaPrivateKey(raw: Uint8Array): RsaPrivateKey {
  const k = modulusLengthFor(raw, privateKeyLength, 'RSA private key');
  const { n, e } = parsePublicPart(raw, k);
  const half = k / 2;
  let offset = k + EXPONENT_LENGTH;
  const next = (length: number): bigint => bytesToNumberBE(raw.subarray(offset, (offset += length)));
  const key: RsaPrivateKey = { modulusLength: k, n, e, d: next(k), p: next(half), q: next(half), dp: next(half), dq: next(half), qinv: next(half) };
  const { d, p, q, dp, dq, qinv } = key;
  const consistent =
    p > 1n && q > 1n && p * q === n && d > 0n && d < n &&
    dp === d % (p - 1n) && dq === d % (q - 1n) &&
    (e * dp) % (p - 1n) === 1n && (e * dq) % (q - 1n) === 1n &&
    qinv < p && (qinv * q) % p === 1n;
  if (!consistent) throw invalidKey('RSA private key parts are inconsistent (n = pq, d, dp, dq and qinv must agree)');
  return key;
}

export function encodeRsaPublicKey(key: RsaPublicKey): Uint8Array {
  const out = new Uint8Array(publicKeyLength(key.modulusLength));
  out.set(numberToBytesBE(key.n, key.modulusLength));
  out.set(numberToBytesBE(key.e, EXPONENT_LENGTH), key.modulusLength);
  return out;
}

export function encodeRsaPrivateKey(key: RsaPrivateKey): Uint8Array {
  const k = key.modulusLength;
  const half = k / 2;
  const parts: [bigint, number][] = [
    [key.n, k], [key.e, EXPONENT_LENGTH], [key.d, k],
    [key.p, half], [key.q, half], [key.dp, half], [key.dq, half], [key.qinv, half],
  ];
  const out = new Uint8Array(privateKeyLength(k));
  let offset = 0;
  for (const [value, length] of parts) {
    out.set(numberToBytesBE(value, length), offset);
    offset += length;
  }
  return out;
}

/** DER of DigestInfo { sha256, NULL } before the 32-byte digest (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
]);

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 0x00 0x01 FF…FF 0x00 ‖ DigestInfo ‖ SHA-256(M), k bytes. */
export function emsaPkcs1v15Sha256(digest: Uint8Array, k: number): Uint8Array {
  const encoded = new Uint8Array(k).fill(0xff);
  const tLength = SHA256_DIGEST_INFO_PREFIX.length + digest.length;
  encoded[0] = 0x00;
  encoded[1] = 0x01;
  encoded[k - tLength - 1] = 0x00;
  encoded.set(SHA256_DIGEST_INFO_PREFIX, k - tLength);
  encoded.set(digest, k - digest.length);
  return encoded;
}
