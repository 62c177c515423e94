import { apiTypedValueJson, type KvEntry } from '@jadechain/types';
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

/** Whether the response's `entry` JSON says what the proven entry says. */
export function kvEntryMatches(json: unknown, entry: KvEntry): boolean {
  if (!isObject(json)) return false;
  return sameJson(json, { key: entry.key, version: Number(entry.version), ...apiTypedValueJson(entry.value) });
}
