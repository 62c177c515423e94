import type { KVEntry } from './kv.js';
import type { BatchOperation } from './batch.js';
import type { ScanRange } from './scan-range.js';
import { compareBytes } from './bytes.js';

/**
 * An immutable ordered map kept as a list of sorted, non-overlapping, non-empty chunks. Applying
 * a batch copies only the chunks it touches plus the list itself, so a snapshot is just a
 * reference to a list and stays valid while later batches build new lists beside it.
 */
export type Chunks = readonly (readonly KVEntry[])[];

/** Chunks grow to at most this many entries before they split. */
const MAX_CHUNK = 256;

interface Position {
  readonly chunk: number;
  readonly index: number;
}

export function lookup(chunks: Chunks, key: Uint8Array): Uint8Array | undefined {
  const { chunk, index } = lowerBound(chunks, key);
  const entry = chunks[chunk]?.[index];
  return entry !== undefined && compareBytes(entry.key, key) === 0 ? entry.value : undefined;
}

/** The map with `operations` (sorted by key, one per key) applied. */
export function applyOperations(chunks: Chunks, operations: readonly BatchOperation[]): Chunks {
  const result: (readonly KVEntry[])[] = [];
  let next = 0;
  const lastChunk = Math.max(chunks.length - 1, 0);
  for (let c = 0; c <= lastChunk; c++) {
    const chunk = chunks[c] ?? [];
    const following = chunks[c + 1]?.[0]?.key;
    let stop = next;
    while (stop < operations.length && (following === undefined || compareBytes(operationAt(operations, stop).key, following) < 0)) stop++;
    if (stop === next) {
      if (chunk.length > 0) result.push(chunk);
      continue;
    }
    appendChunks(result, merge(chunk, operations, next, stop));
    next = stop;
  }
  return result;
}

/** Entries of `range` in order, as fresh copies. */
export function* entriesInRange(chunks: Chunks, range: ScanRange): Generator<KVEntry> {
  const { start, end, reverse, limit = Infinity } = range;
  const direction = reverse ? -1 : 1;
  // Forward: from the first key >= start until end. Reverse: from the last key < end down to start.
  const beyond = reverse
    ? (key: Uint8Array) => start !== undefined && compareBytes(key, start) < 0
    : (key: Uint8Array) => end !== undefined && compareBytes(key, end) >= 0;
  let position = reverse
    ? step(chunks, end === undefined ? { chunk: chunks.length, index: 0 } : lowerBound(chunks, end), -1)
    : start === undefined
      ? { chunk: 0, index: 0 }
      : lowerBound(chunks, start);
  for (let emitted = 0; emitted < limit; emitted++) {
    const entry = chunks[position.chunk]?.[position.index];
    if (entry === undefined || beyond(entry.key)) return;
    yield { key: entry.key.slice(), value: entry.value.slice() };
    position = step(chunks, position, direction);
  }
}

/** The position of the first entry whose key is at least `key` (possibly one past the end). */
function lowerBound(chunks: Chunks, key: Uint8Array): Position {
  // The last chunk whose first key is <= key holds the answer, or it is the next chunk's start.
  let low = 0;
  let high = chunks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareBytes(firstKey(chunks, middle), key) <= 0) low = middle + 1;
    else high = middle;
  }
  const chunk = Math.max(low - 1, 0);
  const entries = chunks[chunk] ?? [];
  let lowIndex = 0;
  let highIndex = entries.length;
  while (lowIndex < highIndex) {
    const middle = (lowIndex + highIndex) >>> 1;
    if (compareBytes((entries[middle] as KVEntry).key, key) < 0) lowIndex = middle + 1;
    else highIndex = middle;
  }
  return lowIndex === entries.length && chunk + 1 < chunks.length ? { chunk: chunk + 1, index: 0 } : { chunk, index: lowIndex };
}

function step(chunks: Chunks, { chunk, index }: Position, direction: 1 | -1): Position {
  if (direction === 1) {
    const length = chunks[chunk]?.length ?? 0;
    return index + 1 < length ? { chunk, index: index + 1 } : { chunk: chunk + 1, index: 0 };
  }
  if (index > 0) return { chunk, index: index - 1 };
  const previous = chunk - 1;
  return previous < 0 ? { chunk: -1, index: 0 } : { chunk: previous, index: (chunks[previous] as readonly KVEntry[]).length - 1 };
}

function firstKey(chunks: Chunks, chunk: number): Uint8Array {
  return ((chunks[chunk] as readonly KVEntry[])[0] as KVEntry).key;
}

function operationAt(operations: readonly BatchOperation[], index: number): BatchOperation {
  return operations[index] as BatchOperation;
}

/** The entries of `chunk` with operations[from..to) applied, by a merge of two sorted lists. */
function merge(chunk: readonly KVEntry[], operations: readonly BatchOperation[], from: number, to: number): KVEntry[] {
  const merged: KVEntry[] = [];
  let i = 0;
  for (let o = from; o < to; o++) {
    const { key, value } = operationAt(operations, o);
    while (i < chunk.length && compareBytes((chunk[i] as KVEntry).key, key) < 0) merged.push(chunk[i++] as KVEntry);
    if (i < chunk.length && compareBytes((chunk[i] as KVEntry).key, key) === 0) i++;
    if (value !== undefined) merged.push({ key, value });
  }
  while (i < chunk.length) merged.push(chunk[i++] as KVEntry);
  return merged;
}

/**
 * Appends merged entries as chunks of at most MAX_CHUNK, joining them onto the previous chunk
 * when both fit in one, so deletes do not leave a trail of tiny chunks behind.
 */
function appendChunks(result: (readonly KVEntry[])[], entries: KVEntry[]): void {
  if (entries.length === 0) return;
  const previous = result[result.length - 1];
  if (previous !== undefined && previous.length + entries.length <= MAX_CHUNK) {
    result[result.length - 1] = [...previous, ...entries];
    return;
  }
  const pieces = Math.ceil(entries.length / MAX_CHUNK);
  const pieceSize = Math.ceil(entries.length / pieces);
  for (let offset = 0; offset < entries.length; offset += pieceSize) result.push(entries.slice(offset, offset + pieceSize));
}
