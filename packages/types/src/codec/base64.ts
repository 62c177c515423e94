import { CodecError } from './errors.js';

/**
 * Base64 of RFC 4648 §4 (standard alphabet, '=' padding), written without Node-only APIs so that
 * the package runs in browsers. Decoding accepts only the canonical form: padding present, no
 * whitespace or line breaks, and zero in the unused low bits of the last character, so every
 * byte string has exactly one text form.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return text;
}

function invalid(reason: string): CodecError {
  return new CodecError('INVALID_JSON', `not canonical base64: ${reason}`);
}

function sextet(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  const value = unit < 128 ? (VALUES[unit] as number) : -1;
  if (value < 0) throw invalid(`character ${JSON.stringify(text[index])} at ${index}`);
  return value;
}

export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw invalid('length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  const fullGroupsEnd = padding === 0 ? text.length : text.length - 4;
  for (let i = 0; i < fullGroupsEnd; i += 4) {
    const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[at++] = n >> 16;
    out[at++] = (n >> 8) & 0xff;
    out[at++] = n & 0xff;
  }
  if (padding === 2) {
    const n = (sextet(text, fullGroupsEnd) << 18) | (sextet(text, fullGroupsEnd + 1) << 12);
    if ((n & 0xffff) !== 0) throw invalid('non-zero bits after the last byte');
    out[at] = n >> 16;
  } else if (padding === 1) {
    const n =
      (sextet(text, fullGroupsEnd) << 18) | (sextet(text, fullGroupsEnd + 1) << 12) | (sextet(text, fullGroupsEnd + 2) << 6);
    if ((n & 0xff) !== 0) throw invalid('non-zero bits after the last byte');
    out[at++] = n >> 16;
    out[at] = (n >> 8) & 0xff;
  }
  return out;
}
