import { ByteArena, bytesKey, latin1Write } from './bytes.js';

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
  /** Copies handed out are cut from shared slabs: a block reads thousands. */
  private readonly copies = new ByteArena(64 * 1024);

  constructor(private readonly size: number = DEFAULT_NODE_CACHE_SIZE) {}

  /** A fresh copy of the node, which the caller may keep. */
  get(id: Uint8Array): Uint8Array | undefined {
    const key = bytesKey(id);
    const hit = this.current.get(key);
    if (hit !== undefined) return this.copyOf(hit);
    const old = this.previous.get(key);
    if (old === undefined) return undefined;
    this.put(key, old);
    return this.copyOf(old);
  }

  add(id: Uint8Array, bytes: Uint8Array): void {
    this.put(bytesKey(id), bytesKey(bytes));
  }

  private put(key: string, bytes: string): void {
    if (this.current.size >= this.size / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, bytes);
  }

  private copyOf(text: string): Uint8Array {
    const bytes = this.copies.take(text.length);
    latin1Write(bytes, text);
    return bytes;
  }
}
