import type { TypedValue } from '@jadechain/types';

/** Typed values for KV writes, event contents and contract arguments. */
export const Values = {
  text: (value: string): TypedValue => ({ type: 'TEXT', value }),
  int64: (value: bigint): TypedValue => ({ type: 'INT64', value }),
  /** JSON text, kept byte for byte (the codec checks that it is JSON). */
  json: (value: string): TypedValue => ({ type: 'JSON', value }),
  bytes: (value: Uint8Array): TypedValue => ({ type: 'BYTES', value }),
  boolean: (value: boolean): TypedValue => ({ type: 'BOOLEAN', value }),
  timestamp: (millis: bigint): TypedValue => ({ type: 'TIMESTAMP', value: millis }),
  nil: (): TypedValue => ({ type: 'NIL' }),
} as const;
