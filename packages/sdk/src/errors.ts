/**
 * Errors of the client library. Every error has a stable `code`; `ApiError` carries the gateway's
 * own code from JD Chain's envelope (`error.errorCode`) and the HTTP status it came with.
 */
export type SdkErrorCode = 'TIMEOUT' | 'UNREACHABLE' | 'BAD_RESPONSE' | 'BAD_ARGUMENT' | 'INVALID_PROOF';

export class SdkError extends Error {
  readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, message: string) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
  }
}

/**
 * The numeric codes the gateway answers with (docs/api.md and docs/operations.md), by name:
 * compare `error.code === API_ERROR_CODES.BLOCK_NOT_FOUND`, or read `error.codeName`.
 */
export const API_ERROR_CODES = {
  LEDGER_NOT_FOUND: 1001,
  BLOCK_NOT_FOUND: 1002,
  TRANSACTION_NOT_FOUND: 1003,
  ACCOUNT_NOT_FOUND: 1004,
  ROLE_NOT_FOUND: 1005,
  VERSION_NOT_FOUND: 1006,
  EVENT_NOT_FOUND: 1007,
  TIMEOUT: 2020,
  INVALID_HASH: 4001,
  INVALID_ADDRESS: 4002,
  INVALID_NUMBER: 4003,
  INVALID_PARAMETER: 4004,
  INVALID_BODY: 4005,
  NO_SUCH_PATH: 4040,
  METHOD_NOT_ALLOWED: 4050,
  MALFORMED_JSON: 4101,
  BODY_TOO_LARGE: 4102,
  UNSUPPORTED_MEDIA_TYPE: 4103,
  BAD_BASE58: 4104,
  MALFORMED_TRANSACTION: 4105,
  UNKNOWN_OPERATION: 4106,
  WRONG_LEDGER: 4107,
  UNKNOWN_LEDGER: 4108,
  NO_ENDPOINT_SIGNATURE: 4109,
  INVALID_ENDPOINT_SIGNATURE: 4110,
  REFUSED_BY_PEER: 4111,
  TRANSACTION_TOO_LARGE: 4112,
  RATE_LIMITED: 4290,
  INTERNAL_ERROR: 5000,
  UNAUTHORIZED_GATEWAY: 5021,
  MEMPOOL_FULL: 5031,
  PEER_UNAVAILABLE: 5032,
  CLOSING: 5033,
  CONFLICTING_RESULTS: 5041,
} as const;

export type ApiErrorName = keyof typeof API_ERROR_CODES;

const NAME_OF_CODE = new Map<number | string, ApiErrorName>(
  Object.entries(API_ERROR_CODES).map(([name, code]) => [code, name as ApiErrorName]),
);

/**
 * The gateway answered `{success:false, error:{errorCode, errorMessage}}`: `code` is the
 * envelope's `errorCode` as the gateway sent it (a number for JadeChain's gateway), `codeName`
 * its name when the code is one of API_ERROR_CODES.
 */
export class ApiError extends Error {
  readonly code: number | string;
  readonly codeName: ApiErrorName | undefined;
  readonly httpStatus: number;

  constructor(code: number | string, message: string, httpStatus: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.codeName = NAME_OF_CODE.get(code);
    this.httpStatus = httpStatus;
  }
}

/**
 * The transaction was accepted but not committed within the wait: it may still commit.
 * Ask later with `GatewayClient.transaction(ledger, transactionHash)`.
 */
export class SubmitTimeoutError extends SdkError {
  readonly transactionHash: string;

  constructor(transactionHash: string, message = `transaction ${transactionHash} was not committed in time; ask for it later by its hash`) {
    super('TIMEOUT', message);
    this.name = 'SubmitTimeoutError';
    this.transactionHash = transactionHash;
  }
}

/** Which check of an offline proof failed. */
export type ProofFailure =
  /** The response lacks a field or a field does not decode. */
  | 'MALFORMED'
  /** The response is not about the ledger, account, key or height the caller trusts or asked for. */
  | 'WRONG_SUBJECT'
  /** The readable copies (entry, header, block, certificate JSON) disagree with the proven bytes. */
  | 'INCONSISTENT'
  /** A Merkle proof does not lead to the header's state root. */
  | 'MERKLE'
  /** The header does not hash to the block hash the certificate (or, at genesis, the ledger hash) names. */
  | 'BLOCK_HASH'
  /** The commit certificate is missing, or too few participants validly signed it. */
  | 'CERTIFICATE';

/** A proof that does not hold: the value it carries must not be believed. */
export class ProofVerificationError extends SdkError {
  readonly failure: ProofFailure;

  constructor(failure: ProofFailure, message: string) {
    super('INVALID_PROOF', `${failure}: ${message}`);
    this.name = 'ProofVerificationError';
    this.failure = failure;
  }
}
