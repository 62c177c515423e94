import { toBase64, type KvEntry, type TypedValue } from '@jadechain/types';
import { isObject } from './http.js';

/**
 * The readable copies in a proof response, compared with what the proven bytes say, so that a
 * gateway cannot show one value and prove another.
 */

/** Structural equality of two JSON values (object member order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
  }
  return a === b;
}

/** The query API's form of a 64-bit integer: a number when exact in a double, else decimal text. */
function int64Json(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** The query API's form of a typed value's payload (docs/api.md). */
export function typedPayloadJson(value: TypedValue): unknown {
  switch (value.type) {
    case 'NIL':
      return undefined;
    case 'INT64':
    case 'TIMESTAMP':
      return int64Json(value.value);
    case 'BYTES':
      return toBase64(value.value);
    case 'PUBKEY':
    case 'SIGNATURE':
    case 'HASH':
      return value.value.toBase58();
    default:
      return value.value;
  }
}

/** Whether the response's `entry` JSON says what the proven entry says. */
export function kvEntryMatches(json: unknown, entry: KvEntry): boolean {
  if (!isObject(json)) return false;
  const expected: Record<string, unknown> = { key: entry.key, version: Number(entry.version), type: entry.value.type };
  const payload = typedPayloadJson(entry.value);
  if (payload !== undefined) expected['value'] = payload;
  return sameJson(json, expected);
}
