import { CryptoError } from './errors.js';

/**
 * Base58 with the Bitcoin alphabet, the text form of every JD Chain hash, key, signature and
 * address. Each leading zero byte is one leading '1'; the rest is the big-endian number written
 * in base 58 without leading zeros. The mapping is a bijection, so text that decodes re-encodes to
 * itself. Our own code rather than @scure/base, which refuses inputs over 2048 bytes and so could
 * not write an RSA-4096 private key (2310 bytes).
 *
 * Both directions are quadratic in the length, computed on limbs to stay fast: base 58^5 digits
 * while encoding, 16-bit limbs fed five characters at a time while decoding (all products stay
 * below 2^53).
 */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) DIGIT_VALUES[BASE58_ALPHABET.charCodeAt(i)] = i;

const LIMB_DIGITS = 5;
const LIMB_BASE = 58 ** LIMB_DIGITS;

function leadingZeros(bytes: Uint8Array): number {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  return zeros;
}

export function base58Encode(bytes: Uint8Array): string {
  const zeros = leadingZeros(bytes);
  // Little-endian limbs in base 58^5; multiply by 256 and add each byte.
  const limbs: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    for (let k = 0; k < limbs.length; k++) {
      const value = limbs[k]! * 256 + carry;
      carry = Math.floor(value / LIMB_BASE);
      limbs[k] = value - carry * LIMB_BASE;
    }
    while (carry > 0) {
      limbs.push(carry % LIMB_BASE);
      carry = Math.floor(carry / LIMB_BASE);
    }
  }
  const digits: string[] = [];
  for (let k = 0; k < limbs.length; k++) {
    let limb = limbs[k]!;
    const last = k === limbs.length - 1;
    for (let d = 0; d < LIMB_DIGITS && (!last || limb > 0); d++) {
      digits.push(BASE58_ALPHABET.charAt(limb % 58));
      limb = Math.floor(limb / 58);
    }
  }
  return '1'.repeat(zeros) + digits.reverse().join('');
}

/**
 * Decodes base58 text; throws CryptoError INVALID_ENCODING on any character outside the alphabet
 * (whitespace included). Callers that take untrusted text pass `maxBytes`: longer text is refused
 * (INVALID_LENGTH) before the quadratic work starts.
 */
export function base58Decode(text: string, maxBytes?: number): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('INVALID_ENCODING', 'base58 input must be a string');
  // n bytes take at most ⌈n·log(256)/log(58)⌉ ≤ ⌈1.3658·n⌉ characters (a zero byte takes one).
  if (maxBytes !== undefined && text.length > Math.ceil(maxBytes * 1.3658)) {
    throw new CryptoError('INVALID_LENGTH', `base58 text of ${text.length} characters exceeds ${maxBytes} bytes`);
  }
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 0x31) zeros++;
  // Little-endian 16-bit limbs; multiply by 58^g and add each group of up to five digits.
  const limbs: number[] = [];
  for (let i = zeros; i < text.length; i += LIMB_DIGITS) {
    const end = Math.min(text.length, i + LIMB_DIGITS);
    let carry = 0;
    let factor = 1;
    for (let j = i; j < end; j++) {
      const code = text.charCodeAt(j);
      const digit = code < 128 ? DIGIT_VALUES[code]! : -1;
      if (digit < 0) {
        throw new CryptoError('INVALID_ENCODING', `invalid base58 character ${JSON.stringify(text.charAt(j))} at ${j}`);
      }
      carry = carry * 58 + digit;
      factor *= 58;
    }
    for (let k = 0; k < limbs.length; k++) {
      const value = limbs[k]! * factor + carry;
      carry = Math.floor(value / 0x10000);
      limbs[k] = value - carry * 0x10000;
    }
    while (carry > 0) {
      limbs.push(carry % 0x10000);
      carry = Math.floor(carry / 0x10000);
    }
  }
  const top = limbs[limbs.length - 1];
  const valueBytes = top === undefined ? 0 : limbs.length * 2 - (top < 0x100 ? 1 : 0);
  if (maxBytes !== undefined && zeros + valueBytes > maxBytes) {
    throw new CryptoError('INVALID_LENGTH', `base58 text decodes to ${zeros + valueBytes} bytes, more than ${maxBytes}`);
  }
  const bytes = new Uint8Array(zeros + valueBytes);
  for (let k = 0, at = bytes.length - 1; at >= zeros; k++) {
    bytes[at--] = limbs[k]! & 0xff;
    if (at >= zeros) bytes[at--] = limbs[k]! >>> 8;
  }
  return bytes;
}
