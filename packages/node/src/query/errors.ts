/**
 * Errors of the query API. Each code has a stable number (the envelope's `errorCode`) and an HTTP
 * status: application errors (something asked for does not exist) answer 200 with
 * `success:false`, as JD Chain's clients expect; malformed requests answer 4xx; a fault of the
 * node itself answers 500. docs/api.md lists them.
 */
export const QUERY_ERRORS = {
  LEDGER_NOT_FOUND: { errorCode: 1001, status: 200 },
  BLOCK_NOT_FOUND: { errorCode: 1002, status: 200 },
  TRANSACTION_NOT_FOUND: { errorCode: 1003, status: 200 },
  ACCOUNT_NOT_FOUND: { errorCode: 1004, status: 200 },
  ROLE_NOT_FOUND: { errorCode: 1005, status: 200 },
  VERSION_NOT_FOUND: { errorCode: 1006, status: 200 },
  EVENT_NOT_FOUND: { errorCode: 1007, status: 200 },
  INVALID_HASH: { errorCode: 4001, status: 400 },
  INVALID_ADDRESS: { errorCode: 4002, status: 400 },
  INVALID_NUMBER: { errorCode: 4003, status: 400 },
  INVALID_PARAMETER: { errorCode: 4004, status: 400 },
  INVALID_BODY: { errorCode: 4005, status: 400 },
  NO_SUCH_PATH: { errorCode: 4040, status: 404 },
  METHOD_NOT_ALLOWED: { errorCode: 4050, status: 405 },
  INTERNAL_ERROR: { errorCode: 5000, status: 500 },
} as const satisfies Record<string, { errorCode: number; status: number }>;

export type QueryErrorCode = keyof typeof QUERY_ERRORS;

export class QueryError extends Error {
  readonly code: QueryErrorCode;

  constructor(code: QueryErrorCode, message: string) {
    super(message);
    this.name = 'QueryError';
    this.code = code;
  }

  get status(): number {
    return QUERY_ERRORS[this.code].status;
  }

  get errorCode(): number {
    return QUERY_ERRORS[this.code].errorCode;
  }
}
