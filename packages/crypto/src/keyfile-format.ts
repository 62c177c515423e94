import { AEAD_ALGORITHMS, SIGNATURE_ALGORITHMS, type AeadAlgorithm, type SignatureAlgorithm } from './algorithms.js';
import { SM4_CTR_HMAC_SM3_SHAPE, AES_256_GCM_SHAPE } from './aead-common.js';
import { MAX_PRIVATE_KEY_BYTES, PubKey } from './encoding.js';
import { CryptoError } from './errors.js';

/**
 * The strict reader of key files: every field is checked for type, range and consistency before
 * any cryptography runs, and whatever is wrong is named in a KEYSTORE_CORRUPT error.
 */

/**
 * A private key at rest, JSON-serialisable (spec/crypto.md, "Key files"). Binary fields are
 * lowercase hex; keys and addresses are base58 as everywhere else.
 */
export interface KeyFile {
  readonly format: 'jadechain-keyfile';
  readonly version: 1;
  readonly name?: string;
  readonly algorithm: SignatureAlgorithm;
  /** Tagged public key, base58. */
  readonly publicKey: string;
  /** JD Chain address of the public key, base58. */
  readonly address: string;
  readonly createdAt?: string;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly cipher: { readonly name: AeadAlgorithm; readonly nonce: string };
  /** 16 bytes: the last 16 bytes of the scrypt output. */
  readonly passwordCheck: string;
  /** AEAD(tagged private key): ciphertext ‖ tag. */
  readonly ciphertext: string;
}

/** Everything but the two secret-derived fields: the part bound as associated data. */
export type KeyFileHeader = Omit<KeyFile, 'passwordCheck' | 'ciphertext'>;

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;
const TOP_LEVEL_FIELDS = new Set([
  'format', 'version', 'name', 'algorithm', 'publicKey', 'address', 'createdAt', 'kdf', 'cipher', 'passwordCheck', 'ciphertext',
]);
const NONCE_LENGTHS: Record<AeadAlgorithm, number> = {
  'AES-256-GCM': AES_256_GCM_SHAPE.nonceLength,
  'SM4-CTR-HMAC-SM3': SM4_CTR_HMAC_SM3_SHAPE.nonceLength,
};
const TAG_LENGTH = 16;
/** scrypt needs 128·N·r bytes; refusing more keeps a hostile file from exhausting memory. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const MAX_CREATED_AT_LENGTH = 64;

/** Key names: 1–64 characters of A–Z a–z 0–9 . _ - (they become file names). */
export function isKeyName(name: unknown): name is string {
  return typeof name === 'string' && KEY_NAME.test(name);
}

export function checkKeyName(name: string): void {
  if (!isKeyName(name)) {
    throw new CryptoError('INVALID_ENCODING', `invalid key name ${JSON.stringify(name)}: use 1–64 of A-Z a-z 0-9 . _ -`);
  }
}

/** Returns what is wrong with a scrypt cost, or undefined if it is acceptable. */
function scryptCostProblem(cost: ScryptCost): string | undefined {
  const { N, r, p } = cost;
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0) return 'N must be a power of two from 2 to 2^20';
  if (!Number.isSafeInteger(r) || r < 1 || r > 32) return 'r must be an integer from 1 to 32';
  if (!Number.isSafeInteger(p) || p < 1 || p > 16) return 'p must be an integer from 1 to 16';
  if (128 * N * r > MAX_SCRYPT_MEMORY) return `128·N·r exceeds ${MAX_SCRYPT_MEMORY} bytes`;
  return undefined;
}

