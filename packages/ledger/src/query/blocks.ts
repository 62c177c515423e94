import type { HashDigest } from '@jadechain/crypto';
import { CommitCertificate } from '@jadechain/types';
import type { TransactionRequest, TransactionResult } from '@jadechain/types';
import type { KVReader } from '@jadechain/storage';
import { LedgerError } from '../errors.js';
import { decodeBlockRecord } from '../exec/block-record.js';
import type { BlockRecord } from '../exec/block-record.js';
import { decodeTransactionRecord } from '../exec/transaction-set.js';
import type { LedgerView } from '../exec/view.js';
import { readU64be } from '../state/bytes.js';
import { blockByHashKey, blockKey, certificateKey, receiptKey, transactionKey } from '../state/layout.js';
import { decodeReceipt } from '../contracts/receipt.js';
import type { ContractReceipt } from '../contracts/receipt.js';

/** Queries of committed blocks and transactions, straight from the store. */

/** Pages hold at most this many items (as JD Chain's API does). */
export const MAX_PAGE = 100;

export interface LedgerTransaction {
  readonly height: number;
  readonly index: number;
  readonly request: TransactionRequest;
  readonly result: TransactionResult;
  /** Gas and contract errors, when the transaction invoked a contract. */
  readonly receipt?: ContractReceipt;
}

export function blockAt(store: KVReader, height: number): BlockRecord | undefined {
  const bytes = store.get(blockKey(height));
  return bytes === undefined ? undefined : decodeBlockRecord(bytes);
}

export function blockHeightOf(store: KVReader, blockHash: HashDigest): number | undefined {
  const bytes = store.get(blockByHashKey(blockHash.toBytes()));
  return bytes === undefined ? undefined : readU64be(bytes);
}

export function certificateAt(store: KVReader, height: number): CommitCertificate | undefined {
  const bytes = store.get(certificateKey(height));
  if (bytes === undefined) return undefined;
  try {
    return CommitCertificate.decode(bytes);
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `the certificate of block ${height} does not decode: ${(error as Error).message}`);
  }
}

export function transactionAt(store: KVReader, height: number, index: number): LedgerTransaction | undefined {
  const bytes = store.get(transactionKey(height, index));
  if (bytes === undefined) return undefined;
  const receipt = store.get(receiptKey(height, index));
  return { height, index, ...decodeTransactionRecord(bytes), ...(receipt === undefined ? {} : { receipt: decodeReceipt(receipt) }) };
}

/** The transactions of one block, in block order, from position `from` (at most MAX_PAGE). */
export function transactionsOfBlock(store: KVReader, height: number, from = 0, count = MAX_PAGE): LedgerTransaction[] {
  const out: LedgerTransaction[] = [];
  const start = Math.max(0, Math.floor(from));
  const limit = pageSize(count);
  for (let index = start; index < start + limit; index++) {
    const transaction = transactionAt(store, height, index);
    if (transaction === undefined) break;
    out.push(transaction);
  }
  return out;
}

/** A committed transaction by hash, as of the view's block (the first one, if it was replayed). */
export function transactionByHash(view: LedgerView, transactionHash: HashDigest): LedgerTransaction | undefined {
  const location = view.source.transactionLocation(transactionHash.toBytes());
  return location === undefined ? undefined : transactionAt(view.context.store, location.height, location.index);
}

/** JD Chain's paging rule: a count ≤ 0 or above the maximum means the maximum. */
export function pageSize(count: number): number {
  return !Number.isFinite(count) || count <= 0 || count > MAX_PAGE ? MAX_PAGE : Math.floor(count);
}
