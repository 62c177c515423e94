import { HashDigest, PubKey, SignatureDigest } from '@jadechain/crypto';
import { TypedValue } from '@jadechain/types';
import { ContractError, ContractErrorCode } from './errors.js';

/**
 * Values cross the sandbox boundary as JSON text of "wire values" `{"t": DataType, "v": payload}`
 * (INT64 and TIMESTAMP as decimal strings, BYTES as lower-case hex, keys and hashes in base58,
 * JSON as its text). Text is the only thing that crosses: no host object, prototype or function
 * ever reaches the contract, and nothing of the contract's reaches the host but parsed JSON.
 */
export interface WireValue {
  readonly t: TypedValue['type'];
  readonly v?: string | boolean;
}

export function toWire(value: TypedValue): WireValue {
  switch (value.type) {
    case 'NIL':
      return { t: 'NIL' };
    case 'BOOLEAN':
      return { t: 'BOOLEAN', v: value.value };
    case 'INT64':
    case 'TIMESTAMP':
      return { t: value.type, v: value.value.toString() };
    case 'TEXT':
    case 'JSON':
      return { t: value.type, v: value.value };
    case 'BYTES':
      return { t: 'BYTES', v: Buffer.from(value.value).toString('hex') };
    case 'PUBKEY':
    case 'SIGNATURE':
    case 'HASH':
      return { t: value.type, v: value.value.toBase58() };
  }
}

function invalid(message: string): ContractError {
  return new ContractError(ContractErrorCode.INVALID_VALUE, message);
}

function payloadText(wire: { v?: unknown }, type: string): string {
  if (typeof wire.v !== 'string') throw invalid(`${type} value must carry a string payload`);
  return wire.v;
}

const INT64_TEXT = /^-?(0|[1-9][0-9]{0,18})$/;
const HEX_TEXT = /^([0-9a-f]{2})*$/;

function parseWire(wire: { t?: unknown; v?: unknown }): TypedValue {
  switch (wire.t) {
    case 'NIL':
      return { type: 'NIL' };
    case 'BOOLEAN':
      if (typeof wire.v !== 'boolean') throw invalid('BOOLEAN value must be true or false');
      return { type: 'BOOLEAN', value: wire.v };
    case 'INT64':
    case 'TIMESTAMP': {
      const text = payloadText(wire, wire.t);
      if (!INT64_TEXT.test(text)) throw invalid(`${wire.t} value is not a decimal integer`);
      return { type: wire.t, value: BigInt(text) };
    }
    case 'TEXT':
    case 'JSON':
      return { type: wire.t, value: payloadText(wire, wire.t) };
    case 'BYTES': {
      const text = payloadText(wire, 'BYTES');
      if (!HEX_TEXT.test(text)) throw invalid('BYTES value is not lower-case hex');
      return { type: 'BYTES', value: new Uint8Array(Buffer.from(text, 'hex')) };
    }
    case 'PUBKEY':
      return { type: 'PUBKEY', value: PubKey.fromBase58(payloadText(wire, 'PUBKEY')) };
    case 'SIGNATURE':
      return { type: 'SIGNATURE', value: SignatureDigest.fromBase58(payloadText(wire, 'SIGNATURE')) };
    case 'HASH':
      return { type: 'HASH', value: HashDigest.fromBase58(payloadText(wire, 'HASH')) };
    default:
      throw invalid(`unknown value type ${JSON.stringify(wire.t)}`);
  }
}

/**
 * A wire value from the contract as a TypedValue, checked by encoding it with the ledger's codec
 * (sizes, JSON text validity), so a value accepted here can always be recorded.
 */
export function fromWire(wire: unknown): TypedValue {
  if (typeof wire !== 'object' || wire === null) throw invalid('value is not a wire value');
  let value: TypedValue;
  try {
    value = parseWire(wire);
    TypedValue.encode(value);
  } catch (error) {
    if (error instanceof ContractError) throw error;
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  return value;
}
