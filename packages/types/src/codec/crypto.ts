import { Address, CryptoError, HashDigest, PubKey, SignatureDigest, algorithmByCode, algorithmByName, latin1Of } from '@jadechain/crypto';
import type { HashAlgorithm, SignatureAlgorithm } from '@jadechain/crypto';
import { Codec } from './codec.js';
import type { CryptoValueType, Descriptor, JsonValue } from './codec.js';
import { CodecError } from './errors.js';
import { expectString } from './json.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

interface TaggedValue {
  bytesView(): Uint8Array;
  toBase58(): string;
}

/** The static side of a crypto class: its strict decoders, which throw CryptoError. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- needed for `instanceof`
interface TaggedClass<T extends TaggedValue> extends Function {
  readonly prototype: T;
  fromBytes(bytes: Uint8Array): T;
  fromBase58(text: string): T;
}

function refused(error: unknown, type: CryptoValueType): never {
  if (error instanceof CryptoError) throw new CodecError('INVALID_CRYPTO_VALUE', `${type}: ${error.code}: ${error.message}`);
  throw error;
}

/**
 * A hash, public key, signature or address: varint length, then the value's tagged bytes as the
 * crypto package defines them (algorithm code first), decoded strictly by that package's class.
 * JSON: the base58 text of the tagged bytes.
 */
class TaggedCodec<T extends TaggedValue> extends Codec<T> {
  readonly descriptor: Descriptor;
  private readonly type: CryptoValueType;
  private readonly taggedClass: TaggedClass<T>;
  private readonly maxBytes: number;
  /** Recently decoded values by their bytes (latin1 string), when decoding them is costly. */
  private readonly recent: Map<string, T> | undefined;
  private readonly recentLimit: number;

  constructor(type: CryptoValueType, taggedClass: TaggedClass<T>, maxBytes: number, recentLimit = 0) {
    super();
    this.type = type;
    this.taggedClass = taggedClass;
    this.maxBytes = maxBytes;
    this.recentLimit = recentLimit;
    this.recent = recentLimit > 0 ? new Map() : undefined;
    this.descriptor = { kind: 'crypto', type };
  }

  private fromBytes(bytes: Uint8Array): T {
    try {
      return this.taggedClass.fromBytes(bytes);
    } catch (error) {
      return refused(error, this.type);
    }
  }

  private check(value: unknown): T {
    if (!(value instanceof this.taggedClass)) {
      throw new CodecError('INVALID_VALUE', `expected a ${this.taggedClass.name} (${this.type})`);
    }
    return value;
  }

  write(writer: Writer, value: T): void {
    const bytes = this.check(value).bytesView();
    writer.varint(bytes.length);
    writer.bytes(bytes);
  }

  read(reader: Reader): T {
    const length = reader.varint();
    if (length > this.maxBytes) {
      throw new CodecError('LENGTH_OUT_OF_RANGE', `${this.type} of ${length} bytes exceeds ${this.maxBytes}`);
    }
    const bytes = reader.bytesView(length);
    if (this.recent === undefined) return this.fromBytes(bytes);
    const key = latin1Of(bytes);
    let value = this.recent.get(key);
    if (value === undefined) {
      value = this.fromBytes(bytes);
      // Values are immutable, so one instance may serve every decode of the same bytes.
      if (this.recent.size >= this.recentLimit) this.recent.clear();
      this.recent.set(key, value);
    }
    return value;
  }

  toJson(value: T): JsonValue {
    return this.check(value).toBase58();
  }

  fromJson(json: unknown): T {
    const text = expectString(json, `a base58 ${this.type}`);
    try {
      return this.taggedClass.fromBase58(text);
    } catch (error) {
      return refused(error, this.type);
    }
  }
}

/** Bounds on tagged lengths, above the longest real ones (RSA-4096 keys and signatures). */
const MAX_TAGGED_HASH_BYTES = 64;
const MAX_TAGGED_KEY_OR_SIGNATURE_BYTES = 1024;
const MAX_TAGGED_ADDRESS_BYTES = 64;
/**
 * Decoding an address verifies its checksum (two SHA-256 in JavaScript, ≈2.5 µs), several times
 * per transaction for the same few accounts; recently decoded addresses are reused instead.
 */
const RECENT_ADDRESSES = 4096;

export const hashDigest: Codec<HashDigest> = new TaggedCodec('hash', HashDigest, MAX_TAGGED_HASH_BYTES);
export const pubKey: Codec<PubKey> = new TaggedCodec('pubkey', PubKey, MAX_TAGGED_KEY_OR_SIGNATURE_BYTES);
export const signatureDigest: Codec<SignatureDigest> = new TaggedCodec(
  'signature',
  SignatureDigest,
  MAX_TAGGED_KEY_OR_SIGNATURE_BYTES,
);
export const address: Codec<Address> = new TaggedCodec('address', Address, MAX_TAGGED_ADDRESS_BYTES, RECENT_ADDRESSES);

/**
 * An algorithm of the crypto registry: its 16-bit code, big-endian. JSON: its name. Codes of
 * another kind (a signature algorithm where a hash algorithm belongs) are refused.
 */
class AlgorithmCodec<A extends HashAlgorithm | SignatureAlgorithm> extends Codec<A> {
  readonly descriptor: Descriptor;
  private readonly kind: 'hash' | 'signature';

  constructor(kind: 'hash' | 'signature') {
    super();
    this.kind = kind;
    this.descriptor = { kind: 'algorithm', algorithmKind: kind };
  }

  private infoOf(lookup: () => { name: string; kind: string; code: number }): { name: A; code: number } {
    let info: { name: string; kind: string; code: number };
    try {
      info = lookup();
    } catch (error) {
      if (error instanceof CryptoError) throw new CodecError('UNKNOWN_ENUM', error.message);
      throw error;
    }
    if (info.kind !== this.kind) throw new CodecError('UNKNOWN_ENUM', `${info.name} is not a ${this.kind} algorithm`);
    return { name: info.name as A, code: info.code };
  }

  private byName(value: unknown): { name: A; code: number } {
    if (typeof value !== 'string') throw new CodecError('UNKNOWN_ENUM', `expected a ${this.kind} algorithm name`);
    const info = this.infoOf(() => algorithmByName(value));
    // The registry looks names up case-insensitively; the value itself must be canonical.
    if (info.name !== value) throw new CodecError('UNKNOWN_ENUM', `"${value}" is not spelled ${info.name}`);
    return info;
  }

  write(writer: Writer, value: A): void {
    writer.u16(this.byName(value).code);
  }

  read(reader: Reader): A {
    const code = reader.u16();
    return this.infoOf(() => algorithmByCode(code)).name;
  }

  toJson(value: A): JsonValue {
    return this.byName(value).name;
  }

  fromJson(json: unknown): A {
    return this.byName(expectString(json, `a ${this.kind} algorithm name`)).name;
  }
}

export const hashAlgorithm: Codec<HashAlgorithm> = new AlgorithmCodec<HashAlgorithm>('hash');
export const signatureAlgorithm: Codec<SignatureAlgorithm> = new AlgorithmCodec<SignatureAlgorithm>('signature');
