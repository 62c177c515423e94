import fc from 'fast-check';
import { Address, HashDigest, PubKey, SignatureDigest } from '@jadechain/crypto';
import type { HashAlgorithm, SignatureAlgorithm } from '@jadechain/crypto';
import type { Codec, Descriptor, FieldDescriptor } from '../src/index.js';

/**
 * Arbitrary values of any codec, built by walking its descriptor, so that every structure of the
 * model is covered by the property and fuzz tests without a hand-written generator per type.
 * Lists stay short to keep thousands of cases cheap; every value satisfies the codec's rules.
 */

const HASH_LENGTHS: Readonly<Record<HashAlgorithm, number>> = { SHA256: 32, SM3: 32, RIPEMD160: 20 };

const hashArb: fc.Arbitrary<HashDigest> = fc
  .constantFrom<HashAlgorithm>('SHA256', 'SM3', 'RIPEMD160')
  .chain((algorithm) =>
    fc
      .uint8Array({ minLength: HASH_LENGTHS[algorithm], maxLength: HASH_LENGTHS[algorithm] })
      .map((raw) => new HashDigest(algorithm, raw)),
  );

/** Raw keys need only their structure here (length, point prefix); the codec never checks curves. */
const pubKeyArb: fc.Arbitrary<PubKey> = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((raw) => new PubKey('ED25519', raw)),
  fc
    .tuple(fc.constantFrom<SignatureAlgorithm>('ECDSA-P256', 'ECDSA-SECP256K1', 'SM2'), fc.uint8Array({ minLength: 64, maxLength: 64 }))
    .map(([algorithm, xy]) => new PubKey(algorithm, Uint8Array.from([0x04, ...xy]))),
);

const signatureArb: fc.Arbitrary<SignatureDigest> = fc
  .tuple(fc.constantFrom<SignatureAlgorithm>('ED25519', 'ECDSA-P256', 'SM2'), fc.uint8Array({ minLength: 64, maxLength: 64 }))
  .map(([algorithm, raw]) => new SignatureDigest(algorithm, raw));

const addressArb: fc.Arbitrary<Address> = pubKeyArb.map((key) => Address.fromPublicKey(key));

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

function textArb(descriptor: Extract<Descriptor, { kind: 'text' }>): fc.Arbitrary<string> {
  if (descriptor.pattern !== undefined) return fc.stringMatching(descriptor.pattern);
  if (descriptor.jsonText === true) return fc.json({ maxDepth: 2 });
  const maxLength = Math.min(descriptor.max, 24);
  return fc
    .string({
      unit: fc.oneof(fc.constantFrom('a', 'Z', '\u0000', 'é', '€', '\ufeff', '𝄞'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      maxLength,
    })
    .filter((text) => {
      const length = utf8Length(text);
      return length >= descriptor.min && length <= descriptor.max;
    });
}

function listLength(min: number, max: number): { minLength: number; maxLength: number } {
  return { minLength: min, maxLength: Math.min(max, min + 3) };
}

function fieldsArb(fields: readonly FieldDescriptor[]): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const { name, codec } of fields) {
    if (codec.descriptor.kind === 'optional') {
      model[name] = arbitraryOf(codec.descriptor.inner);
    } else {
      model[name] = arbitraryOf(codec);
      requiredKeys.push(name);
    }
  }
  return fc.record(model, { requiredKeys });
}

const cache = new Map<Codec<unknown>, fc.Arbitrary<unknown>>();

export function arbitraryOf<T>(codec: Codec<T>): fc.Arbitrary<T> {
  let arbitrary = cache.get(codec as Codec<unknown>);
  if (arbitrary === undefined) {
    arbitrary = build(codec as Codec<unknown>);
    cache.set(codec as Codec<unknown>, arbitrary);
  }
  return arbitrary as fc.Arbitrary<T>;
}

function build(codec: Codec<unknown>): fc.Arbitrary<unknown> {
  const descriptor = codec.descriptor;
  switch (descriptor.kind) {
    case 'bool':
      return fc.boolean();
    case 'uint':
      return fc.integer({ min: 0, max: descriptor.max });
    case 'int64':
    case 'uint64':
      return fc.oneof(
        fc.bigInt({ min: descriptor.min, max: descriptor.max }),
        fc.constantFrom(descriptor.min, descriptor.max),
      );
    case 'bytes':
      return fc.uint8Array(listLength(descriptor.min, descriptor.max > 40 ? 40 : descriptor.max));
    case 'text':
      return textArb(descriptor);
    case 'crypto':
      return { hash: hashArb, pubkey: pubKeyArb, signature: signatureArb, address: addressArb }[descriptor.type];
    case 'algorithm':
      return descriptor.algorithmKind === 'hash'
        ? fc.constantFrom('SHA256', 'SM3', 'RIPEMD160')
        : fc.constantFrom('ED25519', 'ECDSA-P256', 'ECDSA-SECP256K1', 'RSA', 'SM2');
    case 'optional':
      return fc.option(arbitraryOf(descriptor.inner), { nil: undefined });
    case 'list': {
      const item = arbitraryOf(descriptor.item);
      if (!descriptor.canonicalSet) return fc.array(item, listLength(descriptor.min, descriptor.max));
      // Distinct by encoding, as a set requires.
      return fc.uniqueArray(item, {
        ...listLength(descriptor.min, descriptor.max),
        selector: (value) => Buffer.from(descriptor.item.encode(value)).toString('hex'),
      });
    }
    case 'map':
      return fc.dictionary(arbitraryOf(descriptor.key), arbitraryOf(descriptor.value), { maxKeys: 3 });
    case 'enum':
      return fc.constantFrom(...descriptor.codes.keys());
    case 'bitset':
      return fc.subarray([...descriptor.codes.keys()]);
    case 'struct':
    case 'record':
      return fieldsArb(descriptor.fields);
    case 'union':
      return fc.oneof(
        ...descriptor.variants.map((variant) => fieldsArb(variant.fields).map((fields) => ({ type: variant.name, ...fields }))),
      );
  }
}
