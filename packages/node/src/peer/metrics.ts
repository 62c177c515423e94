import { CodeCounter, PrometheusText } from '@jadechain/service';
import type { MetricsSnapshot } from '@jadechain/p2p';
import { ClusterMetrics } from '../cluster/index.js';

/** The peer's own counters; the transport keeps its own (see `render`). */
export class PeerMetrics {
  admitted = 0;
  committed = 0;
  blocks = 0;
  batches = 0;
  queries = 0;
  /** Transactions refused at admission or left out by execution, by code. */
  readonly rejections = new CodeCounter();
  /**
   * Blocks committed by the round that decided them ("0", "1", "2+"): a block decided after
   * round 0 waited out at least one round timeout, which is where multi-second commit latency
   * comes from.
   */
  readonly blockRounds = new CodeCounter();
  /** Whole batches refused (bad co-signature, unauthorised gateway, unknown ledger), by code. */
  readonly batchRejections = new CodeCounter();
  /** Consensus traffic, transaction fetch and block sync between peers. */
  readonly cluster = new ClusterMetrics();

  render(gauges: { readonly mempoolTransactions: number; readonly mempoolBytes: number; readonly heights: ReadonlyArray<readonly [string, number]> }, transport: MetricsSnapshot): string {
    const text = new PrometheusText()
      .single('jadechain_peer_transactions_admitted_total', 'counter', 'Transactions admitted into the mempool', this.admitted)
      .single('jadechain_peer_transactions_committed_total', 'counter', 'Transactions recorded in committed blocks', this.committed)
      .single('jadechain_peer_blocks_committed_total', 'counter', 'Blocks committed durably', this.blocks)
      .single('jadechain_peer_batches_total', 'counter', 'Submitted batches received', this.batches)
      .single('jadechain_peer_queries_total', 'counter', 'Queries answered over the transport', this.queries)
      .single('jadechain_peer_mempool_transactions', 'gauge', 'Transactions waiting in the mempools', gauges.mempoolTransactions)
      .single('jadechain_peer_mempool_bytes', 'gauge', 'Bytes waiting in the mempools', gauges.mempoolBytes)
      .metric('jadechain_peer_ledger_height', 'gauge', 'Committed height per ledger', gauges.heights.map(([ledger, height]) => [{ ledger }, height] as const))
      .byLabel('jadechain_peer_transactions_rejected_total', 'Transactions refused or left out, by code', 'code', this.rejections.counts)
      .byLabel('jadechain_peer_blocks_by_round_total', 'Blocks committed, by the round that decided them', 'round', this.blockRounds.counts)
      .byLabel('jadechain_peer_batches_rejected_total', 'Batches refused whole, by code', 'code', this.batchRejections.counts)
      .transport('jadechain_peer_p2p', transport)
      .processMemory('jadechain_peer');
    return this.cluster.renderInto(text).toString();
  }
}
