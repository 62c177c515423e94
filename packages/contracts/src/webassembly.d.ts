// Node provides WebAssembly, but the ES2022 library the project compiles against does not declare
// it: the part the prepared sandbox uses.
declare namespace WebAssembly {
  interface MemoryDescriptor {
    readonly initial: number;
    readonly maximum?: number;
  }
  interface Memory {
    /** Replaced by a larger buffer each time the memory grows. */
    readonly buffer: ArrayBuffer;
  }
  const Memory: new (descriptor: MemoryDescriptor) => Memory;
}
