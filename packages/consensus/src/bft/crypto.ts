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
  return {
    sign: (message) => suite.sign(privateKey, message),
    verify: (publicKey, message, signature) => suite.verify(publicKey, message, signature),
    hash: (data) => suite.hash(hashAlgorithm, data),
  };
}

const HEX = '0123456789abcdef';

/** A map key for a hash (hex of its tagged bytes); Map keys must be strings to compare by value. */
export function hashKey(hash: HashDigest): string {
  return hexOf(hash.toBytes());
}

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
