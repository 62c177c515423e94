import type { HashDigest } from '@jadechain/crypto';
import { transactionAt, type Ledger } from '@jadechain/ledger';
import { TransactionRequest } from '@jadechain/types';
import { NodeError, decodeMessage } from '@jadechain/service';
import type { ClusterMetrics } from './metrics.js';
import {
  MAX_ANSWER_BYTES,
  MAX_SYNC_BLOCKS,
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
 * `maxBlocks` (and MAX_SYNC_BLOCKS) and MAX_ANSWER_BYTES of transactions; always at least one block
 * when one exists, unless that block alone is too large for a frame (then the request fails).
 */
export function serveBlocks(body: Uint8Array, ledgers: ReadonlyMap<string, ServedLedger>, metrics: ClusterMetrics): Uint8Array {
  const request = decodeMessage(PeerBlocksRequest, body, 'BLOCKS');
  const { ledger } = servedLedger(ledgers, request.ledgerHash);
  const blocks: SyncedBlock[] = [];
  let bytes = 0;
  const last = Math.min(ledger.tip.height, Number(request.fromHeight) + Math.min(request.maxBlocks, MAX_SYNC_BLOCKS) - 1);
  for (let height = Math.max(1, Number(request.fromHeight)); height <= last; height++) {
    const block = committedBlock(ledger, height);
    const size = block.transactions.reduce((sum, transaction) => sum + transaction.length, 0);
    if (blocks.length > 0 && bytes + size > MAX_ANSWER_BYTES) break;
    bytes += size;
    blocks.push(block);
  }
  metrics.servedBlocks += blocks.length;
  return PeerBlocksResponse.encode({ blocks });
}

function committedBlock(ledger: Ledger, height: number): SyncedBlock {
  const record = ledger.block(height);
  const certificate = ledger.certificate(height);
  if (record === undefined || certificate === undefined) throw new NodeError('UNAVAILABLE', `block ${height} or its certificate is missing from this peer's store`);
  const transactions: Uint8Array[] = [];
  for (let index = 0; index < record.transactionCount; index++) {
    const transaction = transactionAt(ledger.store, height, index);
    if (transaction === undefined) throw new NodeError('UNAVAILABLE', `transaction ${index} of block ${height} is missing from this peer's store`);
    transactions.push(TransactionRequest.encode(transaction.request));
  }
  return { header: record.header, certificate, transactions };
}
