import { sameBytes } from './bytes.js';

/**
 * A map keyed by byte strings that end in hash-like bytes (node ids, transaction hashes, slot
 * prefixes ending in a tree key, list keys ending in a position): the last four bytes pick a
 * bucket, full keys are compared only within it. This avoids turning every key into a string, which dominated the cost of the
 * block-sized maps of execution. Iteration follows bucket creation order, which is
 * deterministic for a deterministic sequence of insertions.
 */
export class BytesMap<V> {
  /** Made on the first insertion: most maps of a transaction's layer stay empty. */
  private buckets: Map<number, Array<{ readonly key: Uint8Array; value: V }>> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: Uint8Array): V | undefined {
    if (this.buckets === undefined) return undefined;
    const bucket = this.buckets.get(this.bucketOf(key));
    if (bucket === undefined) return undefined;
    for (const entry of bucket) if (sameBytes(entry.key, key)) return entry.value;
    return undefined;
  }

  set(key: Uint8Array, value: V): void {
    this.buckets ??= new Map();
    const id = this.bucketOf(key);
    const bucket = this.buckets.get(id);
    if (bucket === undefined) {
      this.buckets.set(id, [{ key, value }]);
      this.count++;
      return;
    }
    for (const entry of bucket) {
      if (sameBytes(entry.key, key)) {
        entry.value = value;
        return;
      }
    }
    bucket.push({ key, value });
    this.count++;
  }

  clear(): void {
    this.buckets = undefined;
    this.count = 0;
  }

  /** Visits every entry (a callback rather than an iterator: no object per entry). */
  forEach(visit: (value: V, key: Uint8Array) => void): void {
    if (this.buckets === undefined) return;
    for (const bucket of this.buckets.values()) for (const entry of bucket) visit(entry.value, entry.key);
  }

  values(): V[] {
    const out: V[] = [];
    this.forEach((value) => out.push(value));
    return out;
  }

  private bucketOf(key: Uint8Array): number {
    const end = key.length;
    return ((key[end - 4] ?? 0) << 24) | ((key[end - 3] ?? 0) << 16) | ((key[end - 2] ?? 0) << 8) | (key[end - 1] ?? 0);
  }
}
