import type { TypedValue } from '@jadechain/types';
import { Values } from '@jadechain/sdk';
import { CliError } from '../errors.js';
import { parseHex } from '../hex.js';

export const VALUE_TYPES = ['TEXT', 'INT64', 'JSON', 'BYTES'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** A value typed on the command line: TEXT as is, INT64 in decimal, JSON text, BYTES in hex. */
export function parseTypedValue(type: ValueType, text: string, what: string): TypedValue {
  switch (type) {
    case 'TEXT':
      return Values.text(text);
    case 'INT64':
      if (!/^-?\d+$/.test(text)) throw new CliError('BAD_ARGUMENT', `${what}: "${text}" is not a decimal integer`);
      if (BigInt(text) < -(2n ** 63n) || BigInt(text) >= 2n ** 63n) throw new CliError('BAD_ARGUMENT', `${what}: ${text} does not fit in 64 bits`);
      return Values.int64(BigInt(text));
    case 'JSON':
      try {
        JSON.parse(text);
      } catch (err) {
        throw new CliError('BAD_ARGUMENT', `${what}: not JSON text (${(err as Error).message})`);
      }
      return Values.json(text);
    case 'BYTES':
      return Values.bytes(parseHex(text, what));
  }
}
