export { createQueryService } from './service.js';
export type { InternalErrorListener, JdEnvelope, QueryRequest, QueryResponse, QueryService } from './service.js';
export type { LedgerDirectory, QueryMethod } from './router.js';
export { registerQueryRoutes } from './fastify.js';
export type { QueryRoutesOptions } from './fastify.js';
export { QUERY_ERRORS, QueryError } from './errors.js';
export type { QueryErrorCode } from './errors.js';
