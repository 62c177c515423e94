import { join } from 'node:path';
import { Address, HashDigest, type PubKey } from '@jadechain/crypto';
import {
  ConfigError,
  ConfigObject,
  host,
  readConfigFile,
  readIdentityConfig,
  readTransportKeyConfig,
  type IdentityConfig,
  type TransportKeyConfig,
} from '../shared/index.js';

/** One ledger the peer holds, each in its own LMDB environment. */
export interface PeerLedgerConfig {
  readonly hash: HashDigest;
  /** Directory of the ledger's LMDB environment (default `<dataDir>/ledgers/<hash>`). */
  readonly path: string;
}

/** A gateway allowed to connect, by identity public key or by address. */
export type AuthorizedGateway = { readonly publicKey: PubKey } | { readonly address: Address };

export interface PeerConfig {
  readonly dataDir: string;
  readonly ledgers: readonly PeerLedgerConfig[];
  readonly identity: IdentityConfig;
  readonly transport?: TransportKeyConfig;
  readonly p2p: { readonly host: string; readonly port: number };
  readonly management: { readonly host: string; readonly port: number };
  readonly gateways: readonly AuthorizedGateway[];
  readonly mempool: { readonly maxTransactions: number; readonly maxBytes: number; readonly verifyWorkers?: number };
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

/** Validates a peer configuration object; relative paths resolve against `baseDir`. */
export function parsePeerConfig(value: unknown, baseDir: string): PeerConfig {
  const config = new ConfigObject(value, '', baseDir).only(['dataDir', 'ledgers', 'identity', 'transport', 'p2p', 'management', 'gateways', 'mempool']);
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
  };
}

/** Reads and validates a peer configuration file (CONFIG_INVALID naming the field). */
export function loadPeerConfig(file: string): PeerConfig {
  const { value, baseDir } = readConfigFile(file);
  return parsePeerConfig(value, baseDir);
}
