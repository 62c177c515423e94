import { HashDigest } from '@jadechain/crypto';
import { BlockHeader } from '@jadechain/types';
import { LedgerError } from '../errors.js';
import { COUNTERS } from '../state/records.js';

/** Ledger-wide totals as of a block: the account counters plus every transaction recorded. */
export const TOTALS = [...COUNTERS, 'transactions'] as const;
export type Totals = ReadonlyMap<string, number>;

/**
 * What is stored per block under `B ‖ height`:
 *   u32 n ‖ encoded BlockHeader (n bytes) ‖ u32 m ‖ tagged block hash (m bytes)
 *   ‖ u32 transactions in the block ‖ u64 × 5 totals (users, data accounts, event accounts,
 *   contracts, transactions)
 * all big-endian. The block hash is kept because the algorithm that made it may since have
 * changed; the totals are bookkeeping for queries (everything provable is in the header).
 */
export interface BlockRecord {
  readonly header: BlockHeader;
  readonly blockHash: HashDigest;
  readonly transactionCount: number;
  readonly totals: Totals;
}

export function encodeBlockRecord(record: BlockRecord): Uint8Array {
  const header = BlockHeader.encode(record.header);
  const hash = record.blockHash.toBytes();
  const out = new Uint8Array(4 + header.length + 4 + hash.length + 4 + 8 * TOTALS.length);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of [header, hash]) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  view.setUint32(offset, record.transactionCount);
  offset += 4;
  for (const name of TOTALS) {
    view.setBigUint64(offset, BigInt(record.totals.get(name) ?? 0));
    offset += 8;
  }
  return out;
}

export function decodeBlockRecord(bytes: Uint8Array): BlockRecord {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    const part = (): Uint8Array => {
      const length = view.getUint32(offset);
      const slice = bytes.subarray(offset + 4, offset + 4 + length);
      if (slice.length !== length) throw new RangeError('a part runs past the end');
      offset += 4 + length;
      return slice;
    };
    const header = BlockHeader.decode(part());
    const blockHash = HashDigest.fromBytes(part());
    const transactionCount = view.getUint32(offset);
    offset += 4;
    const totals = new Map<string, number>();
    for (const name of TOTALS) {
      totals.set(name, Number(view.getBigUint64(offset)));
      offset += 8;
    }
    if (offset !== bytes.length) throw new RangeError(`${bytes.length - offset} bytes follow the record`);
    return { header, blockHash, transactionCount, totals };
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `a stored block record does not decode: ${(error as Error).message}`);
  }
}
