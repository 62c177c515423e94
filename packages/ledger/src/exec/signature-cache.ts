import type { PubKey, SignatureDigest } from '@jadechain/crypto';
import { BytesMap } from '../state/bytes-map.js';

/**
 * Checks one signature. The default calls the crypto suite in the calling thread; a peer can
 * verify in worker threads instead and record the good ones with `SignatureCache.remember`, so
 * that the checks made while building and executing blocks are cache hits.
 */
export interface SignatureVerifier {
  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean;
}

/** One signature a transaction needs checked: `message` is the tagged transaction hash. */
export interface SignatureTask {
  readonly message: Uint8Array;
  readonly publicKey: PubKey;
  readonly signature: SignatureDigest;
}

export const DEFAULT_SIGNATURE_CACHE_CAPACITY = 200_000;

interface Known {
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Signatures known to be valid, keyed by (signed content hash, public key, signature) — never by
 * transaction hash alone, so a transaction that reuses a known hash with a forged signature is
 * still checked. Only successes are kept. It holds two generations of up to half the capacity
 * each; when the newer one fills, the older one is dropped.
 */
export class SignatureCache {
  private current = new BytesMap<Known[]>();
  private previous = new BytesMap<Known[]>();
  private currentCount = 0;

  constructor(readonly capacity: number = DEFAULT_SIGNATURE_CACHE_CAPACITY) {}

  has(task: SignatureTask): boolean {
    const signature = task.signature.toBytes();
    const publicKey = task.publicKey.toBytes();
    return holds(this.current, signature, task.message, publicKey) || holds(this.previous, signature, task.message, publicKey);
  }

  remember(task: SignatureTask): void {
    if (this.has(task)) return;
    if (this.currentCount >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new BytesMap();
      this.currentCount = 0;
    }
    const signature = task.signature.toBytes();
    const known = { message: task.message.slice(), publicKey: task.publicKey.toBytes() };
    const list = this.current.get(signature);
    if (list === undefined) this.current.set(signature, [known]);
    else list.push(known);
    this.currentCount++;
  }

  get size(): number {
    return this.currentCount + this.previous.size;
  }

  /** Checks through the cache: a hit costs a lookup, a miss a verification (remembered if good). */
  check(task: SignatureTask, verifier: SignatureVerifier): boolean {
    if (this.has(task)) return true;
    if (!verifier.verify(task.publicKey, task.message, task.signature)) return false;
    this.remember(task);
    return true;
  }
}

function holds(map: BytesMap<Known[]>, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const list = map.get(signature);
  return list !== undefined && list.some((known) => Buffer.compare(known.message, message) === 0 && Buffer.compare(known.publicKey, publicKey) === 0);
}
