import { equalBytes } from '@noble/ciphers/utils.js';
import { Address } from './address.js';
import {
  algorithmByCode,
  algorithmByName,
  type AlgorithmKind,
  type AlgorithmName,
  type HashAlgorithm,
  type SignatureAlgorithm,
} from './algorithms.js';
import { base58Decode, base58Encode } from './base58.js';
import { CryptoError } from './errors.js';
import { latin1Of } from './latin1.js';
import { checkRawHash, checkRawPrivateKey, checkRawPublicKey, checkRawSignature } from './raw-forms.js';

/**
 * Algorithm-tagged values in JD Chain's encodings (JDCHAIN-REFERENCE §5, spec/crypto.md):
 *   HashDigest, SignatureDigest: code (2 bytes, big-endian) ‖ raw
 *   PubKey:  code ‖ 0x01 ‖ raw        PrivKey: code ‖ 0x02 ‖ raw
 * Text forms are base58 of those bytes. Values are immutable: the bytes are copied in, and every
 * accessor hands out a copy. Decoders accept exactly one encoding per value and throw CryptoError
 * for anything else.
 */

/** Key-type byte of tagged keys (JD Chain CryptoKeyType). */
export const PUBLIC_KEY_TYPE = 0x01;
export const PRIVATE_KEY_TYPE = 0x02;

/** Longest tagged encodings (RSA-4096 for keys and signatures), bounds for untrusted input. */
const MAX_HASH_BYTES = 2 + 32;
const MAX_SIGNATURE_BYTES = 2 + 512;
const MAX_PUBLIC_KEY_BYTES = 3 + 515;
export const MAX_PRIVATE_KEY_BYTES = 3 + 2307;

abstract class TaggedValue<A extends AlgorithmName> {
  readonly algorithm: A;
  readonly #encoded: Uint8Array;
  readonly #headerLength: number;
  /** The value never changes, and its base58 form is asked for again and again (map keys, JSON). */
  #base58: string | undefined;
  #latin1: string | undefined;

  protected constructor(algorithm: A, header: readonly number[], raw: Uint8Array) {
    this.algorithm = algorithm;
    this.#headerLength = header.length;
    this.#encoded = new Uint8Array(header.length + raw.length);
    this.#encoded.set(header);
    this.#encoded.set(raw, header.length);
  }

  /** The untagged bytes (a copy). */
  get raw(): Uint8Array {
    return this.#encoded.slice(this.#headerLength);
  }

  /** The tagged encoding (a copy). */
  toBytes(): Uint8Array {
    return this.#encoded.slice();
  }

  /**
   * The tagged encoding itself, not a copy, for a caller that only reads it at once (an encoder
   * copying it into its output): it must never be modified. Encoding a block copied every key,
   * hash and signature twice.
   */
  bytesView(): Uint8Array {
    return this.#encoded;
  }

  toBase58(): string {
    this.#base58 ??= base58Encode(this.#encoded);
    return this.#base58;
  }

  /**
   * The tagged encoding as a latin1 string, one character per byte: a compact map or set key
   * (equal values give equal keys), made once per object instead of copying bytes each time.
   */
  toLatin1(): string {
    this.#latin1 ??= latin1Of(this.#encoded);
    return this.#latin1;
  }

  /** The text form, base58 (private keys override this to hide themselves). */
  toString(): string {
    return this.toBase58();
  }

  /** JSON gives the text form, as JD Chain's JSON does. */
  toJSON(): string {
    return this.toString();
  }

