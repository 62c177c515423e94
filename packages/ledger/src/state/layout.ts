import { concatBytes, u32be, u64be, utf8 } from './bytes.js';
import type { JoinBytes } from './bytes.js';

/**
 * The storage layout of one ledger (spec/ledger.md, "Storage layout"). Every key starts with one
 * ASCII letter naming its table; integers are fixed-width big-endian so that keys sort by number.
 */
export const TABLE = {
  meta: 0x4d, // 'M'
  block: 0x42, // 'B' height → block record
  blockByHash: 0x48, // 'H' block hash → height
  certificate: 0x43, // 'C' height → commit certificate
  transaction: 0x54, // 'T' height ‖ index → transaction record
  transactionIndex: 0x58, // 'X' transaction hash → height ‖ index
  record: 0x52, // 'R' slot ‖ revision → height ‖ record; slot ‖ FF×8 → height ‖ revision ‖ latest record
  list: 0x4c, // 'L' list ‖ position → item
  node: 0x4e, // 'N' height ‖ sequence → tree node record (ADR 0002)
  nodeRoot: 0x51, // 'Q' root node id → its location
  genesis: 0x47, // 'G' → the init proposal and its signatures
  code: 0x4b, // 'K' code hash → contract code
  receipt: 0x59, // 'Y' height ‖ index → contract receipt of a transaction that invoked a contract
} as const;

/** The datasets of the state (spec/ledger.md, "State layout"); the byte is part of storage keys. */
export const DATASET = {
  admin: 0x01,
  users: 0x02,
  dataAccounts: 0x03,
  kvEntries: 0x04,
  contracts: 0x05,
  eventAccounts: 0x06,
  events: 0x07,
} as const;
export type DatasetId = (typeof DATASET)[keyof typeof DATASET];

export const TIP_KEY = concatBytes(new Uint8Array([TABLE.meta]), utf8('tip'));
export const LEDGER_HASH_KEY = concatBytes(new Uint8Array([TABLE.meta]), utf8('ledger'));
/**
 * The storage layout's version. 2: tree nodes under their locations (ADR 0002); a store without
 * this key was written with nodes under their ids and is refused rather than misread.
 */
export const LAYOUT_KEY = concatBytes(new Uint8Array([TABLE.meta]), utf8('layout'));
export const LAYOUT_VERSION = 2;
export const GENESIS_KEY = new Uint8Array([TABLE.genesis]);

/** One-byte key parts, made once: they are only ever copied into keys, never handed out. */
const ONE_BYTE = Array.from({ length: 256 }, (_, byte) => new Uint8Array([byte]));
const table = (id: number): Uint8Array => ONE_BYTE[id] as Uint8Array;

export function blockKey(height: number): Uint8Array {
  return concatBytes(table(TABLE.block), u64be(height));
}

export function blockByHashKey(blockHash: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.blockByHash), blockHash);
}

export function certificateKey(height: number): Uint8Array {
  return concatBytes(table(TABLE.certificate), u64be(height));
}

export function transactionKey(height: number, index: number): Uint8Array {
  return concatBytes(table(TABLE.transaction), u64be(height), u32be(index));
}

export function receiptKey(height: number, index: number): Uint8Array {
  return concatBytes(table(TABLE.receipt), u64be(height), u32be(index));
}

export function transactionIndexKey(txHash: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.transactionIndex), txHash);
}

/** dataset ‖ scope (empty, or the 32-byte tree key of the enclosing account) ‖ 32-byte tree key. */
export function slotPrefix(dataset: DatasetId, scope: Uint8Array, key: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.record), table(dataset), scope, key);
}

/** Where a superseded revision of a slot is kept. */
export function recordKey(prefix: Uint8Array, revision: number): Uint8Array {
  return concatBytes(prefix, u64be(revision));
}

const LATEST_MARK = new Uint8Array(8).fill(0xff);

/** Where the latest revision of a slot is kept: one point read finds it. */
export function latestRecordKey(prefix: Uint8Array): Uint8Array {
  return concatBytes(prefix, LATEST_MARK);
}

/** An append-only list: dataset ‖ scope; items are numbered from 0 in order of appearance. */
export function listPrefix(dataset: DatasetId, scope: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.list), table(dataset), scope);
}

export function listItemKey(prefix: Uint8Array, position: number): Uint8Array {
  return concatBytes(prefix, u64be(position));
}

/** Where a tree node's record is stored: its location (height ‖ sequence, state/node-locations.ts). */
export function nodeKey(location: Uint8Array, join: JoinBytes = concatBytes): Uint8Array {
  return join(table(TABLE.node), location);
}

/** Where the location of a tree's root node is kept: a walk of the tree starts there. */
export function nodeRootKey(id: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.nodeRoot), id);
}

export function codeKey(codeHash: Uint8Array): Uint8Array {
  return concatBytes(table(TABLE.code), codeHash);
}
