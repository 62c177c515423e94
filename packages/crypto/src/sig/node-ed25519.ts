import sodium from 'sodium-native';
import type { SignatureScheme } from '../backend.js';
import {
  checkEd25519PublicKey,
  checkEd25519Seed,
  ED25519_PUBLIC_KEY_LENGTH,
  ED25519_SEED_LENGTH,
  ED25519_SIGNATURE_LENGTH,
} from './ed25519-strict.js';
import { requireLength } from './input.js';

/**
 * Ed25519 on libsodium (sodium-native). Verification is one call into crypto_sign_verify_detached,
 * whose acceptance rule is JadeChain's (stated in ed25519-strict.ts); nothing is allocated on the
 * way. Signing is deterministic (RFC 8032), so both backends produce the same bytes.
 */

/** libsodium's 64-byte secret key: seed ‖ public key. */
function expandSeed(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  checkEd25519Seed(seed);
  const publicKey = new Uint8Array(ED25519_PUBLIC_KEY_LENGTH);
  const secretKey = new Uint8Array(ED25519_SEED_LENGTH + ED25519_PUBLIC_KEY_LENGTH);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
  return { publicKey, secretKey };
}

export const nodeEd25519: SignatureScheme = {
  algorithm: 'ED25519',
  generateKeyPair() {
    const privateKey = new Uint8Array(ED25519_SEED_LENGTH);
    sodium.randombytes_buf(privateKey);
    const { publicKey, secretKey } = expandSeed(privateKey);
    sodium.sodium_memzero(secretKey);
    return { privateKey, publicKey };
  },
  derivePublicKey(privateKey) {
    const { publicKey, secretKey } = expandSeed(privateKey);
    sodium.sodium_memzero(secretKey);
    return publicKey;
  },
  sign(privateKey, message) {
    const { secretKey } = expandSeed(privateKey);
    const signature = new Uint8Array(ED25519_SIGNATURE_LENGTH);
    sodium.crypto_sign_detached(signature, message, secretKey);
    sodium.sodium_memzero(secretKey);
    return signature;
  },
  signer(privateKey) {
    // Expanding the seed costs as much as a signature; a node signs with one key all day.
    const { secretKey } = expandSeed(privateKey);
    return (message) => {
      const signature = new Uint8Array(ED25519_SIGNATURE_LENGTH);
      sodium.crypto_sign_detached(signature, message, secretKey);
      return signature;
    };
  },
  verify(publicKey, message, signature) {
    requireLength('ED25519 public key', publicKey, ED25519_PUBLIC_KEY_LENGTH);
    requireLength('ED25519 signature', signature, ED25519_SIGNATURE_LENGTH);
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  },
  checkPublicKey: checkEd25519PublicKey,
  checkPrivateKey: checkEd25519Seed,
};
