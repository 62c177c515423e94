import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

const PAGE_BYTES = 64 * 1024;
/** What the pinned variant's module imports: 256 pages (16 MiB) at least, 32,768 (2 GiB) at most. */
const MIN_PAGES = 256;
const MAX_PAGES = 32_768;
/**
 * Room beside a sandbox's own allocations: static data, the 5 MiB stack, the runtime, context and
 * prelude (≈0.3 MB), a loaded contract, and the allocator's slack.
 */
const RESERVED_BYTES = 8 * 1024 * 1024;

/**
 * The pinned QuickJS build does not enforce `setMemoryLimit` (measured: a runtime limited to 2 MiB
 * held 105 MB of arrays, and a contract could grow its WebAssembly memory to the 2 GiB maximum for
 * ≈2,000 gas, which a process never gets back). The limit is therefore enforced one level down:
 * the instance's memory may grow only to `RESERVED_BYTES + memoryBytes` (at least the 16 MiB the
 * module starts with); past that the allocator fails and QuickJS throws its out-of-memory
 * InternalError, which a call reports as MEMORY_LIMIT. Where the allocator fails depends on the
 * heap's state when the call starts, which a prepared sandbox makes the same for every call.
 */
export function sandboxMemory(memoryBytes: number): WebAssembly.Memory {
  const maximum = Math.min(MAX_PAGES, Math.max(MIN_PAGES, Math.ceil((RESERVED_BYTES + memoryBytes) / PAGE_BYTES)));
  return new WebAssembly.Memory({ initial: MIN_PAGES, maximum });
}

/** A QuickJS module (its own WebAssembly instance) in the given memory. */
export function quickJsModuleIn(memory: WebAssembly.Memory): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
}
