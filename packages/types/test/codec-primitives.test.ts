import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Codec,
  CodecError,
  KvEntry,
  Operation,
  Reader,
  RoleName,
  TypedValue,
  Writer,
  accountStateCodec,
  bool,
  bytes,
  hashDigest,
  int64,
  ledgerPermissionsCodec,
  list,
  optional,
  set,
  text,
  textMap,
  transactionPermissionsCodec,
  u16,
  u32,
  u8,
  uint64,
} from '../src/index.js';
import type { CodecErrorCode, JsonValue } from '../src/index.js';
import { codecError, fromHex, readVectorFile, toHex } from './codec-support.js';

/** Checks the implementation against the hand-derived vectors of vectors/encoding/codec-primitives.json. */

interface PrimitiveCase {
  readonly codec: string;
  readonly hex?: string;
  readonly value?: number;
  readonly json?: JsonValue;
  readonly canonicalJson?: JsonValue;
  readonly error?: CodecErrorCode;
  readonly jsonError?: CodecErrorCode;
}

const CODECS: Readonly<Record<string, Codec<unknown>>> = {
  bool,
  u8,
  u16,
  u32,
  int64,
  uint64,
  bytes: bytes(0, 1024),
  'bytes[0..4]': bytes(0, 4),
  text: text({ max: 1024 }),
  'text[..3]': text({ max: 3 }),
  'optional<u8>': optional(u8),
  'list<u8>': list(u8, { max: 3 }),
  'set<u8>': set(u8, { max: 3 }),
  'map<text,u8>': textMap(text({ min: 1, max: 16 }), u8, { max: 4 }),
  AccountState: accountStateCodec,
  LedgerPermissions: ledgerPermissionsCodec,
  TransactionPermissions: transactionPermissionsCodec,
  RoleName,
  TypedValue,
  HashDigest: hashDigest,
  KvEntry,
  Operation,
} as Record<string, Codec<unknown>>;

function throwsCode(code: CodecErrorCode, run: () => unknown): void {
  assert.throws(run, codecError(code));
}

function describeCase(c: PrimitiveCase): string {
  const input = c.hex !== undefined ? `hex ${c.hex || '(empty)'}` : `json ${JSON.stringify(c.json)}`;
  return `${c.codec}: ${input}${c.error ?? c.jsonError ? ` → ${c.error ?? c.jsonError}` : ''}`;
}

function checkVarint(c: PrimitiveCase): void {
  const bytesOf = fromHex(c.hex ?? '');
  if (c.error !== undefined) {
    throwsCode(c.error, () => new Reader(bytesOf).varint());
    return;
  }
  const writer = new Writer();
  writer.varint(c.value as number);
  assert.equal(toHex(writer.finish()), c.hex);
  const reader = new Reader(bytesOf);
  assert.equal(reader.varint(), c.value);
  assert.equal(reader.remaining, 0);
}

function checkCase(c: PrimitiveCase): void {
  if (c.codec === 'varint') return checkVarint(c);
  const codec = CODECS[c.codec];
  assert.ok(codec !== undefined, `unknown codec ${c.codec}`);
  if (c.jsonError !== undefined) {
    throwsCode(c.jsonError, () => codec.fromJson(c.json));
    return;
  }
  const encoded = fromHex(c.hex ?? '');
  if (c.error !== undefined) {
    throwsCode(c.error, () => codec.decode(encoded));
    return;
  }
  const decoded = codec.decode(encoded);
  assert.equal(toHex(codec.encode(decoded)), c.hex);
  if (c.json !== undefined) {
    assert.equal(toHex(codec.encode(codec.fromJson(c.json))), c.hex);
    assert.deepEqual(codec.toJson(decoded), c.canonicalJson ?? c.json);
  }
}

describe('hand-derived primitive vectors', () => {
  const { cases } = readVectorFile<{ cases: PrimitiveCase[] }>('codec-primitives.json');
  test('the file holds cases for every primitive', () => {
    const covered = new Set(cases.map((c) => c.codec));
    for (const name of ['varint', ...Object.keys(CODECS)]) assert.ok(covered.has(name), `no case for ${name}`);
  });
  for (const c of cases) test(describeCase(c), () => checkCase(c));
});

