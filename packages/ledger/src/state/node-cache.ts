export const DEFAULT_NODE_CACHE_SIZE = 400_000;

/**
 * Committed tree nodes recently read. Nodes are content-addressed and never change, so a cached
 * node is always right; the upper levels of busy trees are read by every block. Two generations
 * of up to half the size each: when the newer fills, the older is dropped.
 *
 * Entries are many and small (a 32-byte id, a node of about 100 bytes), so their overhead is what
 * counts: ids are kept as strings, not as typed arrays (each with its own ArrayBuffer), and a node
 * that is a view into a larger buffer (a whole block's encoding, a store read) is copied, so that
 * the cache never keeps those buffers alive.
 */
export class NodeCache {
  private current = new Map<string, Uint8Array>();
  private previous = new Map<string, Uint8Array>();

  constructor(private readonly size: number = DEFAULT_NODE_CACHE_SIZE) {}

  get(id: Uint8Array): Uint8Array | undefined {
    const key = keyOf(id);
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.put(key, old);
    return old;
  }

  add(id: Uint8Array, bytes: Uint8Array): void {
    this.put(keyOf(id), bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());
  }

  private put(key: string, bytes: Uint8Array): void {
    if (this.current.size >= this.size / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, bytes);
  }
}

function keyOf(id: Uint8Array): string {
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('latin1');
}
