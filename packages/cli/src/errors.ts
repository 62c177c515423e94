/**
 * Exit codes of the jadechain command, stable for scripts:
 * 0 success (for `crypto verify`: the signature is valid), 1 a negative answer (`crypto verify`:
 * invalid signature) or an operation that failed, 2 bad input (malformed arguments, unknown
 * algorithm, wrong lengths, missing password, unknown key name).
 */
export const EXIT_OK = 0;
export const EXIT_NEGATIVE = 1;
export const EXIT_BAD_INPUT = 2;

export type CliErrorCode = 'BAD_ARGUMENT' | 'BAD_HEX' | 'NO_PASSWORD' | 'PASSWORD_MISMATCH';

/** A usage or input error detected by the CLI itself; always exits with EXIT_BAD_INPUT. */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
