import { BytesMap } from './bytes-map.js';

export const DEFAULT_NODE_CACHE_SIZE = 400_000;

/**
 * Committed tree nodes recently read. Nodes are content-addressed and never change, so a cached
 * node is always right; the upper levels of busy trees are read by every block. Two generations
 * of up to half the size each: when the newer fills, the older is dropped.
 */
export class NodeCache {
  private current = new BytesMap<Uint8Array>();
  private previous = new BytesMap<Uint8Array>();

  constructor(private readonly size: number = DEFAULT_NODE_CACHE_SIZE) {}

  get(id: Uint8Array): Uint8Array | undefined {
    const hit = this.current.get(id);
    if (hit !== undefined) return hit;
    const old = this.previous.get(id);
    if (old !== undefined) this.add(id, old);
    return old;
  }

  add(id: Uint8Array, bytes: Uint8Array): void {
    if (this.current.size >= this.size / 2) {
      this.previous = this.current;
      this.current = new BytesMap();
    }
    this.current.set(id, bytes);
  }
}