describe('encoder checks', () => {
  test('values outside a field’s rules are refused when encoding, with the field path', () => {
    assert.throws(() => u8.encode(256), codecError('OUT_OF_RANGE'));
    assert.throws(() => int64.encode(2n ** 63n), codecError('OUT_OF_RANGE'));
    assert.throws(() => uint64.encode(-1n), codecError('OUT_OF_RANGE'));
    assert.throws(() => text({ max: 2 }).encode('abc'), codecError('LENGTH_OUT_OF_RANGE'));
    assert.throws(() => text({ max: 9 }).encode('\ud800'), codecError('INVALID_UTF8'));
    assert.throws(() => RoleName.encode('admin'), codecError('INVALID_VALUE'));
    assert.throws(
      () => KvEntry.encode({ key: 'k', version: -2n, value: { type: 'NIL' } }),
      codecError('OUT_OF_RANGE', 'version'),
    );
    assert.throws(
      () => TypedValue.encode({ type: 'JSON', value: '{' }),
      codecError('INVALID_VALUE', 'value'),
    );
    assert.throws(() => set(u8, { max: 3 }).encode([1, 1]), codecError('NOT_CANONICAL'));
    assert.throws(() => ledgerPermissionsCodec.encode(['APPROVE_TX', 'APPROVE_TX']), codecError('NOT_CANONICAL'));
  });

  test('a missing required field is named', () => {
    const partial = { key: 'k', value: { type: 'NIL' } } as unknown as KvEntry;
    assert.throws(() => KvEntry.encode(partial), codecError('MISSING_FIELD', 'version'));
  });

  test('sets and maps are written in canonical order whatever the given order', () => {
    assert.equal(toHex(set(u8, { max: 3 }).encode([3, 1, 2])), '03010203');
    const map = textMap(text({ min: 1, max: 16 }), u8, { max: 4 });
    assert.equal(toHex(map.encode({ aa: 3, b: 1, a: 2 })), '0301610201620102616103');
  });

  test('a map key "__proto__" stays an ordinary key', () => {
    const map = textMap(text({ min: 1, max: 16 }), u8, { max: 4 });
    const decoded = map.fromJsonText('{"__proto__": 7}');
    assert.deepEqual(Object.keys(decoded), ['__proto__']);
    assert.equal(Object.getPrototypeOf(map.decode(map.encode(decoded))), Object.prototype);
    assert.equal(toHex(map.encode(decoded)), '01095f5f70726f746f5f5f07');
  });
});

describe('decoder errors', () => {
  test('name the path of the failing field', () => {
    const value = { type: 'KvSet', account: undefined } as unknown as Operation;
    assert.throws(() => Operation.encode(value), codecError('MISSING_FIELD', 'account'));
    const bad = KvEntry.encode({ key: 'k', version: 1n, value: { type: 'BOOLEAN', value: true } });
    bad[bad.length - 1] = 7;
    assert.throws(() => KvEntry.decode(bad), codecError('INVALID_BOOLEAN', 'value.value'));
    const error = (() => {
      try {
        KvEntry.decode(bad);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof CodecError);
    assert.match(error.message, /^value\.value: /);
  });

  test('list elements are named by index', () => {
    const values = list(TypedValue, { max: 4 });
    const encoded = values.encode([{ type: 'NIL' }, { type: 'BOOLEAN', value: false }]);
    encoded[encoded.length - 1] = 9;
    assert.throws(() => values.decode(encoded), codecError('INVALID_BOOLEAN', '[1].value'));
    assert.throws(() => values.fromJson([{ type: 'NIL' }, { type: 'TEXT', value: 3 }]), codecError('INVALID_JSON', '[1].value'));
  });

  test('JSON text that does not parse is INVALID_JSON', () => {
    assert.throws(() => KvEntry.fromJsonText('{"key":'), codecError('INVALID_JSON'));
  });
});
