import { toBase64 } from '../codec/index.js';
import type { TypedValue } from './values.js';

/**
 * The query API's (JD Chain-shaped) JSON forms, shared by the peer that writes them and the SDK
 * that checks a gateway's readable copies against proven bytes. These are display forms, not the
 * canonical JSON of the codecs (which always writes 64-bit integers as strings).
 */

/** A 64-bit integer as a JSON number when it is exact in a double, else as a decimal string. */
export function apiInt64Json(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A typed value as `{type}` for NIL, else `{type, value}` (BYTES base64, keys and hashes base58). */
export function apiTypedValueJson(value: TypedValue): { type: TypedValue['type']; value?: string | number | boolean } {
  switch (value.type) {
    case 'NIL':
      return { type: 'NIL' };
    case 'INT64':
    case 'TIMESTAMP':
      return { type: value.type, value: apiInt64Json(value.value) };
    case 'BYTES':
      return { type: value.type, value: toBase64(value.value) };
    case 'PUBKEY':
    case 'SIGNATURE':
    case 'HASH':
      return { type: value.type, value: value.value.toBase58() };
    default:
      return { type: value.type, value: value.value };
  }
}
