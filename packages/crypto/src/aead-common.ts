import { equalBytes } from '@noble/ciphers/utils.js';
import type { AeadAlgorithm } from './algorithms.js';
import type { AeadCipher } from './backend.js';
import { CryptoError } from './errors.js';

/**
 * What both backends share about authenticated encryption: argument checks, the one failure
 * that `open` reports, and the SM4-CTR-HMAC-SM3 construction itself (spec/crypto.md §AEAD), which
 * each backend instantiates with its own SM4-CTR and HMAC-SM3 primitives.
 */

export const AES_256_GCM_SHAPE = { algorithm: 'AES-256-GCM', keyLength: 32, nonceLength: 12, tagLength: 16 } as const;
export const SM4_CTR_HMAC_SM3_SHAPE = {
  algorithm: 'SM4-CTR-HMAC-SM3',
  keyLength: 32,
  nonceLength: 16,
  tagLength: 16,
} as const;

type AeadShape = Pick<AeadCipher, 'algorithm' | 'keyLength' | 'nonceLength' | 'tagLength'>;

export function checkKeyAndNonce(shape: AeadShape, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== shape.keyLength) {
    throw new CryptoError('INVALID_LENGTH', `${shape.algorithm} key must be ${shape.keyLength} bytes, got ${key.length}`);
  }
  if (nonce.length !== shape.nonceLength) {
    throw new CryptoError('INVALID_LENGTH', `${shape.algorithm} nonce must be ${shape.nonceLength} bytes, got ${nonce.length}`);
  }
}

/** The single error `open` throws for any inauthentic input, so that callers learn nothing more. */
export function decryptionFailed(algorithm: AeadAlgorithm): CryptoError {
  return new CryptoError('DECRYPTION_FAILED', `${algorithm}: authentication failed (wrong key, or tampered data)`);
}

export interface Sm4CtrHmacSm3Primitives {
  /** Full 32-byte HMAC-SM3 (RFC 2104 over SM3). */
  hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** SM4 in counter mode; the IV is the first counter block, incremented as a 128-bit big-endian integer. */
  sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

const ENCRYPTION_KEY_LABEL = new TextEncoder().encode('JadeChain SM4-CTR-HMAC-SM3 encryption key');
const MAC_KEY_LABEL = new TextEncoder().encode('JadeChain SM4-CTR-HMAC-SM3 MAC key');

/**
 * Encrypt-then-MAC from SM4-CTR and HMAC-SM3. From the 32-byte key K:
 *   encKey = HMAC-SM3(K, "JadeChain SM4-CTR-HMAC-SM3 encryption key")[0..16)
 *   macKey = HMAC-SM3(K, "JadeChain SM4-CTR-HMAC-SM3 MAC key")
 *   C      = SM4-CTR(encKey, IV = nonce (16 bytes), plaintext)
 *   tag    = HMAC-SM3(macKey, uint64be(len(aad)) ‖ aad ‖ nonce ‖ C)[0..16)
 * The nonce has a fixed width and C runs to the end, so the aad length alone makes the MAC input
 * unambiguous. `open` checks the tag in constant time before it decrypts anything.
 */
export function sm4CtrHmacSm3(primitives: Sm4CtrHmacSm3Primitives): AeadCipher {
  const shape = SM4_CTR_HMAC_SM3_SHAPE;

  function deriveKeys(key: Uint8Array): { encryptionKey: Uint8Array; macKey: Uint8Array } {
    return {
      encryptionKey: primitives.hmacSm3(key, ENCRYPTION_KEY_LABEL).subarray(0, 16),
      macKey: primitives.hmacSm3(key, MAC_KEY_LABEL),
    };
  }

  function tag(macKey: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
    const input = new Uint8Array(8 + aad.length + nonce.length + ciphertext.length);
    new DataView(input.buffer).setBigUint64(0, BigInt(aad.length), false);
    input.set(aad, 8);
    input.set(nonce, 8 + aad.length);
    input.set(ciphertext, 8 + aad.length + nonce.length);
    return primitives.hmacSm3(macKey, input).subarray(0, shape.tagLength);
  }

  return {
    ...shape,
    seal(key, nonce, plaintext, associatedData = new Uint8Array(0)) {
      checkKeyAndNonce(shape, key, nonce);
      const { encryptionKey, macKey } = deriveKeys(key);
      const ciphertext = primitives.sm4Ctr(encryptionKey, nonce, plaintext);
      const sealed = new Uint8Array(ciphertext.length + shape.tagLength);
      sealed.set(ciphertext);
      sealed.set(tag(macKey, nonce, ciphertext, associatedData), ciphertext.length);
      return sealed;
    },
    open(key, nonce, sealed, associatedData = new Uint8Array(0)) {
      checkKeyAndNonce(shape, key, nonce);
      if (sealed.length < shape.tagLength) throw decryptionFailed(shape.algorithm);
      const { encryptionKey, macKey } = deriveKeys(key);
      const ciphertext = sealed.subarray(0, sealed.length - shape.tagLength);
      const expected = tag(macKey, nonce, ciphertext, associatedData);
      if (!equalBytes(expected, sealed.subarray(ciphertext.length))) throw decryptionFailed(shape.algorithm);
      return primitives.sm4Ctr(encryptionKey, nonce, ciphertext);
    },
  };
}