  /** Constant-time, so that comparing secrets through it leaks nothing. */
  equals(other: TaggedValue<AlgorithmName>): boolean {
    return equalBytes(this.#encoded, other.#encoded);
  }
}

function tagHeader(algorithm: AlgorithmName, keyType?: number): number[] {
  const { code } = algorithmByName(algorithm);
  return keyType === undefined ? [code >>> 8, code & 0xff] : [code >>> 8, code & 0xff, keyType];
}

/** Splits a tagged encoding into its algorithm and raw part, checking code, kind and key type. */
function parseTagged<A extends AlgorithmName>(
  bytes: Uint8Array,
  kind: AlgorithmKind,
  what: string,
  keyType?: number,
): { algorithm: A; raw: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('INVALID_ENCODING', `${what} must be bytes`);
  const headerLength = keyType === undefined ? 2 : 3;
  if (bytes.length <= headerLength) {
    throw new CryptoError('INVALID_LENGTH', `${what} of ${bytes.length} bytes is too short`);
  }
  const info = algorithmByCode((bytes[0]! << 8) | bytes[1]!);
  if (info.kind !== kind) {
    throw new CryptoError('WRONG_ALGORITHM', `${what} carries ${info.name}, a ${info.kind} algorithm`);
  }
  if (keyType !== undefined && bytes[2] !== keyType) {
    throw new CryptoError('INVALID_ENCODING', `${what} must have key-type byte ${keyType}, got ${bytes[2]}`);
  }
  return { algorithm: info.name as A, raw: bytes.subarray(headerLength) };
}

export class HashDigest extends TaggedValue<HashAlgorithm> {
  constructor(algorithm: HashAlgorithm, raw: Uint8Array) {
    checkRawHash(algorithm, raw);
    super(algorithm, tagHeader(algorithm), raw);
  }

  static fromBytes(bytes: Uint8Array): HashDigest {
    const { algorithm, raw } = parseTagged<HashAlgorithm>(bytes, 'hash', 'hash digest');
    return new HashDigest(algorithm, raw);
  }

  static fromBase58(text: string): HashDigest {
    return HashDigest.fromBytes(base58Decode(text, MAX_HASH_BYTES));
  }
}

export class SignatureDigest extends TaggedValue<SignatureAlgorithm> {
  constructor(algorithm: SignatureAlgorithm, raw: Uint8Array) {
    checkRawSignature(algorithm, raw);
    super(algorithm, tagHeader(algorithm), raw);
  }

  static fromBytes(bytes: Uint8Array): SignatureDigest {
    const { algorithm, raw } = parseTagged<SignatureAlgorithm>(bytes, 'signature', 'signature');
    return new SignatureDigest(algorithm, raw);
  }

  static fromBase58(text: string): SignatureDigest {
    return SignatureDigest.fromBytes(base58Decode(text, MAX_SIGNATURE_BYTES));
  }
}

export class PubKey extends TaggedValue<SignatureAlgorithm> {
  #address: Address | undefined;

  constructor(algorithm: SignatureAlgorithm, raw: Uint8Array) {
    checkRawPublicKey(algorithm, raw);
    super(algorithm, tagHeader(algorithm, PUBLIC_KEY_TYPE), raw);
  }

  static fromBytes(bytes: Uint8Array): PubKey {
    const { algorithm, raw } = parseTagged<SignatureAlgorithm>(bytes, 'signature', 'public key', PUBLIC_KEY_TYPE);
    return new PubKey(algorithm, raw);
  }

  static fromBase58(text: string): PubKey {
    return PubKey.fromBytes(base58Decode(text, MAX_PUBLIC_KEY_BYTES));
  }

  /** JD Chain's address of this key (computed once). */
  address(): Address {
    this.#address ??= Address.fromPublicKey(this);
    return this.#address;
  }
}

/**
 * A private key. Its text form is available only through an explicit `toBase58()`: `toString()`
 * and JSON give the algorithm alone, so that a key put in a log line or a response stays secret.
 */
export class PrivKey extends TaggedValue<SignatureAlgorithm> {
  constructor(algorithm: SignatureAlgorithm, raw: Uint8Array) {
    checkRawPrivateKey(algorithm, raw);
    super(algorithm, tagHeader(algorithm, PRIVATE_KEY_TYPE), raw);
  }

  static fromBytes(bytes: Uint8Array): PrivKey {
    const { algorithm, raw } = parseTagged<SignatureAlgorithm>(bytes, 'signature', 'private key', PRIVATE_KEY_TYPE);
    return new PrivKey(algorithm, raw);
  }

  static fromBase58(text: string): PrivKey {
    return PrivKey.fromBytes(base58Decode(text, MAX_PRIVATE_KEY_BYTES));
  }

  override toString(): string {
    return `[PrivKey ${this.algorithm}]`;
  }
}
