import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from './errors.js';

/**
 * LMDB reads its two meta pages without checking them, and lmdb-js then dies with a segmentation
 * fault on a file that is not LMDB. So before opening, check what LMDB would trust: both meta
 * pages carry the meta flag, magic and data version, and the recorded page size fits the file. Layout of the
 * LMDB 1.0 format that lmdb-js builds: a 24-byte page header (page number, txn id, pad, flags,
 * bounds), then the meta record (magic, version, address, map size, then the free-list database
 * record whose first field holds the page size).
 */
const PAGE_FLAGS_OFFSET = 18;
const META_PAGE_FLAG = 0x08;
const MAGIC_OFFSET = 24;
const LMDB_MAGIC = 0xbeefc0de;
const VERSION_OFFSET = 28;
/** MDB_DATA_VERSION of the LMDB inside lmdb-js 3 (a file of another version also crashes it). */
const LMDB_DATA_VERSION = 2;
const PAGE_SIZE_OFFSET = 48;
const HEADER_BYTES = 64;

/** Throws CORRUPT when `directory` holds a data file that LMDB would misread. */
export function checkDataFile(directory: string): void {
  const file = join(directory, 'data.mdb');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // no file yet: LMDB creates it
  }
  if (size === 0) return; // created but never initialised: LMDB initialises it
  const first = readAt(file, 0);
  const pageSize = first?.readUInt32LE(PAGE_SIZE_OFFSET) ?? 0;
  const pageSizeValid = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  const second = pageSizeValid && size >= 2 * pageSize ? readAt(file, pageSize) : undefined;
  if (first === undefined || second === undefined || !isMetaPage(first) || !isMetaPage(second)) {
    throw new StorageError('CORRUPT', `${file} is not an LMDB data file (bad meta pages)`);
  }
}

function isMetaPage(header: Buffer): boolean {
  return (
    (header.readUInt16LE(PAGE_FLAGS_OFFSET) & META_PAGE_FLAG) !== 0 &&
    header.readUInt32LE(MAGIC_OFFSET) === LMDB_MAGIC &&
    (header.readUInt32LE(VERSION_OFFSET) & 0xffff) === LMDB_DATA_VERSION
  );
}

function readAt(file: string, offset: number): Buffer | undefined {
  const header = Buffer.alloc(HEADER_BYTES);
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch (error) {
    throw new StorageError('IO', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return readSync(descriptor, header, 0, HEADER_BYTES, offset) === HEADER_BYTES ? header : undefined;
  } finally {
    closeSync(descriptor);
  }
}
