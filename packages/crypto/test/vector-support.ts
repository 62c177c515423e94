import { readFileSync } from 'node:fs';
import { CryptoError, type CryptoErrorCode } from '../src/errors.js';
import type { CryptoBackend } from '../src/backend.js';
import { nodeBackend } from '../src/node/backend.js';
import { pureBackend } from '../src/pure/backend.js';

/** Shared by the hash, AEAD, encoding, keystore and backend tests: vectors, backends, fuzz settings. */

/** Every behavioural test runs against both backends. */
export const BACKENDS: readonly CryptoBackend[] = [nodeBackend, pureBackend];

/** Fixed fast-check seed (CI); override with JADECHAIN_SEED. fast-check prints it on failure. */
export const FUZZ_SEED = process.env['JADECHAIN_SEED'] === undefined ? 0x5eed_2002 : Number(process.env['JADECHAIN_SEED']);

export function fuzzParameters(numRuns: number): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns };
}

const VECTORS_ROOT = new URL('../../../../vectors/', import.meta.url);

/** Reads a JSON vector file under /vectors (relative path), checking that it cites its source. */
export function readVectors<T>(relativePath: string): T & { source: string } {
  const parsed = JSON.parse(readFileSync(new URL(relativePath, VECTORS_ROOT), 'utf8')) as T & { source: string };
  if (typeof parsed.source !== 'string' || parsed.source.length === 0) {
    throw new Error(`${relativePath} has no "source"`);
  }
  return parsed;
}

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A predicate for assert.throws: a CryptoError with the given code. */
export function cryptoError(code: CryptoErrorCode): (error: unknown) => boolean {
  return (error: unknown) => error instanceof CryptoError && error.code === code;
}

/** Runs `decode`; true if it threw a CryptoError, false if it returned; rethrows anything else. */
export function rejectsWithCryptoError(decode: () => unknown): boolean {
  try {
    decode();
    return false;
  } catch (error) {
    if (error instanceof CryptoError) return true;
    throw error;
  }
}
