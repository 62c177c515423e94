import type { PubKey } from '@jadechain/crypto';
import {
  ConfigError,
  ConfigObject,
  host,
  readConfigFile,
  readIdentityConfig,
  readTransportKeyConfig,
  type IdentityConfig,
  type TransportKeyConfig,
} from '@jadechain/service';
import { readHttpLimits, type CorsConfig, type RateLimitConfig } from './limits.js';

/** A peer the gateway forwards to, known by its identity public key (any other identity there is refused). */
export interface GatewayPeerConfig {
  readonly host: string;
  readonly port: number;
  readonly publicKey: PubKey;
}

export interface GatewayConfig {
  readonly identity: IdentityConfig;
  readonly transport?: TransportKeyConfig;
  readonly peers: readonly GatewayPeerConfig[];
  readonly http: {
    readonly host: string;
    readonly port: number;
    /**
     * Connections the kernel may queue before the gateway accepts them (capped by the system's
     * net.core.somaxconn). Clients that wait for commits hold a connection each, and open new
     * ones in bursts when commits slow down; a connection refused by a full queue is retried by
     * TCP after 1, 3, 7, 15 s. Node's default, 511, overflowed at 1,000 submissions/s.
     */
    readonly backlog: number;
  };
  readonly timeouts: {
    /** How long a submission waits for its commit before answering TIMEOUT (202) with the hash. */
    readonly commitWaitMs: number;
    /** How long one request to a peer (a batch, a query) may take. */
    readonly peerRequestMs: number;
    /** How often each connected peer is asked for its ledgers' heights (GET /network/peers, /ready, query routing). */
    readonly statusPollMs: number;
  };
  /** Largest HTTP request body accepted. */
  readonly bodyLimitBytes: number;
  readonly batching: {
    /** How long the first transaction of a batch waits for company before the batch is signed and sent. */
    readonly windowMs: number;
    readonly maxTransactions: number;
  };
  /** Cross-origin access for browsers; absent: no CORS headers. */
  readonly cors?: CorsConfig;
  /** Per-client request rate limit (default generous: DEFAULT_RATE_LIMIT). */
  readonly rateLimit: RateLimitConfig;
}

export const DEFAULT_GATEWAY_HTTP_PORT = 8080;
export const DEFAULT_HTTP_BACKLOG = 4096;

/** Validates a gateway configuration object; relative paths resolve against `baseDir`. */
export function parseGatewayConfig(value: unknown, baseDir: string): GatewayConfig {
  const config = new ConfigObject(value, '', baseDir).only(['identity', 'transport', 'peers', 'http', 'timeouts', 'bodyLimitBytes', 'batching', 'cors', 'rateLimit']);
  const peers = config.array('peers', 1).map((peer) => {
    peer.only(['host', 'port', 'publicKey']);
    return { host: host(peer, 'host', '127.0.0.1'), port: peer.integer('port', -1, 1, 65535), publicKey: peer.publicKey('publicKey') };
  });
  const http = config.optionalObject('http')?.only(['host', 'port', 'backlog']);
  const timeouts = config.optionalObject('timeouts')?.only(['commitWaitMs', 'peerRequestMs', 'statusPollMs']);
  const batching = config.optionalObject('batching')?.only(['windowMs', 'maxTransactions']);
  const transport = config.optionalObject('transport');
  const parsed: GatewayConfig = {
    identity: readIdentityConfig(config.object('identity')),
    ...(transport === undefined ? {} : { transport: readTransportKeyConfig(transport) }),
    peers,
    http: {
      host: http === undefined ? '127.0.0.1' : host(http, 'host', '127.0.0.1'),
      port: http?.port('port', DEFAULT_GATEWAY_HTTP_PORT) ?? DEFAULT_GATEWAY_HTTP_PORT,
      backlog: http?.integer('backlog', DEFAULT_HTTP_BACKLOG, 1, 65_535) ?? DEFAULT_HTTP_BACKLOG,
    },
    timeouts: {
      commitWaitMs: timeouts?.integer('commitWaitMs', 10_000, 1, 600_000) ?? 10_000,
      peerRequestMs: timeouts?.integer('peerRequestMs', 10_000, 100, 600_000) ?? 10_000,
      statusPollMs: timeouts?.integer('statusPollMs', 1_000, 50, 60_000) ?? 1_000,
    },
    bodyLimitBytes: config.integer('bodyLimitBytes', 1024 * 1024, 1024, 64 * 1024 * 1024),
    batching: {
      windowMs: batching?.integer('windowMs', 20, 0, 1000) ?? 20,
      maxTransactions: batching?.integer('maxTransactions', 512, 1, 4096) ?? 512,
    },
    ...readHttpLimits(config),
  };
  const seen = new Set<string>();
  parsed.peers.forEach((peer, index) => {
    // A peer is counted once toward finality by its identity, so one identity cannot stand for two peers.
    for (const key of [`${peer.host}:${peer.port}`, peer.publicKey.toBase58()]) {
      if (seen.has(key)) throw new ConfigError(`peers[${index}]`, `${key} is listed twice`);
      seen.add(key);
    }
  });
  return parsed;
}

/** Reads and validates a gateway configuration file (CONFIG_INVALID naming the field). */
export function loadGatewayConfig(file: string): GatewayConfig {
  const { value, baseDir } = readConfigFile(file);
  return parseGatewayConfig(value, baseDir);
}
