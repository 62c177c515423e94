import { gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import type { AeadAlgorithm } from '../algorithms.js';
import type { AeadCipher } from '../backend.js';
import { AES_256_GCM_SHAPE, checkKeyAndNonce, decryptionFailed, sm4CtrHmacSm3 } from '../aead-common.js';
import { sm3 } from './sm3.js';
import { sm4Ctr } from './sm4.js';

const aes256Gcm: AeadCipher = {
  ...AES_256_GCM_SHAPE,
  seal(key, nonce, plaintext, associatedData) {
    checkKeyAndNonce(AES_256_GCM_SHAPE, key, nonce);
    return gcm(key, nonce, associatedData).encrypt(plaintext);
  },
  open(key, nonce, sealed, associatedData) {
    checkKeyAndNonce(AES_256_GCM_SHAPE, key, nonce);
    if (sealed.length < AES_256_GCM_SHAPE.tagLength) throw decryptionFailed(AES_256_GCM_SHAPE.algorithm);
    try {
      return gcm(key, nonce, associatedData).decrypt(sealed);
    } catch {
      throw decryptionFailed(AES_256_GCM_SHAPE.algorithm);
    }
  },
};

const CIPHERS: Record<AeadAlgorithm, AeadCipher> = {
  'AES-256-GCM': aes256Gcm,
  'SM4-CTR-HMAC-SM3': sm4CtrHmacSm3({ hmacSm3: (key, data) => hmac(sm3, key, data), sm4Ctr }),
};

export function pureAead(algorithm: AeadAlgorithm): AeadCipher {
  return CIPHERS[algorithm];
}
