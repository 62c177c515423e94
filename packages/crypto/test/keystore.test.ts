import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AEAD_ALGORITHMS, type SignatureAlgorithm } from '../src/algorithms.js';
import { CryptoError } from '../src/errors.js';
import { decryptPrivateKey, DEFAULT_SCRYPT_COST, encryptPrivateKey, type KeyFileOptions } from '../src/keyfile.js';
import { keyFileFromJson, parseKeyFile, type KeyFile } from '../src/keyfile-format.js';
import { nodeBackend } from '../src/node/backend.js';
import { pureBackend } from '../src/pure/backend.js';
import { createCryptoSuite, type KeyPair } from '../src/suite.js';
import { BACKENDS, cryptoError, fuzzParameters, rejectsWithCryptoError, utf8 } from './vector-support.js';

/** Cheap scrypt for tests (N = 2^10); the default cost is exercised once below. */
const FAST: KeyFileOptions = { scrypt: { N: 1024 } };
const PASSWORD = utf8('correct horse battery staple');
const nodeSuite = createCryptoSuite(nodeBackend);
const pureSuite = createCryptoSuite(pureBackend);

/** Key generation runs on the node backend (pure RSA key generation is slow); keys are raw bytes either way. */
const keyPairs = new Map<SignatureAlgorithm, KeyPair>();
function keyPair(algorithm: SignatureAlgorithm): KeyPair {
  let pair = keyPairs.get(algorithm);
  if (pair === undefined) {
    pair = nodeSuite.generateKeyPair(algorithm);
    keyPairs.set(algorithm, pair);
  }
  return pair;
}

function edited(file: KeyFile, change: (copy: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(file)) as Record<string, unknown>;
  change(copy);
  return copy;
}

for (const backend of BACKENDS) {
  const suite = createCryptoSuite(backend);
  const other = backend === nodeBackend ? pureSuite : nodeSuite;

  describe(`key files, ${backend.name} backend`, () => {
    for (const algorithm of ['ED25519', 'ECDSA-P256', 'ECDSA-SECP256K1', 'SM2', 'RSA'] as const) {
      for (const cipher of AEAD_ALGORITHMS) {
        test(`${algorithm} under ${cipher}: round trip, readable by the other backend, survives JSON`, () => {
          const { privateKey, publicKey } = keyPair(algorithm);
          const file = encryptPrivateKey(suite, privateKey, PASSWORD, { ...FAST, cipher, name: 'k1' });
          assert.equal(file.algorithm, algorithm);
          assert.equal(file.publicKey, publicKey.toBase58());
          assert.equal(file.address, publicKey.address().toBase58());
          assert.equal(file.cipher.name, cipher);
          const reread = keyFileFromJson(JSON.stringify(file));
          assert.ok(decryptPrivateKey(suite, reread, PASSWORD).equals(privateKey));
          assert.ok(decryptPrivateKey(other, reread, PASSWORD).equals(privateKey));
        });
      }
    }

    test('a wrong password is WRONG_PASSWORD', () => {
      const file = encryptPrivateKey(suite, keyPair('ED25519').privateKey, PASSWORD, FAST);
      assert.throws(() => decryptPrivateKey(suite, file, utf8('Correct horse battery staple')), cryptoError('WRONG_PASSWORD'));
      assert.throws(() => decryptPrivateKey(suite, file, new Uint8Array(0)), cryptoError('WRONG_PASSWORD'));
    });

    test('every edited field is detected (KEYSTORE_CORRUPT, or WRONG_PASSWORD where the key derivation changes)', () => {
      const { privateKey } = keyPair('ED25519');
      const file = encryptPrivateKey(suite, privateKey, PASSWORD, { ...FAST, name: 'alice', createdAt: '2024-01-01T00:00:00Z' });
      const stranger = keyPair('ECDSA-P256').publicKey;
      const otherEd25519 = suite.generateKeyPair('ED25519').publicKey;
      const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
      const edits: [string, (copy: Record<string, unknown>) => void, string][] = [
        ['name', (c) => (c['name'] = 'bob'), 'KEYSTORE_CORRUPT'],
        ['name removed', (c) => delete c['name'], 'KEYSTORE_CORRUPT'],
        ['createdAt', (c) => (c['createdAt'] = '2025-01-01T00:00:00Z'), 'KEYSTORE_CORRUPT'],
        ['public key and address of another key', (c) => {
          c['publicKey'] = otherEd25519.toBase58();
          c['address'] = otherEd25519.address().toBase58();
        }, 'KEYSTORE_CORRUPT'],
        ['algorithm, key and address of another algorithm', (c) => {
          c['algorithm'] = 'ECDSA-P256';
          c['publicKey'] = stranger.toBase58();
          c['address'] = stranger.address().toBase58();
        }, 'KEYSTORE_CORRUPT'],
        ['address alone', (c) => (c['address'] = otherEd25519.address().toBase58()), 'KEYSTORE_CORRUPT'],
        ['ciphertext', (c) => (c['ciphertext'] = flipHex(c['ciphertext'] as string)), 'KEYSTORE_CORRUPT'],
        ['nonce', (c) => ((c['cipher'] as Record<string, string>)['nonce'] = flipHex(file.cipher.nonce)), 'KEYSTORE_CORRUPT'],
        ['cipher', (c) => ((c['cipher'] as Record<string, string>)['name'] = 'SM4-CTR-HMAC-SM3'), 'KEYSTORE_CORRUPT'],
        ['salt', (c) => ((c['kdf'] as Record<string, string>)['salt'] = flipHex(file.kdf.salt)), 'WRONG_PASSWORD'],
        ['scrypt N', (c) => ((c['kdf'] as Record<string, number>)['N'] = 2048), 'WRONG_PASSWORD'],
        ['password check', (c) => (c['passwordCheck'] = flipHex(file.passwordCheck)), 'WRONG_PASSWORD'],
        ['version', (c) => (c['version'] = 2), 'KEYSTORE_CORRUPT'],
      ];
      for (const [what, change, code] of edits) {
        assert.throws(() => decryptPrivateKey(suite, edited(file, change), PASSWORD), cryptoError(code as 'KEYSTORE_CORRUPT'), what);
      }
      assert.ok(decryptPrivateKey(suite, file, PASSWORD).equals(privateKey));
    });

    test('options are validated before any work: bad names or scrypt costs are INVALID_ENCODING', () => {
      const { privateKey } = keyPair('ED25519');
      for (const options of [{ name: 'no spaces' }, { name: '' }, { scrypt: { N: 1000 } }, { scrypt: { N: 2 ** 21 } }, { scrypt: { r: 0 } }]) {
        assert.throws(() => encryptPrivateKey(suite, privateKey, PASSWORD, options), cryptoError('INVALID_ENCODING'), JSON.stringify(options));
      }
    });
  });
}

