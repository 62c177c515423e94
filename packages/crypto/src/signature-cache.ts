import type { PubKey, SignatureDigest } from './encoding.js';
import { latin1Of } from './latin1.js';

/** One signature to check: `message` is the bytes that were signed. */
export interface SignatureTask {
  readonly message: Uint8Array;
  readonly publicKey: PubKey;
  readonly signature: SignatureDigest;
}

/** Checks one signature (a crypto suite, or a verifier that counts or defers). */
export interface SignatureVerifier {
  verify(publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean;
}

export const DEFAULT_SIGNATURE_CACHE_CAPACITY = 50_000;

/**
 * Signatures known to be valid, each with the (public key, message) it is valid for: a known
 * signature presented under another key or over another message is no hit, and neither is a
 * forged signature over a known message. Only successes are kept. It holds two generations of up
 * to half the capacity each; when the newer one fills, the older one is dropped. The ledger keeps
 * one per ledger (transaction signatures, checked at admission and again while a block is built
 * and executed), the consensus core one per validator (votes, checked when tallied, as time
 * evidence and in catch-up).
 *
 * Entries are found by the signature's latin1 string, which its value object memoizes: the same
 * decoded object is looked up again and again, and a string V8 has hashed once is not hashed
 * again (a key assembled per lookup was, and piled up as chains of concatenations). The entry is
 * one string, the key's then the message's latin1, not typed arrays: a typed array with its own
 * ArrayBuffer costs several times its content in memory and garbage-collection work.
 */
export class SignatureCache {
  #current = new Map<string, string>();
  #previous = new Map<string, string>();

  constructor(readonly capacity: number = DEFAULT_SIGNATURE_CACHE_CAPACITY) {}

  has(task: SignatureTask): boolean {
    const signature = task.signature.toLatin1();
    const signed = this.#current.get(signature) ?? this.#previous.get(signature);
    return signed !== undefined && isFor(signed, task);
  }

  remember(task: SignatureTask): void {
    if (this.has(task)) return;
    if (this.#current.size >= this.capacity / 2) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(task.signature.toLatin1(), task.publicKey.toLatin1() + latin1Of(task.message));
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** Checks through the cache: a hit costs a lookup, a miss a verification (remembered if good). */
  check(task: SignatureTask, verifier: SignatureVerifier): boolean {
    if (this.has(task)) return true;
    if (!verifier.verify(task.publicKey, task.message, task.signature)) return false;
    this.remember(task);
    return true;
  }
}

/**
 * Whether `signed` (public key ‖ message, latin1) names the task's key and message. A tagged key
 * starts with its algorithm, which fixes its length, so no other (key, message) pair spells the same.
 */
function isFor(signed: string, task: SignatureTask): boolean {
  const publicKey = task.publicKey.toLatin1();
  const { message } = task;
  if (signed.length !== publicKey.length + message.length || !signed.startsWith(publicKey)) return false;
  for (let i = 0; i < message.length; i++) if (signed.charCodeAt(publicKey.length + i) !== message[i]) return false;
  return true;
}
