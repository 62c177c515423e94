import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import type { SignatureAlgorithm } from '../algorithms.js';
import { CryptoError } from '../errors.js';
import { CURVE_ORDERS, EC_SCALAR_LENGTH, EC_SIGNATURE_LENGTH, ecAlgorithm, splitSignature } from './ec-params.js';
import { requireLength } from './input.js';

/**
 * Conversion between the raw r‖s form of ECDSA and SM2 signatures and the DER form that OpenSSL,
 * X.509 and most tools use: SEQUENCE { INTEGER r, INTEGER s } (SEC 1 v2 §C.8; GM/T 0009-2012 §7.3).
 * The parser accepts DER only, not BER: definite short lengths, minimal positive integers, no
 * trailing bytes, and both integers in [1, n−1], so every signature has exactly one encoding.
 */

const SEQUENCE = 0x30;
const INTEGER = 0x02;
/** SEQUENCE header plus two INTEGERs of at most 33 bytes (a 0x00 before a high bit). */
const MAX_DER_LENGTH = 2 + 2 * (2 + EC_SCALAR_LENGTH + 1);

function malformed(reason: string): CryptoError {
  return new CryptoError('INVALID_SIGNATURE_ENCODING', `DER signature: ${reason}`);
}

export function signatureToDer(algorithm: SignatureAlgorithm, rawRS: Uint8Array): Uint8Array {
  const curve = ecAlgorithm(algorithm);
  requireLength(`${curve} signature`, rawRS, EC_SIGNATURE_LENGTH);
  const pair = splitSignature(rawRS, CURVE_ORDERS[curve]);
  if (pair === undefined) throw malformed('r and s must lie in [1, n−1]');
  const r = encodeInteger(pair.r);
  const s = encodeInteger(pair.s);
  const der = new Uint8Array(2 + r.length + s.length);
  der[0] = SEQUENCE;
  der[1] = r.length + s.length;
  der.set(r, 2);
  der.set(s, 2 + r.length);
  return der;
}

export function signatureFromDer(algorithm: SignatureAlgorithm, der: Uint8Array): Uint8Array {
  const curve = ecAlgorithm(algorithm);
  const n = CURVE_ORDERS[curve];
  if (der.length > MAX_DER_LENGTH) throw malformed(`longer than ${MAX_DER_LENGTH} bytes`);
  if (der.length < 2 || der[0] !== SEQUENCE) throw malformed('not a SEQUENCE');
  if (der[1] !== der.length - 2) throw malformed('SEQUENCE length does not match the input (truncated, long-form or trailing bytes)');
  const r = readInteger(der, 2, n);
  const s = readInteger(der, r.end, n);
  if (s.end !== der.length) throw malformed('bytes after the second INTEGER');
  const raw = new Uint8Array(EC_SIGNATURE_LENGTH);
  raw.set(numberToBytesBE(r.value, EC_SCALAR_LENGTH));
  raw.set(numberToBytesBE(s.value, EC_SCALAR_LENGTH), EC_SCALAR_LENGTH);
  return raw;
}

function encodeInteger(value: bigint): Uint8Array {
  const fixed = numberToBytesBE(value, EC_SCALAR_LENGTH);
  let start = 0;
  while (start < fixed.length - 1 && fixed[start] === 0) start++;
  const needsPad = (fixed[start]! & 0x80) !== 0;
  const length = fixed.length - start + (needsPad ? 1 : 0);
  const out = new Uint8Array(2 + length);
  out[0] = INTEGER;
  out[1] = length;
  out.set(fixed.subarray(start), needsPad ? 3 : 2);
  return out;
}

function readInteger(der: Uint8Array, offset: number, n: bigint): { value: bigint; end: number } {
  if (der[offset] !== INTEGER) throw malformed(`expected INTEGER at byte ${offset}`);
  const length = der[offset + 1];
  if (length === undefined) throw malformed('truncated INTEGER header');
  if (length === 0 || length > EC_SCALAR_LENGTH + 1) throw malformed(`INTEGER of ${length} bytes`);
  const start = offset + 2;
  const end = start + length;
  if (end > der.length) throw malformed('truncated INTEGER');
  const first = der[start]!;
  if ((first & 0x80) !== 0) throw malformed('negative INTEGER');
  if (first === 0 && length > 1 && (der[start + 1]! & 0x80) === 0) throw malformed('INTEGER with a needless leading zero');
  const value = bytesToNumberBE(der.subarray(start, end));
  if (value === 0n || value >= n) throw malformed('r and s must lie in [1, n−1]');
  return { value, end };
}
