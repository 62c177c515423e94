import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as opensslSign, verify as opensslVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { bytesToHex, bytesToNumberBE, numberToVarBytesBE } from '@noble/curves/utils.js';
import type { SignatureScheme } from '../backend.js';
import { PublicKeyCache } from './key-cache.js';
import {
  encodeRsaPrivateKey,
  encodeRsaPublicKey,
  GENERATED_RSA_MODULUS_LENGTH,
  parseRsaPrivateKey,
  parseRsaPublicKey,
  rsaVerificationKey,
  RSA_PUBLIC_EXPONENT,
  type RsaPrivateKey,
  type RsaPublicKey,
} from './rsa-key.js';

/**
 * SHA256withRSA (RSASSA-PKCS1-v1_5, RFC 8017 §8.2) on node:crypto, keys imported as JWK. Raw keys
 * are JD Chain's form (rsa-key.ts).
 */

const base64url = (value: bigint): string => Buffer.from(numberToVarBytesBE(value)).toString('base64url');
const fromBase64url = (text: string | undefined): bigint => bytesToNumberBE(Buffer.from(text ?? '', 'base64url'));

const publicKeys = new PublicKeyCache<KeyObject>(256);

function publicKeyObject(raw: Uint8Array, { n, e }: RsaPublicKey): KeyObject {
  const id = bytesToHex(raw);
  let key = publicKeys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'RSA', n: base64url(n), e: base64url(e) }, format: 'jwk' });
    publicKeys.set(id, key);
  }
  return key;
}

function privateKeyObject(key: RsaPrivateKey): KeyObject {
  const jwk: JsonWebKey = {
    kty: 'RSA',
    n: base64url(key.n),
    e: base64url(key.e),
    d: base64url(key.d),
    p: base64url(key.p),
    q: base64url(key.q),
    dp: base64url(key.dp),
    dq: base64url(key.dq),
    qi: base64url(key.qinv),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export const nodeRsa: SignatureScheme = {
  algorithm: 'RSA',
  generateKeyPair() {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 8 * GENERATED_RSA_MODULUS_LENGTH, publicExponent: Number(RSA_PUBLIC_EXPONENT) });
    const jwk = privateKey.export({ format: 'jwk' });
    const raw = encodeRsaPrivateKey({
      modulusLength: GENERATED_RSA_MODULUS_LENGTH,
      n: fromBase64url(jwk.n),
      e: fromBase64url(jwk.e),
      d: fromBase64url(jwk.d),
      p: fromBase64url(jwk.p),
      q: fromBase64url(jwk.q),
      dp: fromBase64url(jwk.dp),
      dq: fromBase64url(jwk.dq),
      qinv: fromBase64url(jwk.qi),
    });
    return { privateKey: raw, publicKey: nodeRsa.derivePublicKey(raw) };
  },
  derivePublicKey(privateKey) {
    return encodeRsaPublicKey(parseRsaPrivateKey(privateKey));
  },
  sign(privateKey, message) {
    return new Uint8Array(opensslSign('sha256', message, privateKeyObject(parseRsaPrivateKey(privateKey))));
  },
  verify(publicKey, message, signature) {
    const parsed = rsaVerificationKey(publicKey, signature);
    if (parsed === undefined) return false;
    try {
      return opensslVerify('sha256', message, publicKeyObject(publicKey, parsed), signature);
    } catch {
      return false; // OpenSSL rejects a signature representative ≥ n by an error
    }
  },
  checkPublicKey(publicKey) {
    parseRsaPublicKey(publicKey);
  },
  checkPrivateKey(privateKey) {
    parseRsaPrivateKey(privateKey);
  },
};
