import { ContractError, ContractErrorCode } from './errors.js';

/**
 * Zero bytes kept with the static data after its last non-zero byte: a zero-filled tail of the
 * uninitialised data (bss) must be put back too. The pinned build's bss is ≈3 KiB.
 */
const STATIC_TAIL_BYTES = 64 * 1024;
/** The unused stack must be at least this long for the layout to be the one described below. */
const MIN_STACK_GAP_BYTES = 1024 * 1024;

/**
 * The live bytes of an Emscripten WebAssembly instance's memory, to be put back later. The pinned
 * build lays its memory out as static data, then a 5 MiB stack growing down, then the heap
 * (`sbrk` growing up). At rest (no call running) the stack holds nothing live, so the image is two
 * ranges: the static data (with `sbrk`'s pointer and the allocator's state) and the heap up to its
 * last non-zero byte (the allocator's top chunk header lies after every allocated chunk). Memory
 * beyond the heap's end is free for the allocator and, as with any malloc, never read before it is
 * written; the stack is found as the longest run of zero bytes, so a differently laid-out build
 * fails here instead of restoring the wrong bytes.
 */
export class MemoryImage {
  private constructor(
    private readonly staticBytes: Uint8Array,
    private readonly heapStart: number,
    private readonly heapBytes: Uint8Array,
  ) {}

  static capture(memory: WebAssembly.Memory): MemoryImage {
    const words = new Uint32Array(memory.buffer);
    let end = words.length;
    while (end > 0 && words[end - 1] === 0) end -= 1;
    let gapStart = 0;
    let gapEnd = 0;
    for (let index = 0; index < end; ) {
      if (words[index] !== 0) {
        index += 1;
        continue;
      }
      const start = index;
      while (index < end && words[index] === 0) index += 1;
      if (index - start > gapEnd - gapStart) [gapStart, gapEnd] = [start, index];
    }
    if ((gapEnd - gapStart) * 4 < MIN_STACK_GAP_BYTES) {
      throw new ContractError(ContractErrorCode.INVALID_VALUE, `the sandbox's memory has no unused stack of ${MIN_STACK_GAP_BYTES} bytes: not the layout a memory image assumes`);
    }
    const bytes = new Uint8Array(memory.buffer);
    const staticEnd = Math.min(gapStart * 4 + STATIC_TAIL_BYTES, gapEnd * 4);
    return new MemoryImage(bytes.slice(0, staticEnd), gapEnd * 4, bytes.slice(gapEnd * 4, end * 4));
  }

  /**
   * An image of the same instance later on, when the memory beyond this image's heap was zero
   * before it ran (see `clearBeyond`): the same static range, the heap to its new last non-zero byte.
   */
  successor(memory: WebAssembly.Memory): MemoryImage {
    const bytes = new Uint8Array(memory.buffer);
    const end = lastNonZero(bytes, this.heapEnd) + 1;
    return new MemoryImage(bytes.slice(0, this.staticBytes.length), this.heapStart, bytes.slice(this.heapStart, Math.max(end, this.heapStart)));
  }

  /** Zeroes the memory beyond this image's heap (free for the allocator): see `successor`. */
  clearBeyond(memory: WebAssembly.Memory): void {
    new Uint8Array(memory.buffer).fill(0, this.heapEnd);
  }

  /** Where the image's heap ends. */
  get heapEnd(): number {
    return this.heapStart + this.heapBytes.length;
  }

  /** Bytes copied by each restore. */
  get size(): number {
    return this.staticBytes.length + this.heapBytes.length;
  }

  /** Puts the image back; only when nothing runs in the instance. */
  restore(memory: WebAssembly.Memory): void {
    // A new view each time: growing the memory replaces its buffer.
    const bytes = new Uint8Array(memory.buffer);
    bytes.set(this.staticBytes, 0);
    bytes.set(this.heapBytes, this.heapStart);
  }
}

const SCAN_CHUNK_BYTES = 64 * 1024;
const ZERO_CHUNK = new Uint8Array(SCAN_CHUNK_BYTES);

/** The index of the last non-zero byte at or after `from`, or `from - 1`: compared a chunk at a time, from the end. */
function lastNonZero(bytes: Uint8Array, from: number): number {
  for (let chunkEnd = bytes.length; chunkEnd > from; chunkEnd -= SCAN_CHUNK_BYTES) {
    const chunkStart = Math.max(from, chunkEnd - SCAN_CHUNK_BYTES);
    const chunk = bytes.subarray(chunkStart, chunkEnd);
    if (Buffer.compare(chunk, ZERO_CHUNK.subarray(0, chunk.length)) === 0) continue;
    for (let index = chunkEnd - 1; index >= chunkStart; index -= 1) if (bytes[index] !== 0) return index;
  }
  return from - 1;
}
