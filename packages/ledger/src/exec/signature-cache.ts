import type { PubKey, SignatureDigest } from '@jadechain/crypto';
import { bytesKey } from '../state/bytes.js';

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
 * Signatures known to be valid, with the (public key, signed content hash) each is valid for —
 * never by transaction hash alone, so a transaction that reuses a known hash with a forged
 * signature is still checked, and a known signature presented under another key or over other
 * content is no hit. Only successes are kept. It holds two generations of up to half the capacity
 * each; when the newer one fills, the older one is dropped.
 *
 * Entries are found by the signature's latin1 string, which its value object memoizes: the same
 * decoded transaction is looked up several times on its way from admission to execution, and a
 * string V8 has hashed once is not hashed again (a key assembled per lookup was). The entry is one
 * string, the key's then the message's latin1, not typed arrays: a peer keeps tens of thousands
 * of entries, and a typed array with its own ArrayBuffer costs several times its content in
 * memory and garbage-collection work.
 */
export class SignatureCache {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  constructor(readonly capacity: number = DEFAULT_SIGNATURE_CACHE_CAPACITY) {}

  has(task: SignatureTask): boolean {
    const signature = task.signature.toLatin1();
    const signed = this.current.get(signature) ?? this.previous.get(signature);
    return signed !== undefined && isFor(signed, task);
  }

  remember(task: SignatureTask): void {
    if (this.has(task)) return;
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(task.signature.toLatin1(), task.publicKey.toLatin1() + bytesKey(task.message));
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

/** Whether `signed` (public key ‖ message, latin1) names the task's key and message; tagged keys carry their algorithm, so their lengths are fixed by it. */
function isFor(signed: string, task: SignatureTask): boolean {
  const publicKey = task.publicKey.toLatin1();
  const { message } = task;
  if (signed.length !== publicKey.length + message.length || !signed.startsWith(publicKey)) return false;
  for (let i = 0; i < message.length; i++) if (signed.charCodeAt(publicKey.length + i) !== message[i]) return false;
  return true;
}
