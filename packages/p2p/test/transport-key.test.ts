import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { TransportKey, transportPublicKeyOf } from '../src/index.js';
import { throwsWith, transportKey } from './support.js';

describe('transport keys', () => {
  for (const algorithm of ['ED25519', 'ECDSA-P256'] as const) {
    test(`${algorithm}: the certificate carries the key, and PEM round-trips`, async () => {
      const key = await TransportKey.generate(algorithm, 'peer-1');
      assert.equal(key.algorithm, algorithm);
      assert.equal(key.publicKey.algorithm, algorithm);
      const certificate = new X509Certificate(key.certificatePem);
      assert.ok(transportPublicKeyOf(certificate.publicKey).equals(key.publicKey));
      assert.match(certificate.subject, /CN=peer-1/);
      assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
      const loaded = TransportKey.fromPem(key.privateKeyPem(), key.certificatePem);
      assert.ok(loaded.publicKey.equals(key.publicKey));
    });
  }

  test('a certificate for another key is refused', async () => {
    const one = await transportKey('ED25519', 'one');
    const two = await transportKey('ED25519', 'two');
    throwsWith('BAD_CERTIFICATE', () => TransportKey.fromPem(one.privateKeyPem(), two.certificatePem));
  });

  test('keys other than Ed25519 and P-256 are refused', () => {
    for (const [type, options] of [['rsa', { modulusLength: 1024 }], ['ec', { namedCurve: 'secp384r1' }], ['ed448', {}]] as const) {
      const { publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
      throwsWith('BAD_CERTIFICATE', () => transportPublicKeyOf(publicKey));
    }
  });

  test('garbage PEM is refused', async () => {
    const key = await transportKey();
    throwsWith('BAD_CERTIFICATE', () => TransportKey.fromPem('not a key', key.certificatePem));
    throwsWith('BAD_CERTIFICATE', () => TransportKey.fromPem(key.privateKeyPem(), 'not a certificate'));
  });

  test('the private key stays out of strings and JSON', async () => {
    const key = await transportKey();
    assert.doesNotMatch(String(key), /PRIVATE/);
    assert.doesNotMatch(JSON.stringify({ key }), /PRIVATE/);
    assert.match(key.privateKeyPem(), /BEGIN PRIVATE KEY/);
  });
});
