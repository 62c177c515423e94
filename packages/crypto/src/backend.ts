import type { AeadAlgorithm, HashAlgorithm, SignatureAlgorithm } from './algorithms.js';

/**
 * The contract every crypto backend fulfils. Two backends exist: `node` (sodium-native and
 * node:crypto, fast) and `pure` (JavaScript only, for browsers). Both must give identical
 * results for identical inputs, and both run the same conformance tests.
 *
 * All keys and signatures here are raw (untagged); tagging with algorithm codes is done once,
 * above the backends, in encoding.ts.
 */
export interface HashFunction {
  readonly algorithm: HashAlgorithm;
  readonly outputLength: number;
  digest(data: Uint8Array): Uint8Array;
}

export interface RawKeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * A signature scheme over raw keys.
 *
 * Raw forms: ED25519 private key = 32-byte seed, public key = 32 bytes, signature = 64 bytes.
 * ECDSA-P256, ECDSA-SECP256K1, SM2: private key = 32-byte scalar, public key = uncompressed point
 * 04‖x‖y (65 bytes), signature = r‖s (64 bytes). RSA: JD Chain's raw forms (modulus ‖ public
 * exponent; modulus ‖ e ‖ d ‖ p ‖ q ‖ dp ‖ dq ‖ qinv), signature = modulus length.
 *
 * `verify` throws CryptoError (INVALID_LENGTH / INVALID_SIGNATURE_ENCODING) only when an input
 * cannot even be parsed as that algorithm's key or signature (wrong length); any well-formed but
 * invalid input, including non-canonical signatures and keys that are not valid points, returns
 * false.
 */
export interface SignatureScheme {
  readonly algorithm: SignatureAlgorithm;
  generateKeyPair(): RawKeyPair;
  derivePublicKey(privateKey: Uint8Array): Uint8Array;
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Optional: a signing function bound to one private key, holding whatever the scheme derives
   * from the key before signing (it signs exactly as `sign` does). The suite keeps one per key.
   */
  signer?(privateKey: Uint8Array): (message: Uint8Array) => Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Throws CryptoError INVALID_KEY or INVALID_LENGTH unless the raw public key is usable. */
  checkPublicKey(publicKey: Uint8Array): void;
  /** Throws CryptoError INVALID_KEY or INVALID_LENGTH unless the raw private key is usable. */
  checkPrivateKey(privateKey: Uint8Array): void;
}

/** Authenticated encryption with associated data; `seal` returns ciphertext ‖ tag. */
export interface AeadCipher {
  readonly algorithm: AeadAlgorithm;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array;
  /** Throws CryptoError DECRYPTION_FAILED when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, associatedData?: Uint8Array): Uint8Array;
}

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly dkLen: number;
}

export interface CryptoBackend {
  readonly name: 'node' | 'pure';
  hash(algorithm: HashAlgorithm): HashFunction;
  signature(algorithm: SignatureAlgorithm): SignatureScheme;
  aead(algorithm: AeadAlgorithm): AeadCipher;
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Uint8Array;
  randomBytes(length: number): Uint8Array;
}
