import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { AeadAlgorithm } from '../algorithms.js';
import type { AeadCipher } from '../backend.js';
import { AES_256_GCM_SHAPE, checkKeyAndNonce, decryptionFailed, sm4CtrHmacSm3 } from '../aead-common.js';

function toUint8Array(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const aes256Gcm: AeadCipher = {
  ...AES_256_GCM_SHAPE,
  seal(key, nonce, plaintext, associatedData) {
    checkKeyAndNonce(AES_256_GCM_SHAPE, key, nonce);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AES_256_GCM_SHAPE.tagLength });
    if (associatedData !== undefined) cipher.setAAD(associatedData);
    return toUint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  },
  open(key, nonce, sealed, associatedData) {
    checkKeyAndNonce(AES_256_GCM_SHAPE, key, nonce);
    const { tagLength } = AES_256_GCM_SHAPE;
    if (sealed.length < tagLength) throw decryptionFailed(AES_256_GCM_SHAPE.algorithm);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
    decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
    if (associatedData !== undefined) decipher.setAAD(associatedData);
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagLength));
    try {
      // OpenSSL checks the tag only here; the plaintext above is discarded unless it passes.
      return toUint8Array(Buffer.concat([plaintext, decipher.final()]));
    } catch {
      throw decryptionFailed(AES_256_GCM_SHAPE.algorithm);
    }
  },
};

const sm4CtrHmacSm3Node = sm4CtrHmacSm3({
  hmacSm3: (key, data) => toUint8Array(createHmac('sm3', key).update(data).digest()),
  sm4Ctr(key, iv, data) {
    const cipher = createCipheriv('sm4-ctr', key, iv);
    return toUint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
  },
});

const CIPHERS: Record<AeadAlgorithm, AeadCipher> = {
  'AES-256-GCM': aes256Gcm,
  'SM4-CTR-HMAC-SM3': sm4CtrHmacSm3Node,
};

export function nodeAead(algorithm: AeadAlgorithm): AeadCipher {
  return CIPHERS[algorithm];
}
