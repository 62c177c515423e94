import { bytesToNumberBE, equalBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import { emsaPkcs1v15Sha256, RSA_PUBLIC_EXPONENT, type RsaPrivateKey, type RsaPublicKey } from './rsa-key.js';

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2) and key generation on BigInt, for the pure
 * backend. Not constant-time: fine for a browser wallet, not for a server holding keys.
 */

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** base^exponent mod modulus, left to right with a fixed 4-bit window. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const b = mod(base, modulus);
  const table: bigint[] = [1n];
  for (let i = 1; i < 16; i++) table.push((table[i - 1]! * b) % modulus);
  let result = 1n;
  const hex = exponent.toString(16);
  for (const digit of hex) {
    for (let i = 0; i < 4; i++) result = (result * result) % modulus;
    result = (result * table[parseInt(digit, 16)]!) % modulus;
  }
  return result;
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return mod(oldS, m);
}

/** Deterministic: the same key and message give the node backend's signature byte for byte. */
export function rsaSignPure(key: RsaPrivateKey, message: Uint8Array): Uint8Array {
  const k = key.modulusLength;
  const m = bytesToNumberBE(emsaPkcs1v15Sha256(sha256(message), k));
  // Garner's CRT recombination (RFC 8017 §5.1.2, step 2b).
  const s1 = modPow(m, key.dp, key.p);
  const s2 = modPow(m, key.dq, key.q);
  const s = s2 + key.q * mod(key.qinv * (s1 - s2), key.p);
  // A faulty CRT result would reveal a factor of n; check it before it leaves (cheap with e = 65537).
  if (modPow(s, key.e, key.n) !== m) throw new CryptoError('INVALID_KEY', 'RSA signature self-check failed');
  return numberToBytesBE(s, k);
}

/** The signature representative must be below n (RFC 8017 §5.2.2), then EM must match exactly. */
export function rsaVerifyPure(key: RsaPublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  const s = bytesToNumberBE(signature);
  if (s >= key.n) return false;
  const encoded = numberToBytesBE(modPow(s, key.e, key.n), key.modulusLength);
  return equalBytes(encoded, emsaPkcs1v15Sha256(sha256(message), key.modulusLength));
}

const SMALL_PRIMES: readonly bigint[] = (() => {
  const primes: bigint[] = [];
  for (let candidate = 3; primes.length < 300; candidate += 2) {
    if (primes.every((p) => candidate % Number(p) !== 0)) primes.push(BigInt(candidate));
  }
  return primes;
})();

/** 64 Miller–Rabin rounds with random bases: error probability at most 2^-128 per prime. */
const MILLER_RABIN_ROUNDS = 64;

function randomBelow(bound: bigint, random: (length: number) => Uint8Array): bigint {
  const length = Math.ceil(bound.toString(16).length / 2) + 8;
  return bytesToNumberBE(random(length)) % bound;
}

function isProbablePrime(candidate: bigint, random: (length: number) => Uint8Array): boolean {
  for (const p of SMALL_PRIMES) if (candidate % p === 0n) return candidate === p;
  let d = candidate - 1n;
  let twos = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    twos++;
  }
  for (let round = 0; round < MILLER_RABIN_ROUNDS; round++) {
    let x = modPow(2n + randomBelow(candidate - 3n, random), d, candidate);
    if (x === 1n || x === candidate - 1n) continue;
    let witness = true;
    for (let i = 1; i < twos && witness; i++) {
      x = (x * x) % candidate;
      if (x === candidate - 1n) witness = false;
    }
    if (witness) return false;
  }
  return true;
}

/** A prime of exactly `bits` bits whose top two bits are set (so p·q has exactly 2·bits bits). */
function randomPrime(bits: number, random: (length: number) => Uint8Array): bigint {
  const top = 3n << BigInt(bits - 2);
  for (;;) {
    const candidate = (randomBelow(1n << BigInt(bits), random) | top | 1n);
    if ((candidate - 1n) % RSA_PUBLIC_EXPONENT !== 0n && isProbablePrime(candidate, random)) return candidate;
  }
}

/**
 * FIPS 186-4 §B.3.3-style generation: e = 65537, primes of half the size with gcd(e, p−1) = 1
 * (65537 is prime, so e ∤ p−1 suffices), |p − q| > 2^(bits/2 − 100), d = e⁻¹ mod lcm(p−1, q−1).
 */
export function generateRsaKeyPure(modulusLength: number, random: (length: number) => Uint8Array): RsaPrivateKey {
  const halfBits = modulusLength * 4;
  for (;;) {
    const p = randomPrime(halfBits, random);
    const q = randomPrime(halfBits, random);
    const distance = p > q ? p - q : q - p;
    if (distance >> BigInt(halfBits - 100) === 0n) continue;
    const pMinus = p - 1n;
    const qMinus = q - 1n;
    const lambda = (pMinus * qMinus) / gcd(pMinus, qMinus);
    const d = modInverse(RSA_PUBLIC_EXPONENT, lambda);
    if (d >> BigInt(halfBits) === 0n) continue; // FIPS 186-4 requires d > 2^(nlen/2)
    return {
      modulusLength,
      n: p * q,
      e: RSA_PUBLIC_EXPONENT,
      d,
      p,
      q,
      dp: d % pMinus,
      dq: d % qMinus,
      qinv: modInverse(q, p),
    };
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
