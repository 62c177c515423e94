/**
 * Every failure of the storage package is a StorageError with a stable code, so that the ledger,
 * the node and the CLI can tell a caller's mistake from a damaged or unavailable store.
 */
export type StorageErrorCode =
  /** A key is not a Uint8Array, or is empty (LMDB cannot store an empty key). */
  | 'INVALID_KEY'
  /** A key is longer than MAX_KEY_BYTES. */
  | 'KEY_TOO_LARGE'
  /** A value is not a Uint8Array. */
  | 'INVALID_VALUE'
  /** Bad scan options, a batch from another store, or a batch used after its commit. */
  | 'INVALID_ARGUMENT'
  /** The store was closed, or the snapshot released. */
  | 'CLOSED'
  /** The files on disk are not a valid store. */
  | 'CORRUPT'
  /** The operating system or the database engine failed (disk full, permissions, lock). */
  | 'IO';

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}
