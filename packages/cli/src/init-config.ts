import { PubKey, SIGNATURE_ALGORITHMS, type HashAlgorithm, type SignatureAlgorithm } from '@jadechain/crypto';
import { LedgerPermission, RolePrivileges, TransactionPermission } from '@jadechain/types';
import type { GenesisUser, LedgerLimits, LedgerSettings, Participant, RolesPolicy } from '@jadechain/types';
import type { InitProposalParams } from '@jadechain/ledger';
import { CliError } from './errors.js';

/**
 * The human-written ledger init file (`jadechain ledger init-propose --config FILE`), turned into
 * the canonical proposal every organisation signs. Only `seed`, `createdTime` and `participants`
 * are required; see docs/cli.md for the format and the defaults.
 */
export const CRYPTO_PROFILES: Readonly<Record<string, { hashAlgorithm: HashAlgorithm; signatureAlgorithms: SignatureAlgorithm[] }>> = {
  classic: { hashAlgorithm: 'SHA256', signatureAlgorithms: ['ED25519', 'ECDSA-P256', 'ECDSA-SECP256K1', 'RSA'] },
  sm: { hashAlgorithm: 'SM3', signatureAlgorithms: ['SM2'] },
};

export const DEFAULT_LIMITS: LedgerLimits = {
  maxTransactionBytes: 4 << 20,
  maxOperationsPerTransaction: 256,
  maxTransactionsPerBlock: 2000,
  maxBlockBytes: 64 << 20,
  maxValueBytes: 8 << 20,
};

const ALL_LEDGER_PERMISSIONS = Object.keys(LedgerPermission) as LedgerPermission[];
const ALL_TRANSACTION_PERMISSIONS = Object.keys(TransactionPermission) as TransactionPermission[];

/** Founders administer the ledger together unless the file says otherwise; gateways only approve. */
const DEFAULT_ROLES = [
  { name: 'ADMIN', ledgerPermissions: ALL_LEDGER_PERMISSIONS, transactionPermissions: ALL_TRANSACTION_PERMISSIONS },
  { name: 'GATEWAY', ledgerPermissions: ['APPROVE_TX'], transactionPermissions: [] },
];

type Json = Record<string, unknown>;

function bad(path: string, message: string): CliError {
  return new CliError('BAD_ARGUMENT', `init file: ${path}: ${message}`);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(path, 'must be an object');
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw bad(path, 'must be an array');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw bad(path, 'must be a non-empty string');
  return value;
}

function only(json: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(json)) if (!allowed.includes(key)) throw bad(`${path}${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
}

function publicKey(value: unknown, path: string): PubKey {
  try {
    return PubKey.fromBase58(string(value, path));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw bad(path, `not a base58 public key (${(err as Error).message}); \`jadechain keys show NAME\` prints one`);
  }
}

function crypto(value: unknown): LedgerSettings['crypto'] {
  if (value === undefined) return CRYPTO_PROFILES['classic']!;
  if (typeof value === 'string') {
    const profile = CRYPTO_PROFILES[value];
    if (profile === undefined) throw bad('crypto', `unknown profile "${value}" (classic or sm)`);
    return profile;
  }
  const json = object(value, 'crypto');
  only(json, ['hashAlgorithm', 'signatureAlgorithms'], 'crypto.');
  const hashAlgorithm = string(json['hashAlgorithm'], 'crypto.hashAlgorithm');
  if (hashAlgorithm !== 'SHA256' && hashAlgorithm !== 'SM3') throw bad('crypto.hashAlgorithm', 'must be SHA256 or SM3');
  const signatureAlgorithms = array(json['signatureAlgorithms'], 'crypto.signatureAlgorithms').map((a, i) => {
    const name = string(a, `crypto.signatureAlgorithms[${i}]`);
    if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(name)) throw bad(`crypto.signatureAlgorithms[${i}]`, `unknown signature algorithm ${name}`);
    return name as SignatureAlgorithm;
  });
  return { hashAlgorithm, signatureAlgorithms };
}

