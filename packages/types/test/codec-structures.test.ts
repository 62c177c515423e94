import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as types from '../src/index.js';
import { Codec, Operation, TypedValue } from '../src/index.js';
import type { JsonValue } from '../src/index.js';
import { EXAMPLES, OPERATIONS, TYPED_VALUES } from './codec-examples.js';
import { fromHex, readVectorFile, toHex, writeVectorFile } from './codec-support.js';

/**
 * vectors/encoding/codec-structures.json: the encoding (hex), JSON form and hashes of an example
 * of every structure, every operation and every value type, so that a second implementation can
 * test against them. This test recomputes each from its JSON and from the example values; run it
 * with JADECHAIN_WRITE_VECTORS=1 to rewrite the file after a deliberate layout change.
 */

interface StructureVector {
  readonly name: string;
  readonly codec: string;
  readonly json: JsonValue;
  readonly hex: string;
  readonly sha256: string;
  readonly sm3: string;
}

const FILE = 'codec-structures.json';
const SOURCE =
  'Produced by the JadeChain implementation (packages/types) from the example values in packages/types/test/codec-examples.ts, laid out as spec/encoding.md specifies, and checked by packages/types/test/codec-structures.test.ts. Example keys and signatures are RFC 8032 §7.1 TEST 1 and TEST 2 (Ed25519); example hashes are SHA-256("abc") (FIPS 180-4) and SM3("abc") (GB/T 32905-2016 Annex A.1). "hex" is the canonical encoding, "json" the JSON form, "sha256"/"sm3" the raw digests of the encoding (the transaction hash for TransactionContent, the block hash for BlockHeader).';

function codecNamed(name: string): Codec<unknown> {
  const codec = (types as Record<string, unknown>)[name];
  assert.ok(codec instanceof Codec, `no codec ${name}`);
  return codec as Codec<unknown>;
}

function digest(algorithm: 'sha256' | 'sm3', data: Uint8Array): string {
  return createHash(algorithm).update(data).digest('hex');
}

function vectorOf(name: string, codecName: string, value: unknown): StructureVector {
  const codec = codecNamed(codecName);
  const encoded = codec.encode(value);
  return {
    name,
    codec: codecName,
    // The JSON of the decoded value: sets in canonical order, whatever order the example used.
    json: codec.toJson(codec.decode(encoded)),
    hex: toHex(encoded),
    sha256: digest('sha256', encoded),
    sm3: digest('sm3', encoded),
  };
}

function computeVectors(): StructureVector[] {
  const vectors: StructureVector[] = [];
  for (const [name, value] of Object.entries(EXAMPLES)) {
    vectors.push(vectorOf(name, name === 'GenesisBlockHeader' ? 'BlockHeader' : name, value));
  }
  OPERATIONS.forEach((operation, index) => vectors.push(vectorOf(`Operation ${index}: ${operation.type}`, 'Operation', operation)));
  TYPED_VALUES.forEach((value) => vectors.push(vectorOf(`TypedValue ${value.type}`, 'TypedValue', value)));
  return vectors;
}

describe('structure vectors', () => {
  const computed = computeVectors();
  if (process.env['JADECHAIN_WRITE_VECTORS'] === '1') {
    writeVectorFile(FILE, { source: SOURCE, vectors: computed });
  }
  const { vectors } = readVectorFile<{ vectors: StructureVector[] }>(FILE);

  test('cover every record, every operation type and every value type', () => {
    const records = Object.values(types).filter((value) => value instanceof Codec && value.descriptor.kind === 'record');
    const covered = new Set(vectors.map((vector) => vector.codec));
    for (const record of records) {
      const name = (record as Codec<unknown> & { name: string }).name;
      assert.ok(covered.has(name), `no vector for ${name}`);
    }
    const operationTypes = new Set(OPERATIONS.map((operation) => operation.type));
    const descriptor = Operation.descriptor;
    assert.equal(descriptor.kind, 'union');
    if (descriptor.kind === 'union') for (const variant of descriptor.variants) assert.ok(operationTypes.has(variant.name as Operation['type']));
    const valueTypes = new Set(TYPED_VALUES.map((value) => value.type));
    if (TypedValue.descriptor.kind === 'union') for (const variant of TypedValue.descriptor.variants) assert.ok(valueTypes.has(variant.name as TypedValue['type']));
  });

  test('the example values still encode to the recorded vectors', () => {
    assert.deepEqual(computed, vectors);
  });

  for (const vector of vectors) {
    test(`${vector.name}: JSON → bytes → JSON, and hashes`, () => {
      const codec = codecNamed(vector.codec);
      const encoded = codec.encode(codec.fromJson(vector.json));
      assert.equal(toHex(encoded), vector.hex);
      assert.deepEqual(codec.toJson(codec.decode(fromHex(vector.hex))), vector.json);
      assert.equal(digest('sha256', encoded), vector.sha256);
      assert.equal(digest('sm3', encoded), vector.sm3);
    });
  }
});
