export * from './kv.js';
export { StorageError } from './errors.js';
export type { StorageErrorCode } from './errors.js';
export { MemoryStore } from './memory.js';
export { LmdbStore } from './lmdb.js';
export type { LmdbStoreOptions } from './lmdb.js';
