import type { HashAlgorithm, SignatureAlgorithm } from './algorithms.js';
import { CryptoError } from './errors.js';

/**
 * The raw (untagged) byte lengths and structural rules of every hash, key and signature, checked
 * when a tagged value is built or decoded (spec/crypto.md, "Raw forms"). Only structure is checked
 * here; whether an EC point lies on its curve is the signature scheme's `checkPublicKey`.
 */

const HASH_LENGTHS: Record<HashAlgorithm, number> = { SHA256: 32, SM3: 32, RIPEMD160: 20 };

/** RSA modulus lengths in bytes: 2048, 3072 and 4096 bits. */
const RSA_MODULUS_LENGTHS: readonly number[] = [256, 384, 512];
const RSA_PUBLIC_EXPONENT = [0x01, 0x00, 0x01] as const;

/** Raw lengths of the elliptic-curve and Edwards schemes: [public key, private key, signature]. */
const FIXED_LENGTHS: Record<Exclude<SignatureAlgorithm, 'RSA'>, readonly [number, number, number]> = {
  ED25519: [32, 32, 64],
  'ECDSA-P256': [65, 32, 64],
  'ECDSA-SECP256K1': [65, 32, 64],
  SM2: [65, 32, 64],
};

function lengthError(what: string, actual: number, expected: readonly number[]): CryptoError {
  return new CryptoError('INVALID_LENGTH', `${what} must be ${expected.join(' or ')} bytes, got ${actual}`);
}

export function checkRawHash(algorithm: HashAlgorithm, raw: Uint8Array): void {
  if (raw.length !== HASH_LENGTHS[algorithm]) throw lengthError(`${algorithm} digest`, raw.length, [HASH_LENGTHS[algorithm]]);
}

export function checkRawSignature(algorithm: SignatureAlgorithm, raw: Uint8Array): void {
  const allowed = algorithm === 'RSA' ? RSA_MODULUS_LENGTHS : [FIXED_LENGTHS[algorithm][2]];
  if (!allowed.includes(raw.length)) throw lengthError(`${algorithm} signature`, raw.length, allowed);
}

/** RSA public key = modulus (k bytes, top bit set) ‖ exponent 0x010001. */
export function checkRawPublicKey(algorithm: SignatureAlgorithm, raw: Uint8Array): void {
  if (algorithm === 'RSA') {
    const modulusLength = raw.length - RSA_PUBLIC_EXPONENT.length;
    if (!RSA_MODULUS_LENGTHS.includes(modulusLength)) {
      throw lengthError('RSA public key', raw.length, RSA_MODULUS_LENGTHS.map((k) => k + RSA_PUBLIC_EXPONENT.length));
    }
    checkRsaModulusAndExponent(raw, modulusLength);
    return;
  }
  const expected = FIXED_LENGTHS[algorithm][0];
  if (raw.length !== expected) throw lengthError(`${algorithm} public key`, raw.length, [expected]);
  if (expected === 65 && raw[0] !== 0x04) {
    throw new CryptoError('INVALID_ENCODING', `${algorithm} public key must be an uncompressed point (04‖x‖y)`);
  }
}

/** RSA private key, JD Chain's raw CRT form: n (k) ‖ e (3) ‖ d (k) ‖ p ‖ q ‖ dp ‖ dq ‖ qinv (k/2 each). */
export function checkRawPrivateKey(algorithm: SignatureAlgorithm, raw: Uint8Array): void {
  if (algorithm === 'RSA') {
    const candidates = RSA_MODULUS_LENGTHS.map(rsaPrivateKeyLength);
    const index = candidates.indexOf(raw.length);
    if (index < 0) throw lengthError('RSA private key', raw.length, candidates);
    checkRsaModulusAndExponent(raw, RSA_MODULUS_LENGTHS[index]!);
    return;
  }
  const expected = FIXED_LENGTHS[algorithm][1];
  if (raw.length !== expected) throw lengthError(`${algorithm} private key`, raw.length, [expected]);
}

/** The raw signature length a public key of this algorithm and size produces. */
export function signatureLengthFor(algorithm: SignatureAlgorithm, rawPublicKey: Uint8Array): number {
  return algorithm === 'RSA' ? rawPublicKey.length - RSA_PUBLIC_EXPONENT.length : FIXED_LENGTHS[algorithm][2];
}

function rsaPrivateKeyLength(k: number): number {
  return k + RSA_PUBLIC_EXPONENT.length + k + (5 * k) / 2;
}

function checkRsaModulusAndExponent(raw: Uint8Array, modulusLength: number): void {
  if ((raw[0]! & 0x80) === 0) {
    throw new CryptoError('INVALID_ENCODING', `RSA modulus must use all ${modulusLength * 8} bits (top bit set)`);
  }
  const exponent = raw.subarray(modulusLength, modulusLength + RSA_PUBLIC_EXPONENT.length);
  if (!RSA_PUBLIC_EXPONENT.every((byte, i) => exponent[i] === byte)) {
    throw new CryptoError('INVALID_ENCODING', 'RSA public exponent must be 65537 (0x010001)');
  }
}
