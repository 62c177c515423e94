import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PubKey } from '@jadechain/crypto';
import { Ledger } from '@jadechain/ledger';
import { NodeError, jsonLogger } from '@jadechain/service';
import { MemoryStore } from '@jadechain/storage';
import {
  BlockSync,
  ClusterMetrics,
  PEER_CHANNEL,
  PeerBlockPageRequest,
  PeerBlockPageResponse,
  PeerBlocksRequest,
  PeerBlocksResponse,
  PeerStatusResponse,
  serveBlockPage,
  serveBlocks,
  serveStatus,
  type PeerLinks,
  type ServedLedger,
  type SyncedBlock,
} from '../src/cluster/index.js';
import { BULK_TRANSACTIONS, buildFixture, organisations, type Fixture } from './query-fixture.js';

/**
 * Block sync of a block larger than one answer: the first block of an answer comes with as many
 * transactions as fit and the rest is paged in (BLOCK_PAGE). The answers' byte budget is lowered
 * here so that the fixture's blocks (block 5 holds 110 transactions of ≈300 bytes) need paging.
 */
const BUDGET = 2_000;
const quiet = jsonLogger('peer', () => undefined);
let fixture: Fixture;
let ledgers: Map<string, ServedLedger>;

function blocksFrom(fromHeight: number, budget = BUDGET): readonly SyncedBlock[] {
  const body = PeerBlocksRequest.encode({ ledgerHash: fixture.ledger.ledgerHash, fromHeight: BigInt(fromHeight), maxBlocks: 64 });
  return PeerBlocksResponse.decode(serveBlocks(body, ledgers, new ClusterMetrics(), budget)).blocks;
}

function page(height: number, fromIndex: number): readonly Uint8Array[] {
  const body = PeerBlockPageRequest.encode({ ledgerHash: fixture.ledger.ledgerHash, height: BigInt(height), fromIndex });
  return PeerBlockPageResponse.decode(serveBlockPage(body, ledgers, BUDGET)).transactions;
}

const bytesOf = (transactions: readonly Uint8Array[]): number => transactions.reduce((sum, bytes) => sum + bytes.length, 0);
const hex = (transactions: readonly Uint8Array[]): string[] => transactions.map((bytes) => Buffer.from(bytes).toString('hex'));

/** A peer that serves `fixture.ledger` through the real handlers, with the lowered budget; `pages` and `blocks` may replace BLOCK_PAGE and BLOCKS answers. */
function servingLinks(pages?: (body: Uint8Array) => Uint8Array, blocks?: (body: Uint8Array) => Uint8Array): PeerLinks {
  const source = organisations[1]?.keys.publicKey as PubKey;
  return {
    connected: () => [source],
    isConnected: () => true,
    request: async (_to: PubKey, channel: number, body: Uint8Array) => {
      if (channel === PEER_CHANNEL.STATUS) return serveStatus(body, ledgers);
      if (channel === PEER_CHANNEL.BLOCKS) return blocks === undefined ? serveBlocks(body, ledgers, new ClusterMetrics(), BUDGET) : blocks(body);
      if (channel === PEER_CHANNEL.BLOCK_PAGE) return pages === undefined ? serveBlockPage(body, ledgers, BUDGET) : pages(body);
      throw new Error(`unexpected channel ${channel}`);
    },
  } as unknown as PeerLinks;
}

async function syncCopy(links: PeerLinks): Promise<{ readonly ledger: Ledger; readonly metrics: ClusterMetrics }> {
  const ledger = await Ledger.initialize(new MemoryStore(), fixture.genesis, { suite: fixture.ledger.context.suite });
  const metrics = new ClusterMetrics();
  const sync = new BlockSync({ target: { ledger, pause: async () => undefined, resume: () => undefined, committed: () => undefined }, links, metrics, logger: quiet });
  await sync.poll();
  await sync.stop();
  return { ledger, metrics };
}

