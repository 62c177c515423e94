import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { CodecError } from '../src/index.js';
import type { CodecErrorCode } from '../src/index.js';

/** Shared by the codec tests: seed, vector files, hex helpers. */

/** Fixed fast-check seed for CI; override with JADECHAIN_SEED. */
export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x7e57c0de);

/** Runs a property with the fixed seed and says how to replay it if it fails. */
export function check<T>(property: fc.IProperty<T>, numRuns: number): void {
  try {
    fc.assert(property, { seed: SEED, numRuns });
  } catch (error) {
    console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
    throw error;
  }
}

const VECTORS = new URL('../../../../vectors/encoding/', import.meta.url);

export function readVectorFile<T>(name: string): T & { source: string } {
  const parsed = JSON.parse(readFileSync(new URL(name, VECTORS), 'utf8')) as T & { source: string };
  if (typeof parsed.source !== 'string' || parsed.source.length === 0) throw new Error(`${name} has no "source"`);
  return parsed;
}

export function writeVectorFile(name: string, content: unknown): void {
  writeFileSync(new URL(name, VECTORS), JSON.stringify(content, null, 2) + '\n');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`bad hex: ${hex}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A predicate for assert.throws: a CodecError with this code (and path, if given). */
export function codecError(code: CodecErrorCode, path?: string): (error: unknown) => boolean {
  return (error: unknown) => {
    if (!(error instanceof CodecError)) return false;
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
    if (path !== undefined && error.path !== path) throw new Error(`expected path "${path}", got "${error.path}"`);
    return true;
  };
}
