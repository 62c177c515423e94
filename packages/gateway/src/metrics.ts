import { CodeCounter, PrometheusText } from '@jadechain/service';
import type { TransportMetrics } from '@jadechain/p2p';

/** The gateway's counters: every answer by code (refusals included), queries, and the transport's. */
export class GatewayMetrics {
  queries = 0;
  /** Submissions by how they were answered: COMMITTED, TIMEOUT, or the refusal's code. */
  readonly answers = new CodeCounter();

  constructor(
    private readonly transport: TransportMetrics,
    private readonly waiting: () => number,
    private readonly disagreements: () => number,
  ) {}

  render(): string {
    return new PrometheusText()
      .byLabel('jadechain_gateway_answers_total', 'Submissions and refused requests, by outcome code', 'code', this.answers.counts)
      .single('jadechain_gateway_queries_total', 'counter', 'Queries proxied to peers', this.queries)
      .single('jadechain_gateway_waiting_transactions', 'gauge', 'Submissions waiting for their commit', this.waiting())
      .single('jadechain_gateway_conflicting_reports_total', 'counter', 'Peer reports naming a different block for a transaction than another peer did', this.disagreements())
      .transport('jadechain_gateway_p2p', this.transport.snapshot())
      .processMemory('jadechain_gateway')
      .toString();
  }
}
