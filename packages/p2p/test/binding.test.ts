import assert from 'node:assert/strict';
import { createPublicKey, verify as opensslVerify } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cryptoSuite, PrivKey, PubKey, SIGNATURE_ALGORITHMS } from '@jadechain/crypto';
import {
  BINDING_DOMAIN_TEXT,
  bindingMessage,
  createTransportBinding,
  decodeBinding,
  encodeBinding,
  TransportError,
  verifyBinding,
  type TransportBinding,
} from '../src/index.js';
import { HOUR, specExamples, T0, throwsWith, withSeed } from './support.js';

// RFC 8032 §7.1, TEST 1 (identity) and TEST 2 (transport public key).
const RFC8032_TEST1_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_TEST1_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_TEST2_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
const SPEC_NOT_BEFORE = 1_704_067_200_000;
const SPEC_NOT_AFTER = 1_735_689_600_000;

const transportKey = new PubKey('ED25519', Buffer.from(RFC8032_TEST2_PUBLIC, 'hex'));
const check = { presentedTransportKey: transportKey, now: T0 + HOUR, clockSkewMs: 60_000 };

function bindingFor(algorithm: (typeof SIGNATURE_ALGORITHMS)[number], overrides: Partial<{ notBefore: number; notAfter: number }> = {}): TransportBinding {
  return createTransportBinding({
    identityPrivateKey: cryptoSuite.generateKeyPair(algorithm).privateKey,
    transportKey,
    role: 'GATEWAY',
    notBefore: overrides.notBefore ?? T0,
    notAfter: overrides.notAfter ?? T0 + 2 * HOUR,
  });
}

describe('binding: spec example (spec/transport.md §2.4)', () => {
  const examples = specExamples();
  const identity = new PrivKey('ED25519', Buffer.from(RFC8032_TEST1_SECRET, 'hex'));
  const binding = createTransportBinding({ identityPrivateKey: identity, transportKey, role: 'PEER', notBefore: SPEC_NOT_BEFORE, notAfter: SPEC_NOT_AFTER });

  test('the identity is RFC 8032 TEST 1', () => {
    assert.equal(Buffer.from(binding.identityKey.raw).toString('hex'), RFC8032_TEST1_PUBLIC);
  });

  test('message and wire bytes are the spec\'s', () => {
    assert.equal(Buffer.from(bindingMessage(binding)).toString('hex'), examples.get('binding-message')?.toString('hex'));
    assert.equal(Buffer.from(encodeBinding(binding)).toString('hex'), examples.get('binding')?.toString('hex'));
    assert.ok(Buffer.from(bindingMessage(binding)).subarray(0, BINDING_DOMAIN_TEXT.length).equals(Buffer.from(BINDING_DOMAIN_TEXT, 'latin1')));
  });

  test('OpenSSL verifies the example signature independently', () => {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(RFC8032_TEST1_PUBLIC, 'hex').toString('base64url') }, format: 'jwk' });
    const wire = examples.get('binding') as Buffer;
    const signature = wire.subarray(wire.length - 64);
    assert.ok(opensslVerify(null, examples.get('binding-message') as Buffer, publicKey, signature));
  });

  test('the example decodes and verifies inside its window', () => {
    const decoded = decodeBinding(examples.get('binding') as Buffer);
    assert.equal(decoded.role, 'PEER');
    assert.equal(decoded.notBefore, SPEC_NOT_BEFORE);
    verifyBinding(decoded, { presentedTransportKey: transportKey, now: SPEC_NOT_BEFORE, clockSkewMs: 0 });
  });
});

