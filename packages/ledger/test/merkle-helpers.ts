import { createHash } from 'node:crypto';
import fc from 'fast-check';

export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 20240603);

/** fc.assert with the project's fixed seed, printing it when the property fails. */
export function check<T>(property: fc.IProperty<T>, numRuns: number): void {
  try {
    fc.assert(property, { seed: SEED, numRuns });
  } catch (error) {
    console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
    throw error;
  }
}

export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
export const sm3 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sm3').update(data).digest());

export function keyOf(label: string | number): Uint8Array {
  return sha256(new TextEncoder().encode(`key ${label}`));
}

export function valueOf(label: string | number): Uint8Array {
  return sha256(new TextEncoder().encode(`value ${label}`));
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Keys that are either random or close to one base key, so that paths share long prefixes, down to the last bit. */
const BASE_KEY = keyOf('base');
export const keyArb = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })).map(([bit, last]) => {
    const key = BASE_KEY.slice();
    key[31] = last;
    key[bit >>> 3] = (key[bit >>> 3] ?? 0) ^ (0x80 >>> (bit & 7));
    return key;
  }),
);
export const valueArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
