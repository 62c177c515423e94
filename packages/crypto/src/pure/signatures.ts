import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from '@noble/curves/utils.js';
import type { SignatureAlgorithm } from '../algorithms.js';
import type { SignatureScheme } from '../backend.js';
import { checkEd25519PublicKey, checkEd25519Seed, ED25519_SEED_LENGTH, verifyEd25519Strict } from '../sig/ed25519-strict.js';
import { nobleEcdsaScheme } from '../sig/noble-ecdsa.js';
import {
  encodeRsaPrivateKey,
  encodeRsaPublicKey,
  GENERATED_RSA_MODULUS_LENGTH,
  parseRsaPrivateKey,
  parseRsaPublicKey,
  rsaVerificationKey,
} from '../sig/rsa-key.js';
import { generateRsaKeyPure, rsaSignPure, rsaVerifyPure } from '../sig/rsa-pure.js';
import { sm2Scheme } from '../sig/sm2.js';

/** The pure backend's signature schemes: JavaScript only (@noble/curves, sm-crypto-v2, BigInt). */

const pureEd25519: SignatureScheme = {
  algorithm: 'ED25519',
  generateKeyPair() {
    const privateKey = randomBytes(ED25519_SEED_LENGTH);
    return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
  },
  derivePublicKey(privateKey) {
    checkEd25519Seed(privateKey);
    return ed25519.getPublicKey(privateKey);
  },
  sign(privateKey, message) {
    checkEd25519Seed(privateKey);
    return ed25519.sign(message, privateKey);
  },
  verify: verifyEd25519Strict,
  checkPublicKey: checkEd25519PublicKey,
  checkPrivateKey: checkEd25519Seed,
};

const pureRsa: SignatureScheme = {
  algorithm: 'RSA',
  generateKeyPair() {
    // About a second in JavaScript for 2048 bits.
    const key = generateRsaKeyPure(GENERATED_RSA_MODULUS_LENGTH, randomBytes);
    return { privateKey: encodeRsaPrivateKey(key), publicKey: encodeRsaPublicKey(key) };
  },
  derivePublicKey: (privateKey) => encodeRsaPublicKey(parseRsaPrivateKey(privateKey)),
  sign: (privateKey, message) => rsaSignPure(parseRsaPrivateKey(privateKey), message),
  verify(publicKey, message, signature) {
    const key = rsaVerificationKey(publicKey, signature);
    return key !== undefined && rsaVerifyPure(key, message, signature);
  },
  checkPublicKey(publicKey) {
    parseRsaPublicKey(publicKey);
  },
  checkPrivateKey(privateKey) {
    parseRsaPrivateKey(privateKey);
  },
};

const SCHEMES: Readonly<Record<SignatureAlgorithm, SignatureScheme>> = {
  ED25519: pureEd25519,
  'ECDSA-P256': nobleEcdsaScheme('ECDSA-P256'),
  'ECDSA-SECP256K1': nobleEcdsaScheme('ECDSA-SECP256K1'),
  RSA: pureRsa,
  SM2: sm2Scheme,
};

export function pureSignatureScheme(algorithm: SignatureAlgorithm): SignatureScheme {
  return SCHEMES[algorithm];
}
