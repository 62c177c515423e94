import { join } from 'node:path';
import { Address, HashDigest, type PubKey } from '@jadechain/crypto';
import type { BftTimeouts } from '@jadechain/consensus';
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

/** One ledger the peer holds, each in its own LMDB environment. */
export interface PeerLedgerConfig {
  readonly hash: HashDigest;
  /** Directory of the ledger's LMDB environment (default `<dataDir>/ledgers/<hash>`). */
  readonly path: string;
}

/** A gateway allowed to connect, by identity public key or by address. */
export type AuthorizedGateway = { readonly publicKey: PubKey } | { readonly address: Address };

/** How a ledger is ordered: BFT among the ledger's CONSENSUS participants, or one node alone. */
export type ConsensusProtocol = 'bft' | 'single';

export interface ConsensusConfig {
  readonly protocol: ConsensusProtocol;
  /** Overrides of the BFT round timeouts (spec/consensus.md §10); absent ones keep their defaults. */
  readonly timeouts: Partial<BftTimeouts>;
  /** A cap on transactions per block below the ledger's own limit. */
  readonly maxTransactionsPerBlock?: number;
  /** Least milliseconds between this peer's blocks (proposals) unless its pool fills one. */
  readonly minBlockIntervalMs: number;
}

/**
 * Each block costs every peer votes, record writes and a durable storage commit whatever it
 * holds (measured at several milliseconds of CPU per block per peer on the benchmark machine);
 * starting heights at most once per interval makes blocks of an interval's transactions instead
 * of the one or two that arrived since the last (docs/benchmarks.md), for at most this much added
 * latency. Transactions that arrive after a quiet spell go into a block at once.
 */
export const DEFAULT_MIN_BLOCK_INTERVAL_MS = 200;

/** The transport endpoint of another peer (a validator or a follower of the same ledgers). */
export interface PeerEndpoint {
  readonly publicKey: PubKey;
  readonly host: string;
  readonly port: number;
}

export interface PeerConfig {
  readonly dataDir: string;
  readonly ledgers: readonly PeerLedgerConfig[];
  readonly identity: IdentityConfig;
  readonly transport?: TransportKeyConfig;
  readonly p2p: { readonly host: string; readonly port: number };
  readonly management: { readonly host: string; readonly port: number };
  readonly gateways: readonly AuthorizedGateway[];
  readonly mempool: { readonly maxTransactions: number; readonly maxBytes: number; readonly verifyWorkers?: number };
  readonly consensus: ConsensusConfig;
  /** The other peers to dial; an entry with this peer's own identity key is ignored at start. */
  readonly peers: readonly PeerEndpoint[];
}

export const DEFAULT_PEER_P2P_PORT = 7080;
export const DEFAULT_PEER_MANAGEMENT_PORT = 7081;

/** Where a ledger's LMDB environment lives when its entry names no path (what `testnet init` uses). */
export function defaultLedgerPath(dataDir: string, ledgerHash: HashDigest): string {
  return join(dataDir, 'ledgers', ledgerHash.toBase58());
}

function ledgerHash(entry: ConfigObject): HashDigest {
  const text = entry.string('hash');
  try {
    return HashDigest.fromBase58(text);
  } catch (error) {
    throw new ConfigError(entry.field('hash'), `is not a base58 ledger hash (${(error as Error).message})`);
  }
}

function gateway(entry: ConfigObject): AuthorizedGateway {
  entry.only(['publicKey', 'address']);
  if (entry.has('publicKey') === entry.has('address')) throw new ConfigError(entry.field('publicKey'), 'give exactly one of publicKey, address');
  if (entry.has('publicKey')) return { publicKey: entry.publicKey('publicKey') };
  const text = entry.string('address');
  try {
    return { address: Address.fromBase58(text) };
  } catch (error) {
    throw new ConfigError(entry.field('address'), `is not a base58 address (${(error as Error).message})`);
  }
}

const TIMEOUT_FIELDS = ['proposeMs', 'prevoteMs', 'precommitMs', 'roundIncrementMs', 'retransmitMs'] as const;
/** Longest round timeout accepted: ten minutes is already far beyond any useful setting. */
const MAX_TIMEOUT_MS = 600_000;

