import { CryptoError } from './errors.js';

/**
 * The algorithm registry. A code is 16 bits, laid out as in JD Chain: the high nibble is the
 * kind (0x1 random, 0x2 hash, 0x4 signature, 0x8 encryption, combinable), the next nibble the
 * key type (0x1 asymmetric, 0x2 symmetric) and the low byte an identifier. Codes of algorithms
 * that are byte-identical to JD Chain's reuse JD Chain's codes; new algorithms take identifiers
 * from 0x60 upwards, a range JD Chain does not use. spec/crypto.md lists them all.
 */
export type HashAlgorithm = 'SHA256' | 'SM3' | 'RIPEMD160';
export type SignatureAlgorithm = 'ED25519' | 'ECDSA-P256' | 'ECDSA-SECP256K1' | 'RSA' | 'SM2';
export type AeadAlgorithm = 'AES-256-GCM' | 'SM4-CTR-HMAC-SM3';
export type AlgorithmName = HashAlgorithm | SignatureAlgorithm | AeadAlgorithm;
export type AlgorithmKind = 'hash' | 'signature' | 'aead';

export interface AlgorithmInfo {
  readonly name: AlgorithmName;
  readonly kind: AlgorithmKind;
  /** Unsigned 16-bit code, written big-endian in every tagged encoding. */
  readonly code: number;
  /** True where the code is JD Chain's own (byte-identical algorithm). */
  readonly jdChainCompatible: boolean;
}

const ALGORITHMS: readonly AlgorithmInfo[] = [
  { name: 'ED25519', kind: 'signature', code: 0x4115, jdChainCompatible: true },
  { name: 'ECDSA-P256', kind: 'signature', code: 0x4116, jdChainCompatible: true },
  { name: 'RSA', kind: 'signature', code: 0xc117, jdChainCompatible: true },
  { name: 'SM2', kind: 'signature', code: 0xc102, jdChainCompatible: true },
  { name: 'ECDSA-SECP256K1', kind: 'signature', code: 0x4160, jdChainCompatible: false },
  { name: 'SHA256', kind: 'hash', code: 0x2018, jdChainCompatible: true },
  { name: 'RIPEMD160', kind: 'hash', code: 0x2019, jdChainCompatible: true },
  { name: 'SM3', kind: 'hash', code: 0x2003, jdChainCompatible: true },
  { name: 'AES-256-GCM', kind: 'aead', code: 0x8261, jdChainCompatible: false },
  { name: 'SM4-CTR-HMAC-SM3', kind: 'aead', code: 0x8262, jdChainCompatible: false },
];

const BY_NAME = new Map<string, AlgorithmInfo>(ALGORITHMS.map((a) => [a.name, a]));
const BY_CODE = new Map<number, AlgorithmInfo>(ALGORITHMS.map((a) => [a.code, a]));

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['SHA256', 'SM3', 'RIPEMD160'];
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'ED25519',
  'ECDSA-P256',
  'ECDSA-SECP256K1',
  'RSA',
  'SM2',
];
export const AEAD_ALGORITHMS: readonly AeadAlgorithm[] = ['AES-256-GCM', 'SM4-CTR-HMAC-SM3'];

export function allAlgorithms(): readonly AlgorithmInfo[] {
  return ALGORITHMS;
}

export function algorithmByName(name: string): AlgorithmInfo {
  const info = BY_NAME.get(name.toUpperCase());
  if (info === undefined) {
    throw new CryptoError(
      'UNKNOWN_ALGORITHM',
      `unknown algorithm "${name}"; known: ${ALGORITHMS.map((a) => a.name).join(', ')}`,
    );
  }
  return info;
}

export function algorithmByCode(code: number): AlgorithmInfo {
  const info = BY_CODE.get(code);
  if (info === undefined) {
    throw new CryptoError('UNKNOWN_ALGORITHM', `unknown algorithm code 0x${code.toString(16).padStart(4, '0')}`);
  }
  return info;
}

function ofKind<T extends AlgorithmName>(name: string, kind: AlgorithmKind): T {
  const info = algorithmByName(name);
  if (info.kind !== kind) {
    throw new CryptoError('WRONG_ALGORITHM', `${info.name} is a ${info.kind} algorithm, not a ${kind} algorithm`);
  }
  return info.name as T;
}

export function hashAlgorithm(name: string): HashAlgorithm {
  return ofKind<HashAlgorithm>(name, 'hash');
}

export function signatureAlgorithm(name: string): SignatureAlgorithm {
  return ofKind<SignatureAlgorithm>(name, 'signature');
}

export function aeadAlgorithm(name: string): AeadAlgorithm {
  return ofKind<AeadAlgorithm>(name, 'aead');
}
