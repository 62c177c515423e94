import type { ScanOptions } from './kv.js';
import { MAX_KEY_BYTES } from './kv.js';
import { compareBytes } from './bytes.js';
import { StorageError } from './errors.js';

/** Scan options checked and copied; `start` is absent when the range starts at the first key. */
export interface ScanRange {
  readonly start: Uint8Array | undefined;
  readonly end: Uint8Array | undefined;
  readonly reverse: boolean;
  readonly limit: number | undefined;
}

/** Checks the options; returns undefined when the range holds nothing at all. */
export function toScanRange(options: ScanOptions | undefined): ScanRange | undefined {
  if (options === undefined) return { start: undefined, end: undefined, reverse: false, limit: undefined };
  if (typeof options !== 'object' || options === null) throw new StorageError('INVALID_ARGUMENT', 'scan options must be an object');
  const start = bound(options.start, 'start');
  const end = bound(options.end, 'end');
  const { reverse = false, limit } = options;
  if (typeof reverse !== 'boolean') throw new StorageError('INVALID_ARGUMENT', 'scan option reverse must be a boolean');
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new StorageError('INVALID_ARGUMENT', 'scan option limit must be a non-negative integer');
  }
  if (limit === 0) return undefined;
  if (end !== undefined && (end.length === 0 || (start !== undefined && compareBytes(start, end) >= 0))) return undefined;
  return { start: start?.length === 0 ? undefined : start, end, reverse, limit };
}

function bound(input: unknown, name: string): Uint8Array | undefined {
  if (input === undefined) return undefined;
  if (!(input instanceof Uint8Array)) throw new StorageError('INVALID_ARGUMENT', `scan option ${name} must be a Uint8Array`);
  if (input.length > MAX_KEY_BYTES) {
    throw new StorageError('KEY_TOO_LARGE', `scan option ${name} is ${input.length} bytes; the limit is ${MAX_KEY_BYTES}`);
  }
  return new Uint8Array(input);
}

/**
 * Runs `check` before the iteration starts and before every further step, so that a scan of a
 * store closed (or a snapshot released) meanwhile fails with CLOSED instead of reading freed state.
 */
export function* checkedIteration<T>(check: () => void, open: () => Iterator<T>): Generator<T> {
  check();
  const iterator = open();
  let finished = false;
  try {
    for (;;) {
      const step = iterator.next();
      if (step.done === true) {
        finished = true;
        return;
      }
      yield step.value;
      check();
    }
  } finally {
    // Hand the underlying cursor back only while the store is still open; after close it is gone.
    if (!finished && isOpen(check)) iterator.return?.();
  }
}

function isOpen(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}
