import type { HashDigest } from '@jadechain/crypto';
import { transactionAt, type Ledger } from '@jadechain/ledger';
import { TransactionRequest } from '@jadechain/types';
import { NodeError, decodeMessage } from '@jadechain/service';
import type { ClusterMetrics } from './metrics.js';
import {
  MAX_ANSWER_BYTES,
  MAX_SYNC_BLOCKS,
  PeerBlockPageRequest,
  PeerBlockPageResponse,
  PeerBlocksRequest,
  PeerBlocksResponse,
  PeerStatusRequest,
  PeerStatusResponse,
  PeerTransactionsRequest,
  PeerTransactionsResponse,
  type SyncedBlock,
} from './protocol.js';

/** What the peer↔peer request handlers read of a ledger the peer holds. */
export interface ServedLedger {
  readonly ledger: Ledger;
  /** The canonical bytes of a transaction waiting in the pool or recorded in the ledger. */
  transactionBytes(hash: HashDigest): Uint8Array | undefined;
}

function servedLedger(ledgers: ReadonlyMap<string, ServedLedger>, hash: HashDigest): ServedLedger {
  const served = ledgers.get(hash.toBase58());
  if (served === undefined) throw new NodeError('UNKNOWN_LEDGER', `this peer holds no ledger ${hash.toBase58()}`);
  return served;
}

/**
 * TRANSACTIONS: the bodies this peer has of the hashes asked, in the order asked, up to
 * MAX_ANSWER_BYTES; always the first one found, however large (every transaction a peer holds
 * came in a frame, so it fits one), or a transaction over the budget could never be fetched.
 * The asker asks again for what a full answer left out.
 */
export function serveTransactions(body: Uint8Array, ledgers: ReadonlyMap<string, ServedLedger>, metrics: ClusterMetrics): Uint8Array {
  const request = decodeMessage(PeerTransactionsRequest, body, 'TRANSACTIONS');
  const served = servedLedger(ledgers, request.ledgerHash);
  const transactions: Uint8Array[] = [];
  let bytes = 0;
  for (const hash of request.transactionHashes) {
    const found = served.transactionBytes(hash);
    if (found === undefined) continue;
    if (transactions.length > 0 && bytes + found.length > MAX_ANSWER_BYTES) break;
    bytes += found.length;
    transactions.push(found);
  }
  metrics.servedTransactions += transactions.length;
  return PeerTransactionsResponse.encode({ transactions });
}

/** STATUS: the committed tip of every ledger held. */
export function serveStatus(body: Uint8Array, ledgers: ReadonlyMap<string, ServedLedger>): Uint8Array {
  decodeMessage(PeerStatusRequest, body, 'STATUS');
  const tips = [...ledgers.values()].map(({ ledger }) => ({ ledgerHash: ledger.ledgerHash, height: BigInt(ledger.tip.height), blockHash: ledger.tip.blockHash }));
  return PeerStatusResponse.encode({ ledgers: tips });
}

/**
 * BLOCKS: committed blocks from `fromHeight` on with their certificates and transactions, at most
 * `maxBlocks` (and MAX_SYNC_BLOCKS) and `budget` bytes of transactions (MAX_ANSWER_BYTES). The
 * first block always comes, when one exists: whole if it fits the budget, else with as many of its
 * transactions as fit (at least one) and the asker pages in the rest (BLOCK_PAGE), so that a block
 * of any size (a Byzantine proposer's, say) can be synced.
 */
export function serveBlocks(body: Uint8Array, ledgers: ReadonlyMap<string, ServedLedger>, metrics: ClusterMetrics, budget = MAX_ANSWER_BYTES): Uint8Array {
  const request = decodeMessage(PeerBlocksRequest, body, 'BLOCKS');
  const { ledger } = servedLedger(ledgers, request.ledgerHash);
  const blocks: SyncedBlock[] = [];
  let bytes = 0;
  const last = Math.min(ledger.tip.height, Number(request.fromHeight) + Math.min(request.maxBlocks, MAX_SYNC_BLOCKS) - 1);
  for (let height = Math.max(1, Number(request.fromHeight)); height <= last; height++) {
    const { header, certificate, transactionCount } = committedBlock(ledger, height);
    const page = transactionPage(ledger, height, transactionCount, 0, budget - bytes, blocks.length === 0);
    // A later block goes in whole or not at all: only the first may be paged.
    if (blocks.length > 0 && page.transactions.length < transactionCount) break;
    bytes += page.bytes;
    blocks.push({ header, certificate, transactionCount, transactions: page.transactions });
    if (page.transactions.length < transactionCount) break;
  }
  metrics.servedBlocks += blocks.length;
  return PeerBlocksResponse.encode({ blocks });
}

/** BLOCK_PAGE: committed block `height`'s transactions from `fromIndex` on, at most `budget` bytes of them but at least one while any is left. */
export function serveBlockPage(body: Uint8Array, ledgers: ReadonlyMap<string, ServedLedger>, budget = MAX_ANSWER_BYTES): Uint8Array {
  const request = decodeMessage(PeerBlockPageRequest, body, 'BLOCK_PAGE');
  const { ledger } = servedLedger(ledgers, request.ledgerHash);
  const height = Number(request.height);
  if (height < 1 || height > ledger.tip.height) throw new NodeError('UNAVAILABLE', `block ${request.height} is not committed on this peer (its tip is ${ledger.tip.height})`);
  const { transactionCount } = committedBlock(ledger, height);
  return PeerBlockPageResponse.encode({ transactions: transactionPage(ledger, height, transactionCount, request.fromIndex, budget, true).transactions });
}

function committedBlock(ledger: Ledger, height: number): Omit<SyncedBlock, 'transactions'> {
  const record = ledger.block(height);
  const certificate = ledger.certificate(height);
  if (record === undefined || certificate === undefined) throw new NodeError('UNAVAILABLE', `block ${height} or its certificate is missing from this peer's store`);
  return { header: record.header, certificate, transactionCount: record.transactionCount };
}

/** Block `height`'s transactions from `from` on while they fit `budget` bytes; the first regardless when `atLeastOne`. */
function transactionPage(ledger: Ledger, height: number, count: number, from: number, budget: number, atLeastOne: boolean): { transactions: Uint8Array[]; bytes: number } {
  const transactions: Uint8Array[] = [];
  let bytes = 0;
  for (let index = from; index < count; index++) {
    const transaction = transactionAt(ledger.store, height, index);
    if (transaction === undefined) throw new NodeError('UNAVAILABLE', `transaction ${index} of block ${height} is missing from this peer's store`);
    const encoded = TransactionRequest.encode(transaction.request);
    if (bytes + encoded.length > budget && !(atLeastOne && transactions.length === 0)) break;
    bytes += encoded.length;
    transactions.push(encoded);
  }
  return { transactions, bytes };
}
