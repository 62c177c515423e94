import type { SignatureAlgorithm } from '../algorithms.js';
import type { SignatureScheme } from '../backend.js';
import { nobleEcdsaScheme } from '../sig/noble-ecdsa.js';
import { nodeEd25519 } from '../sig/node-ed25519.js';
import { nodeP256 } from '../sig/node-p256.js';
import { nodeRsa } from '../sig/node-rsa.js';
import { sm2Scheme } from '../sig/sm2.js';

/**
 * The node backend's signature schemes: libsodium for Ed25519, OpenSSL (node:crypto) for P-256 and
 * RSA; secp256k1 and SM2 run on the same JavaScript libraries as the pure backend, which measured
 * as fast as or faster than the native alternatives (shared/DEPENDENCIES.md).
 */
const SCHEMES: Readonly<Record<SignatureAlgorithm, SignatureScheme>> = {
  ED25519: nodeEd25519,
  'ECDSA-P256': nodeP256,
  'ECDSA-SECP256K1': nobleEcdsaScheme('ECDSA-SECP256K1'),
  RSA: nodeRsa,
  SM2: sm2Scheme,
};

export function nodeSignatureScheme(algorithm: SignatureAlgorithm): SignatureScheme {
  return SCHEMES[algorithm];
}
