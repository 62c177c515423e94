import { CodecError } from './errors.js';

/**
 * Strict UTF-8 (RFC 3629). Encoding refuses strings holding a lone surrogate (they have no UTF-8
 * form, and TextEncoder would silently replace them, changing the signed bytes); decoding refuses
 * every ill-formed sequence, including overlong forms, surrogates and code points above U+10FFFF,
 * and keeps a leading byte order mark as the character U+FEFF.
 */

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 length of `text`; throws INVALID_UTF8 on a lone surrogate. */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) throw loneSurrogate(i);
      length += 4;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) throw loneSurrogate(i);
    else length += 3;
  }
  return length;
}

function loneSurrogate(index: number): CodecError {
  return new CodecError('INVALID_UTF8', `text holds a lone surrogate at index ${index}, which has no UTF-8 form`);
}

/** Writes `text` (already checked by utf8Length) at `offset`; returns the offset after it. */
export function writeUtf8(text: string, buffer: Uint8Array, offset: number): number {
  let at = offset;
  for (let i = 0; i < text.length; i++) {
    let point = text.charCodeAt(i);
    if (point < 0x80) {
      buffer[at++] = point;
    } else if (point < 0x800) {
      buffer[at++] = 0xc0 | (point >> 6);
      buffer[at++] = 0x80 | (point & 0x3f);
    } else if (point >= 0xd800 && point <= 0xdbff) {
      point = 0x10000 + ((point - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      buffer[at++] = 0xf0 | (point >> 18);
      buffer[at++] = 0x80 | ((point >> 12) & 0x3f);
      buffer[at++] = 0x80 | ((point >> 6) & 0x3f);
      buffer[at++] = 0x80 | (point & 0x3f);
    } else {
      buffer[at++] = 0xe0 | (point >> 12);
      buffer[at++] = 0x80 | ((point >> 6) & 0x3f);
      buffer[at++] = 0x80 | (point & 0x3f);
    }
  }
  return at;
}

/** Short ASCII strings are built directly: cheaper than a TextDecoder call for keys and names. */
const ASCII_FAST_PATH_LIMIT = 64;

/** Decodes bytes[start, end) strictly; throws INVALID_UTF8 on any ill-formed sequence. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= ASCII_FAST_PATH_LIMIT) {
    let text = '';
    let i = start;
    for (; i < end; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) break;
      text += String.fromCharCode(byte);
    }
    if (i === end) return text;
  }
  try {
    return fatalDecoder.decode(bytes.subarray(start, end));
  } catch {
    throw new CodecError('INVALID_UTF8', 'bytes are not well-formed UTF-8');
  }
}
