import type { CryptoSuite, HashAlgorithm } from '@jadechain/crypto';
import type { MerkleHashFunction } from '@jadechain/types';

/** Algorithms that may hash a ledger: the trees and the proofs need 32-byte hashes. */
export const LEDGER_HASH_ALGORITHMS: readonly HashAlgorithm[] = ['SHA256', 'SM3'];

/** A raw hash function straight from the backend (no tagged copies): trees and tree keys use it. */
export function rawHashFunction(suite: CryptoSuite, algorithm: HashAlgorithm): MerkleHashFunction {
  const hash = suite.backend.hash(algorithm);
  return (data) => hash.digest(data);
}
