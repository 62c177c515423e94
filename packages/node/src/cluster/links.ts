import type { PubKey } from '@jadechain/crypto';
import { ReconnectingClient, TransportError, type Connection, type NodeCredentials, type Router, type TransportLogger, type TransportMetrics } from '@jadechain/p2p';
import type { PeerEndpoint } from '../peer/config.js';

export interface PeerLinksOptions {
  readonly credentials: NodeCredentials;
  /** This peer's identity: a configured endpoint with this key is skipped. */
  readonly self: PubKey;
  readonly peers: readonly PeerEndpoint[];
  /** Serves what other peers send on the connections this peer dials (the server's router). */
  readonly router: Router;
  /** Shared with the transport server, so /metrics counts both directions. */
  readonly metrics: TransportMetrics;
  readonly logger: TransportLogger;
}

/** Reconnection backoff between peers: quick first retries, at most 5 s apart, so a restarted peer is found fast. */
const PEER_BACKOFF = { initialMs: 100, maxMs: 5_000 };

/**
 * The connections of this peer to the other peers. Each peer dials every configured peer (role
 * PEER, the configured identity expected) and also accepts their inbound connections, so two
 * peers usually share two connections; either serves sends, the dialled one first. Nothing is
 * queued here when no connection is open: consensus retransmits, fetch and sync ask elsewhere.
 */
export class PeerLinks {
  readonly #clients = new Map<string, ReconnectingClient>();
  /** Open inbound connections by identity (the newest wins). */
  readonly #inbound = new Map<string, Connection>();
  readonly #options: PeerLinksOptions;

  constructor(options: PeerLinksOptions) {
    this.#options = options;
  }

  /** Starts dialling every configured peer other than this one. */
  start(): void {
    const { credentials, self, peers, router, metrics, logger } = this.#options;
    for (const endpoint of peers) {
      const key = endpoint.publicKey.toBase58();
      if (endpoint.publicKey.equals(self) || this.#clients.has(key)) continue;
      const client = new ReconnectingClient({
        host: endpoint.host,
        port: endpoint.port,
        credentials,
        expectedIdentity: endpoint.publicKey,
        authorize: ({ identityKey, role }) => role === 'PEER' && identityKey.equals(endpoint.publicKey),
        router,
        metrics,
        logger,
        backoff: PEER_BACKOFF,
      });
      this.#clients.set(key, client.start());
    }
  }

  /** Takes an inbound connection of role PEER (the server authorised it already). */
  accept(connection: Connection): void {
    const key = connection.peer.identityKey.toBase58();
    this.#inbound.set(key, connection);
    void connection.closed.then(() => {
      if (this.#inbound.get(key) === connection) this.#inbound.delete(key);
    });
  }

  /** An open connection to `identity`: the one this peer dialled, else the one it accepted. */
  connection(identity: PubKey): Connection | undefined {
    const key = identity.toBase58();
    const outbound = this.#clients.get(key)?.connection;
    if (outbound !== undefined) return outbound;
    const inbound = this.#inbound.get(key);
    return inbound?.isOpen === true ? inbound : undefined;
  }

  isConnected(identity: PubKey): boolean {
    return this.connection(identity) !== undefined;
  }

  /** Sends a one-way message; 'NOT_CONNECTED' or 'QUEUE_FULL' when it could not be queued. */
  send(identity: PubKey, channel: number, body: Uint8Array): 'SENT' | 'NOT_CONNECTED' | 'QUEUE_FULL' {
    const connection = this.connection(identity);
    if (connection === undefined) return 'NOT_CONNECTED';
    try {
      return connection.send(channel, body) ? 'SENT' : 'QUEUE_FULL';
    } catch (error) {
      // Closed between the check and the send.
      if (error instanceof TransportError && error.code === 'CLOSED') return 'NOT_CONNECTED';
      throw error;
    }
  }

  /** A request to `identity`; rejects NOT_CONNECTED at once when no connection is open. */
  request(identity: PubKey, channel: number, body: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const connection = this.connection(identity);
    if (connection === undefined) return Promise.reject(new TransportError('NOT_CONNECTED', `no connection to peer ${identity.toBase58()}`));
    return connection.request(channel, body, { timeoutMs });
  }

  /** Identities with an open connection, either way. */
  connected(): PubKey[] {
    const out = new Map<string, PubKey>();
    for (const client of this.#clients.values()) {
      const connection = client.connection;
      if (connection !== undefined) out.set(connection.peer.identityKey.toBase58(), connection.peer.identityKey);
    }
    for (const [key, connection] of this.#inbound) if (connection.isOpen) out.set(key, connection.peer.identityKey);
    return [...out.values()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
    this.#clients.clear();
  }
}
