import { LedgerError } from '@jadechain/ledger';
import type { JsonValue } from '@jadechain/types';
import { QUERY_ERRORS, QueryError } from './errors.js';
import type { QueryErrorCode } from './errors.js';
import { Router, splitPath } from './router.js';
import type { LedgerDirectory, QueryMethod } from './router.js';
import { addAccountRoutes } from './routes-accounts.js';
import { addBlockRoutes } from './routes-blocks.js';
import { addEntryRoutes } from './routes-entries.js';
import { addEventRoutes } from './routes-events.js';
import { addLedgerRoutes } from './routes-ledger.js';
import { addProofRoutes } from './routes-proofs.js';

/** JD Chain's response envelope. */
export type JdEnvelope =
  | { readonly success: true; readonly data: JsonValue }
  | { readonly success: false; readonly error: { readonly errorCode: number; readonly errorMessage: string } };

export interface QueryRequest {
  readonly method: QueryMethod;
  /** The path without its query string, e.g. `/ledgers/j5…/blocks/latest` (segments may be percent-encoded). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface QueryResponse {
  readonly status: number;
  readonly body: JdEnvelope;
}

export interface QueryService {
  handle(request: QueryRequest): QueryResponse;
}

/** Called with errors that are the node's fault (500s), so the peer can log and count them. */
export type InternalErrorListener = (error: unknown, request: QueryRequest) => void;

/**
 * JD Chain's JSON query API over the ledgers of one node: pure request → response, no sockets.
 * Reads are synchronous, so one request sees one committed tip throughout.
 */
export function createQueryService(ledgers: LedgerDirectory, onInternalError?: InternalErrorListener): QueryService {
  const router = new Router();
  addLedgerRoutes(router);
  addBlockRoutes(router);
  addAccountRoutes(router);
  addEntryRoutes(router);
  addEventRoutes(router);
  addProofRoutes(router);
  return {
    handle(request: QueryRequest): QueryResponse {
      try {
        const segments = decodeSegments(request.path);
        const match = router.match(request.method, segments);
        if (match.kind === 'none') throw new QueryError('NO_SUCH_PATH', `no query path ${request.path}`);
        if (match.kind === 'wrongMethod') throw new QueryError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${request.path}`);
        const data = match.handler({ params: match.params, query: request.query, body: request.body, ledgers });
        return { status: 200, body: { success: true, data } };
      } catch (error) {
        if (error instanceof QueryError) return failure(error.code, error.message);
        // A height asked for that the ledger does not have (yet): the caller's miss, not a fault.
        if (error instanceof LedgerError && error.code === 'NOT_FOUND') return failure('BLOCK_NOT_FOUND', error.message);
        onInternalError?.(error, request);
        return failure('INTERNAL_ERROR', `internal error: ${(error as Error).message}`);
      }
    },
  };
}

function failure(code: QueryErrorCode, message: string): QueryResponse {
  const { errorCode, status } = QUERY_ERRORS[code];
  return { status, body: { success: false, error: { errorCode, errorMessage: message } } };
}

function decodeSegments(path: string): string[] {
  return splitPath(path).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new QueryError('INVALID_PARAMETER', `the path segment "${segment.slice(0, 60)}" is not valid percent-encoding`);
    }
  });
}
