import fc from 'fast-check';
import { algorithmByName, HASH_ALGORITHMS, SIGNATURE_ALGORITHMS } from '../src/algorithms.js';

/**
 * Structurally valid tagged encodings (right lengths, 0x04 point prefix, RSA modulus top bit and
 * exponent 65537) built from patterned or random bytes: the decoders check structure only, so
 * these need no key generation.
 */

export type TaggedKind = 'hash' | 'signature' | 'public' | 'private';

const RSA_MODULUS_LENGTHS = [256, 384, 512] as const;

function rawLength(kind: TaggedKind, algorithm: string, modulusLength: number): number {
  if (kind === 'hash') return algorithm === 'RIPEMD160' ? 20 : 32;
  if (algorithm === 'RSA') {
    if (kind === 'signature') return modulusLength;
    return kind === 'public' ? modulusLength + 3 : modulusLength + 3 + modulusLength + (5 * modulusLength) / 2;
  }
  const ec = algorithm !== 'ED25519';
  if (kind === 'signature') return 64;
  return kind === 'public' && ec ? 65 : 32;
}

/** Fills `body` (the raw part) into a valid tagged encoding of that kind and algorithm. */
function shape(kind: TaggedKind, algorithm: string, body: Uint8Array, modulusLength: number): Uint8Array {
  const { code } = algorithmByName(algorithm);
  const header = kind === 'public' ? [code >>> 8, code & 0xff, 1] : kind === 'private' ? [code >>> 8, code & 0xff, 2] : [code >>> 8, code & 0xff];
  const raw = Uint8Array.from(body.subarray(0, rawLength(kind, algorithm, modulusLength)));
  if (algorithm === 'RSA' && kind !== 'signature') {
    raw[0] = raw[0]! | 0x80;
    raw.set([1, 0, 1], modulusLength);
  } else if (kind === 'public' && raw.length === 65) {
    raw[0] = 0x04;
  }
  return Uint8Array.from([...header, ...raw]);
}

/** Bytes from a seed (xorshift32): far cheaper for fast-check than thousands of drawn bytes. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  let state = seed | 0 || 1;
  return Uint8Array.from({ length }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  });
}

/** A fixed, patterned sample (deterministic tests). */
export function taggedSample(kind: TaggedKind, algorithm: string, modulusLength = 256): Uint8Array {
  const body = Uint8Array.from({ length: 2400 }, (_, i) => (i * 37 + 11) & 0xff);
  return shape(kind, algorithm, body, modulusLength);
}

/** Random valid encodings of one kind; RSA is drawn less often because its keys are large. */
export function validTagged(kind: TaggedKind): fc.Arbitrary<Uint8Array> {
  const algorithms: readonly string[] = kind === 'hash' ? HASH_ALGORITHMS : SIGNATURE_ALGORITHMS;
  return fc
    .tuple(
      fc.constantFrom(...algorithms.filter((a) => a !== 'RSA')),
      fc.boolean(),
      fc.constantFrom(...RSA_MODULUS_LENGTHS),
      fc.integer(),
    )
    .map(([algorithm, chooseRsa, modulusLength, seed]) => {
      const body = pseudoRandomBytes(seed, 2400);
      const chosen = kind !== 'hash' && chooseRsa && body[0]! < 40 ? 'RSA' : algorithm;
      return shape(kind, chosen, body, modulusLength);
    });
}

/** Valid encodings broken in the ways attackers and bugs break them, plus plain noise. */
export function mutatedTagged(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    valid,
    fc.tuple(valid, fc.nat()).map(([bytes, cut]) => bytes.subarray(0, cut % (bytes.length + 1))),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([bytes, tail]) => Uint8Array.from([...bytes, ...tail])),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([bytes, at, bit]) => {
      const copy = Uint8Array.from(bytes);
      const index = at % copy.length;
      copy[index] = copy[index]! ^ bit;
      return copy;
    }),
    fc.tuple(valid, fc.nat(2), fc.nat(255)).map(([bytes, at, value]) => {
      const copy = Uint8Array.from(bytes);
      copy[at] = value;
      return copy;
    }),
    fc.uint8Array({ maxLength: 80 }),
  );
}
