import { MERKLE_HASH_LENGTH } from '@jadechain/types';
import { ByteArena } from './bytes.js';
import { HashSlotTable } from './hash-slots.js';
import { INTERNAL_RECORD_LENGTH } from './node-locations.js';

export const DEFAULT_NODE_CACHE_SIZE = 100_000;

/**
 * Committed tree nodes recently read. Nodes are content-addressed and never change, so a cached
 * node is always right; the upper levels of busy trees are read by every block. Two generations
 * of at least half the size each: when the newer fills, the older is emptied and becomes the
 * newer; a node found in the older moves to the newer.
 *
 * Entries are many and small (a 32-byte id, a record of at most 89 bytes), so they live in flat
 * hash-slot tables (off the JS heap, nothing per entry for the collector), allocated once. A
 * record that does not fit a slot is simply not cached. Nothing of the caller's (a view into a
 * whole block's encoding, a store read) is kept.
 */
export class NodeCache {
  #current: HashSlotTable;
  #previous: HashSlotTable;
  /** Copies handed out are cut from shared slabs: a block reads thousands. */
  readonly #copies = new ByteArena(64 * 1024);

  constructor(size: number = DEFAULT_NODE_CACHE_SIZE) {
    const generation = Math.max(1, Math.ceil(size / 2));
    this.#current = new HashSlotTable(MERKLE_HASH_LENGTH, INTERNAL_RECORD_LENGTH, generation);
    this.#previous = new HashSlotTable(MERKLE_HASH_LENGTH, INTERNAL_RECORD_LENGTH, generation);
  }

  /** A fresh copy of the node, which the caller may keep. */
  get(id: Uint8Array): Uint8Array | undefined {
    const hit = this.#current.find(id);
    if (hit >= 0) return this.#copyOf(this.#current, hit);
    const old = this.#previous.find(id);
    if (old < 0) return undefined;
    const copy = this.#copyOf(this.#previous, old);
    this.add(id, copy);
    return copy;
  }

  add(id: Uint8Array, bytes: Uint8Array): void {
    if (bytes.length > INTERNAL_RECORD_LENGTH) return;
    if (this.#current.size >= this.#current.capacity && this.#current.find(id) < 0) {
      this.#previous.clear();
      [this.#previous, this.#current] = [this.#current, this.#previous];
    }
    this.#current.set(id, 0, bytes);
  }

  #copyOf(table: HashSlotTable, slot: number): Uint8Array {
    const copy = this.#copies.take(table.valueLength(slot));
    table.copyValue(slot, copy);
    return copy;
  }
}
