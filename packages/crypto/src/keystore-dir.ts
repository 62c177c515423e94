import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Address } from './address.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { PubKey, type PrivKey } from './encoding.js';
import { CryptoError } from './errors.js';
import { decryptPrivateKey, encryptPrivateKey, type KeyFileOptions } from './keyfile.js';
import { checkKeyName, isKeyName, keyFileFromJson, type KeyFile } from './keyfile-format.js';
import type { CryptoSuite, KeyPair } from './suite.js';

/**
 * A keystore folder (Node only): one `<name>.key.json` key file per key, readable by its owner
 * alone (mode 0600, folder 0700). Files are created atomically and never overwritten: the JSON
 * goes to a temporary file, is flushed, and is hard-linked to its final name, which fails if that
 * name exists.
 */

export interface KeyEntry {
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: PubKey;
  readonly address: Address;
  readonly createdAt?: string;
}

const SUFFIX = '.key.json';

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function entryOf(name: string, file: KeyFile): KeyEntry {
  const publicKey = PubKey.fromBase58(file.publicKey);
  return {
    name,
    algorithm: file.algorithm,
    publicKey,
    address: Address.fromBase58(file.address),
    ...(file.createdAt === undefined ? {} : { createdAt: file.createdAt }),
  };
}

export class KeystoreDir {
  readonly dir: string;
  readonly #suite: CryptoSuite;

  constructor(dir: string, suite: CryptoSuite) {
    this.dir = dir;
    this.#suite = suite;
  }

  /** Every key in the folder, sorted by name; an absent folder is an empty keystore. */
  list(): KeyEntry[] {
    let files: string[];
    try {
      files = readdirSync(this.dir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return files
      .filter((file) => file.endsWith(SUFFIX))
      .map((file) => file.slice(0, -SUFFIX.length))
      .filter(isKeyName)
      .sort()
      .map((name) => this.show(name));
  }

  show(name: string): KeyEntry {
    return entryOf(name, this.#read(name));
  }

  /**
   * Throws unless `name` is a valid key name not yet taken (INVALID_ENCODING, KEYSTORE_EXISTS),
   * so that a caller can refuse before asking for a password.
   */
  checkNewName(name: string): void {
    checkKeyName(name);
    if (existsSync(this.#path(name))) throw this.#exists(name);
  }

  /** Stores the key pair encrypted under the password; KEYSTORE_EXISTS if the name is taken. */
  create(name: string, keyPair: KeyPair, password: Uint8Array, options: Omit<KeyFileOptions, 'name'> = {}): KeyEntry {
    // Fail before the (deliberately slow) key derivation; #writeNew still refuses atomically.
    this.checkNewName(name);
    if (!this.#suite.publicKeyOf(keyPair.privateKey).equals(keyPair.publicKey)) {
      throw new CryptoError('INVALID_KEY', 'the public key of the key pair does not belong to its private key');
    }
    const file = encryptPrivateKey(this.#suite, keyPair.privateKey, password, {
      createdAt: new Date().toISOString(),
      ...options,
      name,
    });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.#writeNew(name, `${JSON.stringify(file, null, 2)}\n`);
    return entryOf(name, file);
  }

  /** The private key; WRONG_PASSWORD, KEYSTORE_NOT_FOUND or KEYSTORE_CORRUPT otherwise. */
  unlock(name: string, password: Uint8Array): PrivKey {
    return decryptPrivateKey(this.#suite, this.#read(name), password);
  }

  #path(name: string): string {
    return join(this.dir, `${name}${SUFFIX}`);
  }

  #read(name: string): KeyFile {
    checkKeyName(name);
    let text: string;
    try {
      text = readFileSync(this.#path(name), 'utf8');
    } catch (error) {
      if (isNotFound(error)) throw new CryptoError('KEYSTORE_NOT_FOUND', `no key named "${name}" in ${this.dir}`);
      throw error;
    }
    let file: KeyFile;
    try {
      file = keyFileFromJson(text);
    } catch (error) {
      if (error instanceof CryptoError) throw new CryptoError(error.code, `${this.#path(name)}: ${error.message}`);
      throw error;
    }
    // The name is authenticated inside the file: a file renamed or swapped with another is refused.
    if (file.name !== name) {
      throw new CryptoError('KEYSTORE_CORRUPT', `${this.#path(name)} holds key "${file.name ?? ''}", not "${name}"`);
    }
    return file;
  }

  #exists(name: string): CryptoError {
    return new CryptoError('KEYSTORE_EXISTS', `a key named "${name}" already exists in ${this.dir}`);
  }

  #writeNew(name: string, content: string): void {
    const target = this.#path(name);
    const unique = Buffer.from(this.#suite.backend.randomBytes(8)).toString('hex');
    const temporary = join(this.dir, `.${name}.${unique}.tmp`);
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, target);
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? this.#exists(name) : error;
    } finally {
      unlinkSync(temporary);
    }
    this.#syncDir();
  }

  /** Makes the new directory entry durable (a no-op where directories cannot be opened). */
  #syncDir(): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.dir, 'r');
      fsyncSync(fd);
    } catch {
      // Some platforms (Windows) refuse to open or fsync a directory; the file itself is flushed.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
