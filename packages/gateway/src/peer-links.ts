import { ReconnectingClient, Router, TransportError, TransportMetrics, type Connection, type TransportLogger } from '@jadechain/p2p';
import type { NodeIdentity } from '@jadechain/node/shared';
import type { GatewayPeerConfig } from './config.js';
import { GatewayError } from './errors.js';

/** Failures after which the same request may go to another peer: it never reached this one. */
const NOT_DELIVERED = new Set(['NOT_CONNECTED', 'CLOSED', 'QUEUE_FULL', 'CONNECT_FAILED']);

/**
 * The gateway's connections to its peers, one reconnecting client each. Requests go to the first
 * connected peer in turn (round robin), and on to the next when one was not delivered; the
 * peer's own refusals (ERROR frames with a code) come back as GatewayErrors.
 */
export class PeerLinks {
  readonly metrics = new TransportMetrics();
  readonly #clients: ReconnectingClient[];
  #next = 0;

  constructor(peers: readonly GatewayPeerConfig[], identity: NodeIdentity, router: Router, logger: TransportLogger, requestTimeoutMs: number) {
    this.#clients = peers.map(
      (peer) =>
        new ReconnectingClient({
          host: peer.host,
          port: peer.port,
          expectedIdentity: peer.publicKey,
          credentials: identity.credentials,
          // The dialled identity is checked against expectedIdentity; any peer role is fine here.
          authorize: ({ role }) => role === 'PEER',
          router,
          logger,
          metrics: this.metrics,
          limits: { requestTimeoutMs },
          backoff: { initialMs: 100, maxMs: 2_000 },
        }),
    );
  }

  start(): void {
    for (const client of this.#clients) client.start();
  }

  get connections(): Connection[] {
    return this.#clients.flatMap((client) => (client.connection === undefined ? [] : [client.connection]));
  }

  /** Sends a request to a connected peer; PEER_UNAVAILABLE when none took it. */
  async request(channel: number, body: Uint8Array): Promise<Uint8Array> {
    let lastProblem = 'no peer is connected';
    for (let tried = 0; tried < this.#clients.length; tried++) {
      const client = this.#clients[(this.#next + tried) % this.#clients.length];
      if (client?.connection === undefined) continue;
      this.#next = (this.#next + tried + 1) % this.#clients.length;
      try {
        return await client.request(channel, body);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (error.code === 'REMOTE_ERROR') throw remoteRefusal(error);
        if (!NOT_DELIVERED.has(error.code)) throw new GatewayError('PEER_UNAVAILABLE', `the peer did not answer: ${error.code} ${error.message}`);
        lastProblem = `${error.code}: ${error.message}`;
      }
    }
    throw new GatewayError('PEER_UNAVAILABLE', lastProblem);
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((client) => client.close()));
  }
}

/** The peer's refusal codes (spec/node-protocol.md §5) as the gateway's answers. */
function remoteRefusal(error: TransportError): GatewayError {
  const code = error.remoteCode ?? '';
  switch (code) {
    case 'UNKNOWN_LEDGER':
      return new GatewayError('UNKNOWN_LEDGER', error.message);
    case 'UNAUTHORIZED_GATEWAY':
    case 'BAD_BATCH_SIGNATURE':
      return new GatewayError('UNAUTHORIZED_GATEWAY', `${code}: ${error.message}`);
    case 'BUSY':
      return new GatewayError('PEER_UNAVAILABLE', `the peer is busy: ${error.message}`);
    default:
      return new GatewayError('INTERNAL_ERROR', `the peer failed the request: ${code} ${error.message}`);
  }
}
