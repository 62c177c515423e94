import Fastify from 'fastify';
import type { TransportServer } from '@jadechain/p2p';
import { registerQueryRoutes } from '../query/index.js';
import type { LedgerHost } from './ledger-host.js';
import type { PeerMetrics } from './metrics.js';
import type { QueryBridge } from './query-bridge.js';

export interface ManagementParts {
  readonly hosts: ReadonlyMap<string, LedgerHost>;
  readonly server: TransportServer;
  readonly metrics: PeerMetrics;
  readonly queries: QueryBridge;
}

/** Why the engine stopped, when it did (the peer logs it too). */
function engineFailure(host: LedgerHost): { engineFailure?: { code: string; message: string } } {
  const failure = host.engine.status.failure;
  return failure === undefined ? {} : { engineFailure: { code: failure.code, message: failure.message } };
}

/** What /status reports: every ledger's tip, its mempool and engine, and the gateways connected. */
export function peerStatus(parts: ManagementParts): Record<string, unknown> {
  return {
    ledgers: [...parts.hosts.entries()].map(([hash, host]) => ({
      hash,
      height: host.ledger.tip.height,
      blockHash: host.ledger.tip.blockHash.toBase58(),
      engine: host.engine.status.state,
      ...engineFailure(host),
      mempool: { transactions: host.pool.size, bytes: host.pool.bytes },
      waitingResults: host.waitingResults,
      consensus: host.consensusStatus(),
    })),
    peersConnected: parts.server.connections.map((connection) => ({
      identity: connection.peer.identityKey.toBase58(),
      role: connection.peer.role,
      remote: connection.peer.remoteAddress,
    })),
  };
}

/** The management HTTP endpoint: /health, /status, /metrics and JD Chain's query paths. */
export async function startManagement(
  listen: { readonly host: string; readonly port: number },
  parts: ManagementParts,
): Promise<{ readonly address: { host: string; port: number }; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/health', async (_request, reply) => {
    const failed = [...parts.hosts.values()].filter((host) => host.engine.status.state === 'failed');
    if (failed.length === 0) return { status: 'ok' };
    return reply.code(503).send({ status: 'failed', ledgers: failed.map((host) => host.ledger.ledgerHash.toBase58()) });
  });
  app.get('/status', async () => peerStatus(parts));
  app.get('/metrics', async (_request, reply) => {
    const hosts = [...parts.hosts.values()];
    const text = parts.metrics.render(
      {
        mempoolTransactions: hosts.reduce((sum, host) => sum + host.pool.size, 0),
        mempoolBytes: hosts.reduce((sum, host) => sum + host.pool.bytes, 0),
        heights: [...parts.hosts.entries()].map(([hash, host]) => [hash, host.ledger.tip.height] as const),
      },
      parts.server.metrics.snapshot(),
    );
    return reply.type('text/plain; version=0.0.4').send(text);
  });
  registerQueryRoutes(app, parts.queries.service);
  await app.listen({ host: listen.host, port: listen.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  return { address: { host: listen.host, port }, close: () => app.close() };
}
