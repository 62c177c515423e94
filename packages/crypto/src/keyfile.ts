import { equalBytes } from '@noble/ciphers/utils.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { AeadAlgorithm } from './algorithms.js';
import { PrivKey } from './encoding.js';
import { CryptoError } from './errors.js';
import { parseKeyFile, parseKeyFileHeader, type KeyFile, type KeyFileHeader, type ScryptCost } from './keyfile-format.js';
import type { CryptoSuite } from './suite.js';

/**
 * Private keys at rest (spec/crypto.md, "Key files"). Browser-safe: no file system here; the
 * node-only keystore folder (keystore-dir.ts) stores these objects as JSON.
 *
 * The password goes through scrypt into 48 bytes: the first 32 are the AEAD key, the last 16 a
 * password check kept in the file, which tells a wrong password (WRONG_PASSWORD) apart from an
 * edited file (KEYSTORE_CORRUPT). Every header field is bound as associated data, so changing
 * any of them makes the file fail to open.
 */

export interface KeyFileOptions {
  readonly name?: string;
  /** Free text, conventionally an ISO 8601 time; stored and authenticated, never interpreted. */
  readonly createdAt?: string;
  /** AES-256-GCM by default; SM4-CTR-HMAC-SM3 for deployments restricted to SM algorithms. */
  readonly cipher?: AeadAlgorithm;
  /** scrypt cost; N = 2^16, r = 8, p = 1 by default. Tests may lower N. */
  readonly scrypt?: Partial<ScryptCost>;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 16, r: 8, p: 1 };
const SALT_LENGTH = 32;
const CIPHER_KEY_LENGTH = 32;
const PASSWORD_CHECK_LENGTH = 16;

/** The associated data: the header fields as UTF-8 JSON of a fixed-order array (absent = null). */
function associatedData(header: KeyFileHeader): Uint8Array {
  const { kdf, cipher } = header;
  const fields = [
    header.format,
    header.version,
    header.name ?? null,
    header.algorithm,
    header.publicKey,
    header.address,
    header.createdAt ?? null,
    kdf.name,
    kdf.N,
    kdf.r,
    kdf.p,
    kdf.salt,
    cipher.name,
    cipher.nonce,
  ];
  return new TextEncoder().encode(JSON.stringify(fields));
}

function deriveKeys(suite: CryptoSuite, password: Uint8Array, kdf: KeyFileHeader['kdf']): { key: Uint8Array; check: Uint8Array } {
  const dkLen = CIPHER_KEY_LENGTH + PASSWORD_CHECK_LENGTH;
  const derived = suite.backend.scrypt(password, hexToBytes(kdf.salt), { N: kdf.N, r: kdf.r, p: kdf.p, dkLen });
  return { key: derived.subarray(0, CIPHER_KEY_LENGTH), check: derived.subarray(CIPHER_KEY_LENGTH) };
}

export function encryptPrivateKey(
  suite: CryptoSuite,
  privateKey: PrivKey,
  password: Uint8Array,
  options: KeyFileOptions = {},
): KeyFile {
  const cipherName = options.cipher ?? 'AES-256-GCM';
  const cipher = suite.backend.aead(cipherName);
  const publicKey = suite.publicKeyOf(privateKey);
  const proposed: Record<string, unknown> = {
    format: 'jadechain-keyfile',
    version: 1,
    name: options.name,
    algorithm: privateKey.algorithm,
    publicKey: publicKey.toBase58(),
    address: publicKey.address().toBase58(),
    createdAt: options.createdAt,
    kdf: { name: 'scrypt', ...DEFAULT_SCRYPT_COST, ...options.scrypt, salt: bytesToHex(suite.backend.randomBytes(SALT_LENGTH)) },
    cipher: { name: cipherName, nonce: bytesToHex(suite.backend.randomBytes(cipher.nonceLength)) },
  };
  let header: KeyFileHeader;
  try {
    // The reader's own rules, so that no option can produce a file that will not open.
    header = parseKeyFileHeader(proposed);
  } catch (error) {
    if (error instanceof CryptoError) throw new CryptoError('INVALID_ENCODING', `key file options: ${error.message}`);
    throw error;
  }
  const { key, check } = deriveKeys(suite, password, header.kdf);
  const sealed = cipher.seal(key, hexToBytes(header.cipher.nonce), privateKey.toBytes(), associatedData(header));
  return { ...header, passwordCheck: bytesToHex(check), ciphertext: bytesToHex(sealed) };
}

/** Accepts a KeyFile or anything JSON.parse produced; checks it with parseKeyFile first. */
export function decryptPrivateKey(suite: CryptoSuite, keyFile: unknown, password: Uint8Array): PrivKey {
  const file = parseKeyFile(keyFile);
  const { key, check } = deriveKeys(suite, password, file.kdf);
  if (!equalBytes(check, hexToBytes(file.passwordCheck))) {
    throw new CryptoError('WRONG_PASSWORD', `wrong password for key file${file.name === undefined ? '' : ` "${file.name}"`}`);
  }
  let privateKey: PrivKey;
  try {
    const cipher = suite.backend.aead(file.cipher.name);
    const plaintext = cipher.open(key, hexToBytes(file.cipher.nonce), hexToBytes(file.ciphertext), associatedData(file));
    privateKey = PrivKey.fromBytes(plaintext);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new CryptoError('KEYSTORE_CORRUPT', `key file was modified or damaged (${error.code})`);
  }
  if (privateKey.algorithm !== file.algorithm || suite.publicKeyOf(privateKey).toBase58() !== file.publicKey) {
    throw new CryptoError('KEYSTORE_CORRUPT', 'key file holds a private key that does not match its public key');
  }
  return privateKey;
}
