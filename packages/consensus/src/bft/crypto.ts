import { SignatureCache } from '@jadechain/crypto';
import type { CryptoSuite, HashAlgorithm, HashDigest, PrivKey, PubKey, SignatureDigest } from '@jadechain/crypto';

/**
 * Everything the core needs of cryptography, injected so that the core stays pure: production
 * and the simulator pass real Ed25519/SM2 through `suiteCrypto`, tests wrap it to count calls.
 */
export interface BftCrypto {
  /** Signs with this node's validator key. */
  sign(message: Uint8Array): SignatureDigest;
  /** False (never a throw) when the signature is not the key's signature of the message. */
  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean;
  /** The ledger's hash algorithm (identifies block values, as the ledger identifies blocks). */
  hash(data: Uint8Array): HashDigest;
}

/** BftCrypto over a CryptoSuite, a private key and the ledger's hash algorithm. */
export function suiteCrypto(suite: CryptoSuite, privateKey: PrivKey, hashAlgorithm: HashAlgorithm): BftCrypto {
  // A precommit is checked when tallied, again as time evidence in the next height's proposal,
  // and again in catch-up; each carries two signatures. Only successes are kept.
  const verified = new SignatureCache(VERIFIED_SIGNATURES_KEPT);
  return {
    sign: (message) => suite.sign(privateKey, message),
    verify: (publicKey, message, signature) => verified.check({ message, publicKey, signature }, suite),
    hash: (data) => suite.hash(hashAlgorithm, data),
  };
}

/** A few heights' worth of votes of a large validator set. */
const VERIFIED_SIGNATURES_KEPT = 8192;

/**
 * A map key for a hash: its tagged bytes as latin1, made once per object (HashDigest memoizes it).
 * Consensus keys every transaction of every proposal and decision by it.
 */
export function hashKey(hash: HashDigest): string {
  return hash.toLatin1();
}

const HEX = '0123456789abcdef';

/** Lower-case hex of bytes (the simulator's keys and reports). */
export function hexOf(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte >>> 4]! + HEX[byte & 15]!;
  return out;
}

/** Byte-wise equality of two byte strings. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