describe('block sync of blocks larger than an answer', () => {
  before(async () => {
    fixture = await buildFixture();
    ledgers = new Map([[fixture.ledger.ledgerHash.toBase58(), { ledger: fixture.ledger, transactionBytes: () => undefined }]]);
  });

  test('an answer whose first block is too large carries that block alone, with the transactions that fit', () => {
    const [only, ...rest] = blocksFrom(5);
    assert.equal(rest.length, 0);
    assert.equal(only?.transactionCount, BULK_TRANSACTIONS);
    assert.ok(only !== undefined && only.transactions.length > 0 && only.transactions.length < BULK_TRANSACTIONS);
    assert.ok(bytesOf(only.transactions) <= BUDGET);
  });

  test('later blocks come whole or not at all, and whole blocks when the budget allows', () => {
    const answer = blocksFrom(1);
    assert.ok(answer.length >= 1);
    for (const block of answer.slice(1)) assert.equal(block.transactions.length, block.transactionCount);
    const roomy = blocksFrom(1, 3 * 1024 * 1024);
    assert.deepEqual(roomy.map((block) => block.transactions.length), fixture.blocks.map((block) => block.transactions.length));
  });

  test('pages continue where the answer stopped, end at the block, and refuse heights past the tip', () => {
    const whole = blocksFrom(5, 3 * 1024 * 1024)[0]?.transactions ?? [];
    const paged = [...(blocksFrom(5)[0]?.transactions ?? [])];
    for (let next = page(5, paged.length); next.length > 0; next = page(5, paged.length)) {
      assert.ok(next.length === 1 || bytesOf(next) <= BUDGET);
      paged.push(...next);
    }
    assert.deepEqual(hex(paged), hex(whole));
    assert.deepEqual(page(5, BULK_TRANSACTIONS + 5), []);
    assert.throws(() => page(6, 0), (error: unknown) => error instanceof NodeError && error.code === 'UNAVAILABLE');
  });

  test('a peer behind syncs every block, paging in the large one, to the same block hashes', async () => {
    const { ledger, metrics } = await syncCopy(servingLinks());
    assert.equal(ledger.tip.height, fixture.ledger.tip.height);
    assert.ok(ledger.tip.blockHash.equals(fixture.ledger.tip.blockHash));
    assert.equal(metrics.syncedBlocks, fixture.blocks.length);
  });

  test('a peer that stops sending pages has the block refused as INCOMPLETE, and nothing of it is committed', async () => {
    const { ledger, metrics } = await syncCopy(servingLinks(() => PeerBlockPageResponse.encode({ transactions: [] })));
    assert.equal(metrics.syncRefused.get('INCOMPLETE'), 1);
    assert.ok(ledger.tip.height < fixture.ledger.tip.height);
    assert.equal(ledger.block(ledger.tip.height + 1), undefined);
  });

  /** Syncs from a peer whose first BLOCKS block is `alter`ed, counting the pages asked of it (each answered empty). */
  async function syncAltered(alter: (block: SyncedBlock) => SyncedBlock): Promise<{ readonly ledger: Ledger; readonly metrics: ClusterMetrics; readonly pagesAsked: number }> {
    let pagesAsked = 0;
    const altered = (body: Uint8Array): Uint8Array => {
      const [first] = PeerBlocksResponse.decode(serveBlocks(body, ledgers, new ClusterMetrics(), BUDGET)).blocks;
      assert.ok(first !== undefined);
      return PeerBlocksResponse.encode({ blocks: [alter(first)] });
    };
    const pages = (): Uint8Array => {
      pagesAsked += 1;
      return PeerBlockPageResponse.encode({ transactions: [] });
    };
    const { ledger, metrics } = await syncCopy(servingLinks(pages, altered));
    return { ledger, metrics, pagesAsked };
  }

  test('a paged block whose certificate falls short of a quorum is refused before any page is asked', async () => {
    const { ledger, metrics, pagesAsked } = await syncAltered((block) => ({
      ...block,
      certificate: { ...block.certificate, votes: block.certificate.votes.slice(0, 1) },
      transactions: block.transactions.slice(0, 1),
      transactionCount: block.transactionCount + 1,
    }));
    assert.equal(metrics.syncRefused.get('BAD_CERTIFICATE'), 1);
    assert.equal(pagesAsked, 0);
    assert.equal(ledger.tip.height, 0);
  });

  test('a block said to hold more transactions than the ledger allows a block is refused before any page is asked', async () => {
    const { ledger, metrics, pagesAsked } = await syncAltered((block) => ({ ...block, transactionCount: 4_000_000_000 }));
    assert.equal(metrics.syncRefused.get('TOO_LARGE'), 1);
    assert.equal(pagesAsked, 0);
    assert.equal(ledger.tip.height, 0);
  });
});

describe('when block sync starts', () => {
  /** A peer whose ledger is the fixture's cut at `tip.height`: its status and its blocks stop there. */
  function peerAt(tip: { height: number }): PeerLinks {
    const source = organisations[1]?.keys.publicKey as PubKey;
    return {
      connected: () => [source],
      isConnected: () => true,
      request: async (_to: PubKey, channel: number, body: Uint8Array) => {
        const ledgerHash = fixture.ledger.ledgerHash;
        if (channel === PEER_CHANNEL.STATUS) {
          return PeerStatusResponse.encode({ ledgers: [{ ledgerHash, height: BigInt(tip.height), blockHash: fixture.blocks[tip.height - 1]?.blockHash ?? ledgerHash }] });
        }
        if (channel === PEER_CHANNEL.BLOCKS) {
          const { blocks } = PeerBlocksResponse.decode(serveBlocks(body, ledgers, new ClusterMetrics()));
          return PeerBlocksResponse.encode({ blocks: blocks.filter((block) => Number(block.header.height) <= tip.height) });
        }
        throw new Error(`unexpected channel ${channel}`);
      },
    } as unknown as PeerLinks;
  }

  async function oneBehind(lagMs: number | undefined): Promise<Ledger> {
    const tip = { height: fixture.blocks.length - 1 };
    const ledger = await Ledger.initialize(new MemoryStore(), fixture.genesis, { suite: fixture.ledger.context.suite });
    const sync = new BlockSync({ target: { ledger, pause: async () => undefined, resume: () => undefined, committed: () => undefined }, links: peerAt(tip), metrics: new ClusterMetrics(), logger: quiet, ...(lagMs === undefined ? {} : { lagMs }) });
    await sync.poll();
    assert.equal(ledger.tip.height, tip.height, 'two or more behind: synced at once');
    tip.height += 1;
    await sync.poll();
    await sync.stop();
    return ledger;
  }

  before(async () => {
    fixture ??= await buildFixture();
    ledgers ??= new Map([[fixture.ledger.ledgerHash.toBase58(), { ledger: fixture.ledger, transactionBytes: () => undefined }]]);
  });

  test('a validator one block behind waits (consensus may still bring the block); a follower (lag 0) syncs at once', async () => {
    assert.equal((await oneBehind(undefined)).tip.height, fixture.blocks.length - 1);
    assert.equal((await oneBehind(0)).tip.height, fixture.blocks.length);
  });
});