function consensus(config: ConfigObject | undefined): ConsensusConfig {
  if (config === undefined) return { protocol: 'single', timeouts: {}, minBlockIntervalMs: DEFAULT_MIN_BLOCK_INTERVAL_MS };
  config.only(['protocol', 'timeouts', 'maxTransactionsPerBlock', 'minBlockIntervalMs']);
  const protocol = config.string('protocol', 'single');
  if (protocol !== 'bft' && protocol !== 'single') throw new ConfigError(config.field('protocol'), 'must be "bft" or "single"');
  const timeoutsConfig = config.optionalObject('timeouts')?.only(TIMEOUT_FIELDS);
  const timeouts: Partial<Record<(typeof TIMEOUT_FIELDS)[number], number>> = {};
  for (const name of TIMEOUT_FIELDS) {
    if (timeoutsConfig?.has(name) === true) timeouts[name] = timeoutsConfig.integer(name, 0, 1, MAX_TIMEOUT_MS);
  }
  return {
    protocol,
    timeouts,
    minBlockIntervalMs: config.integer('minBlockIntervalMs', DEFAULT_MIN_BLOCK_INTERVAL_MS, 0, 10_000),
    ...(config.has('maxTransactionsPerBlock') ? { maxTransactionsPerBlock: config.integer('maxTransactionsPerBlock', 0, 1, 65_536) } : {}),
  };
}

function peers(config: ConfigObject): PeerEndpoint[] {
  if (!config.has('peers')) return [];
  const endpoints = config.array('peers', 0).map((entry) => {
    entry.only(['publicKey', 'host', 'port']);
    return { publicKey: entry.publicKey('publicKey'), host: host(entry, 'host', ''), port: entry.integer('port', 0, 1, 65535) };
  });
  const seen = new Set<string>();
  endpoints.forEach(({ publicKey }, index) => {
    if (seen.has(publicKey.toBase58())) throw new ConfigError(`peers[${index}].publicKey`, 'the peer is listed twice');
    seen.add(publicKey.toBase58());
  });
  return endpoints;
}

/** Validates a peer configuration object; relative paths resolve against `baseDir`. */
export function parsePeerConfig(value: unknown, baseDir: string): PeerConfig {
  const config = new ConfigObject(value, '', baseDir).only(['dataDir', 'ledgers', 'identity', 'transport', 'p2p', 'management', 'gateways', 'mempool', 'consensus', 'peers']);
  const dataDir = config.path('dataDir');
  const ledgers = config.array('ledgers', 1).map((entry) => {
    entry.only(['hash', 'path']);
    const hash = ledgerHash(entry);
    return { hash, path: entry.has('path') ? entry.path('path') : defaultLedgerPath(dataDir, hash) };
  });
  const seen = new Set<string>();
  ledgers.forEach(({ hash }, index) => {
    if (seen.has(hash.toBase58())) throw new ConfigError(`ledgers[${index}].hash`, 'the ledger is listed twice');
    seen.add(hash.toBase58());
  });
  const p2p = config.object('p2p').only(['host', 'port']);
  const management = config.object('management').only(['host', 'port']);
  const mempool = config.optionalObject('mempool')?.only(['maxTransactions', 'maxBytes', 'verifyWorkers']);
  const transport = config.optionalObject('transport');
  return {
    dataDir,
    ledgers,
    identity: readIdentityConfig(config.object('identity')),
    ...(transport === undefined ? {} : { transport: readTransportKeyConfig(transport) }),
    p2p: { host: host(p2p, 'host', '127.0.0.1'), port: p2p.port('port', DEFAULT_PEER_P2P_PORT) },
    management: { host: host(management, 'host', '127.0.0.1'), port: management.port('port', DEFAULT_PEER_MANAGEMENT_PORT) },
    gateways: config.array('gateways', 0).map(gateway),
    mempool: {
      maxTransactions: mempool?.integer('maxTransactions', 50_000, 1, 10_000_000) ?? 50_000,
      maxBytes: mempool?.integer('maxBytes', 256 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024) ?? 256 * 1024 * 1024,
      ...(mempool?.has('verifyWorkers') === true ? { verifyWorkers: mempool.integer('verifyWorkers', 1, 1, 64) } : {}),
    },
    consensus: consensus(config.optionalObject('consensus')),
    peers: peers(config),
  };
}

/** Reads and validates a peer configuration file (CONFIG_INVALID naming the field). */
export function loadPeerConfig(file: string): PeerConfig {
  const { value, baseDir } = readConfigFile(file);
  return parsePeerConfig(value, baseDir);
}
