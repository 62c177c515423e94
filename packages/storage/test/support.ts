import { mkdtempSync, rmSync } from 'node:fs';
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KVEntry, KVStore } from '../src/index.js';
import { LmdbStore, MemoryStore, StorageError } from '../src/index.js';

/** Fixed fast-check seed for CI; override with JADECHAIN_SEED. */
export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x5707a6e);

/** Runs an async property with the fixed seed and says how to replay it if it fails. */
export async function checkProperty<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { seed: SEED, numRuns });
  } catch (error) {
    console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
    throw error;
  }
}

/** A fresh, empty store of one kind, and what it takes to reopen and remove it. */
export interface StoreKind {
  readonly name: string;
  readonly persistent: boolean;
  create(): TestStore;
}

export interface TestStore {
  readonly store: KVStore;
  /** Closes the store and opens its data again (persistent kinds only). */
  reopen(): Promise<KVStore>;
  /** Closes whatever is open and deletes the files. */
  dispose(): Promise<void>;
}

export function temporaryDirectory(label: string): string {
  return mkdtempSync(join(tmpdir(), `jadechain-storage-${label}-`));
}

export const STORE_KINDS: readonly StoreKind[] = [
  {
    name: 'MemoryStore',
    persistent: false,
    create() {
      const store = new MemoryStore();
      return {
        store,
        reopen: () => Promise.reject(new Error('a memory store keeps nothing across close')),
        dispose: () => store.close(),
      };
    },
  },
  {
    name: 'LmdbStore',
    persistent: true,
    create() {
      const directory = temporaryDirectory('lmdb');
      let current: KVStore = LmdbStore.open(directory);
      return {
        store: current,
        async reopen() {
          await current.close();
          current = LmdbStore.open(directory);
          return current;
        },
        async dispose() {
          await current.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  },
];

export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

export function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

export function hex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/** Entries as [hex key, hex value] pairs: readable in assertion failures. */
export function hexEntries(entries: Iterable<KVEntry>): [string, string][] {
  return [...entries].map(({ key, value }) => [hex(key), hex(value)]);
}

export function hexKeys(entries: Iterable<KVEntry>): string[] {
  return [...entries].map(({ key }) => hex(key));
}

/** Commits puts (value given) and deletes (value undefined) as one batch. */
export async function write(store: KVStore, writes: readonly (readonly [Uint8Array, Uint8Array | undefined])[]): Promise<void> {
  const batch = store.newBatch();
  for (const [key, value] of writes) {
    if (value === undefined) batch.delete(key);
    else batch.put(key, value);
  }
  await store.commit(batch);
}

/** Matches a StorageError with the given code, for assert.throws and assert.rejects. */
export function storageError(code: StorageError['code']): (error: unknown) => boolean {
  return (error: unknown) => error instanceof StorageError && error.code === code;
}
