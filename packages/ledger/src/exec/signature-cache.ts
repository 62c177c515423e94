import type { PubKey, SignatureDigest } from '@jadechain/crypto';

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

export const DEFAULT_SIGNATURE_CACHE_CAPACITY = 50_000;

/**
 * Signatures known to be valid, keyed by (signed content hash, public key, signature) — never by
 * transaction hash alone, so a transaction that reuses a known hash with a forged signature is
 * still checked. Only successes are kept. It holds two generations of up to half the capacity
 * each; when the newer one fills, the older one is dropped.
 *
 * Each entry is one string (lengths, then the three byte strings as latin1), not typed arrays:
 * a peer keeps a few hundred thousand entries, and a typed array with its own ArrayBuffer costs
 * several times its 32–100 bytes of content in memory and garbage-collection work.
 */
export class SignatureCache {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(readonly capacity: number = DEFAULT_SIGNATURE_CACHE_CAPACITY) {}

  has(task: SignatureTask): boolean {
    const key = keyOf(task);
    return this.current.has(key) || this.previous.has(key);
  }

  remember(task: SignatureTask): void {
    const key = keyOf(task);
    if (this.current.has(key) || this.previous.has(key)) return;
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Checks through the cache: a hit costs a lookup, a miss a verification (remembered if good). */
  check(task: SignatureTask, verifier: SignatureVerifier): boolean {
    if (this.has(task)) return true;
    if (!verifier.verify(task.publicKey, task.message, task.signature)) return false;
    this.remember(task);
    return true;
  }
}

/** The lengths make the key unambiguous: keys and signatures of some algorithms vary in size. */
function keyOf(task: SignatureTask): string {
  const publicKey = task.publicKey.toLatin1();
  const { message } = task;
  return `${publicKey.length}:${message.length}:${publicKey}${Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('latin1')}${task.signature.toLatin1()}`;
}
