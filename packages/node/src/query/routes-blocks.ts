import { MAX_PAGE, transactionsOfBlock } from '@jadechain/ledger';
import type { BlockRecord, Ledger, LedgerTransaction } from '@jadechain/ledger';
import type { JsonValue } from '@jadechain/types';
import { QueryError } from './errors.js';
import { blockJson } from './json.js';
import { parseHash, parseInteger, parseNonNegative, parsePage } from './params.js';
import type { RouteRequest, Router } from './router.js';
import { transactionJson } from './transactions-json.js';

/** §7.3 and the per-block counts of §7.4–7.6: blocks, transactions and how many of each thing. */

type BlockRouteHandler = (ledger: Ledger, block: BlockRecord, request: RouteRequest) => JsonValue;

/** The totals kept with each block, under the names JD Chain's paths use. */
const COUNTED = { users: 'users', accounts: 'dataAccounts', contracts: 'contracts', txs: 'transactions' } as const;

export function addBlockRoutes(router: Router): void {
  router.ledger('/blocks/latest', (ledger) => blockJson(blockAt(ledger, ledger.tip.height)));
  router.ledger('/blocks', latestBlocks);
  router.ledger('/blocks/height/:height', (ledger, { params }) => blockJson(blockAtText(ledger, params['height'] ?? '')));
  router.ledger('/blocks/hash/:blockHash', (ledger, { params }) => blockJson(blockByHashText(ledger, params['blockHash'] ?? '')));

  for (const [segment, total] of Object.entries(COUNTED)) {
    router.ledger(`/${segment}/count`, (ledger) => blockAt(ledger, ledger.tip.height).totals.get(total) ?? 0);
    router.ledger(`/${segment}/additional-count`, (ledger) => added(ledger, blockAt(ledger, ledger.tip.height), total));
    router.ledger(`/blocks/${segment}/additional-count`, (ledger) => added(ledger, blockAt(ledger, ledger.tip.height), total));
    perBlock(router, `/${segment}/count`, (_ledger, block) => block.totals.get(total) ?? 0);
    perBlock(router, `/${segment}/additional-count`, (ledger, block) => added(ledger, block, total));
  }

  perBlock(router, '/txs', (ledger, block, { query }) => {
    const { from, count } = parsePage(query);
    return cumulativeTransactions(ledger, block, from, count).map(transactionJson);
  });
  perBlock(router, '/txs/additional-txs', (ledger, block, { query }) => {
    const { from, count } = parsePage(query);
    return transactionsOfBlock(ledger.store, Number(block.header.height), from, pageLimit(count)).map(transactionJson);
  });
  router.ledger('/txs/hash/:txHash', (ledger, { params }) => transactionJson(transactionByText(ledger, params['txHash'] ?? '')));
  router.ledger('/txs/state/:txHash', (ledger, { params }) => transactionByText(ledger, params['txHash'] ?? '').result.state);
}

/** Registers a route under both /blocks/height/{h} and /blocks/hash/{hash}. */
export function perBlock(router: Router, suffix: string, handler: BlockRouteHandler): void {
  router.ledger(`/blocks/height/:height${suffix}`, (ledger, request) => handler(ledger, blockAtText(ledger, request.params['height'] ?? ''), request));
  router.ledger(`/blocks/hash/:blockHash${suffix}`, (ledger, request) => handler(ledger, blockByHashText(ledger, request.params['blockHash'] ?? ''), request));
}

export function blockAt(ledger: Ledger, height: number): BlockRecord {
  const block = ledger.block(height);
  if (block === undefined) throw new QueryError('BLOCK_NOT_FOUND', `no block at height ${height} (latest ${ledger.tip.height})`);
  return block;
}

function blockAtText(ledger: Ledger, text: string): BlockRecord {
  return blockAt(ledger, parseNonNegative(text, 'block height'));
}

function blockByHashText(ledger: Ledger, text: string): BlockRecord {
  const hash = parseHash(text, 'block hash');
  const block = ledger.blockByHash(hash);
  if (block === undefined) throw new QueryError('BLOCK_NOT_FOUND', `no block ${hash.toBase58()}`);
  return block;
}

function transactionByText(ledger: Ledger, text: string): LedgerTransaction {
  const hash = parseHash(text, 'transaction hash');
  const transaction = ledger.transaction(hash);
  if (transaction === undefined) throw new QueryError('TRANSACTION_NOT_FOUND', `no transaction ${hash.toBase58()}`);
  return transaction;
}

/** JD Chain's page rule: a count ≤ 0 or above the maximum means the maximum. */
export function pageLimit(count: number): number {
  return count <= 0 || count > MAX_PAGE ? MAX_PAGE : count;
}

/** How much a total grew in one block (the genesis block adds all it holds). */
function added(ledger: Ledger, block: BlockRecord, total: string): number {
  const height = Number(block.header.height);
  if (total === 'transactions') return block.transactionCount;
  const before = height === 0 ? 0 : (blockAt(ledger, height - 1).totals.get(total) ?? 0);
  return (block.totals.get(total) ?? 0) - before;
}

/** The latest `numOfBlocks` blocks, newest first, and the genesis block after them. */
function latestBlocks(ledger: Ledger, { query }: RouteRequest): JsonValue {
  const text = query['numOfBlocks'];
  const wanted = pageLimit(text === undefined || text === '' ? 0 : parseInteger(text, 'numOfBlocks'));
  const tip = ledger.tip.height;
  const heights: number[] = [];
  for (let height = tip; height >= 0 && heights.length < wanted; height--) heights.push(height);
  if (!heights.includes(0)) heights.push(0);
  return heights.map((height) => blockJson(blockAt(ledger, height)));
}

/**
 * Transactions of blocks 0 to `upTo` numbered across blocks (JD Chain's cumulative list): finds
 * the block holding number `from` by bisecting the per-block totals, then reads on from there.
 */
function cumulativeTransactions(ledger: Ledger, upTo: BlockRecord, from: number, count: number): LedgerTransaction[] {
  const last = Number(upTo.header.height);
  const totalUpTo = (height: number): number => (height < 0 ? 0 : (blockAt(ledger, height).totals.get('transactions') ?? 0));
  if (from >= totalUpTo(last)) return [];
  let low = 0;
  let high = last;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (totalUpTo(middle) > from) high = middle;
    else low = middle + 1;
  }
  const limit = pageLimit(count);
  const out: LedgerTransaction[] = [];
  for (let height = low, offset = from - totalUpTo(low - 1); height <= last && out.length < limit; height++, offset = 0) {
    out.push(...transactionsOfBlock(ledger.store, height, offset, limit - out.length));
  }
  return out;
}
