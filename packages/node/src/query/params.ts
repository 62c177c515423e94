import { Address, HashDigest } from '@jadechain/crypto';
import { CodecError, normalizeRoleName } from '@jadechain/types';
import { QueryError } from './errors.js';

/** Parsing of path and query parameters: anything malformed is a 4xx QueryError. */

export function parseHash(text: string, what: string): HashDigest {
  try {
    return HashDigest.fromBase58(text);
  } catch (error) {
    throw new QueryError('INVALID_HASH', `${what} "${clip(text)}" is not a base58 hash: ${(error as Error).message}`);
  }
}

export function parseAddress(text: string, what: string): Address {
  try {
    return Address.fromBase58(text);
  } catch (error) {
    throw new QueryError('INVALID_ADDRESS', `${what} "${clip(text)}" is not a base58 address: ${(error as Error).message}`);
  }
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** A decimal integer (no sign but '-', no leading zeros, no fraction), safe in a double. */
export function parseInteger(text: string, what: string): number {
  const value = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new QueryError('INVALID_NUMBER', `${what} "${clip(text)}" is not an integer`);
  return value;
}

export function parseNonNegative(text: string, what: string): number {
  const value = parseInteger(text, what);
  if (value < 0) throw new QueryError('INVALID_NUMBER', `${what} must not be negative, got ${value}`);
  return value;
}

/** An optional non-negative query parameter with a default. */
export function optionalNonNegative(query: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const text = query[name];
  return text === undefined || text === '' ? fallback : parseNonNegative(text, name);
}

/**
 * JD Chain's paging parameters: `fromIndex` (default 0) and `count`, where a count ≤ 0, above the
 * maximum or absent means the maximum (the ledger's queries apply that rule).
 */
export function parsePage(query: Readonly<Record<string, string>>, fromName = 'fromIndex'): { readonly from: number; readonly count: number } {
  const countText = query['count'];
  return {
    from: optionalNonNegative(query, fromName, 0),
    count: countText === undefined || countText === '' ? 0 : parseInteger(countText, 'count'),
  };
}

export function parseRoleName(text: string): string {
  try {
    return normalizeRoleName(text);
  } catch (error) {
    if (error instanceof CodecError) throw new QueryError('INVALID_PARAMETER', error.message);
    throw error;
  }
}

export function requireText(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new QueryError('INVALID_PARAMETER', `${what} is required`);
  return value;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
