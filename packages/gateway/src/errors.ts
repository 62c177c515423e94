/**
 * The gateway's own answers to bad or unlucky submissions, in JD Chain's envelope
 * `{success:false, error:{errorCode, errorMessage}}`. `errorCode` is a stable number (the query
 * API's numbers are 1xxx, 4xxx and 5000; these use their own slots); `errorMessage` starts with
 * the code's name, so logs, metrics and clients all say the same thing. docs/operations.md lists them.
 */
export const GATEWAY_ERRORS = {
  TIMEOUT: { errorCode: 2020, status: 202 },
  MALFORMED_JSON: { errorCode: 4101, status: 400 },
  BODY_TOO_LARGE: { errorCode: 4102, status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { errorCode: 4103, status: 415 },
  BAD_BASE58: { errorCode: 4104, status: 400 },
  MALFORMED_TRANSACTION: { errorCode: 4105, status: 400 },
  UNKNOWN_OPERATION: { errorCode: 4106, status: 400 },
  WRONG_LEDGER: { errorCode: 4107, status: 400 },
  UNKNOWN_LEDGER: { errorCode: 4108, status: 404 },
  NO_ENDPOINT_SIGNATURE: { errorCode: 4109, status: 400 },
  INVALID_ENDPOINT_SIGNATURE: { errorCode: 4110, status: 400 },
  /** The peer refused the transaction; the message starts with the peer's code (TOO_LARGE, VALUE_TOO_LARGE, ...). */
  REFUSED_BY_PEER: { errorCode: 4111, status: 400 },
  /** The co-signed transaction is larger than one batch to the peers may carry (MAX_SUBMIT_BATCH_BYTES). */
  TRANSACTION_TOO_LARGE: { errorCode: 4112, status: 413 },
  NO_SUCH_PATH: { errorCode: 4040, status: 404 },
  INTERNAL_ERROR: { errorCode: 5000, status: 500 },
  /** The peer does not accept this gateway as an APPROVE_TX holder of the ledger. */
  UNAUTHORIZED_GATEWAY: { errorCode: 5021, status: 502 },
  MEMPOOL_FULL: { errorCode: 5031, status: 503 },
  PEER_UNAVAILABLE: { errorCode: 5032, status: 503 },
  /** The gateway is shutting down: a request it read after that began (on a kept-alive connection) is not served. */
  CLOSING: { errorCode: 5033, status: 503 },
  /** f+1 peers each named a different block for the transaction: more than f peers are faulty (logged with both). */
  CONFLICTING_RESULTS: { errorCode: 5041, status: 500 },
} as const satisfies Record<string, { errorCode: number; status: number }>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;

  constructor(code: GatewayErrorCode, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
  }

  get status(): number {
    return GATEWAY_ERRORS[this.code].status;
  }

  /** The JD Chain failure envelope for this error. */
  envelope(): { success: false; error: { errorCode: number; errorMessage: string } } {
    return { success: false, error: { errorCode: GATEWAY_ERRORS[this.code].errorCode, errorMessage: `${this.code}: ${this.message}` } };
  }
}
