import { CliError } from './errors.js';

/** Parses hex strictly: an optional 0x prefix, an even number of hex digits, nothing else. */
export function parseHex(text: string, what: string): Uint8Array {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (digits.length % 2 !== 0) {
    throw new CliError('BAD_HEX', `${what}: hex must have an even number of digits (got ${digits.length})`);
  }
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad !== null) {
    throw new CliError('BAD_HEX', `${what}: "${bad[0]}" at position ${bad.index} is not a hex digit`);
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