function corrupt(problem: string): CryptoError {
  return new CryptoError('KEYSTORE_CORRUPT', `invalid key file: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(record: Record<string, unknown>, field: string, path = field): string {
  const value = record[field];
  if (typeof value !== 'string') throw corrupt(`${path} must be a string`);
  return value;
}

function requireHex(record: Record<string, unknown>, field: string, path: string, min: number, max: number): string {
  const value = requireString(record, field, path);
  if (!HEX.test(value)) throw corrupt(`${path} must be lowercase hex`);
  const bytes = value.length / 2;
  if (bytes < min || bytes > max) throw corrupt(`${path} must be ${min === max ? min : `${min}–${max}`} bytes, got ${bytes}`);
  return value;
}

function requireObject(record: Record<string, unknown>, field: string, fields: readonly string[]): Record<string, unknown> {
  const value = record[field];
  if (!isRecord(value)) throw corrupt(`${field} must be an object`);
  const unexpected = Object.keys(value).filter((key) => !fields.includes(key));
  if (unexpected.length > 0) throw corrupt(`unexpected field ${field}.${unexpected[0]}`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw corrupt(`${path} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function parseKdf(record: Record<string, unknown>): KeyFile['kdf'] {
  const kdf = requireObject(record, 'kdf', ['name', 'N', 'r', 'p', 'salt']);
  if (kdf['name'] !== 'scrypt') throw corrupt('kdf.name must be "scrypt"');
  const cost = { N: kdf['N'], r: kdf['r'], p: kdf['p'] } as ScryptCost;
  const problem = scryptCostProblem(cost);
  if (problem !== undefined) throw corrupt(`kdf.${problem}`);
  return { name: 'scrypt', ...cost, salt: requireHex(kdf, 'salt', 'kdf.salt', 16, 64) };
}

function parseCipher(record: Record<string, unknown>): KeyFile['cipher'] {
  const cipher = requireObject(record, 'cipher', ['name', 'nonce']);
  const name = oneOf(requireString(cipher, 'name', 'cipher.name'), AEAD_ALGORITHMS, 'cipher.name');
  const nonceLength = NONCE_LENGTHS[name];
  return { name, nonce: requireHex(cipher, 'nonce', 'cipher.nonce', nonceLength, nonceLength) };
}

function parsePublicKey(text: string, algorithm: SignatureAlgorithm, address: string): void {
  let publicKey: PubKey;
  try {
    publicKey = PubKey.fromBase58(text);
  } catch (error) {
    throw corrupt(`publicKey: ${(error as Error).message}`);
  }
  if (publicKey.algorithm !== algorithm) throw corrupt(`publicKey is ${publicKey.algorithm}, algorithm says ${algorithm}`);
  if (publicKey.address().toBase58() !== address) throw corrupt('address does not belong to publicKey');
}

/** Checks the header fields of a key file (all but passwordCheck and ciphertext). */
export function parseKeyFileHeader(record: Record<string, unknown>): KeyFileHeader {
  if (record['format'] !== 'jadechain-keyfile') throw corrupt('format must be "jadechain-keyfile"');
  if (record['version'] !== 1) throw corrupt(`unsupported version ${JSON.stringify(record['version'])}`);
  const name = record['name'];
  if (name !== undefined && !isKeyName(name)) throw corrupt('name must be 1–64 of A-Z a-z 0-9 . _ -');
  const createdAt = record['createdAt'];
  if (createdAt !== undefined && (typeof createdAt !== 'string' || createdAt.length > MAX_CREATED_AT_LENGTH)) {
    throw corrupt(`createdAt must be a string of at most ${MAX_CREATED_AT_LENGTH} characters`);
  }
  const algorithm = oneOf(requireString(record, 'algorithm'), SIGNATURE_ALGORITHMS, 'algorithm');
  const publicKey = requireString(record, 'publicKey');
  const address = requireString(record, 'address');
  parsePublicKey(publicKey, algorithm, address);
  return {
    format: 'jadechain-keyfile',
    version: 1,
    ...(name === undefined ? {} : { name }),
    algorithm,
    publicKey,
    address,
    ...(createdAt === undefined ? {} : { createdAt }),
    kdf: parseKdf(record),
    cipher: parseCipher(record),
  };
}

/** Checks an object (e.g. from JSON.parse) field by field and returns it as a KeyFile. */
export function parseKeyFile(value: unknown): KeyFile {
  if (!isRecord(value)) throw corrupt('not a JSON object');
  const unexpected = Object.keys(value).find((key) => !TOP_LEVEL_FIELDS.has(key));
  if (unexpected !== undefined) throw corrupt(`unexpected field ${unexpected}`);
  return {
    ...parseKeyFileHeader(value),
    passwordCheck: requireHex(value, 'passwordCheck', 'passwordCheck', 16, 16),
    ciphertext: requireHex(value, 'ciphertext', 'ciphertext', TAG_LENGTH + 1, TAG_LENGTH + MAX_PRIVATE_KEY_BYTES),
  };
}

/** Parses the JSON text of a key file; malformed JSON is KEYSTORE_CORRUPT too. */
export function keyFileFromJson(text: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not JSON (${(error as Error).message})`);
  }
  return parseKeyFile(value);
}
