import type { HashDigest } from '@jadechain/crypto';
import { hashKey } from '../bft/crypto.js';
import type { BftMempool } from '../bft/driver.js';

/** Transaction hashes in arrival order (a node's mempool is lost when it crashes). */
export class SimMempool implements BftMempool {
  private readonly pending = new Map<string, HashDigest>();

  /** False when the transaction was already there. */
  add(transaction: HashDigest): boolean {
    const key = hashKey(transaction);
    if (this.pending.has(key)) return false;
    this.pending.set(key, transaction);
    return true;
  }

  size(): number {
    return this.pending.size;
  }

  select(max: number, excluded: (hash: HashDigest) => boolean): HashDigest[] {
    const out: HashDigest[] = [];
    for (const transaction of this.pending.values()) {
      if (out.length >= max) break;
      if (!excluded(transaction)) out.push(transaction);
    }
    return out;
  }

  remove(hashes: readonly HashDigest[]): void {
    for (const hash of hashes) this.pending.delete(hashKey(hash));
  }
}
