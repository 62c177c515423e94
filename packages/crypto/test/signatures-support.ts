import type { SignatureAlgorithm } from '../src/algorithms.js';
import type { CryptoBackend, RawKeyPair, SignatureScheme } from '../src/backend.js';
import { BACKENDS, fromHex, readVectors } from './vector-support.js';

/** Shared by the signature tests: fixed key pairs taken from the vector files, so no test waits for key generation. */

export interface RsaTestKey {
  readonly bits: number;
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

interface RsaKeyFile {
  keys: { bits: number; privateKey: string; publicKey: string }[];
}

export const RSA_TEST_KEYS: readonly RsaTestKey[] = readVectors<RsaKeyFile>('signatures/rsa-test-keys.json').keys.map((key) => ({
  bits: key.bits,
  privateKey: fromHex(key.privateKey),
  publicKey: fromHex(key.publicKey),
}));

const FIXED_PRIVATE_KEYS: Record<Exclude<SignatureAlgorithm, 'RSA'>, string> = {
  // RFC 8032 §7.1 TEST 1, RFC 6979 §A.2.5, secp256k1 key of the btcd vectors, GM/T 0003.5 Annex A.
  ED25519: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  'ECDSA-P256': 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  'ECDSA-SECP256K1': 'f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181',
  SM2: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
};

/** A known key pair per algorithm (the public key derived by the node backend). */
export function fixedKeyPair(algorithm: SignatureAlgorithm): RawKeyPair {
  if (algorithm === 'RSA') {
    const key = RSA_TEST_KEYS[0]!;
    return { privateKey: key.privateKey, publicKey: key.publicKey };
  }
  const privateKey = fromHex(FIXED_PRIVATE_KEYS[algorithm]);
  return { privateKey, publicKey: BACKENDS[0]!.signature(algorithm).derivePublicKey(privateKey) };
}

/** Every (backend, scheme) pair, for tests that run against both backends. */
export function eachScheme(algorithm: SignatureAlgorithm): { backend: CryptoBackend; scheme: SignatureScheme }[] {
  return BACKENDS.map((backend) => ({ backend, scheme: backend.signature(algorithm) }));
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const index = (bit >> 3) % out.length;
  out[index] = out[index]! ^ (1 << (bit & 7));
  return out;
}
