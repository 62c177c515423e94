import { hash } from 'node:crypto';
import sodium from 'sodium-native';
import type { HashAlgorithm } from '../algorithms.js';
import type { HashFunction } from '../backend.js';

// One-shot crypto.hash() is the fastest node:crypto path for the short inputs a ledger hashes
// (≈1.5× createHash() for 32–200 bytes, measured on Node 20).
function openSslHash(algorithm: HashAlgorithm, openSslName: string, outputLength: number): HashFunction {
  return {
    algorithm,
    outputLength,
    digest(data: Uint8Array): Uint8Array {
      const digest = hash(openSslName, data, 'buffer');
      return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
    },
  };
}

/** Inputs up to this long are hashed by libsodium (see sha256). */
const SODIUM_SHA256_MAX_BYTES = 100;
const sodiumDigest = Buffer.alloc(32);

/**
 * SHA-256 on libsodium for short inputs, OpenSSL beyond. For a tree node's 65 bytes or a key's 32
 * the call costs more than the hashing, and sodium-native's call is the cheaper one (≈0.56 vs
 * ≈0.77 µs at 65 bytes, ≈0.37 vs ≈1.3 at 32; measured on Node 20, docs/benchmarks.md); from
 * ≈128 bytes OpenSSL's use of the CPU's SHA extensions wins. The digest is copied out of one
 * scratch buffer into its own 32 bytes (small enough for V8 to keep on its heap).
 */
function sha256(): HashFunction {
  const openSsl = openSslHash('SHA256', 'sha256', 32);
  return {
    algorithm: 'SHA256',
    outputLength: 32,
    digest(data: Uint8Array): Uint8Array {
      if (data.length > SODIUM_SHA256_MAX_BYTES) return openSsl.digest(data);
      sodium.crypto_hash_sha256(sodiumDigest, data);
      return new Uint8Array(sodiumDigest);
    },
  };
}

const HASHES: Record<HashAlgorithm, HashFunction> = {
  SHA256: sha256(),
  SM3: openSslHash('SM3', 'sm3', 32),
  RIPEMD160: openSslHash('RIPEMD160', 'ripemd160', 20),
};

export function nodeHash(algorithm: HashAlgorithm): HashFunction {
  return HASHES[algorithm];
}
