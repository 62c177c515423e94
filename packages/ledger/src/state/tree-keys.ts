import type { MerkleHashFunction } from '@jadechain/types';
import { bytesKey } from './bytes.js';

const TREE_KEY_CACHE_LIMIT = 200_000;

/**
 * Tree keys are hashes of logical keys (addresses, KV keys, topics). The same few are hashed
 * over and over (an account in every transaction that writes it), so they are remembered.
 * Returned arrays are shared: callers must not modify them.
 */
export class TreeKeys {
  private readonly known = new Map<string, Uint8Array>();

  constructor(readonly hash: MerkleHashFunction) {}

  /** `remember` false for keys unlikely to come again (KV keys, topics): it saves the bookkeeping. */
  of(logicalKey: Uint8Array, remember = true): Uint8Array {
    if (!remember) return this.hash(logicalKey);
    const id = bytesKey(logicalKey);
    let key = this.known.get(id);
    if (key === undefined) {
      key = this.hash(logicalKey);
      if (this.known.size >= TREE_KEY_CACHE_LIMIT) this.known.clear();
      this.known.set(id, key);
    }
    return key;
  }
}
