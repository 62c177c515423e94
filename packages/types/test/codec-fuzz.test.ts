import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as types from '../src/index.js';
import { Codec, CodecError } from '../src/index.js';
import { arbitraryOf } from './codec-arbitraries.js';
import { check, toHex } from './codec-support.js';

/**
 * Decoders face hostile bytes and JSON: random input and mutations of valid encodings (truncated,
 * extended, bit-flipped, overwritten) must either decode to a value that re-encodes to exactly
 * the same bytes, or throw a CodecError — never another exception.
 */

const topLevel: [string, Codec<unknown>][] = [];
for (const [name, value] of Object.entries(types) as [string, unknown][]) {
  if (value instanceof Codec && (value.descriptor.kind === 'record' || value.descriptor.kind === 'union')) {
    topLevel.push([name, value as Codec<unknown>]);
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; extra: Uint8Array }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'overwrite'; at: number; data: Uint8Array };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), data: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
);

function mutate(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  switch (mutation.kind) {
    case 'truncate':
      return bytes.slice(0, mutation.at % bytes.length);
    case 'extend':
      return Uint8Array.from([...bytes, ...mutation.extra]);
    case 'flip': {
      const out = bytes.slice();
      const at = mutation.at % out.length;
      out[at] = (out[at] as number) ^ mutation.mask;
      return out;
    }
    case 'overwrite': {
      const out = bytes.slice();
      out.set(mutation.data.subarray(0, Math.max(0, out.length - (mutation.at % out.length))), mutation.at % out.length);
      return out;
    }
  }
}

/** Decodes hostile input: fine if it is refused with a CodecError, or accepted canonically. */
function decodeHostile(codec: Codec<unknown>, input: Uint8Array): void {
  let value: unknown;
  try {
    value = codec.decode(input);
  } catch (error) {
    if (error instanceof CodecError) return;
    throw error;
  }
  assert.equal(toHex(codec.encode(value)), toHex(input), 'a decoded value must re-encode to the same bytes');
}

function fromJsonHostile(codec: Codec<unknown>, json: unknown): void {
  let value: unknown;
  try {
    value = codec.fromJson(json);
  } catch (error) {
    if (error instanceof CodecError) return;
    throw error;
  }
  assert.deepEqual(codec.toJson(codec.decode(codec.encode(value))), codec.toJson(value));
}

describe('decoders refuse hostile bytes with CodecError only', () => {
  for (const [name, codec] of topLevel) {
    test(`${name}: mutated encodings`, () => {
      check(
        fc.property(arbitraryOf(codec), mutationArb, (value, mutation) => {
          decodeHostile(codec, mutate(codec.encode(value), mutation));
        }),
        400,
      );
    });

    test(`${name}: random bytes after a valid prefix`, () => {
      check(
        fc.property(arbitraryOf(codec), fc.nat(), fc.uint8Array({ maxLength: 64 }), (value, cut, tail) => {
          const bytes = codec.encode(value);
          const prefix = bytes.subarray(0, cut % (bytes.length + 1));
          decodeHostile(codec, Uint8Array.from([...prefix, ...tail]));
        }),
        200,
      );
    });
  }

  test('random bytes into every decoder', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 96 }), (input) => {
        for (const [, codec] of topLevel) decodeHostile(codec, input);
      }),
      500,
    );
  });
});

describe('JSON decoders refuse hostile JSON with CodecError only', () => {
  test('arbitrary JSON values into every decoder', () => {
    check(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (json) => {
        for (const [, codec] of topLevel) fromJsonHostile(codec, json);
      }),
      300,
    );
  });

  for (const [name, codec] of topLevel) {
    test(`${name}: valid JSON with a member dropped, added or replaced`, () => {
      check(
        fc.property(arbitraryOf(codec), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('drop', 'add', 'replace'), (value, pick, junk, action) => {
          const json = { ...(codec.toJson(value) as Record<string, unknown>) };
          const members = Object.keys(json);
          const member = members[pick % members.length] ?? 'extra';
          if (action === 'drop') delete json[member];
          else if (action === 'add') json['unexpectedMember'] = junk;
          else json[member] = junk;
          fromJsonHostile(codec, json);
        }),
        150,
      );
    });
  }
});