describe('binding verification', () => {
  for (const algorithm of SIGNATURE_ALGORITHMS) {
    test(`${algorithm} identity: round trip and verification`, () => {
      const binding = bindingFor(algorithm);
      const decoded = decodeBinding(encodeBinding(binding));
      assert.ok(decoded.identityKey.equals(binding.identityKey));
      assert.ok(decoded.signature.equals(binding.signature));
      verifyBinding(decoded, check);
    });
  }

  test('a binding for another transport key is TRANSPORT_KEY_MISMATCH', () => {
    const other = cryptoSuite.generateKeyPair('ED25519').publicKey;
    throwsWith('TRANSPORT_KEY_MISMATCH', () => verifyBinding(bindingFor('ED25519'), { ...check, presentedTransportKey: other }));
  });

  test('the validity window is enforced with the clock skew allowance', () => {
    const binding = bindingFor('ED25519', { notBefore: T0, notAfter: T0 + HOUR });
    verifyBinding(binding, { ...check, now: T0 - 60_000 });
    throwsWith('BINDING_EXPIRED', () => verifyBinding(binding, { ...check, now: T0 - 60_001 }));
    verifyBinding(binding, { ...check, now: T0 + HOUR + 59_999 });
    throwsWith('BINDING_EXPIRED', () => verifyBinding(binding, { ...check, now: T0 + HOUR + 60_000 }));
  });

  test('a signature by another key, or over other content, is BAD_BINDING', () => {
    const genuine = bindingFor('SM2');
    const impostor = bindingFor('SM2');
    throwsWith('BAD_BINDING', () => verifyBinding({ ...genuine, signature: impostor.signature }, check));
    throwsWith('BAD_BINDING', () => verifyBinding({ ...genuine, role: 'PEER' }, check));
    throwsWith('BAD_BINDING', () => verifyBinding({ ...genuine, notAfter: genuine.notAfter + 1 }, check));
  });

  test('a signature of another algorithm than the identity key is BAD_BINDING', () => {
    const genuine = bindingFor('ED25519');
    throwsWith('BAD_BINDING', () => verifyBinding({ ...genuine, signature: bindingFor('ECDSA-P256').signature }, check));
  });

  test('malformed bindings are refused when decoding', () => {
    const wire = Buffer.from(encodeBinding(bindingFor('ED25519')));
    throwsWith('BAD_BINDING', () => decodeBinding(Buffer.concat([wire, Buffer.of(0)])));
    throwsWith('BAD_BINDING', () => decodeBinding(wire.subarray(0, wire.length - 1)));
    throwsWith('BAD_BINDING', () => decodeBinding(Buffer.concat([Buffer.of(2), wire.subarray(1)])));
    const badRole = Buffer.from(wire);
    badRole[1 + 36 + 36] = 3; // version, then two 36-byte Ed25519 keys (varint length + 35), then the role
    throwsWith('BAD_BINDING', () => decodeBinding(badRole));
  });

  test('transport keys other than ED25519 and ECDSA-P256 are refused', () => {
    const sm2Transport = cryptoSuite.generateKeyPair('SM2').publicKey;
    const request = { identityPrivateKey: cryptoSuite.generateKeyPair('ED25519').privateKey, transportKey: sm2Transport, role: 'PEER' as const, notBefore: T0, notAfter: T0 + 1 };
    throwsWith('BAD_BINDING', () => createTransportBinding(request));
  });

  test('an empty or inverted window is refused', () => {
    throwsWith('BAD_BINDING', () => bindingFor('ED25519', { notBefore: T0, notAfter: T0 }));
    throwsWith('BAD_BINDING', () => bindingFor('ED25519', { notBefore: T0, notAfter: T0 - 1 }));
    throwsWith('BAD_BINDING', () => bindingFor('ED25519', { notBefore: -1 }));
  });

  test('no single-byte change of a binding still verifies', () => {
    const wire = encodeBinding(bindingFor('ED25519'));
    withSeed((seed) =>
      fc.assert(
        fc.property(fc.nat({ max: wire.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
          const mutated = Uint8Array.from(wire);
          mutated[index] = (mutated[index] as number) ^ flip;
          assert.throws(
            () => verifyBinding(decodeBinding(mutated), check),
            (error: unknown) => error instanceof TransportError && ['BAD_BINDING', 'TRANSPORT_KEY_MISMATCH', 'BINDING_EXPIRED'].includes(error.code),
          );
        }),
        { seed, numRuns: 1500 },
      ),
    );
  });
});
