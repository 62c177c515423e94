/** Filled up to three quarters: linear probing stays short (≈2.5 probes for a miss at worst). */
const MAX_LOAD = 0.75;

/**
 * An open-addressing table from fixed-length keys that are hash outputs (tree node ids) to short
 * byte values, in three flat arrays: no string, object or typed array per entry. The tree's node
 * cache and the location book of a block's tree walk held their entries in Maps keyed by latin1
 * strings: a string made per lookup, and long-lived strings for the collector to trace on every
 * major GC (together ≈10 % of a busy peer's main thread).
 *
 * Keys are uniformly distributed (hashes), so four of their bytes pick the first slot. Someone
 * who grinds node ids to share those bytes can lengthen probes, not change an answer.
 */
export class HashSlotTable {
  #keys: Uint8Array;
  #values: Uint8Array;
  /** Per slot: the value's length + 1; 0 marks a free slot. */
  #lengths: Uint8Array;
  #mask: number;
  #count = 0;

  constructor(
    readonly keyLength: number,
    readonly valueCapacity: number,
    /** Entries it holds before it first grows. */
    minimumEntries: number,
  ) {
    if (keyLength < 4) throw new RangeError('HashSlotTable keys are hashes of at least 4 bytes');
    if (valueCapacity > 254) throw new RangeError('HashSlotTable values are at most 254 bytes');
    const slots = slotsFor(minimumEntries);
    this.#keys = new Uint8Array(slots * keyLength);
    this.#values = new Uint8Array(slots * valueCapacity);
    this.#lengths = new Uint8Array(slots);
    this.#mask = slots - 1;
  }

  get size(): number {
    return this.#count;
  }

  /** Slots allocated (the memory it holds is proportional). */
  get slots(): number {
    return this.#lengths.length;
  }

  /** Entries it holds without growing. */
  get capacity(): number {
    return Math.floor(this.#lengths.length * MAX_LOAD);
  }

  /** The slot of the key at bytes[at, at + keyLength), or -1. */
  find(bytes: Uint8Array, at = 0): number {
    const slot = this.#probe(bytes, at);
    return this.#lengths[slot] === 0 ? -1 : slot;
  }

  /** Sets the key at bytes[at, at + keyLength) to value[valueAt, valueAt + valueLength), replacing any value it had. */
  set(bytes: Uint8Array, at: number, value: Uint8Array, valueAt = 0, valueLength = value.length - valueAt): void {
    if (valueLength > this.valueCapacity) throw new RangeError(`a value of ${valueLength} bytes does not fit a slot of ${this.valueCapacity}`);
    let slot = this.#probe(bytes, at);
    if (this.#lengths[slot] === 0) {
      if (this.#count + 1 > this.capacity) {
        this.#grow();
        slot = this.#probe(bytes, at);
      }
      copyBytes(bytes, at, this.#keys, slot * this.keyLength, this.keyLength);
      this.#count++;
    }
    copyBytes(value, valueAt, this.#values, slot * this.valueCapacity, valueLength);
    this.#lengths[slot] = valueLength + 1;
  }

  valueLength(slot: number): number {
    return (this.#lengths[slot] ?? 1) - 1;
  }

  /**
   * The slot's value as a view into the table: valid until the key's value is replaced or the
   * table cleared (growing leaves earlier views intact: they keep the old arrays).
   */
  valueView(slot: number): Uint8Array {
    const start = slot * this.valueCapacity;
    return this.#values.subarray(start, start + this.valueLength(slot));
  }

  /** Copies the slot's value into target at offset. */
  copyValue(slot: number, target: Uint8Array, offset = 0): void {
    copyBytes(this.#values, slot * this.valueCapacity, target, offset, this.valueLength(slot));
  }

  clear(): void {
    this.#lengths.fill(0);
    this.#count = 0;
  }

  #firstSlot(bytes: Uint8Array, at: number): number {
    const end = at + this.keyLength;
    return (((bytes[end - 4] ?? 0) << 24) | ((bytes[end - 3] ?? 0) << 16) | ((bytes[end - 2] ?? 0) << 8) | (bytes[end - 1] ?? 0)) & this.#mask;
  }

  /** The key's slot, or the free slot that ends its probe sequence (the table is never full). */
  #probe(bytes: Uint8Array, at: number): number {
    const keyLength = this.keyLength;
    const keys = this.#keys;
    const lengths = this.#lengths;
    for (let slot = this.#firstSlot(bytes, at); ; slot = (slot + 1) & this.#mask) {
      if (lengths[slot] === 0) return slot;
      // From the end: hashes differ at once; a hit compares all of it.
      const base = slot * keyLength;
      let i = keyLength - 1;
      while (i >= 0 && keys[base + i] === bytes[at + i]) i--;
      if (i < 0) return slot;
    }
  }

  #grow(): void {
    const [keys, values, lengths] = [this.#keys, this.#values, this.#lengths];
    const slots = lengths.length * 2;
    this.#keys = new Uint8Array(slots * this.keyLength);
    this.#values = new Uint8Array(slots * this.valueCapacity);
    this.#lengths = new Uint8Array(slots);
    this.#mask = slots - 1;
    for (let old = 0; old < lengths.length; old++) {
      const length = lengths[old] ?? 0;
      if (length === 0) continue;
      const slot = this.#probe(keys, old * this.keyLength);
      copyBytes(keys, old * this.keyLength, this.#keys, slot * this.keyLength, this.keyLength);
      copyBytes(values, old * this.valueCapacity, this.#values, slot * this.valueCapacity, length - 1);
      this.#lengths[slot] = length;
    }
  }
}

/** The smallest power of two of slots that holds `entries` at the maximum load. */
function slotsFor(entries: number): number {
  let slots = 16;
  while (Math.floor(slots * MAX_LOAD) < entries) slots *= 2;
  return slots;
}

/** A plain loop: for the few bytes of a key or a record it beats making a view to `set` from. */
function copyBytes(source: Uint8Array, from: number, target: Uint8Array, to: number, length: number): void {
  for (let i = 0; i < length; i++) target[to + i] = source[from + i] as number;
}