function limits(value: unknown): LedgerLimits {
  if (value === undefined) return DEFAULT_LIMITS;
  const json = object(value, 'limits');
  only(json, Object.keys(DEFAULT_LIMITS), 'limits.');
  const result: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, v] of Object.entries(json)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 0xffffffff) throw bad(`limits.${key}`, 'must be a positive 32-bit integer');
    result[key] = v;
  }
  return result as unknown as LedgerLimits;
}

function createdTime(value: unknown): bigint {
  const text = string(value, 'createdTime');
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw bad('createdTime', 'must be an ISO-8601 date-time, e.g. 2026-11-25T00:00:00Z');
  return BigInt(ms);
}

export function parseInitConfig(value: unknown): InitProposalParams {
  const json = object(value, '(top level)');
  only(json, ['seed', 'createdTime', 'crypto', 'consensus', 'limits', 'timestampWindowMs', 'participants', 'users', 'roles'], '');
  const participants: Participant[] = array(json['participants'], 'participants').map((p, id) => {
    const entry = object(p, `participants[${id}]`);
    only(entry, ['name', 'publicKey'], `participants[${id}].`);
    const pubKey = publicKey(entry['publicKey'], `participants[${id}].publicKey`);
    return { id, name: string(entry['name'], `participants[${id}].name`), address: pubKey.address(), pubKey, state: 'CONSENSUS' };
  });
  if (participants.length === 0) throw bad('participants', 'at least one participant is needed');
  const users: GenesisUser[] =
    json['users'] === undefined
      ? participants.map((p) => ({ pubKey: p.pubKey, roles: ['ADMIN'], policy: 'UNION' }))
      : array(json['users'], 'users').map((u, i) => {
          const entry = object(u, `users[${i}]`);
          only(entry, ['publicKey', 'roles', 'policy'], `users[${i}].`);
          const roles = array(entry['roles'] ?? [], `users[${i}].roles`).map((r, j) => string(r, `users[${i}].roles[${j}]`).toUpperCase());
          const policy = entry['policy'] ?? 'UNION';
          if (policy !== 'UNION' && policy !== 'INTERSECT') throw bad(`users[${i}].policy`, 'must be UNION or INTERSECT');
          return { pubKey: publicKey(entry['publicKey'], `users[${i}].publicKey`), roles, policy: policy as RolesPolicy };
        });
  const roles = (json['roles'] === undefined ? DEFAULT_ROLES : array(json['roles'], 'roles')).map((r, i) => {
    try {
      return RolePrivileges.fromJson(r);
    } catch (err) {
      throw bad(`roles[${i}]`, (err as Error).message);
    }
  });
  const window = json['timestampWindowMs'] ?? 600_000;
  if (typeof window !== 'number' || !Number.isInteger(window) || window <= 0) throw bad('timestampWindowMs', 'must be a positive integer');
  const consensus = json['consensus'] === undefined ? { provider: 'single', properties: {} } : object(json['consensus'], 'consensus');
  only(consensus, ['provider', 'properties'], 'consensus.');
  const properties = object(consensus['properties'] ?? {}, 'consensus.properties');
  for (const [key, v] of Object.entries(properties)) if (typeof v !== 'string') throw bad(`consensus.properties.${key}`, 'must be a string');
  return {
    seed: new TextEncoder().encode(string(json['seed'], 'seed')),
    createdTime: createdTime(json['createdTime']),
    settings: {
      protocolVersion: 1,
      crypto: crypto(json['crypto']),
      consensus: { provider: string(consensus['provider'], 'consensus.provider'), properties: properties as Record<string, string> },
      identityMode: 'KEYPAIR',
      rootCertificates: [],
      limits: limits(json['limits']),
      timestampWindowMs: window,
    },
    participants,
    genesisUsers: users,
    roles,
  };
}
