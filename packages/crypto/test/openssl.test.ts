import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberToVarBytesBE } from '@noble/curves/utils.js';
import type { SignatureAlgorithm } from '../src/algorithms.js';
import { signatureFromDer, signatureToDer } from '../src/sig/der.js';
import { parseRsaPrivateKey } from '../src/sig/rsa-key.js';
import { BACKENDS, fromHex, utf8 } from './vector-support.js';
import { fixedKeyPair } from './signatures-support.js';

/**
 * Interoperability with the `openssl` command (3.0): OpenSSL verifies what each backend signs, and
 * each backend verifies what OpenSSL signs with the same key. Keys are handed over as PEM built
 * here by hand from the raw forms (SEC 1 / RFC 5915, RFC 5480, RFC 8410; SM2 with its own curve OID).
 */

const workDir = mkdtempSync(join(tmpdir(), 'jadechain-openssl-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

let fileCounter = 0;
function tempFile(contents: Uint8Array | string): string {
  const path = join(workDir, `f${fileCounter++}`);
  writeFileSync(path, contents);
  return path;
}

function openssl(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function pem(label: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

const concat = (...parts: (Uint8Array | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => [...(typeof part === 'string' ? fromHex(part) : part)]));

/** DER of the named-curve OIDs: prime256v1, secp256k1, SM2 (1.2.156.10197.1.301). */
const CURVE_OIDS: Record<'ECDSA-P256' | 'ECDSA-SECP256K1' | 'SM2', string> = {
  'ECDSA-P256': '06082a8648ce3d030107',
  'ECDSA-SECP256K1': '06052b8104000a',
  SM2: '06082a811ccf5501822d',
};
const ID_EC_PUBLIC_KEY = '06072a8648ce3d0201';

/** A DER header for a short (< 128 bytes) element. */
const tlv = (tag: number, body: Uint8Array): Uint8Array => concat(Uint8Array.from([tag, body.length]), body);

/** PEM private key and public key files for a raw key pair. */
function keyFiles(algorithm: SignatureAlgorithm, privateKey: Uint8Array, publicKey: Uint8Array): { privatePem: string; publicPem: string } {
  if (algorithm === 'ED25519') {
    return {
      privatePem: tempFile(pem('PRIVATE KEY', concat('302e020100300506032b657004220420', privateKey))),
      publicPem: tempFile(pem('PUBLIC KEY', concat('302a300506032b6570032100', publicKey))),
    };
  }
  if (algorithm === 'RSA') {
    // node:crypto writes RSA PEM; the JWK comes from the raw JD Chain form.
    const key = parseRsaPrivateKey(privateKey);
    const b64 = (value: bigint): string => Buffer.from(numberToVarBytesBE(value)).toString('base64url');
    const jwk = { kty: 'RSA', n: b64(key.n), e: b64(key.e), d: b64(key.d), p: b64(key.p), q: b64(key.q), dp: b64(key.dp), dq: b64(key.dq), qi: b64(key.qinv) };
    const keyObject = createPrivateKey({ key: jwk, format: 'jwk' });
    return {
      privatePem: tempFile(keyObject.export({ format: 'pem', type: 'pkcs8' }).toString()),
      publicPem: tempFile(createPublicKey(keyObject).export({ format: 'pem', type: 'spki' }).toString()),
    };
  }
  const oid = fromHex(CURVE_OIDS[algorithm]);
  const sec1 = tlv(0x30, concat('020101', tlv(0x04, privateKey), tlv(0xa0, oid)));
  const spki = tlv(0x30, concat(tlv(0x30, concat(ID_EC_PUBLIC_KEY, oid)), tlv(0x03, concat('00', publicKey))));
  return { privatePem: tempFile(pem('EC PRIVATE KEY', sec1)), publicPem: tempFile(pem('PUBLIC KEY', spki)) };
}

const SM2_ID = ['-pkeyopt', 'distid:1234567812345678'];

function opensslSign(algorithm: SignatureAlgorithm, privatePem: string, messageFile: string): Uint8Array {
  const out = join(workDir, `sig${fileCounter++}`);
  const args =
    algorithm === 'ED25519' ? ['pkeyutl', '-sign', '-inkey', privatePem, '-rawin', '-in', messageFile, '-out', out]
    : algorithm === 'SM2' ? ['pkeyutl', '-sign', '-inkey', privatePem, '-rawin', '-digest', 'sm3', '-in', messageFile, '-out', out, ...SM2_ID]
    : ['dgst', '-sha256', '-sign', privatePem, '-out', out, messageFile];
  const result = openssl(args);
  assert.ok(result.ok, result.output);
  const signature = new Uint8Array(readFileSync(out));
  return algorithm === 'ED25519' || algorithm === 'RSA' ? signature : signatureFromDer(algorithm, signature);
}

function opensslVerifies(algorithm: SignatureAlgorithm, publicPem: string, messageFile: string, signature: Uint8Array): boolean {
  const encoded = algorithm === 'ED25519' || algorithm === 'RSA' ? signature : signatureToDer(algorithm, signature);
  const signatureFile = tempFile(encoded);
  const args =
    algorithm === 'ED25519' ? ['pkeyutl', '-verify', '-pubin', '-inkey', publicPem, '-rawin', '-in', messageFile, '-sigfile', signatureFile]
    : algorithm === 'SM2' ? ['pkeyutl', '-verify', '-pubin', '-inkey', publicPem, '-rawin', '-digest', 'sm3', '-in', messageFile, '-sigfile', signatureFile, ...SM2_ID]
    : ['dgst', '-sha256', '-verify', publicPem, '-signature', signatureFile, messageFile];
  return openssl(args).ok;
}

const ALGORITHMS: readonly SignatureAlgorithm[] = ['ED25519', 'ECDSA-P256', 'ECDSA-SECP256K1', 'SM2', 'RSA'];

describe('OpenSSL interoperability', () => {
  for (const algorithm of ALGORITHMS) {
    const { privateKey, publicKey } = fixedKeyPair(algorithm);
    const message = utf8(`interop ${algorithm}`);

    test(`${algorithm}: OpenSSL verifies what both backends sign, and rejects a changed message`, () => {
      const { publicPem } = keyFiles(algorithm, privateKey, publicKey);
      const messageFile = tempFile(message);
      for (const backend of BACKENDS) {
        const signature = backend.signature(algorithm).sign(privateKey, message);
        assert.ok(opensslVerifies(algorithm, publicPem, messageFile, signature), `${backend.name} signature`);
        assert.equal(opensslVerifies(algorithm, publicPem, tempFile(utf8(`interop ${algorithm}!`)), signature), false);
      }
    });

    test(`${algorithm}: both backends verify what OpenSSL signs with the same key`, () => {
      const { privatePem } = keyFiles(algorithm, privateKey, publicKey);
      const signature = opensslSign(algorithm, privatePem, tempFile(message));
      for (const backend of BACKENDS) {
        assert.equal(backend.signature(algorithm).verify(publicKey, message, signature), true, backend.name);
        assert.equal(backend.signature(algorithm).verify(publicKey, utf8('other'), signature), false, backend.name);
      }
      if (algorithm === 'ED25519' || algorithm === 'RSA') {
        // Deterministic schemes: OpenSSL's bytes are ours.
        assert.deepEqual(signature, BACKENDS[0]!.signature(algorithm).sign(privateKey, message));
      }
    });
  }
});
