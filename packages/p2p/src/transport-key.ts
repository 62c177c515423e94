import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { PubKey } from '@jadechain/crypto';
import { isTransportAlgorithm, type TransportAlgorithm } from './binding.js';
import { TransportError } from './errors.js';

x509.cryptoProvider.set(webcrypto);

/**
 * A node's transport key pair and the self-signed certificate that carries its public key through
 * TLS. The certificate is a carrier only: nobody checks its issuer, dates or signature; trust in
 * the key comes from the transport binding signed by the node's ledger identity.
 */
export class TransportKey {
  readonly algorithm: TransportAlgorithm;
  readonly publicKey: PubKey;
  readonly certificatePem: string;
  readonly #privateKeyPem: string;

  private constructor(algorithm: TransportAlgorithm, publicKey: PubKey, privateKeyPem: string, certificatePem: string) {
    this.algorithm = algorithm;
    this.publicKey = publicKey;
    this.#privateKeyPem = privateKeyPem;
    this.certificatePem = certificatePem;
  }

  /** The PKCS#8 PEM of the private key, for TLS and for saving it; handle as a secret. */
  privateKeyPem(): string {
    return this.#privateKeyPem;
  }

  /** Keeps the private key out of logs and JSON. */
  toString(): string {
    return `[TransportKey ${this.algorithm} ${this.publicKey.toBase58()}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Generates a key pair of `algorithm` and a self-signed certificate for it. */
  static async generate(algorithm: TransportAlgorithm = 'ED25519', commonName = 'jadechain-node'): Promise<TransportKey> {
    const keyAlgorithm = algorithm === 'ED25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
    const signingAlgorithm = algorithm === 'ED25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    // Dates only keep strict certificate parsers content; TLS peers here never check them.
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      // A leading 01 byte keeps the DER integer positive and of constant length.
      serialNumber: `01${randomBytes(8).toString('hex')}`,
      name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, '_')}`,
      notBefore: new Date(now - 24 * 3600 * 1000),
      notAfter: new Date(now + 100 * 365 * 24 * 3600 * 1000),
      keys,
      signingAlgorithm,
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const privateKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
    return TransportKey.fromPem(privateKeyPem, certificate.toString('pem'));
  }

  /** Loads a saved key; BAD_CERTIFICATE unless both are Ed25519 or P-256 and hold the same key. */
  static fromPem(privateKeyPem: string, certificatePem: string): TransportKey {
    let fromPrivateKey: PubKey;
    let fromCertificate: PubKey;
    try {
      fromPrivateKey = transportPublicKeyOf(createPublicKey(createPrivateKey(privateKeyPem)));
      fromCertificate = transportPublicKeyOf(new X509Certificate(certificatePem).publicKey);
    } catch (error) {
      if (error instanceof TransportError) throw error;
      throw new TransportError('BAD_CERTIFICATE', `transport key or certificate does not parse: ${(error as Error).message}`);
    }
    if (!fromPrivateKey.equals(fromCertificate)) {
      throw new TransportError('BAD_CERTIFICATE', 'the certificate does not hold the public key of the private key');
    }
    const algorithm = fromPrivateKey.algorithm;
    if (!isTransportAlgorithm(algorithm)) throw new TransportError('BAD_CERTIFICATE', `unexpected algorithm ${algorithm}`);
    return new TransportKey(algorithm, fromPrivateKey, privateKeyPem, certificatePem);
  }
}

function base64url(text: string | undefined): Buffer {
  if (text === undefined) throw new TransportError('BAD_CERTIFICATE', 'key has no coordinates');
  return Buffer.from(text, 'base64url');
}

/**
 * The tagged public key (spec/crypto.md §3) of an Ed25519 or P-256 key object, which is what a
 * binding names. Any other key type is BAD_CERTIFICATE: the transport accepts nothing else.
 */
export function transportPublicKeyOf(key: KeyObject): PubKey {
  if (key.asymmetricKeyType === 'ed25519') {
    return new PubKey('ED25519', base64url(key.export({ format: 'jwk' }).x));
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    const jwk = key.export({ format: 'jwk' });
    return new PubKey('ECDSA-P256', Buffer.concat([Buffer.of(0x04), base64url(jwk.x), base64url(jwk.y)]));
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new TransportError('BAD_CERTIFICATE', `key type ${key.asymmetricKeyType ?? '?'}${curve === undefined ? '' : ` (${curve})`} is not Ed25519 or P-256`);
}
