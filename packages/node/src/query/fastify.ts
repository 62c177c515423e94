import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QUERY_ERRORS } from './errors.js';
import type { QueryMethod } from './router.js';
import type { QueryService } from './service.js';

export interface QueryRoutesOptions {
  /** Where the API is mounted (e.g. '/api'); the service always sees paths starting at /ledgers. */
  readonly prefix?: string;
}

/**
 * Mounts the query service on a Fastify server: GET and POST on /ledgers and everything below
 * it. Bodies may be JSON or form-encoded (JD Chain's `keys` form parameter); a body that does
 * not parse answers 400 INVALID_BODY in the same envelope.
 */
export function registerQueryRoutes(app: FastifyInstance, service: QueryService, options: QueryRoutesOptions = {}): void {
  const prefix = options.prefix ?? '';
  void app.register(
    (scope, _options, done) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) => {
        parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
      scope.setErrorHandler((error: FastifyError, _request, reply) => {
        const client = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
        const { errorCode, status } = client ? QUERY_ERRORS.INVALID_BODY : QUERY_ERRORS.INTERNAL_ERROR;
        void reply.code(client ? (error.statusCode ?? status) : status).send({ success: false, error: { errorCode, errorMessage: error.message } });
      });
      const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
        const pathWithPrefix = request.url.split('?', 1)[0] ?? '';
        const response = service.handle({
          method: request.method as QueryMethod,
          path: pathWithPrefix.slice(prefix.length),
          query: flattenQuery(request.query),
          body: request.body,
        });
        await reply.code(response.status).send(response.body);
      };
      scope.route({ method: ['GET', 'POST'], url: '/ledgers', handler });
      scope.route({ method: ['GET', 'POST'], url: '/ledgers/*', handler });
      done();
    },
    { prefix },
  );
}

/** Fastify's parsed query, one string per name (the first, when a name repeats). */
function flattenQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [name, value] of Object.entries(query)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[name] = first;
  }
  return out;
}
