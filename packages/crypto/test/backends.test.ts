import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AEAD_ALGORITHMS, HASH_ALGORITHMS, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../src/algorithms.js';
import { HashDigest, PrivKey, PubKey, SignatureDigest } from '../src/encoding.js';
import * as browserEntry from '../src/index.browser.js';
import * as nodeEntry from '../src/index.node.js';
import { nodeBackend } from '../src/node/backend.js';
import { createCryptoSuite, type KeyPair } from '../src/suite.js';
import { BACKENDS, cryptoError, fromHex, fuzzParameters, readVectors, utf8 } from './vector-support.js';

/** Names only the Node entry point exports, because they need the file system. */
const NODE_ONLY_EXPORTS = ['KeystoreDir'];

describe('entry points', () => {
  test('index.node and index.browser export the same names, except the documented Node-only ones', () => {
    const nodeNames = Object.keys(nodeEntry).filter((name) => !NODE_ONLY_EXPORTS.includes(name)).sort();
    assert.deepEqual(nodeNames, Object.keys(browserEntry).sort());
    for (const name of NODE_ONLY_EXPORTS) assert.ok(name in nodeEntry, name);
  });

  test('each entry point wires its own backend into its ready-made suite', () => {
    assert.equal(nodeEntry.backend.name, 'node');
    assert.equal(browserEntry.backend.name, 'pure');
    assert.equal(nodeEntry.cryptoSuite.backend, nodeEntry.backend);
    assert.equal(browserEntry.cryptoSuite.backend, browserEntry.backend);
  });
});

/** RSA keys come from the node backend: pure-JS RSA key generation is slow and not what is tested here. */
let rsaPair: KeyPair | undefined;
function rsaKeyPair(): KeyPair {
  rsaPair ??= createCryptoSuite(nodeBackend).generateKeyPair('RSA');
  return rsaPair;
}

for (const backend of BACKENDS) {
  const suite = createCryptoSuite(backend);
  const pairFor = (algorithm: SignatureAlgorithm): KeyPair => (algorithm === 'RSA' ? rsaKeyPair() : suite.generateKeyPair(algorithm));

  describe(`crypto suite, ${backend.name} backend`, () => {
    test('hash returns the tagged digest of the backend hash', () => {
      for (const algorithm of HASH_ALGORITHMS) {
        const digest = suite.hash(algorithm, utf8('abc'));
        assert.ok(digest instanceof HashDigest);
        assert.equal(digest.algorithm, algorithm);
        assert.deepEqual(digest.raw, backend.hash(algorithm).digest(utf8('abc')));
      }
    });

    for (const algorithm of SIGNATURE_ALGORITHMS) {
      test(`${algorithm}: generate, derive, sign and verify with tagged values`, () => {
        const { publicKey, privateKey } = pairFor(algorithm);
        assert.equal(publicKey.algorithm, algorithm);
        assert.ok(suite.publicKeyOf(privateKey).equals(publicKey));
        const message = utf8(`message for ${algorithm}`);
        const signature = suite.sign(privateKey, message);
        assert.ok(signature instanceof SignatureDigest);
        assert.equal(signature.algorithm, algorithm);
        assert.equal(suite.verify(publicKey, message, signature), true);
        assert.equal(suite.verify(publicKey, utf8(`message for ${algorithm}!`), signature), false);
        assert.equal(suite.verify(PubKey.fromBytes(publicKey.toBytes()), message, SignatureDigest.fromBase58(signature.toBase58())), true);
      });
    }

    test('ED25519: one key object signs RFC 8032 §7.1 vectors byte for byte, again and again (the suite keeps its bound signer)', () => {
      const { vectors } = readVectors<{ vectors: Array<{ secretKey: string; message: string; signature: string }> }>('signatures/ed25519-rfc8032.json');
      const keys = vectors.map((vector) => new PrivKey('ED25519', fromHex(vector.secretKey)));
      for (let round = 0; round < 3; round += 1) {
        vectors.forEach((vector, index) => {
          assert.deepEqual(suite.sign(keys[index] as PrivKey, fromHex(vector.message)).raw, fromHex(vector.signature), `vector ${index}, round ${round}`);
        });
      }
    });

    test('verify is false, not an error, when the signature algorithm or size does not fit the key', () => {
      const ed = suite.generateKeyPair('ED25519');
      const p256 = suite.generateKeyPair('ECDSA-P256');
      const message = utf8('m');
      const edSignature = suite.sign(ed.privateKey, message);
      assert.equal(suite.verify(p256.publicKey, message, edSignature), false);
      const rsa3072Sized = new SignatureDigest('RSA', new Uint8Array(384).fill(1));
      assert.equal(suite.verify(rsaKeyPair().publicKey, message, rsa3072Sized), false);
    });

    for (const algorithm of AEAD_ALGORITHMS) {
      test(`${algorithm}: seal/open boxes carry a fresh nonce and reject any change`, () => {
        const cipher = backend.aead(algorithm);
        const key = backend.randomBytes(32);
        const box = suite.seal(algorithm, key, utf8('secret'), utf8('context'));
        assert.equal(box.length, cipher.nonceLength + 6 + cipher.tagLength);
        assert.notDeepEqual(box.subarray(0, cipher.nonceLength), suite.seal(algorithm, key, utf8('secret')).subarray(0, cipher.nonceLength));
        assert.deepEqual(suite.open(algorithm, key, box, utf8('context')), utf8('secret'));
        assert.throws(() => suite.open(algorithm, key, box, utf8('other context')), cryptoError('DECRYPTION_FAILED'));
        assert.throws(() => suite.open(algorithm, key, box.subarray(0, cipher.nonceLength + cipher.tagLength - 1)), cryptoError('DECRYPTION_FAILED'));
        fc.assert(
          fc.property(fc.nat(box.length - 1), fc.integer({ min: 1, max: 255 }), (at, bit) => {
            const tampered = Uint8Array.from(box);
            tampered[at] = tampered[at]! ^ bit;
            assert.throws(() => suite.open(algorithm, key, tampered, utf8('context')), cryptoError('DECRYPTION_FAILED'));
          }),
          fuzzParameters(200),
        );
      });
    }
  });
}

describe('crypto suites agree across backends', () => {
  const [node, pure] = BACKENDS.map(createCryptoSuite) as [ReturnType<typeof createCryptoSuite>, ReturnType<typeof createCryptoSuite>];

  for (const algorithm of SIGNATURE_ALGORITHMS) {
    test(`${algorithm}: each backend verifies the other's signatures and derives the same public key`, () => {
      const pair = algorithm === 'RSA' ? rsaKeyPair() : node.generateKeyPair(algorithm);
      const pureMade = pure.sign(pair.privateKey, utf8('cross'));
      const nodeMade = node.sign(pair.privateKey, utf8('cross'));
      assert.ok(node.verify(pair.publicKey, utf8('cross'), pureMade));
      assert.ok(pure.verify(pair.publicKey, utf8('cross'), nodeMade));
      assert.ok(pure.publicKeyOf(pair.privateKey).equals(pair.publicKey));
    });
  }

  for (const algorithm of AEAD_ALGORITHMS) {
    test(`${algorithm}: a box sealed by one backend opens with the other`, () => {
      const key = nodeBackend.randomBytes(32);
      assert.deepEqual(pure.open(algorithm, key, node.seal(algorithm, key, utf8('x'))), utf8('x'));
      assert.deepEqual(node.open(algorithm, key, pure.seal(algorithm, key, utf8('y'))), utf8('y'));
    });
  }
});
