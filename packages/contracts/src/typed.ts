import { DataType, type TypedValue } from '@jadechain/types';
import { ContractError, ContractErrorCode } from './errors.js';

/**
 * Plain JavaScript ↔ TypedValue, for tests and clients: null → NIL, boolean → BOOLEAN, bigint
 * and safe integers → INT64, string → TEXT, Uint8Array → BYTES, arrays and plain objects → JSON.
 * A TypedValue passes through unchanged.
 */
export function toTypedValue(value: unknown): TypedValue {
  if (value === null || value === undefined) return { type: 'NIL' };
  switch (typeof value) {
    case 'boolean':
      return { type: 'BOOLEAN', value };
    case 'bigint':
      return { type: 'INT64', value };
    case 'number':
      if (!Number.isSafeInteger(value)) throw new ContractError(ContractErrorCode.INVALID_VALUE, `${value} is not a safe integer`);
      return { type: 'INT64', value: BigInt(value) };
    case 'string':
      return { type: 'TEXT', value };
    case 'object':
      if (value instanceof Uint8Array) return { type: 'BYTES', value };
      if (isTypedValue(value)) return value;
      return { type: 'JSON', value: JSON.stringify(value) };
    default:
      throw new ContractError(ContractErrorCode.INVALID_VALUE, `a ${typeof value} has no typed form`);
  }
}

const TYPE_NAMES: ReadonlySet<string> = new Set(Object.keys(DataType));

/** Recognises values built as TypedValues (an exact `{type, value}` shape with a DataType name). */
function isTypedValue(value: object): value is TypedValue {
  const keys = Object.keys(value);
  return 'type' in value && typeof value.type === 'string' && TYPE_NAMES.has(value.type) && keys.length === (value.type === 'NIL' ? 1 : 2) && (value.type === 'NIL' || 'value' in value);
}

/** The plain JavaScript form of a typed value (JSON parsed; keys, signatures and hashes in base58). */
export function fromTypedValue(value: TypedValue): unknown {
  switch (value.type) {
    case 'NIL':
      return null;
    case 'JSON':
      return JSON.parse(value.value) as unknown;
    case 'PUBKEY':
    case 'SIGNATURE':
    case 'HASH':
      return value.value.toBase58();
    default:
      return value.value;
  }
}
