import { CryptoError } from '../errors.js';

/**
 * Input checks shared by every signature scheme. A wrong length means the input cannot even be
 * parsed, so it throws (INVALID_LENGTH) even inside `verify`; see backend.ts for the contract.
 */
export function requireLength(what: string, bytes: Uint8Array, expected: number): void {
  if (bytes.length !== expected) {
    throw new CryptoError('INVALID_LENGTH', `${what} must be ${expected} bytes, got ${bytes.length}`);
  }
}

export function invalidKey(message: string): CryptoError {
  return new CryptoError('INVALID_KEY', message);
}
