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
