import { emptyMerkleRoot } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import { readU32be, readU64be } from './bytes.js';

/**
 * The record of an account that holds a tree of its own (a data account and its KV entries, an
 * event account and its topics): the account's canonical header, the root of its entries' tree
 * and how many entries that tree holds. Encoded as
 *   u32 header length ‖ header ‖ 32-byte entries root ‖ u64 entry count   (all big-endian)
 * and its hash is the account's leaf in the account-set tree (spec/ledger.md, "State layout").
 */
export interface ContainerRecord {
  readonly header: Uint8Array;
  readonly entriesRoot: Uint8Array;
  readonly entryCount: number;
}

export function encodeContainer(record: ContainerRecord): Uint8Array {
  const out = new Uint8Array(4 + record.header.length + 32 + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, record.header.length);
  out.set(record.header, 4);
  out.set(record.entriesRoot, 4 + record.header.length);
  view.setBigUint64(4 + record.header.length + 32, BigInt(record.entryCount));
  return out;
}

export function decodeContainer(bytes: Uint8Array): ContainerRecord {
  const headerLength = bytes.length >= 4 ? readU32be(bytes, 0) : -1;
  if (headerLength < 0 || bytes.length !== 4 + headerLength + 40) {
    throw new LedgerError('CORRUPT_STATE', `an account record of ${bytes.length} bytes does not match its header length`);
  }
  return {
    header: bytes.subarray(4, 4 + headerLength),
    entriesRoot: bytes.subarray(4 + headerLength, 4 + headerLength + 32),
    entryCount: readU64be(bytes, 4 + headerLength + 32),
  };
}

export function newContainer(header: Uint8Array): ContainerRecord {
  return { header, entriesRoot: emptyMerkleRoot(), entryCount: 0 };
}
