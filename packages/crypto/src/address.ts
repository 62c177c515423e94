import { equalBytes } from '@noble/ciphers/utils.js';
import { algorithmByCode, algorithmByName, type SignatureAlgorithm } from './algorithms.js';
import { base58Decode, base58Encode } from './base58.js';
import type { PubKey } from './encoding.js';
import { CryptoError } from './errors.js';
import { pureHash } from './pure/hashes.js';

/**
 * JD Chain's account address (FW: crypto-framework DefaultAddressGenerator, AddressVersion.V1):
 *   payload  = 0x91 ‖ algorithm code (2 bytes, big-endian) ‖ RIPEMD160(SHA256(raw public key))
 *   checksum = SHA256(SHA256(payload))[0..4)
 *   address  = payload ‖ checksum (27 bytes); text = base58, which starts "Lde" for V1.
 * Hashing uses the JavaScript implementations so that the address is the same in every backend
 * and needs none.
 */
export const ADDRESS_VERSION = 0x91;
export const ADDRESS_LENGTH = 27;
const PAYLOAD_LENGTH = 23;

const sha256 = pureHash('SHA256');
const ripemd160 = pureHash('RIPEMD160');

function checksumOf(payload: Uint8Array): Uint8Array {
  return sha256.digest(sha256.digest(payload)).subarray(0, 4);
}

export class Address {
  /** The algorithm of the public key the address was derived from. */
  readonly algorithm: SignatureAlgorithm;
  readonly #bytes: Uint8Array;
  #text: string | undefined;

  private constructor(algorithm: SignatureAlgorithm, bytes: Uint8Array) {
    this.algorithm = algorithm;
    this.#bytes = bytes;
  }

  static fromPublicKey(publicKey: PubKey): Address {
    const { code } = algorithmByName(publicKey.algorithm);
    const bytes = new Uint8Array(ADDRESS_LENGTH);
    bytes[0] = ADDRESS_VERSION;
    bytes[1] = code >>> 8;
    bytes[2] = code & 0xff;
    bytes.set(ripemd160.digest(sha256.digest(publicKey.raw)), 3);
    bytes.set(checksumOf(bytes.subarray(0, PAYLOAD_LENGTH)), PAYLOAD_LENGTH);
    return new Address(publicKey.algorithm, bytes);
  }

  /** Checks length, version byte, algorithm code (a signature algorithm) and checksum. */
  static fromBytes(bytes: Uint8Array): Address {
    if (!(bytes instanceof Uint8Array)) throw new CryptoError('INVALID_ENCODING', 'address must be bytes');
    if (bytes.length !== ADDRESS_LENGTH) {
      throw new CryptoError('INVALID_LENGTH', `address must be ${ADDRESS_LENGTH} bytes, got ${bytes.length}`);
    }
    if (bytes[0] !== ADDRESS_VERSION) {
      throw new CryptoError('INVALID_ENCODING', `unknown address version 0x${bytes[0]!.toString(16).padStart(2, '0')}`);
    }
    const info = algorithmByCode((bytes[1]! << 8) | bytes[2]!);
    if (info.kind !== 'signature') {
      throw new CryptoError('WRONG_ALGORITHM', `address carries ${info.name}, not a signature algorithm`);
    }
    if (!equalBytes(checksumOf(bytes.subarray(0, PAYLOAD_LENGTH)), bytes.subarray(PAYLOAD_LENGTH))) {
      throw new CryptoError('INVALID_CHECKSUM', 'address checksum does not match');
    }
    return new Address(info.name as SignatureAlgorithm, bytes.slice());
  }

  static fromBase58(text: string): Address {
    return Address.fromBytes(base58Decode(text, ADDRESS_LENGTH));
  }

  /** RIPEMD160(SHA256(raw public key)), the 20 bytes that identify the key. */
  get publicKeyHash(): Uint8Array {
    return this.#bytes.slice(3, PAYLOAD_LENGTH);
  }

  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /** The bytes themselves, not a copy, for a caller that only reads them at once: never modify them. */
  bytesView(): Uint8Array {
    return this.#bytes;
  }

  /** Encoded once per instance: addresses are immutable, and hot paths key maps by this text. */
  toBase58(): string {
    this.#text ??= base58Encode(this.#bytes);
    return this.#text;
  }

  toString(): string {
    return this.toBase58();
  }

  toJSON(): string {
    return this.toBase58();
  }

  equals(other: Address): boolean {
    return equalBytes(this.#bytes, other.#bytes);
  }
}
