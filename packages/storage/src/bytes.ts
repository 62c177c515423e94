import { MAX_KEY_BYTES } from './kv.js';
import { StorageError } from './errors.js';

/** Unsigned byte-wise order; a prefix sorts before every longer key that starts with it. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** A string naming a key exactly (one char per byte), for use as a Map key. */
export function keyId(key: Uint8Array): string {
  // Keys are at most MAX_KEY_BYTES long, far below the engines' argument-count limits.
  return String.fromCharCode.apply(null, key as unknown as number[]);
}

export function checkKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new StorageError('INVALID_KEY', `a key must be a Uint8Array, not ${describe(key)}`);
  if (key.length === 0) throw new StorageError('INVALID_KEY', 'a key must not be empty');
  if (key.length > MAX_KEY_BYTES) {
    throw new StorageError('KEY_TOO_LARGE', `a key is ${key.length} bytes; the limit is ${MAX_KEY_BYTES}`);
  }
}

export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new StorageError('INVALID_VALUE', `a value must be a Uint8Array, not ${describe(value)}`);
}

/** A plain Uint8Array over the same bytes (lmdb-js hands out Buffers, which compare unequal). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input === 'object') return (input.constructor as { name?: string } | undefined)?.name ?? 'object';
  return typeof input;
}
