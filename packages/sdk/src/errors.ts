/**
 * Errors of the client library. Every error has a stable `code`; `ApiError` carries the gateway's
 * own code from JD Chain's envelope (`error.errorCode`) and the HTTP status it came with.
 */
export type SdkErrorCode = 'TIMEOUT' | 'UNREACHABLE' | 'BAD_RESPONSE' | 'BAD_ARGUMENT';

export class SdkError extends Error {
  readonly code: SdkErrorCode;

  constructor(code: SdkErrorCode, message: string) {
    super(message);
    this.name = 'SdkError';
    this.code = code;
  }
}

/**
 * The gateway answered `{success:false, error:{errorCode, errorMessage}}`: `code` is the
 * envelope's `errorCode` as the gateway sent it (a number for JD Chain's query API).
 */
export class ApiError extends Error {
  readonly code: number | string;
  readonly httpStatus: number;

  constructor(code: number | string, message: string, httpStatus: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/**
 * The transaction was accepted but not committed within the gateway's wait: it may still commit.
 * Ask later with `GatewayClient.transaction(ledger, transactionHash)`.
 */
export class SubmitTimeoutError extends SdkError {
  readonly transactionHash: string;

  constructor(transactionHash: string) {
    super('TIMEOUT', `transaction ${transactionHash} was not committed in time; ask for it later by its hash`);
    this.name = 'SubmitTimeoutError';
    this.transactionHash = transactionHash;
  }
}
