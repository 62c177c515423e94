/**
 * Every failure of the crypto package is a CryptoError with a stable code, so that the CLI, the
 * API and the SDK can report the same condition the same way.
 */
export type CryptoErrorCode =
  | 'UNKNOWN_ALGORITHM'
  | 'WRONG_ALGORITHM'
  | 'INVALID_LENGTH'
  | 'INVALID_ENCODING'
  | 'INVALID_KEY'
  | 'INVALID_SIGNATURE_ENCODING'
  | 'INVALID_CHECKSUM'
  | 'DECRYPTION_FAILED'
  | 'KEYSTORE_NOT_FOUND'
  | 'KEYSTORE_EXISTS'
  | 'KEYSTORE_CORRUPT'
  | 'WRONG_PASSWORD';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}
