import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Address } from '../src/address.js';
import { BASE58_ALPHABET, base58Encode } from '../src/base58.js';
import { HashDigest, PrivKey, PubKey, SignatureDigest } from '../src/encoding.js';
import { fuzzParameters, rejectsWithCryptoError } from './vector-support.js';
import { mutatedTagged, validTagged, type TaggedKind } from './tagged-samples.js';

/**
 * Every decoder, fed random and mutated input, either returns a value that re-encodes to exactly
 * the input or throws a CryptoError; any other exception fails the property (and fast-check
 * prints the seed to replay it).
 */

interface Decoder {
  fromBytes(bytes: Uint8Array): { toBytes(): Uint8Array; toBase58(): string };
  fromBase58(text: string): { toBytes(): Uint8Array; toBase58(): string };
}

const validAddress = validTagged('public').map((bytes) => PubKey.fromBytes(bytes).address().toBytes());

const DECODERS: { name: string; decoder: Decoder; valid: fc.Arbitrary<Uint8Array> }[] = [
  ...(
    [
      ['HashDigest', HashDigest, 'hash'],
      ['SignatureDigest', SignatureDigest, 'signature'],
      ['PubKey', PubKey, 'public'],
      ['PrivKey', PrivKey, 'private'],
    ] as const
  ).map(([name, decoder, kind]: readonly [string, Decoder, TaggedKind]) => ({ name, decoder, valid: validTagged(kind) })),
  { name: 'Address', decoder: Address, valid: validAddress },
];

const base58Noise = fc.oneof(
  fc.string({ unit: fc.constantFrom(...BASE58_ALPHABET), maxLength: 60 }),
  fc.string({ maxLength: 60 }),
);

function mutatedText(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<string> {
  const text = valid.map(base58Encode);
  return fc.oneof(
    text,
    base58Noise,
    fc.tuple(text, fc.nat(), fc.constantFrom(...BASE58_ALPHABET, '0', 'O', ' ', '\n')).map(
      ([t, at, c]) => t.slice(0, at % (t.length + 1)) + c + t.slice((at % (t.length + 1)) + 1),
    ),
    fc.tuple(text, fc.nat()).map(([t, cut]) => t.slice(0, cut % (t.length + 1))),
    fc.tuple(text, base58Noise).map(([t, extra]) => t + extra),
  );
}

describe('decoders never fail with anything but CryptoError', () => {
  for (const { name, decoder, valid } of DECODERS) {
    test(`${name}.fromBytes on random and mutated bytes`, () => {
      fc.assert(
        fc.property(mutatedTagged(valid), (bytes) => {
          let decoded: { toBytes(): Uint8Array } | undefined;
          if (!rejectsWithCryptoError(() => (decoded = decoder.fromBytes(bytes)))) {
            assert.deepEqual(decoded?.toBytes(), Uint8Array.from(bytes));
          }
        }),
        fuzzParameters(3000),
      );
    });

    test(`${name}.fromBase58 on random and mutated text`, () => {
      fc.assert(
        fc.property(mutatedText(valid), (text) => {
          let decoded: { toBase58(): string } | undefined;
          if (!rejectsWithCryptoError(() => (decoded = decoder.fromBase58(text)))) {
            assert.equal(decoded?.toBase58(), text);
          }
        }),
        fuzzParameters(2000),
      );
    });

    test(`${name}: valid encodings always decode`, () => {
      fc.assert(
        fc.property(valid, (bytes) => {
          assert.deepEqual(decoder.fromBytes(bytes).toBytes(), bytes);
          assert.deepEqual(decoder.fromBase58(base58Encode(bytes)).toBytes(), bytes);
        }),
        fuzzParameters(500),
      );
    });
  }
});
