import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base58 } from '@scure/base';
import fc from 'fast-check';
import { Address } from '../src/address.js';
import { algorithmByName, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../src/algorithms.js';
import { base58Decode, base58Encode } from '../src/base58.js';
import { HashDigest, PrivKey, PubKey, SignatureDigest } from '../src/encoding.js';
import { BACKENDS, cryptoError, fromHex, fuzzParameters, readVectors, toHex } from './vector-support.js';
import { taggedSample } from './tagged-samples.js';

interface JdChainVectorFile {
  addresses: { name: string; algorithm: SignatureAlgorithm; publicKey: string; address: string }[];
  hashes: { name: string; algorithm: string; base58: string }[];
}

const jdChain = readVectors<JdChainVectorFile>('encoding/jdchain-addresses.json');

function withHeader(code: number, rest: Uint8Array, keyType?: number): Uint8Array {
  const header = keyType === undefined ? [code >>> 8, code & 0xff] : [code >>> 8, code & 0xff, keyType];
  return Uint8Array.from([...header, ...rest]);
}

describe('JD Chain compatibility (real keys, addresses and hashes from its documentation)', () => {
  test('public keys decode as ED25519 and derive the published addresses', () => {
    for (const vector of jdChain.addresses) {
      const publicKey = PubKey.fromBase58(vector.publicKey);
      assert.equal(publicKey.algorithm, vector.algorithm, vector.name);
      assert.equal(publicKey.toBase58(), vector.publicKey);
      assert.equal(publicKey.address().toBase58(), vector.address, vector.name);
      const address = Address.fromBase58(vector.address);
      assert.equal(address.algorithm, vector.algorithm);
      assert.ok(address.equals(publicKey.address()));
    }
  });

  for (const backend of BACKENDS) {
    test(`the address hash is RIPEMD160(SHA256(raw key)) with the ${backend.name} backend's hashes`, () => {
      for (const vector of jdChain.addresses) {
        const publicKey = PubKey.fromBase58(vector.publicKey);
        const expected = backend.hash('RIPEMD160').digest(backend.hash('SHA256').digest(publicKey.raw));
        assert.deepEqual(Address.fromBase58(vector.address).publicKeyHash, expected);
        const bytes = Address.fromBase58(vector.address).toBytes();
        const checksum = backend.hash('SHA256').digest(backend.hash('SHA256').digest(bytes.subarray(0, 23)));
        assert.deepEqual(bytes.subarray(23), checksum.subarray(0, 4));
        assert.equal(bytes[0], 0x91);
      }
    });
  }

  test('ledger hashes ("j5…") decode as tagged SHA256 digests', () => {
    for (const vector of jdChain.hashes) {
      const digest = HashDigest.fromBase58(vector.base58);
      assert.equal(digest.algorithm, vector.algorithm, vector.name);
      assert.equal(digest.raw.length, 32);
      assert.equal(digest.toString(), vector.base58);
      assert.equal(JSON.stringify({ hash: digest }), `{"hash":"${vector.base58}"}`);
    }
  });
});

describe('tagged layouts', () => {
  test('hash and signature digests are code (2 bytes, big-endian) ‖ raw', () => {
    const raw = fromHex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(toHex(new HashDigest('SHA256', raw).toBytes()), `2018${toHex(raw)}`);
    assert.equal(toHex(new HashDigest('SM3', raw).toBytes()).slice(0, 4), '2003');
    const signature = new SignatureDigest('SM2', new Uint8Array(64).fill(1));
    assert.equal(toHex(signature.toBytes()).slice(0, 6), 'c10201');
  });

  test('keys are code ‖ key type (1 public, 2 private) ‖ raw', () => {
    for (const algorithm of SIGNATURE_ALGORITHMS) {
      const code = algorithmByName(algorithm).code;
      const publicKey = PubKey.fromBytes(taggedSample('public', algorithm));
      const privateKey = PrivKey.fromBytes(taggedSample('private', algorithm));
      assert.deepEqual([...publicKey.toBytes().subarray(0, 3)], [code >>> 8, code & 0xff, 1]);
      assert.deepEqual([...privateKey.toBytes().subarray(0, 3)], [code >>> 8, code & 0xff, 2]);
      assert.deepEqual(publicKey.toBytes().subarray(3), publicKey.raw);
    }
  });

  test('values are immutable: neither the input array nor returned arrays reach inside', () => {
    const raw = new Uint8Array(32).fill(5);
    const digest = new HashDigest('SHA256', raw);
    raw.fill(0);
    digest.raw.fill(0);
    digest.toBytes().fill(0);
    assert.deepEqual(digest.raw, new Uint8Array(32).fill(5));
    const address = PubKey.fromBase58(jdChain.addresses[0]!.publicKey).address();
    address.toBytes().fill(0);
    address.publicKeyHash.fill(0);
    assert.equal(address.toBase58(), jdChain.addresses[0]!.address);
  });

  test('equality compares algorithm and bytes', () => {
    const raw = new Uint8Array(32).fill(3);
    assert.ok(new HashDigest('SHA256', raw).equals(HashDigest.fromBytes(new HashDigest('SHA256', raw).toBytes())));
    assert.ok(!new HashDigest('SHA256', raw).equals(new HashDigest('SM3', raw)));
  });

  test('the latin1 key is the tagged encoding, one character per byte: equal values, equal keys; the base58 form is the same on every call', () => {
    const raw = new Uint8Array(32).fill(7);
    const digest = new HashDigest('SHA256', raw);
    assert.equal(digest.toLatin1(), Buffer.from(digest.toBytes()).toString('latin1'));
    assert.equal(digest.toLatin1().length, digest.toBytes().length);
    assert.equal(new HashDigest('SHA256', raw).toLatin1(), digest.toLatin1());
    assert.notEqual(new HashDigest('SM3', raw).toLatin1(), digest.toLatin1(), 'the algorithm is part of the key');
    assert.equal(digest.toBase58(), digest.toBase58());
    assert.equal(HashDigest.fromBase58(digest.toBase58()).equals(digest), true);
  });

  test('a private key never shows itself through toString or JSON', () => {
    const privateKey = PrivKey.fromBytes(taggedSample('private', 'ED25519'));
    assert.equal(String(privateKey), '[PrivKey ED25519]');
    assert.equal(JSON.stringify({ privateKey }), '{"privateKey":"[PrivKey ED25519]"}');
    assert.equal(PrivKey.fromBase58(privateKey.toBase58()).equals(privateKey), true);
  });
});

describe('strict decoders', () => {
  const ed25519Public = taggedSample('public', 'ED25519');

  test('truncated, oversized and trailing-garbage input is INVALID_LENGTH', () => {
    assert.throws(() => PubKey.fromBytes(ed25519Public.subarray(0, 34)), cryptoError('INVALID_LENGTH'));
    assert.throws(() => PubKey.fromBytes(Uint8Array.from([...ed25519Public, 0])), cryptoError('INVALID_LENGTH'));
    assert.throws(() => HashDigest.fromBytes(new Uint8Array([0x20])), cryptoError('INVALID_LENGTH'));
    assert.throws(() => HashDigest.fromBytes(withHeader(0x2019, new Uint8Array(32))), cryptoError('INVALID_LENGTH'));
    assert.throws(() => SignatureDigest.fromBytes(withHeader(0xc117, new Uint8Array(300))), cryptoError('INVALID_LENGTH'));
    assert.throws(() => new HashDigest('SM3', new Uint8Array(31)), cryptoError('INVALID_LENGTH'));
  });

  test('unknown codes are UNKNOWN_ALGORITHM, codes of another kind WRONG_ALGORITHM', () => {
    assert.throws(() => HashDigest.fromBytes(withHeader(0x2099, new Uint8Array(32))), cryptoError('UNKNOWN_ALGORITHM'));
    assert.throws(() => HashDigest.fromBytes(withHeader(0x4115, new Uint8Array(32))), cryptoError('WRONG_ALGORITHM'));
    assert.throws(() => PubKey.fromBytes(withHeader(0x2018, new Uint8Array(32), 1)), cryptoError('WRONG_ALGORITHM'));
    assert.throws(() => SignatureDigest.fromBytes(withHeader(0x8261, new Uint8Array(64))), cryptoError('WRONG_ALGORITHM'));
  });

  test('a wrong key-type byte or malformed key structure is INVALID_ENCODING', () => {
    assert.throws(() => PrivKey.fromBytes(ed25519Public), cryptoError('INVALID_ENCODING'));
    assert.throws(() => PubKey.fromBytes(taggedSample('private', 'ED25519')), cryptoError('INVALID_ENCODING'));
    const compressedPoint = withHeader(0x4116, Uint8Array.from([0x02, ...new Uint8Array(64)]), 1);
    assert.throws(() => PubKey.fromBytes(compressedPoint), cryptoError('INVALID_ENCODING'));
    const rsa = taggedSample('public', 'RSA');
    const wrongExponent = Uint8Array.from(rsa);
    wrongExponent[wrongExponent.length - 1] = 0x03;
    assert.throws(() => PubKey.fromBytes(wrongExponent), cryptoError('INVALID_ENCODING'));
    const shortModulus = Uint8Array.from(rsa);
    shortModulus[3] = 0x7f;
    assert.throws(() => PubKey.fromBytes(shortModulus), cryptoError('INVALID_ENCODING'));
  });

  test('addresses: checksum, version, code and length are all checked', () => {
    const good = Address.fromBase58(jdChain.addresses[0]!.address).toBytes();
    const flipped = Uint8Array.from(good);
    flipped[10] = flipped[10]! ^ 1;
    assert.throws(() => Address.fromBytes(flipped), cryptoError('INVALID_CHECKSUM'));
    assert.throws(() => Address.fromBase58(base58Encode(flipped)), cryptoError('INVALID_CHECKSUM'));
    const version = Uint8Array.from(good);
    version[0] = 0x90;
    assert.throws(() => Address.fromBytes(version), cryptoError('INVALID_ENCODING'));
    const hashCode = Uint8Array.from(good);
    hashCode.set([0x20, 0x18], 1);
    assert.throws(() => Address.fromBytes(hashCode), cryptoError('WRONG_ALGORITHM'));
    assert.throws(() => Address.fromBytes(good.subarray(1)), cryptoError('INVALID_LENGTH'));
    assert.throws(() => Address.fromBase58(`${jdChain.addresses[0]!.address}1`), cryptoError('INVALID_LENGTH'));
  });

  test('base58: characters outside the alphabet are INVALID_ENCODING, overlong text INVALID_LENGTH', () => {
    for (const text of ['0abc', 'O', 'I', 'l', 'ab c', ' j5', 'Ō', '+/']) {
      assert.throws(() => base58Decode(text), cryptoError('INVALID_ENCODING'), text);
    }
    assert.throws(() => HashDigest.fromBase58('z'.repeat(500)), cryptoError('INVALID_LENGTH'));
    assert.throws(() => base58Decode('zzzzzz', 2), cryptoError('INVALID_LENGTH'));
    assert.deepEqual(base58Decode(''), new Uint8Array(0));
    assert.deepEqual(base58Decode('11'), new Uint8Array(2));
  });

  test('base58 equals the reference codec (@scure/base) and round-trips beyond its 2048-byte limit', () => {
    fc.assert(
      fc.property(fc.nat(6), fc.uint8Array({ maxLength: 400 }), (zeros, rest) => {
        const bytes = Uint8Array.from([...new Uint8Array(zeros), ...rest]);
        const text = base58Encode(bytes);
        assert.equal(text, base58.encode(bytes));
        assert.deepEqual(base58Decode(text), bytes);
      }),
      fuzzParameters(3000),
    );
    const rsa4096PrivateKey = taggedSample('private', 'RSA', 512);
    assert.equal(rsa4096PrivateKey.length, 2310);
    assert.deepEqual(PrivKey.fromBase58(PrivKey.fromBytes(rsa4096PrivateKey).toBase58()).toBytes(), rsa4096PrivateKey);
  });
});
