import type { Ledger } from '@jadechain/ledger';
import type { QueryRequest as WireQuery } from '@jadechain/service';
import { jsonLogger } from '@jadechain/service';
import { createQueryService, type QueryResponse, type QueryService } from '../query/index.js';
import type { LedgerHost } from './ledger-host.js';

/** The query library over the peer's ledgers, answering both HTTP (management port) and QUERY frames. */
export interface QueryBridge {
  readonly service: QueryService;
  answer(request: WireQuery): Promise<QueryResponse>;
}

export function createQueryBridge(hosts: ReadonlyMap<string, LedgerHost>): QueryBridge {
  const logger = jsonLogger('query');
  const service = createQueryService(
    {
      get: (hash: string): Ledger | undefined => hosts.get(hash)?.ledger,
      list: (): Ledger[] => [...hosts.values()].map((host) => host.ledger),
    },
    (error, request) => logger.error('query failed', { path: request.path, reason: error instanceof Error ? error.message : String(error) }),
  );
  return {
    service,
    answer: async (request) => {
      const query: Record<string, string> = {};
      // The first value of a repeated name wins, as on the HTTP side.
      for (const [name, value] of new URLSearchParams(request.query)) if (!(name in query)) query[name] = value;
      const body: unknown = request.body === undefined ? undefined : JSON.parse(request.body);
      return service.handle({ method: request.method, path: request.path, query, body });
    },
  };
}
