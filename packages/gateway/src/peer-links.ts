import { ReconnectingClient, Router, TransportError, TransportMetrics, type TransportLogger } from '@jadechain/p2p';
import type { NodeIdentity } from '@jadechain/service';
import type { GatewayPeerConfig } from './config.js';
import { GatewayError } from './errors.js';

interface Link {
  /** The peer's identity public key, base58: how the gateway names a peer everywhere. */
  readonly key: string;
  readonly config: GatewayPeerConfig;
  readonly client: ReconnectingClient;
  /** Gateway clock (ms) of the last frame that came from this peer; undefined before the first. */
  lastSeen: number | undefined;
}

/**
 * The gateway's connections to its peers, one reconnecting client each, named by their identity
 * keys. A request goes to one named peer (`requestTo`); `rotation` says in which order to try
 * them for round robin. The peer's own refusals (ERROR frames with a code) come back as GatewayErrors.
 */
export class PeerLinks {
  readonly metrics = new TransportMetrics();
  readonly #links: Link[];
  #next = 0;

  constructor(peers: readonly GatewayPeerConfig[], identity: NodeIdentity, router: Router, logger: TransportLogger, requestTimeoutMs: number) {
    this.#links = peers.map((peer) => ({
      key: peer.publicKey.toBase58(),
      config: peer,
      lastSeen: undefined,
      client: new ReconnectingClient({
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
    }));
  }

  start(): void {
    for (const link of this.#links) link.client.start();
  }

  /** Every configured peer, connected or not, in configuration order. */
  get peers(): readonly GatewayPeerConfig[] {
    return this.#links.map((link) => link.config);
  }

  /** The keys of the peers connected now, in configuration order. */
  connected(): string[] {
    return this.#links.flatMap((link) => (link.client.connection === undefined ? [] : [link.key]));
  }

  isConnected(key: string): boolean {
    return this.#link(key)?.client.connection !== undefined;
  }

  /** Notes that a frame arrived from `key` (a notice; answers are noted here). */
  saw(key: string, now = Date.now()): void {
    const link = this.#link(key);
    if (link !== undefined) link.lastSeen = now;
  }

  lastSeen(key: string): number | undefined {
    return this.#link(key)?.lastSeen;
  }

  /** Sends a request to the peer named by `key`; PEER_UNAVAILABLE when it is not connected or does not answer. */
  async requestTo(key: string, channel: number, body: Uint8Array): Promise<Uint8Array> {
    const link = this.#link(key);
    if (link === undefined) throw new GatewayError('PEER_UNAVAILABLE', `no peer ${key} is configured`);
    try {
      const answer = await link.client.request(channel, body);
      link.lastSeen = Date.now();
      return answer;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      if (error.code === 'REMOTE_ERROR') {
        link.lastSeen = Date.now();
        throw remoteRefusal(error);
      }
      throw new GatewayError('PEER_UNAVAILABLE', `peer ${key} did not answer: ${error.code} ${error.message}`);
    }
  }

  /** The connected peers in the order a request should try them: preferred first, each group starting at the round-robin cursor. */
  rotation(preferred: (key: string) => boolean = () => true): string[] {
    const start = this.#next;
    this.#next = (this.#next + 1) % Math.max(1, this.#links.length);
    const turn = this.#links.map((_, index) => this.#links[(start + index) % this.#links.length] as Link);
    const open = turn.filter((link) => link.client.connection !== undefined).map((link) => link.key);
    return [...open.filter(preferred), ...open.filter((key) => !preferred(key))];
  }

  async close(): Promise<void> {
    await Promise.all(this.#links.map((link) => link.client.close()));
  }

  #link(key: string): Link | undefined {
    return this.#links.find((link) => link.key === key);
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