test('the default cost is scrypt N = 2^16, r = 8, p = 1, written into the file and read back by both backends', () => {
  const { privateKey } = keyPair('ED25519');
  const file = encryptPrivateKey(nodeSuite, privateKey, PASSWORD);
  assert.deepEqual({ N: file.kdf.N, r: file.kdf.r, p: file.kdf.p }, DEFAULT_SCRYPT_COST);
  assert.deepEqual(DEFAULT_SCRYPT_COST, { N: 65536, r: 8, p: 1 });
  assert.equal(file.cipher.name, 'AES-256-GCM');
  assert.ok(decryptPrivateKey(pureSuite, file, PASSWORD).equals(privateKey));
});

describe('key file parsing', () => {
  const file = encryptPrivateKey(nodeSuite, keyPair('ED25519').privateKey, PASSWORD, { ...FAST, name: 'k' });

  test('malformed files are KEYSTORE_CORRUPT and the message names what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [[], /not a JSON object/],
      [edited(file, (c) => delete c['kdf']), /kdf must be an object/],
      [edited(file, (c) => (c['extra'] = 1)), /unexpected field extra/],
      [edited(file, (c) => ((c['kdf'] as Record<string, unknown>)['memory'] = 1)), /unexpected field kdf.memory/],
      [edited(file, (c) => (c['ciphertext'] = 'ABCD')), /ciphertext must be lowercase hex/],
      [edited(file, (c) => (c['passwordCheck'] = '00')), /passwordCheck must be 16 bytes/],
      [edited(file, (c) => ((c['kdf'] as Record<string, unknown>)['N'] = 3)), /N must be a power of two/],
      [edited(file, (c) => ((c['kdf'] as Record<string, unknown>)['N'] = 2 ** 20)), /exceeds/],
      [edited(file, (c) => (c['algorithm'] = 'MD5')), /algorithm must be one of/],
      [edited(file, (c) => (c['publicKey'] = 'not base58!')), /publicKey/],
      [edited(file, (c) => (c['format'] = 'ethereum')), /format/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => parseKeyFile(value), (error: unknown) => error instanceof CryptoError && error.code === 'KEYSTORE_CORRUPT' && message.test(error.message));
    }
    assert.throws(() => keyFileFromJson('{"format":'), cryptoError('KEYSTORE_CORRUPT'));
  });

  test('fuzz: random JSON and files with one field replaced either parse to an equal file or throw CryptoError', () => {
    const fields = Object.keys(file);
    const nestedFields = ['kdf.N', 'kdf.r', 'kdf.p', 'kdf.salt', 'kdf.name', 'cipher.name', 'cipher.nonce'];
    const replaced = fc.tuple(fc.constantFrom(...fields, ...nestedFields), fc.jsonValue({ maxDepth: 2 }), fc.boolean()).map(([path, value, remove]) =>
      edited(file, (copy) => {
        const [head, tail] = path.split('.') as [string, string | undefined];
        const target = tail === undefined ? copy : (copy[head] as Record<string, unknown>);
        const key = tail ?? head;
        if (remove) delete target[key];
        else target[key] = value;
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), replaced, fc.constant(JSON.parse(JSON.stringify(file)) as unknown)), (value) => {
        let parsed: KeyFile | undefined;
        if (!rejectsWithCryptoError(() => (parsed = parseKeyFile(value)))) {
          assert.deepEqual(JSON.parse(JSON.stringify(parsed)), value);
        }
        const text = JSON.stringify(value) ?? 'undefined';
        if (!rejectsWithCryptoError(() => (parsed = keyFileFromJson(text)))) assert.deepEqual(parsed, JSON.parse(text));
      }),
      fuzzParameters(3000),
    );
  });
});
