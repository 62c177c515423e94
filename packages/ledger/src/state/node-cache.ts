export const DEFAULT_NODE_CACHE_SIZE = 100_000;

/**
 * Committed tree nodes recently read. Nodes are content-addressed and never change, so a cached
 * node is always right; the upper levels of busy trees are read by every block. Two generations
 * of up to half the size each: when the newer fills, the older is dropped.
 *
 * Entries are many and small (a 32-byte id, a node of about 100 bytes), so their overhead is what
 * counts: ids and nodes are kept as latin1 strings, not as typed arrays. A heap snapshot of a busy
 * peer found each cached typed array costing ≈300 bytes (object, ArrayBuffer, backing store) over
 * its content, and every ArrayBuffer adds work to each garbage collection; a string is one leaf
 * object. Nothing of the caller's (a view into a whole block's encoding, a store read) is kept.
 */
export class NodeCache {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  constructor(private readonly size: number = DEFAULT_NODE_CACHE_SIZE) {}

  /** A fresh copy of the node, which the caller may keep. */
  get(id: Uint8Array): Uint8Array | undefined {
    const key = latin1(id);
    const hit = this.current.get(key);
    if (hit !== undefined) return bytesOf(hit);
    const old = this.previous.get(key);
    if (old === undefined) return undefined;
    this.put(key, old);
    return bytesOf(old);
  }

  add(id: Uint8Array, bytes: Uint8Array): void {
    this.put(latin1(id), latin1(bytes));
  }

  private put(key: string, bytes: string): void {
    if (this.current.size >= this.size / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, bytes);
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A plain Uint8Array with its own buffer (a Buffer from the shared pool would pin an 8 KiB slab). */
function bytesOf(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  Buffer.from(bytes.buffer).write(text, 'latin1');
  return bytes;
}
